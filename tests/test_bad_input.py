"""Bad input, every kind we could think of: an input or usage error gives exit code 2 and
one line on stderr (`Error: FILE:LINE:COL: message` where there is a position), a problem
in the graph gives exit code 1 and finding lines on stdout, and nothing ever gives a
traceback. A damaged cache is rebuilt, never trusted.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import traceback
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from belkg.build.cache import DATASET_FILE, FINDINGS_FILE, MANIFEST_FILE, QUERY_CHECKS, STORE_DIR, input_key, open_entry
from belkg.build.pipeline import build
from belkg.cli import cli
from belkg.project import Project

from conftest import GOOD_CLAIM, ROOT, TINY_ENTITIES, TINY_PREFIXES, TINY_SEED, TINY_SEED_NAME, tiny_document

DOC = f"kg/{TINY_SEED_NAME}.ttl"
ONTOLOGY_TEXT = (ROOT / "ontology" / "belkg.ttl").read_text(encoding="utf-8")
SHAPES_TEXT = (ROOT / "ontology" / "shapes.ttl").read_text(encoding="utf-8")
NEGOTIATORS_TEXT = (ROOT / "queries" / "negotiators.rq").read_text(encoding="utf-8")
NEGOTIATORS_ORDER_LINE = next(
    number for number, line in enumerate(NEGOTIATORS_TEXT.splitlines(), 1) if line.startswith("ORDER BY")
)
XSD = "http://www.w3.org/2001/XMLSchema#"
ASK_PERSON = "ASK { ?s a <https://w3id.org/belkg/ontology#Person> }"
QUOTE_HINT = "Fix: copy the words from the seed exactly (quotes, apostrophes, dashes and line breaks included)"
SEED_HASH = hashlib.sha256(TINY_SEED.encode()).hexdigest()

Expected = str | re.Pattern[str]


# --- running belkg and checking what it says ---------------------------------------------


def belkg(root: Path, cache: Path, *args: str) -> Result:
    """Run belkg in-process on a project with a private cache; a crash is kept, not raised."""
    return CliRunner().invoke(cli, ["--project", str(root), "--cache-dir", str(cache), "-q", *args])


def no_traceback(result: Result) -> None:
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        crash = "".join(traceback.format_exception(*result.exc_info))  # type: ignore[misc]
        raise AssertionError(f"belkg crashed (the user would see a traceback):\n{crash}")
    assert "Traceback" not in result.output


def matches(line: str, expected: Expected) -> bool:
    return bool(expected.fullmatch(line)) if isinstance(expected, re.Pattern) else line == expected


def assert_error(result: Result, expected: Expected, code: int = 2) -> None:
    """Exit code 2 (by default) and exactly one line on stderr, the expected one (or, for
    a syntax error, the expected lines: the error, the query's line, the caret)."""
    no_traceback(result)
    assert result.exit_code == code, result.output
    lines = result.stderr.splitlines()
    if isinstance(expected, str) and "\n" in expected:
        assert result.stderr == expected + "\n", result.stderr
        return
    assert len(lines) == 1, f"expected one line on stderr, got {len(lines)}:\n{result.stderr}"
    assert matches(lines[0], expected), lines[0]


def assert_findings(result: Result, findings: list[Expected], files: int = 1) -> None:
    """Exit code 1, exactly these finding lines on stdout, the one-line summary on stderr."""
    no_traceback(result)
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == len(findings), result.stdout
    for line, expected in zip(lines, findings, strict=True):
        assert matches(line, expected), line
    assert result.stderr.splitlines() == [f"does not conform: {len(findings)} finding(s) in {files} file(s)"]


def assert_ok(result: Result, stdout: str | None = None) -> None:
    no_traceback(result)
    assert result.exit_code == 0, result.output
    if stdout is not None:
        assert result.stdout == stdout


def write(root: Path, relative: str, content: str | bytes) -> None:
    path = root / relative
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")


def make_tiny(root: Path, *, queries: bool = False, document: str | None = None) -> Path:
    """The conftest tiny project, made anywhere (the fixture is per test, this is for
    module-wide projects), optionally with a copy of the project's saved queries."""
    shutil.copytree(ROOT / "ontology", root / "ontology")
    (root / "kg").mkdir()
    (root / "seeds").mkdir()
    write(root, f"seeds/{TINY_SEED_NAME}.txt", TINY_SEED)
    write(root, "kg/entities.ttl", TINY_ENTITIES)
    write(root, DOC, document if document is not None else tiny_document(GOOD_CLAIM))
    if queries:
        shutil.copytree(ROOT / "queries", root / "queries")
    return root


def fresh_build(root: Path, cache: Path) -> None:
    build(Project(root), cache)


def unwritable(tmp_path: Path, name: str) -> tuple[Path, str]:
    """A path in a folder that cannot be written, and the error it gives. Root writes
    through chmod 0o500, so as root the 'folder' is a plain file instead."""
    if os.geteuid() == 0:
        blocker = tmp_path / "a-file"
        blocker.write_text("not a folder\n")
        return blocker / name, "Not a directory"
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o500)
    return folder / name, "Permission denied"


# --- malformed Turtle, in every hand-written file ------------------------------------------

P = TINY_PREFIXES  # nine lines: the first statement is on line 10
END_OF_ONTOLOGY = ONTOLOGY_TEXT.count("\n") + 2  # the line after a blank line appended to it
END_OF_SHAPES = SHAPES_TEXT.count("\n") + 2


def _syntax(where: str, message: str) -> str:
    return f"Error: {where}: Turtle syntax error: {message}"


TURTLE_CASES = [
    pytest.param(
        DOC,
        P + "bkd:doc-900 a bk:NewsReport \n bkd:x bkd:y bkd:z .\n",
        _syntax(f"{DOC}:11:2", "expected '.' or '}' or ']' at end of statement"),
        id="kg-missing-dot",
    ),
    pytest.param(
        DOC,
        P + 'bkd:doc-900 dcterms:title "abc .\n',
        _syntax(f"{DOC}:10:33", "newline found in string literal"),
        id="kg-unterminated-string",
    ),
    pytest.param(
        DOC,
        P + 'bkd:doc-900 dcterms:title """abc .\n',
        re.compile(re.escape(f"Error: {DOC}:") + r"(10:27|11:1): Turtle syntax error: unterminated string literal"),
        id="kg-unterminated-long-string",
    ),
    pytest.param(
        DOC,
        P + "bkd:doc-900 a <http://ex ample.org/x> .\n",
        re.compile(re.escape(f"Error: {DOC}:10:") + r"\d+: .+"),
        id="kg-iri-with-space",
    ),
    pytest.param(
        DOC,
        P + 'bkd:doc-900 dcterms:title "a"^^<http://x y> .\n',
        re.compile(re.escape(f"Error: {DOC}:10:") + r"\d+: .+"),
        id="kg-datatype-iri-with-space",
    ),
    pytest.param(
        DOC,
        P + "bkd:doc-900 a bk:NewsReport . %\n",
        _syntax(f"{DOC}:10:31", "expected directive or statement"),
        id="kg-stray-character",
    ),
    pytest.param(
        DOC,
        P + 'bkd:doc-900 dc:title "x" .\n',
        _syntax(f"{DOC}:10:13", 'Prefix "dc:" not bound'),
        id="kg-unknown-prefix-in-predicate",
    ),
    pytest.param(
        DOC,
        P + 'bkd:doc-900 dcterms:title "a\\qb" .\n',
        _syntax(f"{DOC}:10:29", "bad escape"),
        id="kg-undefined-escape",
    ),
    pytest.param(
        DOC,
        P + "bkd:doc-900 a [ bk:x bk:y .\n",
        _syntax(f"{DOC}:10:27", "']' expected"),
        id="kg-unclosed-bracket",
    ),
    pytest.param(
        DOC,
        P + "bkd:doc-900 a .\n",
        _syntax(f"{DOC}:10:14", "objectList expected"),
        id="kg-missing-object",
    ),
    pytest.param(
        DOC,
        P + 'bkd:doc-900 dcterms:title "a"@ .\n',
        _syntax(f"{DOC}:10:28", "Bad language code syntax on string literal, after @"),
        id="kg-empty-language-tag",
    ),
    pytest.param(
        DOC,
        P + 'bkd:doc-900 dcterms:title "a"^^ .\n',
        re.compile(re.escape(f"Error: {DOC}:10:") + r"\d+: Turtle syntax error: .+"),
        id="kg-empty-datatype",
    ),
    pytest.param(
        DOC,
        "@prefix bk <https://w3id.org/belkg/ontology#> .\n",
        _syntax(f"{DOC}:1:8", "expected qname after @prefix"),
        id="kg-bad-prefix-declaration",
    ),
    pytest.param(
        "kg/entities.ttl",
        TINY_ENTITIES + "bkd:x a .\n",
        _syntax("kg/entities.ttl:8:8", "objectList expected"),
        id="entities-missing-object",
    ),
    pytest.param(
        "kg/entities.ttl",
        TINY_ENTITIES.replace('"Bob Example"@en', '"Bob Example"@en-00'),
        re.compile(r"Error: kg/entities\.ttl:6:\d+: .+"),
        id="entities-invalid-language-tag",
    ),
    pytest.param(
        "ontology/belkg.ttl",
        ONTOLOGY_TEXT + "\n%%%\n",
        _syntax(f"ontology/belkg.ttl:{END_OF_ONTOLOGY}:1", "expected directive or statement"),
        id="ontology-stray-characters",
    ),
    pytest.param(
        "ontology/belkg.ttl",
        ONTOLOGY_TEXT + "\nbk:X a bk:Y\nbk:Z a bk:Y .\n",
        _syntax(f"ontology/belkg.ttl:{END_OF_ONTOLOGY + 1}:1", "expected '.' or '}' or ']' at end of statement"),
        id="ontology-missing-dot",
    ),
    pytest.param(
        "ontology/shapes.ttl",
        SHAPES_TEXT + "\n%%%\n",
        _syntax(f"ontology/shapes.ttl:{END_OF_SHAPES}:1", "expected directive or statement"),
        id="shapes-stray-characters",
    ),
    pytest.param(
        "ontology/shapes.ttl",
        SHAPES_TEXT + "\nzz:X a zz:Y .\n",
        _syntax(f"ontology/shapes.ttl:{END_OF_SHAPES}:1", 'Prefix "zz:" not bound'),
        id="shapes-unknown-prefix",
    ),
]


