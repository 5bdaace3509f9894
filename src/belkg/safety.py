"""What a query may do: read the local graph, nothing else, unless the user allows it.

Every engine runs a query only after `Gate.check` has passed it. The gate decides on the
parsed query (rdflib's SPARQL parser), not on its text, so no spelling the grammar
accepts goes around it. Refused:

- updates (INSERT, DELETE, LOAD, CLEAR, …): belkg's queries are read-only;
- SERVICE anywhere in the query (in OPTIONAL, UNION, a subquery, EXISTS, …), unless
  `--allow-network`: it would send the query to another server;
- FROM / FROM NAMED of a graph the build does not hold: engines would fetch it, and a
  graph of the build restricts the dataset as SPARQL says (`Checked`);
- a query longer than MAX_QUERY_BYTES or nested deeper than MAX_NESTING: the parser's
  cost grows with both, and the check must not be the thing that runs away.

While a local command runs, a Python audit hook also refuses every network connection
from Python code, so no library can reach out unnoticed. `--allow-network` lifts it and
the SERVICE refusal. Pushing to a store and querying an --endpoint are explicit requests
for the network: there the gate refuses updates only, and the server decides the rest.

A parsed query's verdict is kept in a small cache (keyed by a hash of the text), so
the parser is loaded only for a text not seen before.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from belkg.errors import BelkgError
from belkg.records import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from typing import Any

MAX_QUERY_BYTES = 1 << 20
MAX_NESTING = 100
_ANALYSIS_FORMAT = 2

_UPDATE_KEYWORDS = {
    "Load": "LOAD",
    "Clear": "CLEAR",
    "Drop": "DROP",
    "Create": "CREATE",
    "Add": "ADD",
    "Move": "MOVE",
    "Copy": "COPY",
    "InsertData": "INSERT",
    "DeleteData": "DELETE",
    "DeleteWhere": "DELETE",
}


class Analysis(NamedTuple):
    """What the parser found in a query text."""

    syntax_error: str | None = None
    update: str | None = None
    service: bool = False
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    dataset_clause: bool = False


class Checked(NamedTuple):
    """A query the gate passed: the text an engine must run (its codepoint escapes
    written out, so that every engine reads what the gate read), and the dataset it
    names: None for the engine's own default graph and named graphs, else exactly the
    FROM and FROM NAMED graphs."""

    text: str
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None


def _syntax_message(error: Exception) -> str:
    line, column = getattr(error, "lineno", None), getattr(error, "col", None)
    message = " ".join(str(getattr(error, "msg", None) or error).split())
    if line is not None and column is not None:
        return f"error at {line}:{column}: {message}"
    return message


def oxigraph_syntax_error(text: str) -> str | None:
    """Oxigraph's account of a syntax error in the text, or None if it parses.

    pyoxigraph has no parse-only call, but it parses a query before it checks its
    options, and refuses the union default graph together with an explicit one: so this
    parses and never evaluates (tests/test_safety.py holds pyoxigraph to it)."""
    import pyoxigraph

    try:
        pyoxigraph.Store().query(text, use_default_graph_as_union=True, default_graph=[])
    except SyntaxError as error:
        message = " ".join(str(error).split())
        return message.split(", ['", 1)[0]  # without the long list of allowed character ranges
    except ValueError:
        return None
    raise AssertionError("pyoxigraph evaluated a query it should only have parsed")  # pragma: no cover


def _walk(root: object) -> Iterator[object]:
    """Every node of a parse tree (rdflib's CompValue and ParseResults) in document
    order, without recursion."""
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    stack = [root]
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, CompValue):
            stack.extend(reversed(list(dict.values(node))))
        elif isinstance(node, ParseResults | list | tuple):
            stack.extend(reversed(list(node)))


def _update_keyword(parsed: Any) -> str | None:
    from rdflib.plugins.sparql.parserutils import CompValue

    for node in _walk(parsed):
        if isinstance(node, CompValue):
            if node.name in _UPDATE_KEYWORDS:
                return _UPDATE_KEYWORDS[node.name]
            if node.name == "Modify":
                if dict.get(node, "withClause") is not None:
                    return "WITH"
                return "DELETE" if dict.get(node, "delete") is not None else "INSERT"
    return None  # an empty text is an update of no operations


_PACKRAT_INTERNALS = ("packrat_cache_lock", "_packratEnabled", "packrat_cache", "disable_memoization", "_parseCache")


@contextmanager
def _without_packrat() -> Iterator[None]:
    """pyparsing's packrat memo switched off while rdflib's SPARQL grammar parses, and
    restored after. matplotlib's mathtext (loaded with pyplot: by every picture) switches
    it on for every grammar in the process, which makes rdflib's parser two to three times
    slower on belkg's queries (the conflicts query 1.6 s to 3.9 s); a memo changes no
    parse tree, only the time taken. These are pyparsing's own attributes: a pyparsing
    without them parses as it is set, slower at worst."""
    from pyparsing import ParserElement

    if not all(hasattr(ParserElement, name) for name in _PACKRAT_INTERNALS):
        yield
        return
    with ParserElement.packrat_cache_lock:
        if not ParserElement._packratEnabled:
            memo = None
        else:
            memo = ParserElement.packrat_cache
            ParserElement.disable_memoization()
    try:
        yield
    finally:
        if memo is not None:
            with ParserElement.packrat_cache_lock:
                ParserElement.packrat_cache = memo
                ParserElement._packratEnabled = True
                ParserElement._parse = ParserElement._parseCache


def parse_canonical(text: str) -> Any:
    """rdflib's parse tree of a text whose escapes are written out already (rdflib's
    parseQuery would write them out once more)."""
    from rdflib.plugins.sparql.parser import Query

    with _without_packrat():
        return Query.parse_string(text, parse_all=True)


def analyse(text: str) -> Analysis:
    """Parse a query (its escapes written out: `Gate.canonical`) and report what the gate
    decides on. Only rdflib's parser is used: nothing is evaluated."""
    from pyparsing import ParseException
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import UpdateUnit
    from rdflib.plugins.sparql.parserutils import CompValue

    try:
        parsed = parse_canonical(text)
    except ParseException as error:
        try:
            with _without_packrat():
                update = UpdateUnit.parse_string(text, parse_all=True)
            keyword = _update_keyword(update[0])
        except ParseException:
            keyword = None
        if keyword is not None:
            return Analysis(update=keyword)
        oxigraph = oxigraph_syntax_error(text)
        if oxigraph is not None:
            return Analysis(syntax_error=oxigraph)
        from belkg.sparql_errors import CHECKER_CANNOT_READ

        return Analysis(syntax_error=f"{CHECKER_CANNOT_READ}: {_syntax_message(error)}")
    oxigraph = oxigraph_syntax_error(text)  # rdflib accepts some texts SPARQL does not (an empty one)
    if oxigraph is not None:
        return Analysis(syntax_error=oxigraph)
    service = any(isinstance(node, CompValue) and node.name == "ServiceGraphPattern" for node in _walk(parsed))
    try:
        translated = translateQuery(parsed)
    except Exception as error:  # rdflib raises plain Exceptions for an unknown prefix and the like
        return Analysis(syntax_error=_syntax_message(error), service=service)
    # CompValue.get(key) answers the key itself when it is missing: dict.get is meant.
    clauses = dict.get(translated.algebra, "datasetClause") or []
    return Analysis(
        service=service,
        default_graphs=tuple(str(dict.get(c, "default")) for c in clauses if dict.get(c, "default") is not None),
        named_graphs=tuple(str(dict.get(c, "named")) for c in clauses if dict.get(c, "named") is not None),
        dataset_clause=bool(clauses),
    )


