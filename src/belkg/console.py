"""The console script `belkg`, and the part of the command line that needs no click.

click (belkg.cli) defines every command and option and reports usage errors; importing
it costs a one-shot command about as much as opening the store and running a short
query. So the console script reads the most common command line itself: a plain
`belkg query` of a saved query's name or a .rq file, with only `-p NAME VALUE`,
`--format`, `-o` and the global options `--project`, `--cache-dir` and `-q`. Anything
else (another command or option, --help, a value that starts with `-`, a format click
would refuse, a second argument) goes to click unchanged. Both paths run the same
`run_query` with the same `State`, so they print the same bytes and exit alike
(tests/test_console.py holds them to it).

Data goes to stdout, messages to stderr; errors are one line, with the exit codes of
the README.
"""

from __future__ import annotations

import errno
import gc
import os
import sys

from belkg.errors import BelkgError, printable, printable_lines
from belkg.records import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any

# A full or failing device behind stdout (belkg query > /dev/full).
OUTPUT_ERRORS = {errno.ENOSPC, errno.EFBIG, errno.EDQUOT, errno.EIO}
# `query --format`: the result formats, and `table` (belkg 0.x's name for text).
QUERY_FORMATS = ("text", "json", "xml", "csv", "tsv", "md", "ttl", "nt", "jsonld", "table")


def echo_err(message: str) -> None:
    """A message line on stderr (what click.echo(..., err=True) writes)."""
    stream = sys.stderr
    stream.write(f"{message}\n")
    stream.flush()


def report(error: BelkgError) -> None:
    """A BelkgError as the user sees it: one line on stderr, and its detail, if any."""
    echo_err(f"Error: {printable(str(error))}")
    if error.detail:
        echo_err(printable_lines(error.detail))


def stdout_failed(error: OSError) -> None:
    echo_err(f"Error: stdout: cannot write: {error.strerror}")
    _quiet_stdout()  # what is left in the buffer would fail again, with a traceback, at exit
    sys.exit(2)


def check_output(output: str | None) -> None:
    """Refuse an -o that is not a regular file before any work is done."""
    if output and output != "-":
        from pathlib import Path

        from belkg.atomic import regular_target

        regular_target(Path(output))