@pytest.mark.parametrize(("relative", "text", "expected"), TURTLE_CASES)
def test_malformed_turtle(tiny_project, tmp_path, relative, text, expected):
    project = tiny_project()
    write(project.root, relative, text)
    assert_error(belkg(project.root, tmp_path / "cache", "validate"), expected)


# --- files that are missing, unreadable or not UTF-8 --------------------------------------

_ONE_CLAIM_DOC = tiny_document(GOOD_CLAIM).encode()


def _remove(relative: str) -> Callable[[Path], None]:
    return lambda root: (root / relative).unlink()


def _bytes(relative: str, data: bytes) -> Callable[[Path], None]:
    return lambda root: write(root, relative, data)


def _folder_instead(relative: str) -> Callable[[Path], None]:
    def change(root: Path) -> None:
        (root / relative).unlink()
        (root / relative).mkdir()

    return change


FILE_CASES = [
    pytest.param(_remove("kg/entities.ttl"), "Error: kg/entities.ttl: file not found", id="missing-entities"),
    pytest.param(_remove("ontology/belkg.ttl"), "Error: ontology/belkg.ttl: file not found", id="missing-ontology"),
    pytest.param(_remove("ontology/shapes.ttl"), "Error: ontology/shapes.ttl: file not found", id="missing-shapes"),
    pytest.param(
        lambda root: (root / f"seeds/{TINY_SEED_NAME}.txt").rename(root / "seeds/901_other.txt"),
        f"Error: {DOC}: no seed for this document file: expected seeds/{TINY_SEED_NAME}.txt",
        id="document-without-seed",
    ),
    pytest.param(
        _bytes(DOC, _ONE_CLAIM_DOC + "# café\n".encode("latin-1")),
        f"Error: {DOC}: not UTF-8 text (byte {len(_ONE_CLAIM_DOC) + 5})",
        id="kg-not-utf8",
    ),
    pytest.param(
        _bytes("kg/entities.ttl", TINY_ENTITIES.encode() + b"\xff\xfe\n"),
        f"Error: kg/entities.ttl: not UTF-8 text (byte {len(TINY_ENTITIES.encode())})",
        id="entities-not-utf8",
    ),
    pytest.param(
        _bytes(f"seeds/{TINY_SEED_NAME}.txt", TINY_SEED.encode() + "café\n".encode("latin-1")),
        f"Error: seeds/{TINY_SEED_NAME}.txt: not UTF-8 text (byte {len(TINY_SEED.encode()) + 3})",
        id="seed-not-utf8",
    ),
    pytest.param(_folder_instead(DOC), f"Error: {DOC}: cannot read: Is a directory", id="document-file-is-a-folder"),
    pytest.param(
        lambda root: write(root, "ontology/rules/mentions.rq", "CONSTRUCT { ?x } WHERE {"),
        "Error: ontology/rules/mentions.rq:1:16: rule is not a valid SPARQL CONSTRUCT query: "
        'expected one of "$", ":", "<", "?", "a", WHERE',
        id="rule-invalid-sparql",
    ),
]


@pytest.mark.parametrize(("change", "expected"), FILE_CASES)
def test_bad_input_file(tiny_project, tmp_path, change, expected):
    project = tiny_project()
    change(project.root)
    assert_error(belkg(project.root, tmp_path / "cache", "validate"), expected)


def test_seed_deleted_after_a_build_is_an_error_not_a_stale_cache(tiny_project, tmp_path):
    project = tiny_project()
    assert_ok(belkg(project.root, tmp_path / "cache", "build"))
    (project.seeds_dir / f"{TINY_SEED_NAME}.txt").unlink()
    for command in (["validate"], ["query", "-e", ASK_PERSON]):
        assert_error(
            belkg(project.root, tmp_path / "cache", *command),
            f"Error: {DOC}: no seed for this document file: expected seeds/{TINY_SEED_NAME}.txt",
        )


@pytest.mark.parametrize(
    "kind",
    [pytest.param("missing", id="project-missing"), pytest.param("file", id="project-is-a-file")],
)
def test_project_that_is_not_a_project(tmp_path, kind):
    target = tmp_path / "nowhere"
    if kind == "file":
        target.write_text("not a project\n")
    assert_error(
        belkg(target, tmp_path / "cache", "validate"),
        f"Error: {target}: not a belkg project (it needs kg/ and ontology/ folders)",
    )


def test_project_that_is_a_bare_folder(tmp_path):
    (tmp_path / "kg").mkdir()
    assert_error(
        belkg(tmp_path, tmp_path / "cache", "query", "-e", ASK_PERSON),
        f"Error: {tmp_path}: not a belkg project (it needs kg/ and ontology/ folders)",
    )


# --- findings: the input parses, but the graph is wrong ------------------------------------


def _claim_finding(label: str, rest: str) -> str:
    return f"{DOC}:16: bkd:claim-900-001 ({label}): {rest}"


