"""The build cache: keyed by every input, written atomically, distrusted when damaged."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from belkg.build.cache import DATASET_FILE, MANIFEST_FILE, input_key
from belkg.build.pipeline import build
from belkg.namespaces import INFERRED_GRAPH

from conftest import make_tiny_project
from helpers import same_dataset


@pytest.fixture(scope="module")
def tiny_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache holding the build of the default tiny project, made once for the module;
    a test that damages an entry or changes an input works on a copy (cached_copy)."""
    base = tmp_path_factory.mktemp("tiny-cache")
    build(make_tiny_project(base / "project"), base / "cache")
    return base / "cache"


def cached_copy(tiny_cache: Path, tmp_path: Path, project) -> Path:
    """A copy of the tiny build's cache, which serves the default tiny project (the key is
    of the inputs' names and bytes, not of the project's folder)."""
    cache = tmp_path / "cache"
    shutil.copytree(tiny_cache, cache, symlinks=True)
    assert build(project, cache).from_cache
    return cache


def test_second_build_comes_from_cache(tiny_project, tmp_path):
    project = tiny_project()
    first = build(project, tmp_path / "cache")
    second = build(project, tmp_path / "cache")
    assert not first.from_cache
    assert second.from_cache
    assert second.key == first.key
    assert same_dataset(first.dataset, second.dataset)
    assert len(second.dataset.graph(INFERRED_GRAPH)) > 0


def _edit(project, which):
    """Change one input file of the project in a way that keeps it valid."""
    files = {
        "ontology": project.ontology_file,
        "shapes": project.shapes_file,
        "rule": project.rule_files()[0],
        "entities": project.entities_file,
        "document": project.document_files()[0],
        "seed": project.seed_files()[0],
    }
    if which == "skip list":
        project.skip_list_file.write_text("# nothing skipped\n", encoding="utf-8")
        return
    path = files[which]
    comment = "\n" if which == "seed" else "\n# edited\n"
    path.write_text(path.read_text(encoding="utf-8") + comment, encoding="utf-8")


@pytest.mark.parametrize("which", ["ontology", "shapes", "rule", "entities", "document", "seed", "skip list"])
def test_any_input_change_rebuilds(tiny_project, tiny_cache, tmp_path, which):
    project = tiny_project()
    before = input_key(project)
    cache = cached_copy(tiny_cache, tmp_path, project)
    _edit(project, which)
    assert input_key(project) != before
    assert not build(project, cache).from_cache


def test_new_document_file_changes_the_key(tiny_project):
    project = tiny_project()
    before = input_key(project)
    (project.seeds_dir / "901_more.txt").write_text("More.\n", encoding="utf-8")
    assert input_key(project) != before


@pytest.fixture
def settled(monkeypatch):
    """Input files count as settled at once (their stamps are kept), as they would be
    INPUT_SETTLED_SECONDS after they were written."""
    import belkg.build.cache

    monkeypatch.setattr(belkg.build.cache, "INPUT_SETTLED_SECONDS", 0.0)


@pytest.mark.parametrize("which", ["ontology", "shapes", "rule", "entities", "document", "seed", "skip list"])
def test_the_stamped_key_notices_any_input_change(tiny_project, tmp_path, settled, which):
    project = tiny_project()
    stamps = tmp_path / "stamps.json"
    before = input_key(project, stamps)
    assert before == input_key(project) and stamps.is_file()
    assert input_key(project, stamps) == before
    _edit(project, which)
    assert input_key(project, stamps) == input_key(project) != before


def test_the_stamped_key_notices_an_edit_that_keeps_size_and_time(tiny_project, tmp_path, settled):
    """The same number of bytes, the modification time set back: the status-change time
    (which no tool sets back) still tells."""
    project = tiny_project()
    stamps = tmp_path / "stamps.json"
    before = input_key(project, stamps)
    path = project.document_files()[0]
    status = path.stat()
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("a", "b", 1), encoding="utf-8")
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns))
    assert path.stat().st_size == status.st_size and path.stat().st_mtime_ns == status.st_mtime_ns
    assert input_key(project, stamps) == input_key(project) != before


def test_the_stamp_is_what_spares_reading_the_inputs(tiny_project, tmp_path, settled):
    project = tiny_project()
    stamps = tmp_path / "stamps.json"
    key = input_key(project, stamps)
    kept = json.loads(stamps.read_text(encoding="utf-8"))
    kept[str(project.root)]["key"] = "taken from the stamp"
    stamps.write_text(json.dumps(kept), encoding="utf-8")
    assert input_key(project, stamps) == "taken from the stamp"
    (project.seeds_dir / "901_more.txt").write_text("More.\n", encoding="utf-8")
    assert input_key(project, stamps) == input_key(project) != key
    (project.seeds_dir / "901_more.txt").unlink()
    assert input_key(project, stamps) == key


