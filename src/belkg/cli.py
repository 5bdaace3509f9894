"""The `belkg` command line: a thin layer over the library.

Data goes to stdout, messages and progress to stderr. Exit codes: 0 ok, 1 findings
(the graph does not conform, or sentences are uncited), 2 usage or input error.

The console script is belkg.console.main: it runs a plain `belkg query` without
importing this module (click costs a one-shot query more than its query), with the
State, output and query code kept there for both paths.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from belkg import __version__
from belkg.build.cache import QUERY_HEADERS
from belkg.build.pruning import KEEP_BUILDS
from belkg.console import (
    OUTPUT_ERRORS,
    QUERY_FORMATS,
    State,
    check_output,
    report,
    run_query,
    stdout_failed,
    write_output,
)
from belkg.errors import EXIT_FINDINGS, BelkgError
from belkg.keeper import KEEP_IN_BACKGROUND_FROM_TRIPLES

F = TypeVar("F", bound=Callable[..., Any])


def summary(text: str) -> str:
    """The first paragraph of a help text, on one line."""
    return " ".join(text.strip().split("\n\n", 1)[0].split())


def _set_global(ctx: click.Context, param: click.Parameter, value: Any) -> None:
    """A global option given after the command name: it overrides the one before."""
    if value is None or value is False:
        return
    state = ctx.find_object(State)
    if state is None:  # pragma: no cover - every command runs under the group
        return
    if param.name == "allow_network":
        from belkg.safety import network_allowed

        state.allow_network = True
        ctx.with_resource(network_allowed())
    elif param.name == "project":
        state.project_option = value
    elif param.name == "cache_dir":
        state.cache_dir = Path(value)
    elif param.name == "quiet":
        state.quiet = True


PROJECT_HELP = (
    "The project folder (with kg/ and ontology/). Default: the nearest one upward "
    "from the current folder, else the graph shipped with belkg."
)
CACHE_DIR_HELP = "Where builds are cached. Default: $XDG_CACHE_HOME/belkg or ~/.cache/belkg."
QUIET_HELP = "Print only data and errors: no progress, no 'built:', 'wrote', 'note:' lines."
ALLOW_NETWORK_HELP = "Let queries use SERVICE and FROM of remote graphs, and local work reach the network."
# Each process opens its own engine on the build (about 300 MB at a million triples): a
# machine with many cores should not open dozens of them by default.
PRECOMPUTE_JOBS = 4


def global_options() -> list[click.Parameter]:
    """The group's options, for every command too: before or after the command name."""
    return [
        click.Option(["--project"], metavar="DIR", expose_value=False, callback=_set_global, help=PROJECT_HELP),
        click.Option(["--cache-dir"], metavar="DIR", expose_value=False, callback=_set_global, help=CACHE_DIR_HELP),
        click.Option(["-q", "--quiet"], is_flag=True, expose_value=False, callback=_set_global, help=QUIET_HELP),
        click.Option(
            ["--allow-network"], is_flag=True, expose_value=False, callback=_set_global, help=ALLOW_NETWORK_HELP
        ),
    ]


# Shown under each command's help; tests/test_help.py runs every one of them.
EXAMPLES = {
    "build": ["belkg build --force -q", "belkg build --precompute"],
    "validate": ["belkg validate", "belkg validate --format json"],
    "coverage": ["belkg coverage --seed 002", "belkg coverage --all --format json"],
    "export": ["belkg export -o belkg.trig", "belkg export --graphs asserted --format ttl -o asserted.ttl"],
    "push": ["belkg push --endpoint http://127.0.0.1:7878/store --replace"],
    "query": [
        "belkg query negotiators -p release bkd:release-of-52",
        "belkg query -e 'SELECT ?person WHERE { ?person a bk:Person } LIMIT 3' -o people.csv",
    ],
    "prefixes": ["belkg prefixes", "belkg prefixes --format sparql"],
    "queries": ["belkg queries --tag people", "belkg queries --format json"],
    "queries show": ["belkg queries show negotiators"],
    "stats": ["belkg stats", "belkg stats --network --format json"],
    "entity": ["belkg entity Tsikhanovsky", "belkg entity 'John Coale' --format json"],
    "viz": ["belkg viz --focus 'release of 52 political prisoners' -o release-of-52.svg", "belkg viz -o story.graphml"],
    "timeline": ["belkg timeline -o timeline.html"],
    "serve": ["belkg serve", "belkg serve --port 8080 --timeout 10"],
    "site": ["belkg site -o site", "belkg site -o site --no-pictures"],
}


