"""-o writes regular files only (new, or replaced atomically); stdout is `-` or no -o; a
full device behind stdout is a one-line error."""

from __future__ import annotations

import os
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

NOT_REGULAR = "; belkg writes only to regular files, or to stdout with -o - or no -o"

COMMANDS = {
    "query": ["query", "-e", "ASK { ?s ?p ?o }", "--format", "json"],
    "export": ["export", "--format", "nt", "--graphs", "asserted"],
    "viz": ["viz", "--focus", "Tsikhanovsky", "--format", "json"],
    "timeline": ["timeline", "--format", "svg"],
}


@pytest.fixture
def short_tmp():
    """A folder with a short path (a Unix socket's path is limited to about 100 bytes)."""
    folder = Path(tempfile.mkdtemp(prefix="belkg-", dir="/tmp"))
    yield folder
    shutil.rmtree(folder)


def _target(kind: str, folder: Path) -> tuple[str, str]:
    """A target of this kind and the error belkg gives for it (None: it is written)."""
    if kind == "dev-null":
        return "/dev/null", f"cannot write here: a character device{NOT_REGULAR}"
    if kind == "dev-full":
        return "/dev/full", f"cannot write here: a character device{NOT_REGULAR}"
    if kind == "fifo":
        os.mkfifo(folder / "pipe")
        return str(folder / "pipe"), f"cannot write here: a FIFO (named pipe){NOT_REGULAR}"
    if kind == "socket":
        server = socket.socket(socket.AF_UNIX)
        server.bind(str(folder / "sock"))
        server.close()
        return str(folder / "sock"), f"cannot write here: a socket{NOT_REGULAR}"
    if kind == "folder":
        (folder / "dir").mkdir()
        return str(folder / "dir"), "cannot write here: Is a directory"
    if kind == "link-to-dev-null":
        (folder / "link").symlink_to("/dev/null")
        return str(folder / "link"), f"cannot write here: a character device (through a symbolic link){NOT_REGULAR}"
    if kind == "link-to-folder":
        (folder / "dir").mkdir()
        (folder / "link").symlink_to(folder / "dir")
        return str(folder / "link"), "cannot write here: Is a directory"
    if kind == "dangling-link":
        (folder / "link").symlink_to(folder / "nowhere")
        return str(folder / "link"), "cannot write here: a symbolic link to nothing"
    raise AssertionError(kind)


KINDS = ["dev-null", "dev-full", "fifo", "socket", "folder", "link-to-dev-null", "link-to-folder", "dangling-link"]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("command", COMMANDS)
def test_only_regular_files_are_written(belkg, short_tmp, kind, command):
    target, message = _target(kind, short_tmp)
    before = os.lstat(target) if os.path.lexists(target) else None
    result = belkg(*COMMANDS[command], "-o", target)
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines() == [f"Error: {target}: {message}"]
    after = os.lstat(target) if os.path.lexists(target) else None
    assert (before and stat.S_IFMT(before.st_mode)) == (after and stat.S_IFMT(after.st_mode)), "the target changed"
    assert sorted(path.name for path in short_tmp.iterdir() if path.name.startswith(".")) == [], "a temporary file"


def test_dev_null_and_dev_full_are_still_devices():
    for device in ("/dev/null", "/dev/full"):
        assert stat.S_ISCHR(Path(device).stat().st_mode)


@pytest.mark.parametrize("command", COMMANDS)
def test_a_link_to_a_regular_file_stays_a_link_and_its_file_is_replaced(belkg, tmp_path, command):
    real = tmp_path / "real" / "out"
    real.parent.mkdir()
    real.write_text("old\n")
    real.chmod(0o640)
    link = tmp_path / "link"
    link.symlink_to(real)
    result = belkg(*COMMANDS[command], "-o", str(link))
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and link.resolve() == real
    assert real.read_bytes() != b"old\n" and len(real.read_bytes()) > 20
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert sorted(path.name for path in real.parent.iterdir()) == ["out"]


def test_dash_is_stdout(belkg, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = belkg("query", "-e", "ASK { ?s ?p ?o }", "--format", "json", "-o", "-")
    assert result.exit_code == 0
    assert '"boolean": true' in result.stdout
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "command",
    [
        ["query", "-e", "ASK { ?s ?p ?o }"],
        ["export", "--format", "nq"],
        ["stats"],
        ["validate", "--format", "json"],
        ["queries"],
    ],
    ids=lambda command: command[0],
)
def test_stdout_on_a_full_device_is_one_line(project, session_cache, built, command):
    base = [sys.executable, "-m", "belkg.cli", "--project", str(project.root), "--cache-dir", str(session_cache), "-q"]
    with Path("/dev/full").open("wb") as full:
        process = subprocess.run(
            [*base, *command], stdout=full, stderr=subprocess.PIPE, text=True, timeout=120, check=False
        )
    assert process.returncode == 2, process.stderr
    assert process.stderr.splitlines() == ["Error: stdout: cannot write: No space left on device"]