FINDING_CASES = [
    pytest.param(
        {"document": ""},
        [
            f"{DOC}: bkd:doc-900: [seed-hash] the document does not record its seed's SHA-256. "
            f'Fix: add bk:sha256 "{SEED_HASH}" once the seed is confirmed verbatim'
        ],
        1,
        id="empty-kg-file",
    ),
    pytest.param(
        {"claims": GOOD_CLAIM.replace("bk:role bk:Released ;", "")},
        [
            _claim_finding(
                "“Alice Example was freed”",
                "[participation claim: MinCount] a participation claim needs exactly one bk:role from the "
                "ontology's roles (property bk:role). Fix: use a bk:Role such as bk:Negotiator, bk:Mediator, "
                "bk:Released, bk:NotReleased, bk:ReleasingAuthority",
            )
        ],
        1,
        id="shape-violation",
    ),
    pytest.param(
        {"claims": GOOD_CLAIM.replace("Alice Example was freed", "Alice Example was released")},
        [
            _claim_finding(
                "“Alice Example was released”",
                f"[quote] the quote is not in the seed: “Alice Example was released”. {QUOTE_HINT}",
            )
        ],
        1,
        id="quote-not-in-seed",
    ),
    pytest.param(
        {"claims": GOOD_CLAIM.replace('"Alice Example was freed"', '"Alice Example"')},
        [
            _claim_finding(
                "“Alice Example”",
                "[quote] the quote occurs 2 times in the seed: “Alice Example”. "
                "Fix: lengthen the quote, or add bk:occurrence 1..2 to the evidence",
            )
        ],
        1,
        id="ambiguous-quote",
    ),
    pytest.param(
        {"claims": GOOD_CLAIM.replace('"Alice Example was freed"', '""')},
        [
            _claim_finding(
                "“”", "[quote] the quote is empty: “”. Fix: quote the words of the seed that support the claim"
            ),
            f"{DOC}:16: bkd:claim-900-001 → [] (“”): [evidence: MinLength] evidence needs exactly one non-empty "
            "oa:exact quote (found '') (property oa:exact). "
            "Fix: copy the words of the seed that support the claim into oa:exact",
        ],
        1,
        id="empty-quote",
    ),
    pytest.param(
        {"claims": GOOD_CLAIM.replace("Alice Example was freed", "alice example was freed")},
        [
            _claim_finding(
                "“alice example was freed”",
                f"[quote] the quote is not in the seed: “alice example was freed”. {QUOTE_HINT}",
            )
        ],
        1,
        id="quote-in-the-wrong-case",
    ),
    pytest.param(
        {
            "claims": GOOD_CLAIM
            + """
bkd:claim-900-002 a bk:QuotationClaim ; bk:speaker bkd:alice-example ; bk:words "thanked Bob" ;
    prov:wasDerivedFrom [ a bk:Evidence ; oa:hasSource bkd:doc-900 ; oa:exact "Alice Example thanked him." ] .
"""
        },
        [
            f"{DOC}:21: bkd:claim-900-002 (“Alice Example thanked him.”): [verbatim] bk:words “thanked Bob” is not "
            "inside the claim's evidence quote. Fix: copy the words from the quote exactly, or widen the quote to "
            "include them"
        ],
        1,
        id="words-not-inside-quote",
    ),
    pytest.param(
        {"entities": TINY_ENTITIES.replace('"Bob Example"@en', '"Robert Example"@en')},
        [
            "kg/entities.ttl:6: bkd:bob-example (Robert Example): [label] the preferred label “Robert Example” is "
            "not found in any seed. Fix: mark the thing bk:labelIsNormalised true if this is a descriptive form"
        ],
        1,
        id="label-in-no-seed",
    ),
    pytest.param(
        {"document": tiny_document(GOOD_CLAIM, sha256="0" * 64)},
        [
            f"{DOC}:11: bkd:doc-900 (Alice Example was freed): [seed-hash] seeds/900_tiny.txt has changed since it "
            f"was mapped (SHA-256 {SEED_HASH[:12]}…, recorded 000000000000…). Fix: restore the seed verbatim, or "
            "re-check every quote of this document and record the new hash"
        ],
        1,
        id="wrong-recorded-hash",
    ),
    pytest.param(
        {"seed": ""},
        [
            f"{DOC}:11: bkd:doc-900 (Alice Example was freed): [seed-hash] seeds/900_tiny.txt has changed since it "
            f"was mapped (SHA-256 {hashlib.sha256(b'').hexdigest()[:12]}…, recorded {SEED_HASH[:12]}…). "
            "Fix: restore the seed verbatim, or re-check every quote of this document and record the new hash",
            _claim_finding(
                "“Alice Example was freed”",
                f"[quote] the quote is not in the seed: “Alice Example was freed”. {QUOTE_HINT}",
            ),
            "kg/entities.ttl:5: bkd:alice-example (Alice Example): [label] the preferred label “Alice Example” is "
            "not found in any seed. Fix: mark the thing bk:labelIsNormalised true if this is a descriptive form",
            "kg/entities.ttl:6: bkd:bob-example (Bob Example): [label] the preferred label “Bob Example” is not "
            "found in any seed. Fix: mark the thing bk:labelIsNormalised true if this is a descriptive form",
        ],
        2,
        id="empty-seed-file",
    ),
    pytest.param(
        {"claims": GOOD_CLAIM.replace("bk:ParticipationClaim", "bk:ParticipationClam")},
        [re.compile(re.escape(f"{DOC}:16: bkd:claim-900-001") + r" .*bk:ParticipationClam.*")],
        1,
        id="class-not-in-the-ontology",
    ),
]


@pytest.mark.parametrize(("parts", "findings", "files"), FINDING_CASES)
def test_findings(tiny_project, tmp_path, parts, findings, files):
    project = tiny_project(**parts)
    assert_findings(belkg(project.root, tmp_path / "cache", "validate"), findings, files)


def test_empty_entities_file_is_findings_not_a_crash(tiny_project, tmp_path):
    project = tiny_project(entities="")
    result = belkg(project.root, tmp_path / "cache", "validate")
    assert_findings(
        result,
        [
            _claim_finding(
                "“Alice Example was freed”",
                "[participation claim: Class] a participation claim needs exactly one bk:event, an event of the "
                "register (found bkd:the-release) (property bk:event). "
                "Fix: point bk:event to a bk:Event in kg/entities.ttl",
            ),
            _claim_finding(
                "“Alice Example was freed”",
                "[participation claim: Class] a participation claim needs exactly one bk:participant, an agent of "
                "the register (found bkd:alice-example) (property bk:participant). "
                "Fix: point bk:participant to a person, group, organisation or country; one claim per participant",
            ),
        ],
    )


def test_unmapped_seed_is_a_finding(tiny_project, tmp_path):
    project = tiny_project()
    write(project.root, "seeds/901_extra.txt", "Hello.\n")
    assert_findings(
        belkg(project.root, tmp_path / "cache", "validate"),
        [
            "seeds/901_extra.txt: bkd:doc-901: [unmapped-seed] no claims file for this seed (expected "
            "kg/901_extra.ttl). Fix: map the seed into kg/, or remove it from seeds/"
        ],
    )


def test_seed_edited_after_a_build_is_found_not_served_from_the_cache(tiny_project, tmp_path):
    project = tiny_project()
    assert_ok(belkg(project.root, tmp_path / "cache", "validate"))
    edited = TINY_SEED.replace("Monday", "Tuesday")
    write(project.root, f"seeds/{TINY_SEED_NAME}.txt", edited)
    assert_findings(
        belkg(project.root, tmp_path / "cache", "validate"),
        [
            f"{DOC}:11: bkd:doc-900 (Alice Example was freed): [seed-hash] seeds/900_tiny.txt has changed since it "
            f"was mapped (SHA-256 {hashlib.sha256(edited.encode()).hexdigest()[:12]}…, recorded {SEED_HASH[:12]}…). "
            "Fix: restore the seed verbatim, or re-check every quote of this document and record the new hash"
        ],
    )


# Ill-typed literals make rdflib log and warn on stderr: only a real process shows what the
# user sees (pytest captures logging, and its filterwarnings=error turns warnings into errors).
_RUN_CLI = "import sys; from belkg.cli import cli; sys.argv[0] = 'belkg'; cli()"