def test_files_written_just_now_get_no_stamp(tiny_project, tmp_path):
    """A file written within INPUT_SETTLED_SECONDS could change again within the clock's
    granularity without its times changing: the inputs are hashed until they settle."""
    project = tiny_project()
    stamps = tmp_path / "stamps.json"
    assert input_key(project, stamps) == input_key(project)
    assert not stamps.exists()


def test_a_damaged_stamp_file_is_ignored(tiny_project, tmp_path, settled):
    project = tiny_project()
    stamps = tmp_path / "stamps.json"
    root = str(project.root)
    for damage in ("not json", "[]", json.dumps({root: 3}), json.dumps({root: {"files": {}}})):
        stamps.write_text(damage, encoding="utf-8")
        assert input_key(project, stamps) == input_key(project)


def test_corrupted_cache_is_rebuilt(tiny_project, tiny_cache, tmp_path):
    project = tiny_project()
    first = build(project, cached_copy(tiny_cache, tmp_path, project))
    dataset_file = first.entry.folder / DATASET_FILE
    dataset_file.write_bytes(dataset_file.read_bytes()[:100])
    again = build(project, tmp_path / "cache")
    assert not again.from_cache
    assert same_dataset(first.dataset, again.dataset)
    assert build(project, tmp_path / "cache").from_cache


def test_half_written_cache_without_manifest_is_rebuilt(tiny_project, tiny_cache, tmp_path):
    project = tiny_project()
    first = build(project, cached_copy(tiny_cache, tmp_path, project))
    (first.entry.folder / MANIFEST_FILE).unlink()
    assert not build(project, tmp_path / "cache").from_cache


def test_cache_records_findings_and_timings(tiny_project, tmp_path):
    project = tiny_project(claims="")  # a document without claims still builds
    project.entities_file.write_text(
        project.entities_file.read_text() + 'bkd:x a bk:Person ; skos:prefLabel "Nobody Here"@en .\n'
    )
    first = build(project, tmp_path / "cache")
    cached = build(project, tmp_path / "cache")
    assert [f.rule for f in cached.findings] == [f.rule for f in first.findings] == ["label"]
    manifest = json.loads((cached.entry.folder / MANIFEST_FILE).read_text())
    assert set(manifest["seconds"]) == {"load", "ground", "validate", "edges", "reason", "write", "total"}
    assert manifest["made_with"] == {"reasoner": "fast", "validator": "fast"}


def test_force_rebuilds(tiny_project, tiny_cache, tmp_path):
    project = tiny_project()
    cache = cached_copy(tiny_cache, tmp_path, project)
    assert not build(project, cache, force=True).from_cache


def test_same_size_corruption_is_caught_by_a_build(tiny_project, tiny_cache, tmp_path):
    from belkg.session import current_entry

    project = tiny_project()
    first = build(project, cached_copy(tiny_cache, tmp_path, project))
    dataset_file = first.entry.folder / DATASET_FILE
    data = bytearray(dataset_file.read_bytes())
    data[10] ^= 1
    dataset_file.write_bytes(bytes(data))
    assert current_entry(project, tmp_path / "cache").folder == first.entry.folder  # the quick check
    assert not build(project, tmp_path / "cache").from_cache  # the thorough one


def _store_file(entry_folder):
    from belkg.build.cache import STORE_DIR

    return max((entry_folder / STORE_DIR).glob("*.sst"), key=lambda path: path.stat().st_size)


def test_a_swapped_in_store_is_not_served(tiny_project, tiny_cache, tmp_path):
    """Another build's store put in place of this entry's: the quick check of the query
    path (file names and sizes) and a build's check (SHA-256) both refuse it."""
    from belkg.build.cache import STORE_DIR, open_entry

    project = tiny_project()
    first = build(project, cached_copy(tiny_cache, tmp_path, project))
    other = build(tiny_project(entities=_more_entities()), tmp_path / "other")
    store = first.entry.folder / STORE_DIR

    shutil.rmtree(store)
    shutil.copytree(other.entry.folder / STORE_DIR, store)
    assert open_entry(tmp_path / "cache", first.key, thorough=False) is None
    again = build(project, tmp_path / "cache")
    assert not again.from_cache


def test_a_same_size_edit_of_the_store_is_caught_by_a_build(tiny_project, tiny_cache, tmp_path):
    from belkg.build.cache import open_entry

    project = tiny_project()
    first = build(project, cached_copy(tiny_cache, tmp_path, project))
    target = _store_file(first.entry.folder)
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0xFF
    target.write_bytes(bytes(data))
    assert open_entry(tmp_path / "cache", first.key, thorough=False) is not None  # sizes unchanged
    assert open_entry(tmp_path / "cache", first.key) is None
    assert not build(project, tmp_path / "cache").from_cache


def _more_entities() -> str:
    from conftest import TINY_ENTITIES

    return TINY_ENTITIES + 'bkd:carol-example a bk:Person ; skos:prefLabel "Alice Example"@de .\n'


