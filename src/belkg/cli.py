"""The `belkg` command line: a thin layer over the library.

Data goes to stdout, messages and progress to stderr. Exit codes: 0 ok, 1 findings
(the graph does not conform, or sentences are uncited), 2 usage or input error.
"""

from __future__ import annotations

import errno
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from belkg import __version__
from belkg.errors import EXIT_FINDINGS, BelkgError, printable

F = TypeVar("F", bound=Callable[..., Any])


# A full or failing device behind stdout (belkg query > /dev/full).
_OUTPUT_ERRORS = {errno.ENOSPC, errno.EFBIG, errno.EDQUOT, errno.EIO}


def _stdout_failed(error: OSError) -> None:
    click.echo(f"Error: stdout: cannot write: {error.strerror}", err=True)
    try:  # what is left in the buffer would fail again, with a traceback, at exit
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    sys.exit(2)


class BelkgGroup(click.Group):
    """Turns every BelkgError, and click's usage errors, into one line on stderr and
    exit code 2."""

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
            if error.errno not in _OUTPUT_ERRORS:
                raise
            _stdout_failed(error)
        sys.exit(outcome if isinstance(outcome, int) else 0)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BelkgError as error:
            click.echo(f"Error: {printable(str(error))}", err=True)
            ctx.exit(error.exit_code)


class State:
    """Options shared by every command, and the build they lead to."""

    def __init__(self, project: str | None, cache_dir: str | None, quiet: bool, allow_network: bool = False) -> None:
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
            click.echo(f"… {message}", err=True)

    def cache_root(self) -> Path:
        from belkg.cache import default_cache_root

        return self.cache_dir or default_cache_root()

    def entry(self) -> Any:
        """The cache entry of the current inputs (built first if needed); no rdflib."""
        if self._entry is None:
            from belkg.session import current_entry

            self._entry = current_entry(self.project(), self.cache_dir, self.progress)
        return self._entry

    def engine(self, name: str = "oxigraph", *, inference: bool = True) -> Any:
        """A query engine over the current build. A store that cannot be opened (damaged
        on disk) is not trusted: the build is made again."""
        from belkg.querying import open_engine

        checks = self.cache_root() / "query-checks"
        entry = self.entry()
        try:
            return open_engine(entry, name, inference=inference, allow_network=self.allow_network, checks_cache=checks)
        except (OSError, RuntimeError):
            entry = self.build(force=True).entry
            return open_engine(entry, name, inference=inference, allow_network=self.allow_network, checks_cache=checks)

    def build(self, force: bool = False, reasoner: str = "fast", validator: str = "fast") -> Any:
        from belkg.build import build

        result = build(
            self.project(), self.cache_dir, force=force, progress=self.progress, reasoner=reasoner, validator=validator
        )
        self._entry = result.entry
        return result


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