def examples_epilog(path: str) -> str | None:
    """The help's closing 'Examples:' block for a command (`query`, `queries show`)."""
    if path not in EXAMPLES:
        return None
    return "Examples:\n\n\b\n" + "\n".join(f"  {example}" for example in EXAMPLES[path])


class BelkgGroup(click.Group):
    """Turns every BelkgError, and click's usage errors, into one line on stderr and
    exit code 2; gives every command the global options and its examples."""

    group_class = type  # `queries` is a BelkgGroup too

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        names = {option for param in cmd.params for option in getattr(param, "opts", [])}
        if "--quiet" not in names:
            cmd.params.extend(global_options())
        path = " ".join(part for part in (self.name, name or cmd.name) if part and part != "belkg")
        cmd.epilog = cmd.epilog or examples_epilog(path)
        super().add_command(cmd, name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """Each command with its whole summary (the first paragraph of its help), wrapped
        rather than cut."""
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is None or command.hidden:
                continue
            rows.append((name, command.short_help or summary(command.help or "")))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        try:
            outcome = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.UsageError as error:
            click.echo(f"Error: {error.format_message()}", err=True)
            sys.exit(error.exit_code)
        except click.ClickException as error:
            click.echo(f"Error: {error.format_message()}", err=True)
            sys.exit(error.exit_code)
        except click.Abort:
            click.echo("Aborted.", err=True)
            sys.exit(1)
        except OSError as error:
            if error.errno not in OUTPUT_ERRORS:
                raise
            stdout_failed(error)
        sys.exit(outcome if isinstance(outcome, int) else 0)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BelkgError as error:
            report(error)
            ctx.exit(error.exit_code)


pass_state = click.make_pass_decorator(State)


def build_engine_options(function: F) -> F:
    """--reasoner and --validator: the fast paths, or the reference implementations."""
    function = click.option(
        "--validator",
        type=click.Choice(["fast", "pyshacl"]),
        default="fast",
        show_default=True,
        help="SHACL validator: belkg's own evaluator, or pyshacl (the reference; same findings, slower).",
    )(function)
    return click.option(
        "--reasoner",
        type=click.Choice(["fast", "owlrl"]),
        default="fast",
        show_default=True,
        help="OWL 2 RL reasoner: belkg's compiled rules, or owlrl (the reference; same triples, slower).",
    )(function)


def _seconds(ctx: click.Context, param: click.Parameter, value: float) -> float:
    from belkg.limits import check_seconds

    try:
        return check_seconds(value)
    except BelkgError as error:
        raise click.BadParameter(error.message.removeprefix("--timeout ")) from None


def timeout_option(
    what: str = "Stop after this many seconds, all the command's queries included (0: no limit).",
) -> Callable[[F], F]:
    from belkg.limits import DEFAULT_TIMEOUT

    return click.option(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        show_default=True,
        callback=_seconds,
        metavar="SECONDS",
        help=what,
    )


def limit_options(function: F) -> F:
    """--timeout and --memory: the limits the command's queries run under."""
    from belkg.limits import DEFAULT_MEMORY_MIB

    function = click.option(
        "--memory",
        type=click.IntRange(min=0),
        default=DEFAULT_MEMORY_MIB,
        show_default=True,
        metavar="MIB",
        help="The memory (address space, MiB) the queries may use (0: no limit).",
    )(function)
    return timeout_option()(function)


def max_response_option(function: F) -> F:
    from belkg.limits import DEFAULT_RESPONSE_MIB

    return click.option(
        "--max-response",
        type=click.IntRange(min=1),
        default=DEFAULT_RESPONSE_MIB,
        show_default=True,
        metavar="MIB",
        help="The largest answer (MiB) to read from the server.",
    )(function)


def output_option(function: F) -> F:
    return click.option(
        "-o",
        "--output",
        metavar="FILE",
        default=None,
        help="Write to this regular file, replaced atomically (through a link: the file it points to), "
        "instead of stdout (also -).",
    )(function)


@click.group(
    "belkg", cls=BelkgGroup, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]}
)
@click.version_option(__version__, prog_name="belkg")
@click.option("--project", "project", metavar="DIR", default=None, help=PROJECT_HELP)
@click.option("--cache-dir", metavar="DIR", default=None, envvar="BELKG_CACHE_DIR", help=CACHE_DIR_HELP)
@click.option("-q", "--quiet", is_flag=True, help=QUIET_HELP)
@click.option("--allow-network", is_flag=True, help=ALLOW_NETWORK_HELP)
@click.pass_context
def cli(ctx: click.Context, project: str | None, cache_dir: str | None, quiet: bool, allow_network: bool) -> None:
    """belkg: Belarus's political prisoners and the deals that freed some of them, as a
    knowledge graph in which every fact cites the words of its source.

    The global options work before or after the command name; `belkg COMMAND --help`
    shows each command's options and examples.
    """
    from belkg.safety import no_network

    if ctx.invoked_subcommand is None:  # a plain `belkg`: the overview
        click.echo(ctx.get_help())
        ctx.exit(0)
    ctx.obj = State(project, cache_dir, quiet, allow_network)
    ctx.with_resource(no_network(active=not allow_network))