def test_staging_folders_of_killed_builds_are_removed(tiny_project, tmp_path):
    """A build killed while writing leaves .<key>-<pid>-<random>/: the next build removes
    it once its process is gone; a live build's folder stays."""
    import os
    import subprocess
    import sys

    cache = tmp_path / "cache"
    cache.mkdir()
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    dead = cache / f".0123456789ab-{gone.pid}-x1y2"
    (dead / "oxigraph").mkdir(parents=True)
    (dead / "dataset.nq").write_text("half\n")
    live = cache / f".0123456789ab-{os.getppid()}-z3w4"
    live.mkdir()
    old = cache / ".0123456789ab-1-olds"
    old.mkdir()
    os.utime(old, (0, 0))
    build(tiny_project(), cache)
    assert not dead.exists()
    assert not old.exists()
    assert live.exists()


def test_a_big_build_read_once_stays_read_while_small_ones_come_and_go(tmp_path, monkeypatch):
    """read_dataset keeps few datasets; the one dropped is the cheapest to read again (the
    smallest), so the tests' session build is not parsed again after every tiny build."""
    from belkg.build import pipeline as building
    from belkg.build.pipeline import read_dataset

    monkeypatch.setattr(building, "_READ", {})  # what this process has read so far is not this test's

    def nquads(name: str, statements: int) -> Path:
        path = tmp_path / name
        lines = (f"<urn:s{i}> <urn:p> <urn:o> <urn:{name}> .\n" for i in range(statements))
        path.write_text("".join(lines), encoding="utf-8")
        return path

    big = nquads("big.nq", 500)
    first = read_dataset(big)
    for number in range(5):
        small = nquads(f"small-{number}.nq", 2)
        assert read_dataset(small) is read_dataset(small)
    assert read_dataset(big) is first


def test_the_cyclic_collector_rests_during_a_build_and_is_left_as_it_was(tiny_project, tmp_path, monkeypatch):
    """A build runs with the cyclic garbage collector off (its full passes over millions of
    terms cost a big build a fifth of its time) and hands it back as it found it, after a
    build that fails too."""
    import gc

    from belkg.build import pipeline as building
    from belkg.errors import BelkgError

    during: list[bool] = []
    checking = building.check

    def watched_check(*args, **kwargs):  # type: ignore[no-untyped-def]
        during.append(gc.isenabled())
        return checking(*args, **kwargs)

    monkeypatch.setattr(building, "check", watched_check)
    project = tiny_project()
    assert gc.isenabled()
    build(project, tmp_path / "cache", force=True)
    assert during == [False]
    assert gc.isenabled()

    project.entities_file.write_text("this is not Turtle", encoding="utf-8")
    with pytest.raises(BelkgError):
        build(project, tmp_path / "cache", force=True)
    assert during == [False, False]
    assert gc.isenabled()

    gc.disable()
    try:
        build(tiny_project(), tmp_path / "cache", force=True)
        assert not gc.isenabled()
    finally:
        gc.enable()
    assert during == [False, False, False]


def test_reading_a_build_into_rdflib_pauses_the_cyclic_collector(tiny_project, tmp_path, monkeypatch):
    """Reading a build's N-Quads into rdflib makes a term object for every place of every
    quad; with the collector running, a million-triple read took 65 s instead of 47 s."""
    import gc

    from rdflib import Dataset

    from belkg.build import pipeline as building

    monkeypatch.setattr(building, "_READ", {})
    during: list[bool] = []
    parsing = Dataset.parse

    def watched_parse(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        during.append(gc.isenabled())
        return parsing(self, *args, **kwargs)

    monkeypatch.setattr(Dataset, "parse", watched_parse)
    entry = build(tiny_project(), tmp_path / "cache").entry
    assert len(building.read_dataset(entry.dataset_file)) > 0
    assert during == [False]
    assert gc.isenabled()


def test_the_store_holds_exactly_the_dataset(built):
    """The store takes the asserted quads while the build goes on and the rest at the end:
    together, every quad of the dataset and nothing else."""
    import pyoxigraph

    store = pyoxigraph.Store.read_only(str(built.entry.store_dir))
    dataset = pyoxigraph.Store()  # as a store holds them (it reads xsd:nonNegativeInteger as xsd:integer)
    dataset.bulk_load(path=str(built.entry.dataset_file), format=pyoxigraph.RdfFormat.N_QUADS)
    assert len(dataset) > 10_000
    assert set(store) == set(dataset)


def test_a_build_that_fails_after_its_store_began_leaves_no_staging_folder(tiny_project, tmp_path, monkeypatch):
    from belkg.build.cache import EntryWriter
    from belkg.errors import BelkgError

    project = tiny_project()
    (project.root / "ontology" / "rules" / "broken.rq").write_text("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p }\n")
    began = []
    begin = EntryWriter.begin
    monkeypatch.setattr(EntryWriter, "begin", lambda writer, first: began.append(len(first)) or begin(writer, first))
    cache = tmp_path / "cache"
    with pytest.raises(BelkgError, match="rule is not a valid SPARQL CONSTRUCT query"):
        build(project, cache)
    assert began and began[0] > 0  # the store had begun to load
    assert [path.name for path in cache.iterdir() if path.name != "query-checks"] == []
