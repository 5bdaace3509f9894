"""Old builds removed from the cache after a fresh build: the project's most recently used
ones stay, with the answers kept beside them; nothing of other projects is touched."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from click.testing import CliRunner

from belkg.build.cache import VIEWS, key_tag
from belkg.build.pipeline import build
from belkg.cli import cli

from conftest import TINY_SEED_NAME, make_tiny_project


def entries(cache: Path) -> set[str]:
    return {path.name for path in cache.iterdir() if len(path.name) == 64}


def edited(project, number: int) -> None:
    """Change the project's input (a comment in its claims file), so it builds anew."""
    claims = project.kg_dir / f"{TINY_SEED_NAME}.ttl"
    text = claims.read_text(encoding="utf-8").split("\n# edit ")[0]
    claims.write_text(f"{text}\n# edit {number}\n", encoding="utf-8")


def built_after_edit(project, cache: Path, number: int, **options) -> str:
    edited(project, number)
    return build(project, cache, **options).key


def used_seconds_ago(cache: Path, key: str, seconds: float) -> None:
    when = time.time() - seconds
    os.utime(cache / key, (when, when))


def test_a_fresh_build_keeps_the_three_most_recent_builds_and_their_kept_files(tiny_project, tmp_path):
    project, cache = tiny_project(), tmp_path / "cache"
    keys = []
    for number in range(3):
        keys.append(built_after_edit(project, cache, number))
        used_seconds_ago(cache, keys[-1], 30 - 10 * number)
    views = cache / VIEWS
    views.mkdir()
    oldest, kept = key_tag(keys[0]), key_tag(keys[1])
    files_of_oldest = [f"result-{oldest}-1.json", f"conflicts-{oldest}-2.json", f"keeper-{oldest}.done"]
    for name in [*files_of_oldest, f"result-{kept}-3.json", f"keeper-{kept}.log", "result-0123.json"]:
        (views / name).write_text("{}", encoding="utf-8")

    said = []
    keys.append(built_after_edit(project, cache, 3, progress=said.append))

    assert entries(cache) == set(keys[1:])
    assert sorted(path.name for path in views.iterdir()) == sorted(
        [f"keeper-{kept}.log", "result-0123.json", f"result-{kept}-3.json"]
    )
    (line,) = [line for line in said if line.startswith("removed")]
    assert line.startswith("removed an older build of this project from the cache (")


def test_a_build_found_up_to_date_counts_as_used(tiny_project, tmp_path):
    project, cache = tiny_project(), tmp_path / "cache"
    first, second, third = (built_after_edit(project, cache, number) for number in range(3))
    for key, seconds in ((first, 30), (second, 20), (third, 10)):
        used_seconds_ago(cache, key, seconds)
    edited(project, 0)
    again = build(project, cache)  # the first build again: up to date, and used now
    assert again.from_cache and again.key == first
    fourth = built_after_edit(project, cache, 4)
    assert entries(cache) == {first, third, fourth}  # the least recently used went


def test_other_projects_and_entries_of_no_project_are_never_removed(tiny_project, tmp_path):
    cache = tmp_path / "cache"
    other = build(tiny_project(), cache).key  # tmp_path/project
    project = make_tiny_project(tmp_path / "another")
    nameless = cache / ("f" * 64)
    nameless.mkdir()
    (nameless / "manifest.json").write_text(json.dumps({"key": "f" * 64}), encoding="utf-8")
    keys = [built_after_edit(project, cache, number, keep_builds=1) for number in range(3)]
    assert entries(cache) == {other, nameless.name, keys[-1]}


def test_keep_zero_keeps_every_build(tiny_project, tmp_path):
    project, cache = tiny_project(), tmp_path / "cache"
    keys = {built_after_edit(project, cache, number, keep_builds=0) for number in range(5)}
    assert entries(cache) == keys


def test_keep_builds_on_the_command_line(tiny_project, tmp_path):
    project, cache = tiny_project(), tmp_path / "cache"
    first = built_after_edit(project, cache, 1)
    edited(project, 2)
    base = ["--project", str(project.root), "--cache-dir", str(cache), "build"]
    result = CliRunner().invoke(cli, [*base, "--keep-builds", "1"])
    assert result.exit_code == 0, result.output
    assert "removed an older build of this project from the cache (" in result.stderr
    assert first not in entries(cache) and len(entries(cache)) == 1
    refused = CliRunner().invoke(cli, [*base, "--keep-builds", "-1"])
    assert refused.exit_code == 2
    assert "Invalid value for '--keep-builds': -1 is not in the range x>=0." in refused.stderr