@cli.command("build")
@click.option("--force", is_flag=True, help="Rebuild even if the cache is up to date.")
@click.option(
    "--precompute/--no-precompute",
    default=None,
    help="Then run every saved query with its defaults, keeping the slow ones' results beside the cache"
    " (--no-precompute: not even in the background)  [default: in the background, for a build of"
    f" {KEEP_IN_BACKGROUND_FROM_TRIPLES:,} triples or more]",
)
@click.option("--keeper-of", metavar="KEY", hidden=True)  # the keeper's own run, on that build (belkg.keeper)
@click.option(
    "--keep-builds",
    type=click.IntRange(min=0),
    default=KEEP_BUILDS,
    show_default=True,
    metavar="N",
    help="After a fresh build, keep this project's N most recently used builds in the cache, this one"
    " included, and remove older ones with the answers kept beside them (0 keeps them all).",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    metavar="N",
    help="Run --precompute's queries in N processes at once  [default: one per core, at most 4]",
)
@build_engine_options
@pass_state
def build_command(
    state: State,
    force: bool,
    precompute: bool | None,
    keeper_of: str | None,
    keep_builds: int,
    jobs: int | None,
    reasoner: str,
    validator: str,
) -> None:
    """Load, ground, validate, derive edges, reason, and cache the result.

    A cached build is reused only if it was made by the same reasoner and validator.
    Any query whose answer took 0.25 s or more is kept beside the cache, and read back
    when the same text runs again on the same build; --precompute finds the saved
    queries' answers now. After a build of 100,000 triples or more, a process of its own
    finds them in the background unless --no-precompute is given.
    """
    if keeper_of is not None:
        _keep(state, keeper_of, jobs)
        return
    result = state.build(force=force, reasoner=reasoner, validator=validator, keep_builds=keep_builds)
    counts = result.entry.manifest.get("triples_per_graph", {})
    for graph, count in sorted(counts.items()):
        click.echo(f"{count:>7}  {graph}")
    click.echo(f"{sum(counts.values()):>7}  triples in all", err=False)
    if result.from_cache:
        state.say(f"up to date: cache {result.key[:12]} ({result.entry.folder})")
    else:
        timing = ", ".join(f"{stage} {seconds:.2f} s" for stage, seconds in result.seconds.items())
        state.say(f"built: {timing}")
    if precompute:
        _precompute(state, result.key, jobs, in_background=False)
    elif precompute is None and sum(counts.values()) >= KEEP_IN_BACKGROUND_FROM_TRIPLES:
        _keep_in_background(state, result.key)
    if result.findings:
        click.echo(f"{len(result.findings)} finding(s): run `belkg validate` to see them", err=True)
        sys.exit(EXIT_FINDINGS)


def _keep(state: State, key: str, jobs: int | None) -> None:
    """The keeper's own run: precompute on the build `key`, never building anew (the
    project's files may have changed since)."""
    import re

    from belkg.build.cache import open_entry

    if not re.fullmatch("[0-9a-f]{64}", key):
        raise click.BadParameter("not a build's key (64 hexadecimal digits)", param_hint="'--keeper-of'")
    entry = open_entry(state.cache_root(), key, thorough=False)
    if entry is None:
        state.say(f"the build {key[:12]} is no longer in the cache: nothing to keep")
        return
    state.pin(entry)
    _precompute(state, key, jobs, in_background=True)