def write_output(output: str | None, data: str | bytes) -> None:
    """Data to the -o file (replaced atomically), else to stdout."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if output and output != "-":
        from pathlib import Path

        from belkg.atomic import write_atomically

        write_atomically(Path(output), raw)
    else:
        try:
            sys.stdout.buffer.write(raw)
            sys.stdout.buffer.flush()
        except OSError as error:
            if error.errno not in OUTPUT_ERRORS:
                raise
            stdout_failed(error)


class State:
    """Options shared by every command, and the build they lead to."""

    def __init__(self, project: str | None, cache_dir: str | None, quiet: bool, allow_network: bool = False) -> None:
        from pathlib import Path  # here: a plain query imports it after its start-up began (see run_plain)

        self.project_option = project
        self.cache_dir = Path(cache_dir) if cache_dir else None
        self.quiet = quiet
        self.allow_network = allow_network
        self._entry: Any = None
        self._project: Any = None

    def project(self) -> Any:
        if self._project is None:
            from belkg.project import find_project

            self._project = find_project(self.project_option)
        return self._project

    def progress(self, message: str) -> None:
        if not self.quiet:
            echo_err(f"… {message}")

    def say(self, message: str) -> None:
        """A message that is neither data nor an error (built:, wrote, note:): -q drops it."""
        if not self.quiet:
            echo_err(message)

    def cache_root(self) -> Path:
        from belkg.build.cache import default_cache_root

        return self.cache_dir or default_cache_root()

    def entry(self) -> Any:
        """The cache entry of the current inputs (built first if needed); no rdflib."""
        if self._entry is None:
            from belkg.session import current_entry

            self._entry = current_entry(self.project(), self.cache_dir, self.progress)
        return self._entry

    def pin(self, entry: Any) -> None:
        """Work on this build, whatever the project's files hold now."""
        self._entry = entry

    def conflicts(self, engine: Any) -> Any:
        """Where the sources disagree, as `engine` answers it over the current build, kept
        beside the build cache between runs (belkg.conflicts.kept_conflicts)."""
        from belkg.build.cache import QUERY_HEADERS, VIEWS
        from belkg.conflicts import kept_conflicts

        root = self.cache_root()
        return kept_conflicts(engine, self.project(), self.entry(), root / VIEWS, root / QUERY_HEADERS)

    def engine(self, name: str = "oxigraph", *, inference: bool = True, extra: Any = None) -> Any:
        """A query engine over the current build (and `extra`, the user's --data). A
        store that cannot be opened (damaged on disk) is not trusted: the build is made
        again."""
        opener = self.engine_opener(name, inference=inference, extra=extra)
        try:
            return opener()
        except (OSError, RuntimeError):
            self.build(force=True)
            return self.engine_opener(name, inference=inference, extra=extra)()

    def engine_opener(self, name: str = "oxigraph", *, inference: bool = True, extra: Any = None) -> Any:
        """What opens that engine, as a callable another process can be given."""
        from functools import partial

        from belkg.build.cache import QUERY_CHECKS, VIEWS
        from belkg.querying import open_engine

        root = self.cache_root()
        options = {"inference": inference, "allow_network": self.allow_network, "checks_cache": root / QUERY_CHECKS,
                   "extra": extra, "kept": root / VIEWS}  # fmt: skip
        return partial(open_engine, self.entry(), name, **options)

    def build(
        self, force: bool = False, reasoner: str = "fast", validator: str = "fast", keep_builds: int | None = None
    ) -> Any:
        from belkg.build.pipeline import build
        from belkg.build.pruning import KEEP_BUILDS

        result = build(
            self.project(),
            self.cache_dir,
            force=force,
            progress=self.progress,
            reasoner=reasoner,
            validator=validator,
            keep_builds=KEEP_BUILDS if keep_builds is None else keep_builds,
        )
        self._entry = result.entry
        return result


def run_query(
    state: State, target: str | None, *, inline: str | None = None, query_file: str | None = None,
    data_files: tuple[str, ...] = (), params: tuple[tuple[str, str], ...] = (), fmt: str | None = None,
    engine: str = "oxigraph", no_inference: bool = False, endpoint: str | None = None, timeout: float,
    memory: int, max_response: int, output: str | None = None,
) -> None:  # fmt: skip
    """`belkg query`: the query's result to stdout or the -o file, its notes to stderr."""
    from belkg.answering import answer_query
    from belkg.build.cache import QUERY_HEADERS
    from belkg.querying import build_warning, resolve_query

    check_output(output)
    headers = state.cache_root() / QUERY_HEADERS
    query = resolve_query(state.project(), target, inline, headers, file=query_file, stdin=sys.stdin.buffer)
    extra = None
    if data_files:
        from belkg.user_data import read_user_data

        extra = read_user_data(data_files)
    given = dict(params)
    if len(given) != len(params):
        raise BelkgError("a parameter is given twice")
    guard = None
    if endpoint is not None:
        from belkg.answering import endpoint_runner

        runner, guard = endpoint_runner(
            endpoint, timeout, max_response, no_inference=no_inference, has_data=extra is not None
        )
    else:
        runner = state.engine(engine, inference=not no_inference, extra=extra)
        warning = build_warning(state.entry())
        if warning and not state.quiet:
            echo_err(warning)
    answer = answer_query(
        runner,
        query,
        given,
        output=output,
        fmt=fmt,
        timeout=None if endpoint else timeout,  # an endpoint's requests carry the limit (see belkg.remote)
        memory=memory,
        notes=not state.quiet,
        whole=state.engine() if no_inference and not state.quiet else None,
        guard=guard,
    )
    write_output(output, answer.data)
    for note in answer.notes:
        echo_err(note)
    if output and output != "-":
        state.say(f"wrote {output} ({answer.size})")