def _belkg_process(root: Path, cache: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-c", _RUN_CLI, "--project", str(root), "--cache-dir", str(cache), "-q"]
    return subprocess.run([*command, *args], capture_output=True, text=True, timeout=120, check=False)


def test_ill_typed_integer_is_a_finding_without_a_traceback(tmp_path):
    root = make_tiny(tmp_path / "project")
    write(
        root,
        "kg/entities.ttl",
        TINY_ENTITIES + 'bkd:freed-people a bk:PersonGroup ; skos:prefLabel "people freed"@en ; '
        f'bk:labelIsNormalised true ;\n    bk:memberCount "many"^^<{XSD}integer> .\n',
    )
    process = _belkg_process(root, tmp_path / "cache", "validate")
    assert process.returncode == 1, process.stderr
    assert "[group of people: Datatype] bk:memberCount must be one non-negative integer (found 'many')" in (
        process.stdout
    )
    assert "Traceback" not in process.stderr
    assert process.stderr.splitlines() == ["does not conform: 2 finding(s) in 1 file(s)"]


def test_ill_typed_boolean_is_reported_as_written(tmp_path):
    root = make_tiny(tmp_path / "project")
    write(
        root,
        "kg/entities.ttl",
        TINY_ENTITIES.replace("bk:labelIsNormalised true", f'bk:labelIsNormalised "yes"^^<{XSD}boolean>'),
    )
    process = _belkg_process(root, tmp_path / "cache", "validate")
    assert process.returncode == 1, process.stderr
    assert "bk:labelIsNormalised must be one boolean (found 'yes')" in process.stdout
    assert len(process.stderr.splitlines()) == 1, process.stderr


# --- queries, parameters, output -----------------------------------------------------------

TYPED_QUERY = """\
#+ summary: One parameter of every type
#+ description: For the bad-input tests.
#+ params:
#+   n: {type: integer}
#+   d: {type: date}
#+   b: {type: boolean}
#+   x: {type: decimal}
#+   i: {type: iri}
#+   s: {type: literal, required: true}
SELECT * WHERE {
  BIND(?_n_integer AS ?n) BIND(?_d_date AS ?d) BIND(?_b_boolean AS ?b)
  BIND(?_x_decimal AS ?x) BIND(?_i_iri AS ?i) BIND(?_s AS ?s)
}
"""


class Built:
    """A tiny project with the real saved queries, built once for this module."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self.root = make_tiny(base / "project", queries=True)
        self.cache = base / "cache"
        self.typed = base / "typed.rq"
        self.typed.write_text(TYPED_QUERY, encoding="utf-8")
        (base / "bad.rq").write_text("SELECT ?x WHERE {\n  ?x ?y\n}\n", encoding="utf-8")
        (base / "empty.rq").write_text("", encoding="utf-8")
        (base / "folder.rq").mkdir()
        fresh_build(self.root, self.cache)

    def run(self, *args: str) -> Result:
        return belkg(self.root, self.cache, *args)

    def copy(self, target: Path) -> Path:
        """A copy of the project to break; its build is already in the shared cache (the
        cache key depends on the files, not on where the project is)."""
        shutil.copytree(self.root, target)
        return target


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return Built(tmp_path_factory.mktemp("bad-input-queries"))


def _typed(*params: str) -> list[str]:
    return ["query", "{typed}", "-p", "s", "text", *params]


QUERY_CASES = [
    pytest.param(
        ["query", "negotiator"], "Error: no saved query named 'negotiator'; did you mean negotiators?", id="name-typo"
    ),
    pytest.param(
        ["query", "zzzzzz"], "Error: no saved query named 'zzzzzz'; `belkg queries` lists them", id="name-unknown"
    ),
    pytest.param(
        ["queries", "show", "timelin"],
        "Error: no saved query named 'timelin'; did you mean timeline?",
        id="show-name-typo",
    ),
    pytest.param(["query", "{typed}"], "Error: query 'typed' needs parameter 's': use -p s VALUE", id="missing-param"),
    pytest.param(
        ["query", "negotiators", "-p", "relase", "bkd:x"],
        "Error: query 'negotiators' has no parameter 'relase' (its parameters: release)",
        id="unknown-param",
    ),
    pytest.param(
        ["query", "prisoner-counts", "-p", "x", "1"],
        "Error: query 'prisoner-counts' has no parameter 'x' (its parameters: none)",
        id="param-to-query-without-params",
    ),
    pytest.param(
        ["query", "-e", ASK_PERSON, "-p", "x", "1"],
        "Error: query '-e' has no parameter 'x' (its parameters: none)",
        id="param-to-inline-query",
    ),
    pytest.param(
        _typed("-p", "n", "1.5"), "Error: parameter 'n' expects an integer, got '1.5'", id="integer-with-fraction"
    ),
    pytest.param(_typed("-p", "n", "ten"), "Error: parameter 'n' expects an integer, got 'ten'", id="integer-in-words"),
    pytest.param(
        _typed("-p", "d", "2024-02-30"),
        "Error: parameter 'd' expects a date (YYYY-MM-DD), got '2024-02-30'",
        id="date-that-does-not-exist",
    ),
    pytest.param(
        _typed("-p", "d", "30.01.2024"),
        "Error: parameter 'd' expects a date (YYYY-MM-DD), got '30.01.2024'",
        id="date-in-another-format",
    ),
    pytest.param(_typed("-p", "b", "yes"), "Error: parameter 'b' expects true or false, got 'yes'", id="boolean-yes"),
    pytest.param(
        _typed("-p", "x", "1,5"), "Error: parameter 'x' expects a decimal number, got '1,5'", id="decimal-with-comma"
    ),
    pytest.param(
        _typed("-p", "i", "https://example.org/a b"),
        "Error: parameter 'i' expects an IRI (https://... or bkd:slug), got 'https://example.org/a b'",
        id="iri-with-space",
    ),
    pytest.param(
        _typed("-p", "i", "example.org/a"),
        "Error: parameter 'i' expects an IRI (https://... or bkd:slug), got 'example.org/a'",
        id="iri-without-scheme",
    ),
    pytest.param(
        ["query", "documents", "-p", "document", "bkd:doc 900"],
        "Error: parameter 'document' expects an IRI (https://... or bkd:slug), got 'bkd:doc 900'",
        id="prefixed-name-with-space",
    ),
    pytest.param(_typed("-p", "s", "again"), "Error: a parameter is given twice", id="param-given-twice"),
    pytest.param(
        ["query", "negotiators", "-p", "release"], "Error: Option '-p' requires 2 arguments.", id="param-without-value"
    ),
    pytest.param(
        ["query", "-e", "SELECT ?x WHERE { ?x }"],
        "Error: -e:1:22: this triple pattern has a subject but no predicate or object\n"
        "  SELECT ?x WHERE { ?x }\n"
        "                       ^",
        id="invalid-sparql-inline",
    ),
    pytest.param(  # one gate, one account of the error, whatever the engine
        ["query", "-e", "SELECT ?x WHERE { ?x }", "--engine", "rdflib"],
        "Error: -e:1:22: this triple pattern has a subject but no predicate or object\n"
        "  SELECT ?x WHERE { ?x }\n"
        "                       ^",
        id="invalid-sparql-inline-rdflib",
    ),
    pytest.param(
        ["query", "{base}/bad.rq"],
        "Error: {base}/bad.rq:3:1: "
        "this triple pattern has no object: a triple needs a subject, a predicate and an object\n"
        "  }\n"
        "  ^",
        id="invalid-sparql-file",
    ),
    pytest.param(["query", "-e", ""], "Error: -e: invalid SPARQL: the query is empty", id="empty-inline-query"),
    pytest.param(["query", "-e", "  \n "], "Error: -e: invalid SPARQL: the query is empty", id="blank-inline-query"),
    pytest.param(
        ["query", "{base}/empty.rq"],
        "Error: {base}/empty.rq: invalid SPARQL: the query is empty",
        id="empty-query-file",
    ),
    pytest.param(
        ["query", "{base}/missing.rq"],
        "Error: {base}/missing.rq: cannot read: No such file or directory",
        id="query-file-missing",
    ),
    pytest.param(
        ["query", "{base}/folder.rq"], "Error: {base}/folder.rq: cannot read: Is a directory", id="query-file-is-folder"
    ),
    pytest.param(
        ["query", "negotiators", "-e", ASK_PERSON],
        "Error: give one query: a name, a file (or --file), - for stdin, or -e TEXT",
        id="name-and-inline",
    ),
    pytest.param(
        ["query"],
        "Error: which query? give a saved query's name, a .rq file, - for stdin, or -e TEXT",
        id="no-query-at-all",
    ),
    pytest.param(
        ["query", "-e", "INSERT DATA { <a:b> <a:c> <a:d> }"],
        "Error: -e: INSERT is refused: belkg queries are read-only",
        id="update-refused",
    ),
    pytest.param(
        ["query", "-e", "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"],
        "Error: -e: SERVICE is refused: it would query another server; use --allow-network to allow it",
        id="service-refused",
    ),
    pytest.param(
        ["query", "-e", "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1", "--format", "csv"],
        "Error: format 'csv' does not fit a CONSTRUCT/DESCRIBE result; use one of ttl, nt, xml, jsonld",
        id="construct-as-csv",
    ),
    pytest.param(
        ["query", "-e", "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1", "-o", "{base}/out.csv"],
        "Error: format 'csv' does not fit a CONSTRUCT/DESCRIBE result; use one of ttl, nt, xml, jsonld",
        id="construct-to-csv-file",
    ),
    pytest.param(
        ["query", "-e", "SELECT * WHERE { ?s ?p ?o } LIMIT 1", "--format", "ttl"],
        "Error: format 'ttl' does not fit a SELECT/ASK result; use one of text, json, xml, csv, tsv, md",
        id="select-as-turtle",
    ),
    pytest.param(
        ["query", "-e", ASK_PERSON, "-o", "{base}/no/such/folder/out.csv"],
        "Error: {base}/no/such/folder/out.csv: cannot write here: No such file or directory",
        id="query-output-folder-missing",
    ),
    pytest.param(
        ["query", "-e", ASK_PERSON, "-o", "{base}/out.xyz"],
        "Error: {base}/out.xyz: cannot tell the format from the extension '.xyz'; use --format",
        id="query-output-unknown-extension",
    ),
    pytest.param(
        ["query", "-e", ASK_PERSON, "--format", "yaml"],
        "Error: Invalid value for '--format': 'yaml' is not one of 'text', 'json', 'xml', 'csv', 'tsv', 'md', "
        "'ttl', 'nt', 'jsonld', 'table'.",
        id="unknown-format",
    ),
    pytest.param(
        ["query", "-e", ASK_PERSON, "-o", "{base}"],
        re.compile(r"Error: .+: (cannot write here: )?[Ii]s a directory\.?"),
        id="query-output-is-a-folder",
    ),
    pytest.param(
        ["export", "-o", "{base}/out.xyz"],
        "Error: {base}/out.xyz: cannot tell the format from the extension '.xyz'; use --format "
        "(nq, trig, jsonld, ttl, nt, xml)",
        id="export-unknown-extension",
    ),
    pytest.param(
        ["export", "-o", "{base}/no/such/folder/out.nq"],
        "Error: {base}/no/such/folder/out.nq: cannot write here: No such file or directory",
        id="export-output-folder-missing",
    ),
    pytest.param(
        ["entity", "Nobody Atall"],
        "Error: nothing in the graph is called 'Nobody Atall'; try part of a name, or another spelling",
        id="entity-no-match",
    ),
    pytest.param(
        ["entity", "Example"],
        "Error: 2 things match 'Example': Alice Example (person, https://w3id.org/belkg/id/alice-example); "
        "Bob Example (person, https://w3id.org/belkg/id/bob-example). Use a fuller spelling or the IRI",
        id="entity-several-matches",
    ),
    pytest.param(
        ["entity", "Alice", "--format", "json"],
        "Error: 2 things match 'Alice': Alice Example (person, https://w3id.org/belkg/id/alice-example); "
        "release of Alice (prisoner release, https://w3id.org/belkg/id/the-release). "
        "Use a fuller spelling or the IRI",
        id="entity-several-matches-json",
    ),
    pytest.param(["coverage", "--seed", "999"], "Error: no such seed: 999", id="coverage-unknown-seed"),
]


@pytest.mark.parametrize(("args", "expected"), QUERY_CASES)
def test_bad_query_or_output(tiny, args, expected):
    def fill(text: str) -> str:
        return text.replace("{typed}", str(tiny.typed)).replace("{base}", str(tiny.base))

    if isinstance(expected, str):
        expected = fill(expected)
    assert_error(tiny.run(*[fill(arg) for arg in args]), expected)


def test_typed_parameters_accept_good_values(tiny):
    """The control for the ill-typed cases: the same query with every value well typed."""
    good = ["-p", "n", "7", "-p", "d", "2024-01-05", "-p", "b", "TRUE", "-p", "x", "1.50", "-p", "i", "bkd:x"]
    result = tiny.run(*[arg.replace("{typed}", str(tiny.typed)) for arg in _typed(*good, "--format", "json")])
    assert_ok(result)
    bindings = json.loads(result.stdout)["results"]["bindings"]
    assert bindings[0]["n"] == {"type": "literal", "value": "7", "datatype": f"{XSD}integer"}
    assert bindings[0]["d"] == {"type": "literal", "value": "2024-01-05", "datatype": f"{XSD}date"}
    assert bindings[0]["b"] == {"type": "literal", "value": "true", "datatype": f"{XSD}boolean"}
    assert bindings[0]["i"] == {"type": "uri", "value": "https://w3id.org/belkg/id/x"}


@pytest.mark.parametrize("command", [pytest.param("query", id="query"), pytest.param("export", id="export")])
def test_output_into_a_folder_that_cannot_be_written(tiny, tmp_path, command):
    target, reason = unwritable(tmp_path, "out.csv" if command == "query" else "out.nq")
    args = ["query", "-e", ASK_PERSON] if command == "query" else ["export"]
    try:
        assert_error(tiny.run(*args, "-o", str(target)), f"Error: {target}: cannot write here: {reason}")
    finally:
        if target.parent.is_dir():
            target.parent.chmod(0o700)


# --- saved queries with a broken header ----------------------------------------------------

_NEGOTIATORS_TAGS = "#+ tags: [competency, cq1, releases, intermediaries]"
HEADER_CASES = [
    pytest.param(
        NEGOTIATORS_TEXT.replace(_NEGOTIATORS_TAGS, "#+ tags: [competency, cq1"),
        "Error: queries/negotiators.rq:12: header is not valid YAML: expected ',' or ']', but got ':'",
        id="header-invalid-yaml",
    ),
    pytest.param(
        NEGOTIATORS_TEXT.replace("#+ summary: Who", "#+ summary: : Who: x"),
        "Error: queries/negotiators.rq:1: header is not valid YAML: mapping values are not allowed here",
        id="header-yaml-colons",
    ),
    pytest.param(
        NEGOTIATORS_TEXT.replace("#+ tags:", "#+ author: me\n#+ tags:"),
        "Error: queries/negotiators.rq: unknown header key(s): author",
        id="header-unknown-key",
    ),
    pytest.param(
        NEGOTIATORS_TEXT.replace("#+ params:\n", "#+ params:\n#+   extra:\n#+     type: integer\n"),
        "Error: queries/negotiators.rq: parameter 'extra' is declared but the query does not use ?_extra_integer",
        id="header-param-declared-not-used",
    ),
    pytest.param(
        NEGOTIATORS_TEXT.replace("?agent skos:prefLabel", "?_who skos:prefLabel"),
        "Error: queries/negotiators.rq: the query uses ?_who but the header declares no parameter for it",
        id="header-param-used-not-declared",
    ),
    pytest.param(
        NEGOTIATORS_TEXT.replace("type: iri", "type: url"),
        "Error: queries/negotiators.rq: parameter 'release' has unknown type 'url'; "
        "use one of literal, iri, integer, decimal, date, boolean",
        id="header-param-unknown-type",
    ),
    pytest.param(
        NEGOTIATORS_TEXT.replace("#+ summary: Who negotiated, mediated or brokered which prisoner release\n", ""),
        "Error: queries/negotiators.rq: header needs a 'summary' text",
        id="header-without-summary",
    ),
    pytest.param(
        NEGOTIATORS_TEXT.encode() + "# é\n".encode("latin-1"),
        f"Error: queries/negotiators.rq: not UTF-8 text (byte {len(NEGOTIATORS_TEXT.encode()) + 2})",
        id="saved-query-not-utf8",
    ),
]


@pytest.mark.parametrize(("text", "expected"), HEADER_CASES)
@pytest.mark.parametrize("command", [pytest.param("query", id="query"), pytest.param("queries", id="list")])
def test_broken_saved_query(tiny, tmp_path, text, expected, command):
    root = tiny.copy(tmp_path / "project")
    write(root, "queries/negotiators.rq", text)
    args = ["query", "negotiators"] if command == "query" else ["queries"]
    assert_error(belkg(root, tiny.cache, *args), expected)


QUERY_HINT = "see docs/queries.md for the #+ header; `belkg queries` lists the queries once they read"
HEADER_FINDINGS = [
    pytest.param(
        NEGOTIATORS_TEXT.replace(_NEGOTIATORS_TAGS, "#+ tags: [competency, cq1"),
        "queries/negotiators.rq:12: [saved-query] header is not valid YAML: expected ',' or ']', but got ':'",
        id="invalid-yaml",
    ),
    pytest.param(
        NEGOTIATORS_TEXT.replace("#+ tags:", "#+ author: me\n#+ tags:"),
        "queries/negotiators.rq:{author}: [saved-query] unknown header key(s): author",
        id="unknown-key",
    ),
    pytest.param(
        NEGOTIATORS_TEXT.replace("#+ params:\n", "#+ params:\n#+   extra:\n#+     type: integer\n"),
        "queries/negotiators.rq:{extra}: [saved-query] parameter 'extra' is declared but the query does not use "
        "?_extra_integer",
        id="param-declared-not-used",
    ),
    pytest.param(
        NEGOTIATORS_TEXT.replace("?agent skos:prefLabel", "?_who skos:prefLabel"),
        "queries/negotiators.rq:{_who}: [saved-query] the query uses ?_who but the header declares no parameter for it",
        id="param-used-not-declared",
    ),
]


@pytest.mark.parametrize(("text", "expected"), HEADER_FINDINGS)
def test_validate_reports_a_broken_saved_query(tiny, tmp_path, text, expected):
    root = tiny.copy(tmp_path / "project")
    write(root, "queries/negotiators.rq", text)
    lines = text.splitlines()
    where = {
        name: next(number for number, line in enumerate(lines, 1) if re.search(pattern, line))
        for name, pattern in (("author", r"^#\+ author"), ("extra", r"^#\+   extra:"), ("_who", r"\?_who"))
        if any(re.search(pattern, line) for line in lines)
    }
    result = belkg(root, tiny.cache, "validate")
    no_traceback(result)
    assert result.exit_code == 1, result.output
    assert result.stdout.splitlines() == [expected.format(**where) + f". Fix: {QUERY_HINT}"]
    assert result.stderr.splitlines() == ["does not conform: 1 finding(s) in 1 file(s)"]


def test_a_query_on_a_build_that_does_not_conform_warns(tiny, tmp_path):
    root = tiny.copy(tmp_path / "project")
    write(root, f"seeds/{TINY_SEED_NAME}.txt", TINY_SEED + "An edit.\n")
    cache = tmp_path / "cache"
    loud = CliRunner().invoke(cli, ["--project", str(root), "--cache-dir", str(cache), "query", "-e", ASK_PERSON])
    no_traceback(loud)
    assert (loud.exit_code, loud.stdout) == (0, "yes\n")
    assert loud.stderr.splitlines()[-1] == "warning: the build does not conform (1 finding); run belkg validate"
    quiet = belkg(root, cache, "query", "-e", ASK_PERSON)
    assert (quiet.exit_code, quiet.stdout, quiet.stderr) == (0, "yes\n", "")


def test_validate_reports_a_saved_query_that_does_not_parse(tiny, tmp_path):
    root = tiny.copy(tmp_path / "project")
    write(root, "queries/negotiators.rq", NEGOTIATORS_TEXT.replace("ORDER BY", "ORDER BY BY"))
    result = belkg(root, tiny.cache, "validate")
    no_traceback(result)
    assert result.exit_code == 1, result.output
    assert result.stdout.splitlines() == [
        f"queries/negotiators.rq:{NEGOTIATORS_ORDER_LINE}: [saved-query] invalid SPARQL: cannot read the query from "
        "'ORDER' on. "
        "Fix: run it with `belkg query` to see the place"
    ]


def test_saved_query_with_invalid_sparql(tiny, tmp_path):
    root = tiny.copy(tmp_path / "project")
    write(root, "queries/negotiators.rq", NEGOTIATORS_TEXT.replace("ORDER BY", "ORDER BY BY"))
    assert_error(
        belkg(root, tiny.cache, "query", "negotiators"),
        f"Error: {root / 'queries' / 'negotiators.rq'}:{NEGOTIATORS_ORDER_LINE}:1: invalid SPARQL: "
        "cannot read the query from 'ORDER' on\n"
        "  ORDER BY BY ?releaseLabel ?roleLabel ?agentLabel ?source ?quote\n"
        "  ^",
    )


# --- a damaged cache is rebuilt, never trusted ---------------------------------------------


def _entry_folder(cache: Path, root: Path) -> Path:
    return cache / input_key(Project(root))


def _truncate(entry: Path) -> None:
    data = (entry / DATASET_FILE).read_bytes()
    (entry / DATASET_FILE).write_bytes(data[: len(data) // 2])


def _same_size_edit(entry: Path) -> None:
    data = (entry / DATASET_FILE).read_bytes()
    (entry / DATASET_FILE).write_bytes(data.replace(b"Alice Example", b"Alice Exampel"))


def _empty_store(entry: Path) -> None:
    for path in (entry / STORE_DIR).iterdir():
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()


def _entry_replaced_by_file(entry: Path) -> None:
    shutil.rmtree(entry)
    entry.write_text("not a cache entry\n")


CACHE_CASES = [
    pytest.param(_truncate, "export", id="dataset-truncated-export"),
    pytest.param(_truncate, "query", id="dataset-truncated-query"),
    pytest.param(_same_size_edit, "export", id="dataset-edited-same-size"),
    pytest.param(lambda entry: (entry / MANIFEST_FILE).unlink(), "query", id="manifest-deleted"),
    pytest.param(lambda entry: (entry / MANIFEST_FILE).write_text("garbage{"), "query", id="manifest-garbage"),
    pytest.param(lambda entry: (entry / MANIFEST_FILE).write_text("[1, 2]"), "validate", id="manifest-not-an-object"),
    pytest.param(lambda entry: shutil.rmtree(entry / STORE_DIR), "query", id="store-deleted"),
    pytest.param(lambda entry: (entry / FINDINGS_FILE).write_text("nope"), "validate", id="findings-garbage"),
    pytest.param(_empty_store, "query", id="store-emptied"),
    pytest.param(lambda entry: (entry / STORE_DIR / "CURRENT").write_bytes(b"garbage"), "query", id="store-corrupted"),
    pytest.param(
        lambda entry: (entry / FINDINGS_FILE).write_text('[{"unexpected": 1}]'), "validate", id="findings-wrong-fields"
    ),
    pytest.param(_entry_replaced_by_file, "validate", id="entry-replaced-by-a-file"),
]


@pytest.mark.parametrize(("damage", "command"), CACHE_CASES)
def test_damaged_cache_is_rebuilt(tiny, tmp_path, damage, command):
    cache = tmp_path / "cache"
    shutil.copytree(tiny.cache, cache)
    expected_export = tiny.run("export", "--format", "nt").stdout if command == "export" else None
    damage(_entry_folder(cache, tiny.root))
    if command == "query":
        result = belkg(tiny.root, cache, "query", "-e", ASK_PERSON)
        assert_ok(result, "yes\n")
    elif command == "export":
        result = belkg(tiny.root, cache, "export", "--format", "nt")
        assert_ok(result, expected_export)
    else:
        result = belkg(tiny.root, cache, "validate")
        assert_ok(result)
        assert result.stderr.splitlines() == []  # -q: the exit code alone says it conforms
    assert open_entry(cache, input_key(Project(tiny.root))) is not None, "the cache entry was not repaired"
    assert_ok(belkg(tiny.root, cache, "query", "-e", ASK_PERSON), "yes\n")


def test_a_build_says_why_it_builds_a_cached_build_again(tiny, tmp_path):
    cache = tmp_path / "cache"
    shutil.copytree(tiny.cache, cache)
    _same_size_edit(_entry_folder(cache, tiny.root))
    result = CliRunner().invoke(cli, ["--project", str(tiny.root), "--cache-dir", str(cache), "build"])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[0] == (
        "… the cached build no longer matches the files written for it: building it again"
    )
    up_to_date = CliRunner().invoke(cli, ["--project", str(tiny.root), "--cache-dir", str(cache), "build"])
    assert "no longer matches" not in up_to_date.stderr


def test_cache_dir_that_is_a_file(tiny, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder\n")
    assert_error(belkg(tiny.root, blocker, "validate"), re.compile(re.escape(f"Error: {blocker}") + r"\S*: .+"))


def test_two_builds_at_once_leave_an_intact_cache(tmp_path):
    """Two processes build the same project into the same cache at the same time (with the
    reasoner: about 3 s), then a third validates from the cache."""
    root = make_tiny(tmp_path / "project")
    cache = tmp_path / "cache"
    command = [sys.executable, "-m", "belkg.cli", "--project", str(root), "--cache-dir", str(cache), "-q"]
    builds = [
        subprocess.Popen([*command, "build"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outputs = [process.communicate(timeout=120) for process in builds]
    for process, (stdout, stderr) in zip(builds, outputs, strict=True):
        assert process.returncode == 0, stderr
        assert "Traceback" not in stderr
        assert "triples in all" in stdout
    assert outputs[0][0] == outputs[1][0], "the two builds count different triples"
    left = sorted(path.name for path in cache.iterdir())
    assert left == sorted([input_key(Project(root)), QUERY_CHECKS]), "staging folders left behind"
    assert open_entry(cache, input_key(Project(root))) is not None
    validate = subprocess.run([*command, "validate"], capture_output=True, text=True, timeout=120, check=False)
    assert validate.returncode == 0, validate.stderr
    assert validate.stderr.splitlines() == []  # -q: the exit code alone says it conforms


# --- big and non-Latin input ---------------------------------------------------------------

BIG_CHARACTERS = 10 * 1024 * 1024  # 10 Mi characters, about 14.5 MB of UTF-8


@pytest.mark.slow
def test_ten_megabyte_quote(tiny_project, tmp_path):
    """A seed with a 10-million-character line, and a claim quoting all of it but its end
    (the literal is then 10 M characters; validate takes about 3 s)."""
    line = ("BIG " + "Paweł Müller Nausėda Лукашэнка " * (BIG_CHARACTERS // 31 + 1))[:BIG_CHARACTERS]
    seed = TINY_SEED + line + "\n"
    quote = line[:-100]
    claim = (
        GOOD_CLAIM
        + f"""
bkd:claim-900-002 a bk:ParticipationClaim ;
    bk:event bkd:the-release ; bk:participant bkd:bob-example ; bk:role bk:Released ;
    prov:wasDerivedFrom [ a bk:Evidence ; oa:hasSource bkd:doc-900 ; oa:exact "{quote}" ] .
"""
    )
    document = tiny_document(claim, sha256=hashlib.sha256(seed.encode()).hexdigest())
    project = tiny_project(document=document, seed=seed)
    cache = tmp_path / "cache"
    result = belkg(project.root, cache, "validate")
    assert_ok(result)
    assert result.stderr.splitlines() == []  # -q: the exit code alone says it conforms
    lengths = belkg(
        project.root,
        cache,
        "query",
        "-e",
        "SELECT ?n WHERE { ?e <http://www.w3.org/ns/oa#exact> ?q BIND(STRLEN(?q) AS ?n) } ORDER BY DESC(?n)",
        "--format",
        "csv",
    )
    assert_ok(lengths)
    assert lengths.stdout_bytes == f"n\r\n{len(quote)}\r\n23\r\n".encode()


NON_LATIN_SEED = (
    "Paweł Müller was freed by Gitanas Nausėda on Monday. Аляксандр Лукашэнка signed the pardon – «памілаванне».\n"
)
NON_LATIN_ENTITIES = """\
@prefix bk:   <https://w3id.org/belkg/ontology#> .
@prefix bkd:  <https://w3id.org/belkg/id/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .

bkd:pawel-muller a bk:Person ; skos:prefLabel "Paweł Müller"@pl .
bkd:gitanas-nauseda a bk:Person ; skos:prefLabel "Gitanas Nausėda"@lt .
bkd:lukashenka a bk:Person ; skos:prefLabel "Аляксандр Лукашэнка"@be ; skos:altLabel "Лукашэнка"@be .
bkd:the-release a bk:Release ; skos:prefLabel "вызваленне Paweł Müller"@be ; bk:labelIsNormalised true .
"""
NON_LATIN_QUOTES = (
    "Paweł Müller was freed by Gitanas Nausėda",
    "Аляксандр Лукашэнка signed the pardon – «памілаванне»",
)
NON_LATIN_CLAIMS = f"""
bkd:claim-900-001 a bk:ParticipationClaim ;
    bk:event bkd:the-release ; bk:participant bkd:pawel-muller ; bk:role bk:Released ;
    prov:wasDerivedFrom [ a bk:Evidence ; oa:hasSource bkd:doc-900 ; oa:exact "{NON_LATIN_QUOTES[0]}" ] .
bkd:claim-900-002 a bk:ParticipationClaim ;
    bk:event bkd:the-release ; bk:participant bkd:lukashenka ; bk:role bk:ReleasingAuthority ;
    prov:wasDerivedFrom [ a bk:Evidence ; oa:hasSource bkd:doc-900 ; oa:exact "{NON_LATIN_QUOTES[1]}" ] .
"""


@pytest.fixture(scope="module")
def non_latin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny project, in a folder with a Belarusian and Polish name, whose seed, labels,
    quotes and title are Polish, German, Lithuanian and Belarusian (Cyrillic)."""
    base = tmp_path_factory.mktemp("non-latin")
    document = tiny_document(NON_LATIN_CLAIMS, sha256=hashlib.sha256(NON_LATIN_SEED.encode()).hexdigest())
    document = document.replace('"Alice Example was freed"', '"Паўла Мюлера вызвалілі"')
    root = make_tiny(base / "праект Paweł Müller", queries=True, document=document)
    write(root, f"seeds/{TINY_SEED_NAME}.txt", NON_LATIN_SEED)
    write(root, "kg/entities.ttl", NON_LATIN_ENTITIES)
    return root


def test_non_latin_project_validates_and_queries_back_exactly(non_latin, tmp_path):
    cache = tmp_path / "cache"
    result = belkg(non_latin, cache, "validate")
    assert_ok(result)
    assert result.stderr.splitlines() == []  # -q: the exit code alone says it conforms
    quotes = belkg(
        non_latin, cache, "query", "-e", "SELECT ?q WHERE { ?e <http://www.w3.org/ns/oa#exact> ?q } ORDER BY ?q"
    )
    rows = json.loads(
        belkg(
            non_latin,
            cache,
            "query",
            "-e",
            "SELECT ?q WHERE { ?e <http://www.w3.org/ns/oa#exact> ?q } ORDER BY ?q",
            "--format",
            "json",
        ).stdout
    )["results"]["bindings"]
    assert [row["q"]["value"] for row in rows] == sorted(NON_LATIN_QUOTES)
    assert all(quote in quotes.stdout for quote in NON_LATIN_QUOTES)
    labels = json.loads(
        belkg(
            non_latin,
            cache,
            "query",
            "-e",
            "SELECT ?l WHERE { ?x <http://www.w3.org/2004/02/skos/core#prefLabel> ?l "
            "FILTER(STRSTARTS(STR(?x), 'https://w3id.org/belkg/id/')) } ORDER BY ?l",
            "--format",
            "json",
        ).stdout
    )["results"]["bindings"]
    assert [(row["l"]["value"], row["l"]["xml:lang"]) for row in labels] == [
        ("Gitanas Nausėda", "lt"),
        ("Paweł Müller", "pl"),
        ("Аляксандр Лукашэнка", "be"),
        ("вызваленне Paweł Müller", "be"),
    ]
    title = belkg(non_latin, cache, "query", "-e", "SELECT ?t WHERE { ?d <http://purl.org/dc/terms/title> ?t }")
    assert "Паўла Мюлера вызвалілі" in title.stdout


@pytest.mark.parametrize(
    ("spelling", "heading"),
    [
        pytest.param("Лукашэнка", "Аляксандр Лукашэнка  (person, https://w3id.org/belkg/id/lukashenka)", id="be"),
        pytest.param("Nausėda", "Gitanas Nausėda  (person, https://w3id.org/belkg/id/gitanas-nauseda)", id="lt"),
        pytest.param("Paweł Müller", "Paweł Müller  (person, https://w3id.org/belkg/id/pawel-muller)", id="pl-de"),
    ],
)
def test_non_latin_entity(non_latin, tmp_path, spelling, heading):
    result = belkg(non_latin, tmp_path / "cache", "entity", spelling)
    assert_ok(result)
    assert result.stdout.splitlines()[0] == heading


def test_non_latin_sentences_are_split(non_latin, tmp_path):
    result = belkg(non_latin, tmp_path / "cache", "coverage", "--format", "json")
    assert_ok(result)
    (seed,) = json.loads(result.stdout)
    assert (seed["sentences"], seed["cited"]) == (2, 2)


# --- more bad input: the cache folder, huge literals, shapes that are not SHACL, names --------


def test_cache_folder_that_cannot_be_written(tiny_project, tmp_path):
    cache, reason = unwritable(tmp_path, "cache")
    project = tiny_project()
    for command in (["validate"], ["query", "-e", ASK_PERSON]):
        assert_error(
            belkg(project.root, cache, *command), f"Error: {cache}: cannot use as the build cache folder: {reason}"
        )


def test_full_cache_folder(tmp_path):
    """A file-size limit stands in for a full disk: every write fails as it would (EFBIG
    here, ENOSPC there), and the build cleans up after itself."""
    import resource
    import signal

    root = make_tiny(tmp_path / "project")
    cache = tmp_path / "cache"

    def small_files() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (1000, 1000))

    command = [sys.executable, "-c", _RUN_CLI, "--project", str(root), "--cache-dir", str(cache), "-q", "validate"]
    process = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False, preexec_fn=small_files)
    assert process.returncode == 2, process.stderr
    assert process.stderr.splitlines() == [f"Error: {cache}: cannot use as the build cache folder: File too large"]
    left = [path.name for path in cache.iterdir() if path.name != QUERY_CHECKS]
    assert left == [], "a staging folder was left behind"