def _keeper(state: State, key: str) -> tuple[Any, list[Any], str]:
    """This build's keeper, the saved queries, and the digest of their default runs."""
    from belkg.build.cache import VIEWS
    from belkg.catalogue import load_catalogue
    from belkg.keeper import keeper_of, queries_digest
    from belkg.kept_results import default_runs

    queries = load_catalogue(state.project().queries_dir)
    keeper = keeper_of(state.cache_root() / VIEWS, key)
    return keeper, queries, queries_digest(default_runs(queries))


def _precompute(state: State, key: str, jobs: int | None, in_background: bool) -> None:
    """Run the saved queries on the build `key` now (--precompute), or as its keeper."""
    from contextlib import nullcontext, suppress

    from belkg import keeper as keepers
    from belkg.kept_results import precompute as run_saved_queries

    keeper, queries, digest = _keeper(state, key)
    with keepers.at_work(keeper) if in_background else nullcontext(True) as free:
        if not free:
            state.say(f"another keeper is at work on this build (process {keepers.running(keeper)})")
            return
        jobs = jobs or min(os.cpu_count() or 1, PRECOMPUTE_JOBS)
        began = time.perf_counter()
        done = run_saved_queries(state.engine(), queries, state.progress, reopen=state.engine_opener(), jobs=jobs)
        seconds = time.perf_counter() - began
        for failed in (item for item in done if item.error):
            click.echo(f"warning: {failed.error}", err=True)
        kept = sum(item.kept for item in done)
        at_once = f", {min(jobs, len(done))} at a time" if jobs > 1 and len(done) > 1 else ""
        state.say(f"precomputed: {len(done)} saved queries in {seconds:.2f} s{at_once}, {kept} kept")
        if not any(item.error for item in done):  # else a later build starts a keeper again
            with suppress(OSError, BelkgError):
                keepers.mark_finished(keeper, digest)


def _keep_in_background(state: State, key: str) -> None:
    """Start the keeper of a big build, unless its answers are kept or being kept."""
    from belkg import keeper as keepers

    keeper, _, digest = _keeper(state, key)
    arguments = ["--project", str(state.project().root), "--cache-dir", str(state.cache_root()), "build",
                 "--keeper-of", key]  # fmt: skip
    try:
        pid = keepers.start_if_needed(keeper, digest, arguments)
    except OSError as error:
        click.echo(f"warning: could not start the keeper of the saved queries' answers: {error}", err=True)
        return
    if pid is not None:
        state.say(
            f"keeping the saved queries' answers in the background (process {pid}, log {keeper.log});"
            " `belkg build --precompute` waits for them"
        )


@cli.command("validate")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="How to print the findings.",
)
@build_engine_options
@pass_state
def validate_command(state: State, fmt: str, reasoner: str, validator: str) -> None:
    """Check the graph: SHACL shapes, quotes in their seeds, labels, seed hashes.

    Exit 0 when it conforms, 1 when there are findings, 2 on an input error.
    """
    from belkg.catalogue import catalogue_findings

    result = state.build(reasoner=reasoner, validator=validator)
    findings = [*result.findings, *catalogue_findings(state.project().queries_dir)]
    if fmt == "json":
        click.echo(
            json.dumps(
                {"conforms": not findings, "findings": [finding.as_dict() for finding in findings]},
                indent=2,
                ensure_ascii=False,
            )
        )
    else:
        for finding in findings:
            click.echo(finding.format())
    if findings:
        files = {finding.file for finding in findings}
        click.echo(f"does not conform: {len(findings)} finding(s) in {len(files)} file(s)", err=True)
        sys.exit(EXIT_FINDINGS)
    state.say("conforms: shapes, quotes, labels, seed hashes, cues, identities and claim numbers all check out")