class AnalysisCache:
    """Analyses of query texts seen before, one small JSON file per text; and the text
    an engine runs for a query text seen before (`Gate.run_text`), one file each."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder

    def _path(self, text: str, kind: str = "") -> Path | None:
        if self.folder is None:
            return None
        from belkg import __version__
        from belkg.digests import sha256_hex

        key = sha256_hex(f"{__version__}\0{_ANALYSIS_FORMAT}\0{kind}{text}".encode())
        return self.folder / f"{kind}{key}.json"

    def get_run_text(self, written: str) -> str | None:
        """The text kept for `written` by put_run_text, or None. A kept text is the written
        one with at most a line of declarations before it, or it is not used."""
        path = self._path(written, "run-")
        if path is None:
            return None
        try:
            text = json.loads(path.read_text(encoding="utf-8"))["text"]
        except (OSError, ValueError, KeyError, TypeError):
            return None
        if not isinstance(text, str) or not text.endswith(written):
            return None
        return text if text[: len(text) - len(written)].count("\n") <= 1 else None

    def put_run_text(self, written: str, text: str) -> None:
        self._write(self._path(written, "run-"), {"text": text})

    def _write(self, path: Path | None, data: dict[str, Any]) -> None:
        if path is None:
            return
        from belkg.atomic import write_atomically

        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(path, json.dumps(data).encode("utf-8"))
        except (OSError, BelkgError):
            pass  # a cache that cannot be written only costs time

    def get(self, text: str) -> Analysis | None:
        path = self._path(text)
        if path is None:
            return None
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return Analysis(
                syntax_error=data["syntax_error"],
                update=data["update"],
                service=bool(data["service"]),
                default_graphs=tuple(data["default_graphs"]),
                named_graphs=tuple(data["named_graphs"]),
                dataset_clause=bool(data["dataset_clause"]),
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put(self, text: str, analysis: Analysis) -> None:
        self._write(self._path(text), analysis._asdict())


_ANALYSED: dict[str, Analysis] = {}  # this process's analyses: the same text is parsed once
_ANALYSED_MAX = 512


def _remember(text: str, analysis: Analysis) -> None:
    if len(_ANALYSED) >= _ANALYSED_MAX:
        del _ANALYSED[next(iter(_ANALYSED))]
    _ANALYSED[text] = analysis


def analysed_texts() -> frozenset[str]:
    """The texts this process has analysed (see `learned_since`)."""
    return frozenset(_ANALYSED)


def learned_since(known: frozenset[str]) -> dict[str, Analysis]:
    """The analyses made since `known` was taken: a forked child hands them back, so its
    parent does not parse the same text again (see belkg.limits)."""
    return {text: analysis for text, analysis in _ANALYSED.items() if text not in known}


def keep_learned(learned: dict[str, Analysis]) -> None:
    for text, analysis in learned.items():
        _remember(text, analysis)


def _refuse_if_too_big(text: str, where: str | None) -> None:
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_QUERY_BYTES:
        raise BelkgError(
            f"the query is {size / (1 << 20):.1f} MiB; belkg reads queries of up to "
            f"{MAX_QUERY_BYTES >> 20} MiB (bind long values as parameters, or load them into the graph)",
            where,
        )


class Gate:
    """The one check every query passes before an engine runs it.

    `graphs` are the named graphs the engine serves (FROM may name only those);
    `remote` is for an --endpoint, whose server decides what its graphs are and what
    SPARQL it reads: only updates are refused there.
    """

    def __init__(
        self,
        graphs: Iterable[str] = (),
        *,
        allow_network: bool = False,
        remote: bool = False,
        cache_dir: Path | None = None,
    ) -> None:
        self.graphs = frozenset(graphs)
        self.allow_network = allow_network or remote
        self.remote = remote
        self.cache = AnalysisCache(cache_dir)
        self._seen: dict[str, Analysis] = {}

    def canonical(self, text: str, where: str | None = None) -> str:
        """The text as the gate reads it: rdflib's parser writes out codepoint escapes
        (\\u0053ERVICE is SERVICE) before it parses, Oxigraph only inside strings and
        IRIs; so the escapes are written out here, once, and engines get the result
        (which the gate then parses as it is: see `analyse`). A carriage return that ends
        no line is refused: Oxigraph ends a comment there, rdflib does not."""
        expanded = text
        if "\\" in text:
            from belkg.sparql_text import expand_escapes

            try:
                expanded = expand_escapes(text)
            except ValueError as error:
                raise BelkgError(f"invalid SPARQL: {error}", where) from None
        lone_return = re.search(r"\r(?!\n)", expanded) if "\r" in expanded else None
        if lone_return is not None:
            line = expanded.count("\n", 0, lone_return.start()) + 1
            raise BelkgError(
                f"invalid SPARQL: a carriage return without a line feed (line {line}); end lines with \\n or \\r\\n",
                where,
            )
        return expanded

    def analysis(self, text: str, where: str | None = None) -> Analysis:
        """What the parser finds in a text (canonical already: see `canonical`)."""
        _refuse_if_too_big(text, where)
        found = self._seen.get(text)
        if found is None and text in _ANALYSED:
            found = _ANALYSED[text]
            if self.cache.get(text) is None:
                self.cache.put(text, found)
        if found is None:
            found = self.cache.get(text)
        if found is None:
            from belkg.sparql_text import nesting_depth

            depth = nesting_depth(text)
            if depth > MAX_NESTING:
                raise BelkgError(
                    f"the query nests groups {depth} deep; belkg reads queries nested up to {MAX_NESTING} deep", where
                )
            # pyparsing recurses some forty frames per nested group
            limit = sys.getrecursionlimit()
            sys.setrecursionlimit(max(limit, 60 * MAX_NESTING + 1000))
            try:
                found = analyse(text)
            except RecursionError:
                raise BelkgError(f"the query nests groups too deeply (at most {MAX_NESTING})", where) from None
            finally:
                sys.setrecursionlimit(limit)
            self.cache.put(text, found)
        _remember(text, found)
        self._seen[text] = found
        return found

    def vouch(self, bound: str, template: str, where: str | None = None) -> None:
        """Take the verdict on `template` for `bound`, the text belkg.binding makes of it
        by adding VALUES blocks of parameter values, each one term written so that it
        cannot break out of itself: adding them changes no verdict (no update, SERVICE
        or FROM can come of a term). So a saved query is parsed once, not once for each
        value it is run with (the parse of entity-card takes about a second)."""
        from belkg.predeclared import with_prefixes

        _refuse_if_too_big(bound, where)
        key = with_prefixes(self.canonical(bound, where)).text
        if key in self._seen or key in _ANALYSED:
            return
        found = self.analysis(self.run_text(self.canonical(template, where)), where)
        _remember(key, found)
        self._seen[key] = found

    def run_text(self, written: str) -> str:
        """The text an engine runs for a canonical text (see `canonical`): the text with
        the predeclared prefixes it uses and does not declare (belkg.predeclared). It is
        kept beside the verdicts, so a text seen before is not searched for prefixes
        again (nor the search's patterns compiled: a one-shot command's start-up)."""
        text = self.cache.get_run_text(written)
        if text is None:
            from belkg.predeclared import with_prefixes

            text = with_prefixes(written).text
            if text not in self._seen:  # a text vouched for (see `vouch`) is not kept: one for each value
                self.cache.put_run_text(written, text)
        return text

    def check(self, text: str, where: str | None = None) -> Checked:
        """Pass a query, or raise a BelkgError saying why it is refused. The text passed
        on has the predeclared prefixes it uses and does not declare (belkg.predeclared)."""
        _refuse_if_too_big(text, where)  # before any other pass over the text
        written = self.canonical(text, where)
        text = self.run_text(written)
        found = self.analysis(text, where)
        if found.update:
            raise BelkgError(f"{found.update} is refused: belkg queries are read-only", where)
        if found.syntax_error:
            if self.remote:  # the server may read its own extensions; it refuses the rest
                return Checked(text)
            from belkg.predeclared import with_prefixes
            from belkg.sparql_errors import explain

            raise explain(written, with_prefixes(written), where, found.syntax_error)
        if found.service and not self.allow_network:
            raise BelkgError(
                "SERVICE is refused: it would query another server; use --allow-network to allow it", where
            )
        if self.remote or not found.dataset_clause:
            return Checked(text)
        for iri in found.default_graphs + found.named_graphs:
            if iri not in self.graphs:
                raise BelkgError(
                    f"FROM <{iri}> is refused: the build has no such graph, and belkg does not fetch graphs", where
                )
        return Checked(text, found.default_graphs, found.named_graphs)


def check_query(text: str, local_graphs: set[str], *, allow_network: bool = False, where: str | None = None) -> None:
    """Refuse what the gate refuses (for callers without an engine at hand)."""
    Gate(local_graphs, allow_network=allow_network).check(text, where)


_guard_active = False
_hook_installed = False
_NETWORK_EVENTS = ("socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "urllib.Request")


def _audit(event: str, arguments: tuple[object, ...]) -> None:
    if _guard_active and event in _NETWORK_EVENTS:
        target = arguments[1] if event == "socket.connect" and len(arguments) > 1 else arguments[0] if arguments else ""
        raise BelkgError(f"network access refused ({event} {target}); use --allow-network to allow it")


@contextmanager
def no_network(active: bool = True) -> Iterator[None]:
    """Refuse network access from Python code while the block runs (an audit hook)."""
    global _guard_active, _hook_installed
    if not _hook_installed:
        sys.addaudithook(_audit)
        _hook_installed = True
    previous = _guard_active
    _guard_active = active
    try:
        yield
    finally:
        _guard_active = previous


@contextmanager
def network_allowed() -> Iterator[None]:
    """Lift the guard for an explicit network request (push, --endpoint)."""
    with no_network(active=False):
        yield