def test_a_literal_too_large_for_the_store(tiny_project, tmp_path):
    huge = "x" * (17 << 20)
    document = tiny_document(GOOD_CLAIM) + f'bkd:doc-900 <http://example.org/note> "{huge}" .\n'
    project = tiny_project(document=document)
    assert_error(
        belkg(project.root, tmp_path / "cache", "validate"),
        f"Error: {DOC}:20:40: a literal of 17.0 MiB; the query store holds literals of up to 16 MiB",
    )


_SHAPE = "bk:XShape a sh:NodeShape ; sh:targetClass bk:Person ; "
NOT_SHACL = [
    pytest.param(
        _SHAPE + 'sh:property [ sh:path "name" ; sh:minCount 1 ] .',
        "Values of a property path cannot be a Literal.",
        id="path-is-a-literal",
    ),
    pytest.param(
        _SHAPE + 'sh:property [ sh:path skos:prefLabel ; sh:pattern "(" ] .',
        "missing ), unterminated subpattern at position 0",
        id="pattern-not-a-regex",
    ),
    pytest.param(
        _SHAPE + "sh:property [ sh:minCount 1 ] .",
        "a blank node exists but is not a well-formed SHACL PropertyShape. Ensure it has the correct type "
        "(sh:PropertyShape) and all required properties.",
        id="property-without-path",
    ),
]