@cli.command("coverage")
@click.option("--all", "show_all", is_flag=True, help="List every sentence with the claims citing it.")
@click.option("--seed", "seeds", multiple=True, metavar="STEM", help="Only these seeds (e.g. 001). Repeatable.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@pass_state
def coverage_command(state: State, show_all: bool, seeds: tuple[str, ...], fmt: str) -> None:
    """Per seed, each sentence and the claims that cite it.

    Sentences no claim cites must be listed, with a reason, in kg/coverage-skip.txt.
    Exit 1 if any other sentence is uncited.
    """
    from belkg.coverage import as_json, format_text, project_coverage, select_seeds

    result = state.build()
    report, stale = project_coverage(result.project, result.dataset)
    report = select_seeds(report, seeds)
    if fmt == "json":
        click.echo(json.dumps(as_json(report), indent=2, ensure_ascii=False))
    else:
        click.echo(format_text(report, show_all), nl=False)
    for entry in stale:
        click.echo(
            f"{result.project.relative(result.project.skip_list_file)}:{entry.line}: "
            f"skip entry matches no uncited sentence of seed {entry.seed}: {entry.text[:60]!r}",
            err=True,
        )
    uncited = sum(seed.count("uncited") for seed in report)
    if uncited:
        click.echo(f"{uncited} sentence(s) cited by no claim and not on the skip list", err=True)
        sys.exit(EXIT_FINDINGS)


@cli.command("export")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["nq", "trig", "jsonld", "ttl", "nt", "xml"]),
    default=None,
    help="RDF format. Default: from the -o extension, else nq.",
)
@click.option(
    "--graphs",
    type=click.Choice(["all", "asserted", "inferred"]),
    default="all",
    show_default=True,
    help="The hand-written graphs, the derived ones (grounding, edges, inferences), or both.",
)
@output_option
@pass_state
def export_command(state: State, fmt: str | None, graphs: str, output: str | None) -> None:
    """Export the built graph as RDF. N-Quads, TriG and JSON-LD keep the named graphs;
    Turtle, N-Triples and RDF/XML get their union. Turtle is diff-stable."""
    from belkg.export import FORMATS, format_for, keeps_graphs
    from belkg.export_lines import LINE_FORMATS, export_lines

    chosen = format_for(output, fmt)
    check_output(output)
    if chosen in LINE_FORMATS:  # straight from the cache's N-Quads (checked whole): no parsing, no rdflib
        from belkg.session import current_entry

        entry = current_entry(state.project(), state.cache_dir, state.progress, thorough=True)
        data = export_lines(entry.dataset_file, chosen, graphs)
    else:
        from belkg.export import select_graphs, serialize

        data = serialize(select_graphs(state.build().dataset, graphs), chosen)
    if not keeps_graphs(chosen):
        from belkg.catalogue import named_graph_queries
        from belkg.export import union_note

        state.say(union_note(FORMATS[chosen][0], graphs, named_graph_queries(state.project().queries_dir)))
    write_output(output, data)
    if output and output != "-":
        state.say(f"wrote {output} ({len(data)} bytes)")


@cli.command("push")
@click.option(
    "--endpoint",
    metavar="URL",
    required=True,
    help="The server's Graph Store Protocol URL (Oxigraph: http://host:7878/store).",
)
@click.option("--replace", is_flag=True, help="Replace each graph (HTTP PUT) instead of adding to it (POST).")
@click.option("--graphs", type=click.Choice(["all", "asserted", "inferred"]), default="all", show_default=True)
@click.option("--user", default=None, metavar="NAME", help="User name, if the server asks (else BELKG_USER, ~/.netrc).")
@click.option(
    "--password", default=None, metavar="TEXT", help="Password, if the server asks (else BELKG_PASSWORD, ~/.netrc)."
)
@timeout_option("Seconds each request may take in all, from connecting to the last byte of the answer.")
@max_response_option
@pass_state
def push_command(
    state: State, endpoint: str, replace: bool, graphs: str, user: str | None, password: str | None,
    timeout: float, max_response: int,
) -> None:  # fmt: skip
    """Upload the built graph to a triple store, one request per named graph. Each
    request must be answered 2xx within --timeout seconds (the whole exchange). A server
    that asks for credentials (HTTP Basic or Digest) gets --user and --password, else
    BELKG_USER and BELKG_PASSWORD, else the ~/.netrc entry for its host."""
    from belkg.credentials import find_credentials
    from belkg.export_lines import graph_lines
    from belkg.remote import push_graph
    from belkg.safety import network_allowed
    from belkg.session import current_entry

    credentials = find_credentials(endpoint, user, password)
    # Each graph's N-Triples straight from the cache's N-Quads (checked whole): no rdflib.
    entry = current_entry(state.project(), state.cache_dir, state.progress, thorough=True)
    pushed = total = 0
    with network_allowed():
        for graph, data, count in graph_lines(entry.dataset_file, graphs):
            state.progress(f"{'replacing' if replace else 'adding'} <{graph}> ({count} triples)")
            push_graph(
                endpoint, graph, data, replace=replace, timeout=timeout, max_bytes=max_response << 20,
                credentials=credentials,
            )  # fmt: skip
            pushed, total = pushed + 1, total + count
    state.say(f"pushed {pushed} graphs, {total} triples, to {endpoint}")