_GLOBAL_VALUES = {"--project": "project", "--cache-dir": "cache_dir"}
_QUERY_VALUES = {"--format": "fmt", "-o": "output", "--output": "output"}
_FLAGS = {"-q": "quiet", "--quiet": "quiet"}
_PARAMS = ("-p", "--param")


def plain_query(arguments: list[str]) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """The State's and the query's options of a plain `belkg query` command line (see
    the module's text), or None for any other: click reads that one."""
    state: dict[str, Any] = {"project": None, "cache_dir": os.environ.get("BELKG_CACHE_DIR") or None, "quiet": False}
    query: dict[str, Any] = {"target": None, "fmt": None, "output": None, "params": []}
    command = False
    position = 0
    while position < len(arguments):
        word = arguments[position]
        position += 1
        if word in _FLAGS:
            state[_FLAGS[word]] = True
            continue
        if word in _GLOBAL_VALUES or (command and (word in _QUERY_VALUES or word in _PARAMS)):
            count = 2 if word in _PARAMS else 1
            values = arguments[position : position + count]
            if len(values) < count or any(value.startswith("-") for value in values):
                return None
            position += count
            if word in _PARAMS:
                query["params"].append((values[0], values[1]))
            elif word in _GLOBAL_VALUES:
                state[_GLOBAL_VALUES[word]] = values[0]
            else:
                query[_QUERY_VALUES[word]] = values[0]
            continue
        if word.startswith("-"):
            return None
        if not command and word == "query":
            command = True
        elif command and query["target"] is None:
            query["target"] = word
        else:
            return None
    if not command or query["target"] is None or (query["fmt"] is not None and query["fmt"] not in QUERY_FORMATS):
        return None
    query["params"] = tuple(query["params"])
    return state, query


def run_plain(state_options: dict[str, Any], query_options: dict[str, Any]) -> int:
    """Run a plain `belkg query` as its click command would: the exit code."""
    from belkg.limits import DEFAULT_MEMORY_MIB, DEFAULT_RESPONSE_MIB, DEFAULT_TIMEOUT
    from belkg.safety import no_network

    try:
        try:
            with no_network():
                state = State(**state_options)
                run_query(
                    state, **query_options, timeout=DEFAULT_TIMEOUT, memory=DEFAULT_MEMORY_MIB,
                    max_response=DEFAULT_RESPONSE_MIB,
                )  # fmt: skip
        except (EOFError, KeyboardInterrupt):
            echo_err("")
            echo_err("Aborted.")
            return 1
    except BelkgError as error:
        report(error)
        return error.exit_code
    except OSError as error:
        if error.errno == errno.EPIPE:  # the reader went away (`| head`): as click, exit 1 quietly
            _quiet_stdout()
            return 1
        if error.errno not in OUTPUT_ERRORS:
            raise
        stdout_failed(error)
    return 0


def _quiet_stdout() -> None:
    """Point stdout at the null device: what is left in its buffer cannot fail at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def main() -> None:
    """The console script."""
    from belkg.limits import one_shot

    one_shot()  # the process ends with the command: limits need no child (see belkg.limits)
    try:
        completing = "_BELKG_COMPLETE" in os.environ  # the shell asks click for completions
        plain = None if completing else plain_query(sys.argv[1:])
        if plain is not None:
            sys.exit(run_plain(*plain))
        from belkg.cli import cli

        cli(prog_name="belkg")
    finally:
        # The interpreter's last garbage collections, as the process ends, would walk every
        # object still alive (after a build of 100,000 triples, a second of nothing):
        # frozen, they are left out. Files, atexit handlers and the exit code are as before.
        gc.freeze()


if __name__ == "__main__":  # pragma: no cover
    main()