@click.group(cls=BelkgGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="belkg")
@click.option(
    "--project",
    "project",
    metavar="DIR",
    default=None,
    help="The project folder (with kg/ and ontology/). Default: the nearest one upward "
    "from the current folder, else the graph shipped with belkg.",
)
@click.option(
    "--cache-dir",
    metavar="DIR",
    default=None,
    envvar="BELKG_CACHE_DIR",
    help="Where builds are cached. Default: $XDG_CACHE_HOME/belkg or ~/.cache/belkg.",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress messages.")
@click.option(
    "--allow-network",
    is_flag=True,
    help="Let queries use SERVICE and FROM of remote graphs, and local work reach the network.",
)
@click.pass_context
def cli(ctx: click.Context, project: str | None, cache_dir: str | None, quiet: bool, allow_network: bool) -> None:
    """belkg: Belarus's political prisoners and the deals that freed some of them, as a
    knowledge graph in which every fact cites the words of its source."""
    from belkg.safety import no_network

    ctx.obj = State(project, cache_dir, quiet, allow_network)
    ctx.with_resource(no_network(active=not allow_network))


@cli.command("build")
@click.option("--force", is_flag=True, help="Rebuild even if the cache is up to date.")
@build_engine_options
@pass_state
def build_command(state: State, force: bool, reasoner: str, validator: str) -> None:
    """Load, ground, validate, derive edges, reason, and cache the result.

    A cached build is reused only if it was made by the same reasoner and validator.
    """
    result = state.build(force=force, reasoner=reasoner, validator=validator)
    counts = result.entry.manifest.get("triples_per_graph", {})
    for graph, count in sorted(counts.items()):
        click.echo(f"{count:>7}  {graph}")
    click.echo(f"{sum(counts.values()):>7}  triples in all", err=False)
    if result.from_cache:
        click.echo(f"up to date: cache {result.key[:12]} ({result.entry.folder})", err=True)
    else:
        timing = ", ".join(f"{stage} {seconds:.2f} s" for stage, seconds in result.seconds.items())
        click.echo(f"built: {timing}", err=True)
    if result.findings:
        click.echo(f"{len(result.findings)} finding(s): run `belkg validate` to see them", err=True)
        sys.exit(EXIT_FINDINGS)


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
    result = state.build(reasoner=reasoner, validator=validator)
    if fmt == "json":
        click.echo(
            json.dumps(
                {"conforms": result.conforms, "findings": [finding.as_dict() for finding in result.findings]},
                indent=2,
                ensure_ascii=False,
            )
        )
    else:
        for finding in result.findings:
            click.echo(finding.format())
    if result.findings:
        files = {finding.file for finding in result.findings}
        click.echo(f"does not conform: {len(result.findings)} finding(s) in {len(files)} file(s)", err=True)
        sys.exit(EXIT_FINDINGS)
    click.echo(
        "conforms: shapes, quotes, labels, seed hashes, cues, identities and claim numbers all check out", err=True
    )


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
    from belkg.coverage import as_json, project_coverage, summary_rows

    result = state.build()
    report, stale = project_coverage(result.project, result.dataset)
    if seeds:
        unknown = set(seeds) - {seed.seed.split("_", 1)[0] for seed in report} - {s.seed for s in report}
        if unknown:
            raise BelkgError(f"no such seed: {', '.join(sorted(unknown))}")
        report = [seed for seed in report if seed.seed in seeds or seed.seed.split("_", 1)[0] in seeds]
    if fmt == "json":
        click.echo(json.dumps(as_json(report), indent=2, ensure_ascii=False))
    else:
        click.echo(f"{'seed':<22} {'sentences':>9} {'cited':>6} {'skipped':>7} {'uncited':>7} {'coverage':>8}")
        for row in summary_rows(report):
            click.echo(
                f"{row['seed']!s:<22} {row['sentences']:>9} {row['cited']:>6} {row['skipped']:>7} "
                f"{row['uncited']:>7} {row['percent']:>7}%"
            )
        for seed in report:
            for item in seed.sentences:
                if show_all or item.status == "uncited":
                    cited = (
                        ", ".join(item.claims)
                        if item.claims
                        else (f"skipped: {item.skipped.reason}" if item.skipped else "UNCITED")
                    )
                    click.echo(
                        f"seeds/{seed.seed}.txt:{item.sentence.line}: [{item.status}] "
                        f"{item.sentence.text[:100]!r} <- {cited}"
                    )
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
    _check_output(output)
    if chosen in LINE_FORMATS:  # straight from the cache's N-Quads (checked whole): no parsing, no rdflib
        from belkg.session import current_entry

        entry = current_entry(state.project(), state.cache_dir, state.progress, thorough=True)
        data = export_lines(entry.dataset_file, chosen, graphs)
    else:
        from belkg.export import select_graphs, serialize

        data = serialize(select_graphs(state.build().dataset, graphs), chosen)
    if not keeps_graphs(chosen):
        click.echo(f"note: {FORMATS[chosen][0]} has no named graphs; wrote the union of the {graphs} graphs", err=True)
    _write_output(output, data)
    if output and output != "-":
        click.echo(f"wrote {output} ({len(data)} bytes)", err=True)


@cli.command("push")
@click.option(
    "--endpoint",
    metavar="URL",
    required=True,
    help="The server's Graph Store Protocol URL (Oxigraph: http://host:7878/store).",
)
@click.option("--replace", is_flag=True, help="Replace each graph (HTTP PUT) instead of adding to it (POST).")
@click.option("--graphs", type=click.Choice(["all", "asserted", "inferred"]), default="all", show_default=True)
@timeout_option("Seconds each request may take in all, from connecting to the last byte of the answer.")
@max_response_option
@pass_state
def push_command(state: State, endpoint: str, replace: bool, graphs: str, timeout: float, max_response: int) -> None:
    """Upload the built graph to a triple store, one request per named graph. Each
    request must be answered 2xx within --timeout seconds (the whole exchange)."""
    from belkg.export import graph_payloads, select_graphs
    from belkg.remote import push_graph
    from belkg.safety import network_allowed

    payloads = graph_payloads(select_graphs(state.build().dataset, graphs))
    with network_allowed():
        for graph, data, count in payloads:
            state.progress(f"{'replacing' if replace else 'adding'} <{graph}> ({count} triples)")
            push_graph(endpoint, graph, data, replace=replace, timeout=timeout, max_bytes=max_response << 20)
    total = sum(count for _, _, count in payloads)
    click.echo(f"pushed {len(payloads)} graphs, {total} triples, to {endpoint}", err=True)


def main() -> None:
    from belkg.limits import one_shot

    one_shot()  # the process ends with the command: limits need no child (see belkg.limits)
    cli(prog_name="belkg")


def _check_output(output: str | None) -> None:
    """Refuse an -o that is not a regular file before any work is done."""
    if output and output != "-":
        from belkg.atomic import regular_target

        regular_target(Path(output))


def _write_output(output: str | None, data: str | bytes) -> None:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if output and output != "-":
        from belkg.atomic import write_atomically

        write_atomically(Path(output), raw)
    else:
        try:
            sys.stdout.buffer.write(raw)
            sys.stdout.buffer.flush()
        except OSError as error:
            if error.errno not in _OUTPUT_ERRORS:
                raise
            _stdout_failed(error)


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
@click.argument("target", required=False, metavar="NAME|FILE.rq")
@click.option("-e", "--expression", "inline", metavar="SPARQL", help="Run this query text instead.")
@click.option(
    "-p", "--param", "params", nargs=2, multiple=True, metavar="NAME VALUE", help="A parameter value. Repeatable."
)
@click.option(
    "--format",
    "fmt",
    default=None,
    type=click.Choice(["table", "json", "xml", "csv", "tsv", "md", "ttl", "nt", "jsonld"]),
    help="Result format. Default: from -o's extension, else table (Turtle for CONSTRUCT).",
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
    state: State, target: str | None, inline: str | None, params: tuple[tuple[str, str], ...],
    fmt: str | None, engine: str, no_inference: bool, endpoint: str | None, timeout: float, memory: int,
    max_response: int, output: str | None,
) -> None:  # fmt: skip
    """Run a saved query (by name), a .rq file, or -e 'SPARQL' against the built graph,
    or against a SPARQL endpoint with --endpoint."""
    from contextlib import AbstractContextManager, nullcontext

    from belkg.limits import within
    from belkg.querying import labels_for, resolve_query, run
    from belkg.results import format_for, render, render_graph
    from belkg.safety import network_allowed

    _check_output(output)
    query = resolve_query(state.project(), target, inline, state.cache_root() / "query-headers")
    given = dict(params)
    if len(given) != len(params):
        raise BelkgError("a parameter is given twice")
    where = str(query.path) if query.path else query.name
    guard: AbstractContextManager[None] = nullcontext()
    if endpoint is not None:
        from belkg.remote import EndpointEngine

        if no_inference:
            raise BelkgError("--no-inference works on the local build only; the endpoint decides its default graph")
        runner: Any = EndpointEngine(endpoint, timeout, max_response << 20)
        guard = network_allowed()
    else:
        runner = state.engine(engine, inference=not no_inference)

    def answer() -> bytes:
        result = run(runner, query, given)
        chosen = format_for(output, fmt, result.kind)
        if result.kind == "graph":
            return render_graph(result, chosen)
        labels = labels_for(runner, result) if chosen in ("table", "md") else {}
        return render(result, chosen, labels).encode("utf-8")

    with guard:  # an endpoint's requests carry the time limit themselves (see belkg.remote)
        data = within(answer, None if endpoint else timeout, memory, where)
    _write_output(output, data)


@cli.group("queries", invoke_without_command=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--tag", default=None, help="Only queries with this tag.")
@click.pass_context
def queries_group(ctx: click.Context, fmt: str, tag: str | None) -> None:
    """List the saved queries: name, summary, parameters."""
    if ctx.invoked_subcommand is not None:
        return
    from belkg.catalogue import load_catalogue

    state = ctx.find_object(State)
    assert state is not None
    catalogue = [q for q in load_catalogue(state.project().queries_dir) if tag is None or tag in q.tags]
    if fmt == "json":
        click.echo(json.dumps([query.as_dict() for query in catalogue], indent=2, ensure_ascii=False))
        return
    width = max((len(query.name) for query in catalogue), default=4)
    for query in catalogue:
        params = " ".join(
            f"[-p {p.name} {p.type.upper()}]" if not p.required else f"-p {p.name} {p.type.upper()}"
            for p in query.params
        )
        click.echo(f"{query.name:<{width}}  {query.summary}" + (f"  {params}" if params else ""))


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
    from belkg.conflicts import find_conflicts
    from belkg.limits import within
    from belkg.stats import collect

    if network:
        _network_stats(state, fmt, timeout, memory)
        return
    engine = state.engine()
    headers = state.cache_root() / "query-headers"
    report = within(lambda: collect(engine, find_conflicts(engine, state.project(), headers)), timeout, memory, "stats")
    if fmt == "json":
        click.echo(json.dumps({title: dict(pairs) for title, pairs in report.items()}, indent=2, ensure_ascii=False))
        return
    for title, pairs in report.items():
        click.echo(f"{title}:")
        for key, count in pairs:
            click.echo(f"  {count:>7}  {key}")


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
    from belkg.conflicts import concerning, find_conflicts
    from belkg.entity import card, claims_of, render_card, resolve
    from belkg.limits import within
    from belkg.querying import labels_for
    from belkg.results import render

    project = state.project()
    headers = state.cache_root() / "query-headers"
    runner = state.engine(engine, inference=not no_inference)

    def show() -> str:
        match = resolve(runner, project, spelling, headers)
        result = card(runner, project, match.iri, headers)
        labels = labels_for(runner, result) if fmt in ("text", "table", "md") else {}
        if fmt != "text":
            return render(result, fmt, labels)
        disputes = concerning(find_conflicts(runner, project, headers), match.iri, claims_of(result))
        return render_card(match, result, labels, disputes)

    click.echo(within(show, timeout, memory, "entity"), nl=False)


def _network_stats(state: State, fmt: str, timeout: float, memory: int) -> None:
    from belkg.limits import within
    from belkg.network import format_measures, network_measures, story_view

    engine = state.engine()
    measures = within(lambda: network_measures(story_view(engine)), timeout, memory, "stats")
    if fmt == "json":
        click.echo(json.dumps(measures.as_dict(), indent=2, ensure_ascii=False))
    else:
        click.echo(format_measures(measures), nl=False)


def _write_file_or_stdout(output: str | None, data: bytes, what: str) -> None:
    _write_output(output, data)
    if output and output != "-":
        click.echo(f"wrote {output} ({what}, {len(data)} bytes)", err=True)


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
    from belkg.viz import choose_view, format_for, render

    chosen = format_for(output, fmt)
    _check_output(output)
    given = dict(params)
    if len(given) != len(params):
        raise BelkgError("a parameter is given twice")
    if depth != 1 and focus_on is None:
        raise BelkgError("--depth needs --focus")
    runner = state.engine(engine, inference=not no_inference)
    project, headers = state.project(), state.cache_root() / "query-headers"
    state.progress(f"drawing the view as {chosen}")

    def draw() -> bytes:
        graph = choose_view(
            runner, project, full=full, query=query, params=given, focus_on=focus_on, depth=depth,
            header_cache=headers,
        )  # fmt: skip
        return render(graph, chosen, title)

    _write_file_or_stdout(output, within(draw, timeout, memory, "viz"), chosen)


@cli.command("timeline")
@click.option("--format", "fmt", type=click.Choice(["png", "svg", "html"]), default=None, help="Default: from -o.")
@limit_options
@output_option
@pass_state
def timeline_command(state: State, fmt: str | None, timeout: float, memory: int, output: str | None) -> None:
    """Events on a time axis, each date at its precision (a day, a month, a year); undated
    events placed by their bounds, or listed apart with the sources' words."""
    from belkg.limits import within
    from belkg.timeline import TIMELINE_FORMATS, collect, render
    from belkg.viz import format_for

    chosen = format_for(output, fmt, TIMELINE_FORMATS)
    _check_output(output)
    engine, project, headers = state.engine(), state.project(), state.cache_root() / "query-headers"
    data = within(lambda: render(collect(engine, project, headers), chosen), timeout, memory, "timeline")
    _write_file_or_stdout(output, data, chosen)


if __name__ == "__main__":  # pragma: no cover
    main()