def main() -> None:
    """The console script (belkg.console.main): a plain `belkg query` without click."""
    from belkg.console import main as console_main

    console_main()


def engine_options(function: F) -> F:
    function = click.option(
        "--no-inference", is_flag=True, help="Query the asserted graphs only (no derived edges, no OWL RL)."
    )(function)
    return click.option(
        "--engine",
        type=click.Choice(["oxigraph", "rdflib"]),
        default="oxigraph",
        show_default=True,
        help="oxigraph (fast) or rdflib (the reference).",
    )(function)


@cli.command("query")
@click.argument("target", required=False, metavar="NAME|FILE.rq|-")
@click.option("-e", "--expression", "inline", metavar="SPARQL", help="Run this query text instead.")
@click.option(
    "-f", "--file", "query_file", metavar="PATH", help="Read the query from this file (its #+ header, if any, too)."
)
@click.option(
    "--data",
    "data_files",
    multiple=True,
    metavar="FILE",
    help="Also query the statements of this RDF file (.ttl, .nt, .nq, .trig), as a named graph named by "
    "its file: URI, for this command only. Repeatable.",
)
@click.option(
    "-p", "--param", "params", nargs=2, multiple=True, metavar="NAME VALUE", help="A parameter value. Repeatable."
)
@click.option(
    "--format",
    "fmt",
    default=None,
    type=click.Choice(QUERY_FORMATS),
    help="Result format (table: the same as text). Default: from -o's extension, else text, a table "
    "(Turtle for CONSTRUCT).",
)
@engine_options
@click.option(
    "--endpoint",
    metavar="URL",
    default=None,
    help="Run the query on this SPARQL 1.1 endpoint instead of the local build.",
)
@limit_options
@max_response_option
@output_option
@pass_state
def query_command(
    state: State, target: str | None, inline: str | None, query_file: str | None, data_files: tuple[str, ...],
    params: tuple[tuple[str, str], ...], fmt: str | None, engine: str, no_inference: bool, endpoint: str | None,
    timeout: float, memory: int, max_response: int, output: str | None,
) -> None:  # fmt: skip
    """Run a saved query (by name), a .rq file (or --file), the query on stdin (-), or
    -e 'SPARQL' against the built graph, or against a SPARQL endpoint with --endpoint.
    Prefixes listed by `belkg prefixes` need no declaration."""
    run_query(
        state, target, inline=inline, query_file=query_file, data_files=data_files, params=params, fmt=fmt,
        engine=engine, no_inference=no_inference, endpoint=endpoint, timeout=timeout, memory=memory,
        max_response=max_response, output=output,
    )  # fmt: skip


@cli.command("prefixes")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json", "sparql", "ttl"]), default="text", show_default=True
)
def prefixes_command(fmt: str) -> None:
    """The prefixes every query may use without declaring them: bk:, bkd:, and the
    common W3C ones (rdf:, skos:, prov: and others); a query's own PREFIX declarations
    override them."""
    from belkg.predeclared import listing

    click.echo(listing(fmt), nl=False)