@pytest.mark.parametrize(("shape", "message"), NOT_SHACL)
@pytest.mark.parametrize("validator", ["fast", "pyshacl"])
def test_shapes_that_are_turtle_but_not_shacl(tiny_project, tmp_path, shape, message, validator):
    project = tiny_project()
    write(project.root, "ontology/shapes.ttl", SHAPES_TEXT + "\n" + shape + "\n")
    assert_error(
        belkg(project.root, tmp_path / "cache", "validate", "--validator", validator),
        f"Error: ontology/shapes.ttl: the shapes are not valid SHACL: {message}",
    )


def test_a_count_that_is_not_a_number_in_the_shapes(tiny_project, tmp_path):
    project = tiny_project()
    write(
        project.root,
        "ontology/shapes.ttl",
        SHAPES_TEXT + "\n" + _SHAPE + 'sh:property [ sh:path skos:prefLabel ; sh:minCount "one" ] .\n',
    )
    for validator, message in (
        ("fast", "invalid literal for int() with base 10: rdflib.term.Literal('one')"),
        ("pyshacl", "MinCountConstraintComponent sh:minCount must be a literal with datatype xsd:integer."),
    ):
        assert_error(
            belkg(project.root, tmp_path / "cache", "validate", "--validator", validator),
            f"Error: ontology/shapes.ttl: the shapes are not valid SHACL: {message}",
        )