@cli.group("queries", invoke_without_command=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--tag", default=None, help="Only queries with this tag.")
@click.pass_context
def queries_group(ctx: click.Context, fmt: str, tag: str | None) -> None:
    """List the saved queries: name, summary, parameters."""
    if ctx.invoked_subcommand is not None:
        return
    from belkg.catalogue import format_listing, load_catalogue
    from belkg.results import table_width

    state = ctx.find_object(State)
    assert state is not None
    catalogue = [q for q in load_catalogue(state.project().queries_dir) if tag is None or tag in q.tags]
    if fmt == "json":
        click.echo(json.dumps([query.as_dict() for query in catalogue], indent=2, ensure_ascii=False))
        return
    click.echo(format_listing(catalogue, table_width()), nl=False)


@queries_group.command("show")
@click.argument("name")
@pass_state
def queries_show(state: State, name: str) -> None:
    """Print a saved query: its header and SPARQL."""
    from belkg.catalogue import find_saved_query

    click.echo(find_saved_query(state.project().queries_dir, name).text, nl=False)


@cli.command("stats")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option(
    "--network", is_flag=True, help="Instead: network measures of the story view (degree, betweenness, components)."
)
@limit_options
@pass_state
def stats_command(state: State, fmt: str, network: bool, timeout: float, memory: int) -> None:
    """Triples per graph, things per class, claims per source, kind and hedge,
    corroboration and conflicts; with --network, measures of the story view."""
    from belkg.limits import within
    from belkg.stats import collect, format_text

    if network:
        _network_stats(state, fmt, timeout, memory)
        return
    engine = state.engine()
    report = within(lambda: collect(engine, state.conflicts(engine)), timeout, memory, "stats")
    if fmt == "json":
        click.echo(json.dumps({title: dict(pairs) for title, pairs in report.items()}, indent=2, ensure_ascii=False))
        return
    click.echo(format_text(report), nl=False)


@cli.command("entity")
@click.argument("spelling")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "csv", "tsv", "md", "table"]),
    default="text",
    show_default=True,
    help="text: a card; the others: the card's rows in that result format.",
)
@engine_options
@limit_options
@pass_state
def entity_command(
    state: State, spelling: str, fmt: str, engine: str, no_inference: bool, timeout: float, memory: int
) -> None:
    """Everything about one thing, found by any of its spellings: labels, roles and
    offices, events and how it took part, words it said, and the sources with their
    quotes. Several matches are listed, with exit code 2."""
    from belkg.conflicts import concerning
    from belkg.entity import card, claims_of, render_card, resolve
    from belkg.limits import within
    from belkg.querying import labels_for
    from belkg.results import needs_labels, render, table_width

    project = state.project()
    width = table_width()
    headers = state.cache_root() / QUERY_HEADERS
    runner = state.engine(engine, inference=not no_inference)

    def show() -> str:
        match = resolve(runner, project, spelling, headers)
        result = card(runner, project, match.iri, headers)
        labels = labels_for(runner, result) if fmt == "text" or needs_labels(fmt) else {}
        if fmt != "text":
            return render(result, fmt, labels, width)
        disputes = concerning(state.conflicts(runner), match.iri, claims_of(result))
        return render_card(match, result, labels, disputes)

    click.echo(within(show, timeout, memory, "entity"), nl=False)


def _network_stats(state: State, fmt: str, timeout: float, memory: int) -> None:
    from belkg.limits import within
    from belkg.views.network import format_measures, network_measures, story_view
    from belkg.views.viz import load_renderer

    engine = state.engine()
    load_renderer("json")  # networkx, before the child is forked: see its docstring
    measures = within(lambda: network_measures(story_view(engine)), timeout, memory, "stats")
    if fmt == "json":
        click.echo(json.dumps(measures.as_dict(), indent=2, ensure_ascii=False))
    else:
        click.echo(format_measures(measures), nl=False)


def _write_file_or_stdout(state: State, output: str | None, data: bytes, what: str) -> None:
    write_output(output, data)
    if output and output != "-":
        state.say(f"wrote {output} ({what}, {len(data)} bytes)")


@cli.command("viz")
@click.option("--full", is_flag=True, help="The raw triple graph (every node, every predicate) instead of the story.")
@click.option("--focus", "focus_on", metavar="SPELLING", help="Only what is near this thing (any spelling, or an IRI).")
@click.option("--depth", type=click.IntRange(0), default=1, show_default=True, help="How many steps from --focus.")
@click.option("--query", "query", metavar="NAME|FILE.rq", help="Draw the graph a saved CONSTRUCT query returns.")
@click.option(
    "-p", "--param", "params", nargs=2, multiple=True, metavar="NAME VALUE", help="A parameter of --query. Repeatable."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["png", "svg", "html", "graphml", "gexf", "json"]),
    default=None,
    help="Default: from the -o extension.",
)
@click.option("--title", default=None, help="The picture's or page's title.")
@engine_options
@limit_options
@output_option
@pass_state
def viz_command(
    state: State, full: bool, focus_on: str | None, depth: int, query: str | None,
    params: tuple[tuple[str, str], ...], fmt: str | None, title: str | None, engine: str,
    no_inference: bool, timeout: float, memory: int, output: str | None,
) -> None:  # fmt: skip
    """See the graph: a picture (.png, .svg), an offline interactive page (.html), or a
    file for Gephi and Cytoscape (.graphml, .gexf, .json).

    By default the story view: people, organisations, countries and events, linked by
    the roles the claims state, each edge carrying its sources. The format comes from
    the -o extension.
    """
    from belkg.limits import within
    from belkg.views.viz import choose_view, format_for, load_renderer, render

    chosen = format_for(output, fmt)
    check_output(output)
    given = dict(params)
    if len(given) != len(params):
        raise BelkgError("a parameter is given twice")
    if depth != 1 and focus_on is None:
        raise BelkgError("--depth needs --focus")
    runner = state.engine(engine, inference=not no_inference)
    project, headers = state.project(), state.cache_root() / QUERY_HEADERS
    state.progress(f"drawing the view as {chosen}")

    def draw() -> bytes:
        graph = choose_view(
            runner, project, full=full, query=query, params=given, focus_on=focus_on, depth=depth,
            header_cache=headers,
        )  # fmt: skip
        return render(graph, chosen, title)

    load_renderer(chosen)
    _write_file_or_stdout(state, output, within(draw, timeout, memory, "viz"), chosen)