def test_a_document_file_name_that_makes_no_iri(tiny_project, tmp_path):
    project = tiny_project()
    (project.kg_dir / f"{TINY_SEED_NAME}.ttl").rename(project.kg_dir / "9 00_tiny.ttl")
    (project.seeds_dir / f"{TINY_SEED_NAME}.txt").rename(project.seeds_dir / "9 00_tiny.txt")
    assert_error(
        belkg(project.root, tmp_path / "cache", "validate"),
        "Error: kg/9 00_tiny.ttl: the file name before its first '_' ('9 00') names the document "
        "<https://w3id.org/belkg/id/doc-9 00>, which is not a valid IRI: use letters, digits and '-' there",
    )


# click hands bytes that are not UTF-8 on as lone surrogates (surrogateescape): "\udcff" is 0xFF.
NOT_UTF8_CASES = [
    pytest.param(["query", "-e", 'ASK { ?s ?p "caf\udce9" }'], "Error: -e: not UTF-8 text (byte 16)", id="inline"),
    pytest.param(
        ["query", "documents", "-p", "document", "bkd:doc-\udcff"],
        "Error: -p document: not UTF-8 text (byte 8)",
        id="param",
    ),
    pytest.param(["entity", "Alice \udcff"], "Error: entity: not UTF-8 text (byte 6)", id="entity"),
    pytest.param(
        ["query", "negotiators\udcff"],
        "Error: no saved query named 'negotiators\\udcff'; did you mean negotiators?",
        id="query-name",
    ),
]