@cli.command("timeline")
@click.option("--format", "fmt", type=click.Choice(["png", "svg", "html"]), default=None, help="Default: from -o.")
@limit_options
@output_option
@pass_state
def timeline_command(state: State, fmt: str | None, timeout: float, memory: int, output: str | None) -> None:
    """Events on a time axis, each date at its precision (a day, a month, a year); undated
    events placed by their bounds, or listed apart with the sources' words."""
    from belkg.limits import within
    from belkg.views.drawing import PICTURE_FORMATS, load_matplotlib
    from belkg.views.timeline import TIMELINE_FORMATS, collect, render
    from belkg.views.viz import format_for

    chosen = format_for(output, fmt, TIMELINE_FORMATS)
    check_output(output)
    engine, project, headers = state.engine(), state.project(), state.cache_root() / QUERY_HEADERS
    if chosen in PICTURE_FORMATS:
        load_matplotlib()  # before the child is forked: see its docstring
    data = within(
        lambda: render(collect(engine, project, headers, state.conflicts(engine)), chosen), timeout, memory, "timeline"
    )
    _write_file_or_stdout(state, output, data, chosen)


@cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="The address to listen on (0.0.0.0: every one).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@timeout_option("Seconds a request's queries may run (0: no limit).")
@click.option("--memory", type=click.IntRange(min=0), default=4096, show_default=True, metavar="MIB",
              help="The memory (address space, MiB) a request's query may use (0: no limit).")  # fmt: skip
@click.option("--conflicts-timeout", type=float, default=1800.0, show_default=True, callback=_seconds,
              metavar="SECONDS", help="Seconds the search for conflicting claims may run in the background "
              "when no earlier run kept them (0: no limit).")  # fmt: skip
@pass_state
def serve_command(state: State, host: str, port: int, timeout: float, memory: int, conflicts_timeout: float) -> None:
    """Serve the graph to a browser: pages for every thing, document and saved query, a
    query editor, and a SPARQL 1.1 endpoint at /sparql. Read-only. It listens before the
    conflicting claims and the pictures' graph are found: pages say so until they are."""
    from belkg.web.app import Limits
    from belkg.web.server import exposure_warning, open_pages, serve

    warning = exposure_warning(host)
    if warning:
        click.echo(f"Warning: {warning}", err=True)
    pages = open_pages(state.project(), state.entry(), state.cache_root())
    limits = Limits(timeout=timeout, memory=memory, conflicts=conflicts_timeout)
    serve(pages, host, port, limits, lambda line: click.echo(line, err=True))


@cli.command("site")
@click.option("-o", "--output", "output", required=True, metavar="DIR", help="The folder to write the site into.")
@click.option("--no-pictures", is_flag=True, help="Leave out each thing's picture of its neighbourhood (faster).")
@pass_state
def site_command(state: State, output: str, no_pictures: bool) -> None:
    """Write the pages as static files with relative links: they open from disk and can
    be published as they are."""
    from belkg.web.server import open_pages
    from belkg.web.static_site import write_site

    pages = open_pages(state.project(), state.entry(), state.cache_root())
    pages.pictures = not no_pictures
    count = write_site(pages, Path(output), state.progress)
    state.say(f"wrote {count} files to {output}")


if __name__ == "__main__":  # pragma: no cover
    main()