@pytest.mark.parametrize(("args", "expected"), NOT_UTF8_CASES)
def test_arguments_that_are_not_utf8(tiny, args, expected):
    assert_error(tiny.run(*args), expected)


def test_arguments_that_are_not_utf8_in_a_real_process(tiny):
    command = [sys.executable, "-c", _RUN_CLI, "--project", str(tiny.root), "--cache-dir", str(tiny.cache), "-q"]
    for args, expected in (
        ([b"query", b"-e", b'ASK { ?s ?p "caf\xe9" }'], "Error: -e: not UTF-8 text (byte 16)"),
        ([b"query", b"documents", b"-p", b"document", b"bkd:\xff"], "Error: -p document: not UTF-8 text (byte 4)"),
    ):
        process = subprocess.run(
            [*(part.encode() for part in command), *args], capture_output=True, timeout=120, check=False
        )
        assert process.returncode == 2, process.stderr
        assert process.stderr.decode().splitlines() == [expected]


def test_the_same_claim_in_two_documents_is_a_finding(tiny_project, tmp_path):
    project = tiny_project()
    second_seed = "Alice Example was freed again.\n"
    write(project.root, "seeds/901_again.txt", second_seed)
    second = (
        tiny_document(GOOD_CLAIM, sha256=hashlib.sha256(second_seed.encode()).hexdigest())
        .replace("bkd:doc-900", "bkd:doc-901")
        .replace(f'"{TINY_SEED_NAME}.txt"', '"901_again.txt"')
    )
    write(project.root, "kg/901_again.ttl", second)
    assert_findings(
        belkg(project.root, tmp_path / "cache", "validate"),
        [
            # two documents now describe the release: that they are one is a judgement to record
            "kg/entities.ttl:7: bkd:the-release (release of Alice): [identity] 2 documents describe it "
            "(bkd:doc-900, bkd:doc-901), but no identity judgement gives the words of bkd:doc-900, bkd:doc-901. "
            "Fix: add to kg/identities.ttl a bk:IdentityJudgement that bk:identifies bkd:the-release, with a "
            "bk:basis quote from each document and a bk:reason",
            "kg/901_again.ttl:16: bkd:claim-900-001 (“Alice Example was freed”): [claim-number] a claim of this "
            "file is named bkd:claim-900-001. Fix: name the claims of this file bkd:claim-901-NNN",
            "kg/901_again.ttl:16: bkd:claim-900-001 (“Alice Example was freed”): [duplicate-claim] "
            f"bkd:claim-900-001 is already a claim of {DOC}; a claim IRI belongs to one document. "
            "Fix: give this document's claim its own IRI (numbered for this document)",
        ],
        files=2,
    )
