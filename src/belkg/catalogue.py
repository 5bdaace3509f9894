"""The saved queries: queries/<name>.rq, each with a grlc-style `#+` YAML header."""

from __future__ import annotations

import json
import re
from pathlib import Path

from belkg.errors import BelkgError
from belkg.records import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from typing import Any

    from belkg.build.findings import Finding

HEADER_KEYS = {"summary", "description", "tags", "params"}
PARAM_KEYS = {"type", "default", "example", "description", "required"}
# header type -> the variable suffix the BASIL/grlc convention gives it
PARAM_TYPES = {
    "literal": "",
    "iri": "_iri",
    "integer": "_integer",
    "decimal": "_decimal",
    "date": "_date",
    "boolean": "_boolean",
}
_PARAMETER_VARIABLE = re.compile(r"[?$](_[A-Za-z0-9_]+)")
_HEADER_LINE = re.compile(r"^#\+ ?(.*)$")


class Param(NamedTuple):
    """One parameter of a saved query."""

    name: str
    type: str = "literal"
    default: str | None = None
    example: str | None = None
    description: str = ""
    required: bool = False

    @property
    def variable(self) -> str:
        """The query variable (without '?') the parameter binds: _name, _name_iri..."""
        return f"_{self.name}{PARAM_TYPES[self.type]}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "type": self.type,
            "default": self.default,
            "example": self.example,
            "description": self.description,
            "required": self.required,
        }


class SavedQuery(NamedTuple):
    """A saved query: its name (the file stem), header fields and SPARQL text."""

    name: str
    summary: str
    description: str
    text: str
    path: Path | None = None
    tags: tuple[str, ...] = ()
    params: tuple[Param, ...] = ()

    def param(self, name: str) -> Param | None:
        return next((param for param in self.params if param.name == name), None)

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "summary": self.summary,
            "description": self.description,
            "tags": list(self.tags),
            "params": [param.as_dict() for param in self.params],
        }


def _scalar(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _parse_params(raw: Any, shown: str) -> tuple[Param, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, dict):
        raise BelkgError("header 'params' must be a mapping of parameter names", shown)
    params = []
    for name, spec in raw.items():
        if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", name):
            raise BelkgError(f"parameter name {name!r} must be letters and digits", shown)
        spec = spec or {}
        if not isinstance(spec, dict):
            raise BelkgError(f"parameter {name!r} must be a mapping (type, default, example...)", shown)
        unknown = set(spec) - PARAM_KEYS
        if unknown:
            raise BelkgError(f"parameter {name!r} has unknown key(s): {', '.join(sorted(unknown))}", shown)
        kind = spec.get("type", "literal")
        if kind not in PARAM_TYPES:
            raise BelkgError(
                f"parameter {name!r} has unknown type {kind!r}; use one of {', '.join(PARAM_TYPES)}", shown
            )
        params.append(
            Param(
                name=name,
                type=kind,
                default=_scalar(spec.get("default")),
                example=_scalar(spec.get("example")),
                description=str(spec.get("description") or ""),
                required=bool(spec.get("required", False)),
            )
        )
    return tuple(params)


def _read_yaml(text: str) -> Any:
    """A header's YAML, read by libyaml where PyYAML has it (ten times faster than the
    Python reader, which every command that lists the catalogue would pay per query). A
    header it refuses is read again by the Python reader, whose error messages name the
    problem in the words the README's error table shows."""
    import yaml

    fast = getattr(yaml, "CSafeLoader", None)
    if fast is not None:
        try:
            return yaml.load(text, Loader=fast)
        except yaml.YAMLError:
            pass
    return yaml.safe_load(text)


def parse_saved_query(text: str, name: str, path: Path | None = None, shown: str | None = None) -> SavedQuery:
    """Parse a saved query's header and check it against the query text."""
    import yaml  # imported here: only reading saved queries needs it

    where = shown or name
    header_lines = []
    for line in text.splitlines():
        match = _HEADER_LINE.match(line)
        if match:
            header_lines.append(match.group(1))
        elif header_lines and line.strip():
            break
    if not header_lines:
        raise BelkgError("no '#+' header (summary, description, tags, params)", where)
    try:
        header = _read_yaml("\n".join(header_lines))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise BelkgError(f"header is not valid YAML: {problem}", f"{where}{line}") from None
    if not isinstance(header, dict):
        raise BelkgError("header must be a YAML mapping (summary: ..., description: ...)", where)
    unknown = set(header) - HEADER_KEYS
    if unknown:
        raise BelkgError(f"unknown header key(s): {', '.join(sorted(unknown))}", where)
    for key in ("summary", "description"):
        if not isinstance(header.get(key), str) or not header[key].strip():
            raise BelkgError(f"header needs a '{key}' text", where)
    tags = header.get("tags") or []
    if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags):
        raise BelkgError("header 'tags' must be a list of words", where)
    params = _parse_params(header.get("params"), where)
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    used = set(_PARAMETER_VARIABLE.findall(body))
    declared = {param.variable: param for param in params}
    for variable, param in declared.items():
        if variable not in used:
            raise BelkgError(f"parameter {param.name!r} is declared but the query does not use ?{variable}", where)
    for variable in sorted(used - set(declared)):
        raise BelkgError(f"the query uses ?{variable} but the header declares no parameter for it", where)
    return SavedQuery(
        name=name,
        summary=" ".join(header["summary"].split()),
        description=header["description"].strip(),
        text=text,
        path=path,
        tags=tuple(tags),
        params=params,
    )


def _from_cache(text: str, name: str, path: Path | None, cache_dir: Path) -> tuple[SavedQuery | None, Path]:
    """A header parsed before, stored under the hash of the query's text: reading it back
    as JSON spares the query path the import of a YAML parser."""
    from belkg.digests import sha256_hex

    entry = cache_dir / f"{sha256_hex(text.encode())}.json"
    try:
        data = json.loads(entry.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None, entry
    params = tuple(Param(**param) for param in data["params"])
    query = SavedQuery(name, data["summary"], data["description"], text, path, tuple(data["tags"]), params)
    return query, entry


def read_saved_query(path: Path, shown: str | None = None, cache_dir: Path | None = None) -> SavedQuery:
    """Read and check a saved query; with a cache folder, reuse a header parsed before."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise BelkgError(f"not UTF-8 text (byte {error.start})", shown or str(path)) from None
    except OSError as error:
        raise BelkgError(f"cannot read: {error.strerror}", shown or str(path)) from None
    if cache_dir is None:
        return parse_saved_query(text, path.stem, path, shown or str(path))
    cached, entry = _from_cache(text, path.stem, path, cache_dir)
    if cached is not None:
        return cached
    query = parse_saved_query(text, path.stem, path, shown or str(path))
    try:
        from belkg.atomic import write_atomically

        entry.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(entry, json.dumps(query.as_dict()).encode())
    except (OSError, BelkgError):
        pass  # a cache that cannot be written only costs time
    return query


def list_queries(folder: Path) -> list[str]:
    return sorted(path.stem for path in folder.glob("*.rq"))


def load_catalogue(folder: Path, shown: str = "queries") -> list[SavedQuery]:
    """Every saved query of the folder, each header checked."""
    return [read_saved_query(path, f"{shown}/{path.name}") for path in sorted(folder.glob("*.rq"))]


def find_saved_query(folder: Path, name: str, shown: str = "queries", cache_dir: Path | None = None) -> SavedQuery:
    """A saved query by name; an unknown name suggests the nearest ones."""
    path = folder / f"{name}.rq"
    if not path.is_file():
        import difflib

        known = list_queries(folder)
        nearest = difflib.get_close_matches(name, known, n=3, cutoff=0.6)
        hint = f"; did you mean {' or '.join(nearest)}?" if nearest else "; `belkg queries` lists them"
        raise BelkgError(f"no saved query named {name!r}{hint}")
    return read_saved_query(path, f"{shown}/{path.name}", cache_dir)


def _usages(query: SavedQuery) -> list[str]:
    return [
        f"-p {param.name} {param.type.upper()}" if param.required else f"[-p {param.name} {param.type.upper()}]"
        for param in query.params
    ]


def usage(query: SavedQuery) -> str:
    """How a saved query's parameters are given: `-p release IRI`, optional ones in brackets."""
    return " ".join(_usages(query))


def format_listing(catalogue: list[SavedQuery], width: int | None = None) -> str:
    """The saved queries for reading: name, summary and parameters, one a line; within
    `width` characters when given, the summary and parameters wrapped under themselves."""
    import textwrap

    names = max((len(query.name) for query in catalogue), default=4)
    lines = []
    for query in catalogue:
        params = usage(query)
        text = query.summary + (f"  {params}" if params else "")
        room = (width or 0) - names - 2
        if width is None or len(text) <= room or room < 20:
            lines.append(f"{query.name:<{names}}  {text}")
            continue
        glued = query.summary + "".join(f"  {part.replace(' ', chr(0))}" for part in _usages(query))
        wrapped = [line.replace(chr(0), " ") for line in textwrap.wrap(glued, room, break_on_hyphens=False)] or [""]
        lines.append(f"{query.name:<{names}}  {wrapped[0]}")
        lines += [f"{'':<{names}}  {line}" for line in wrapped[1:]]
    return "".join(f"{line}\n" for line in lines)


def needs_named_graphs(query: SavedQuery) -> bool:
    """Whether the query reads named graphs (a GRAPH pattern, or FROM NAMED): on a store
    loaded from an export without them (Turtle, N-Triples, RDF/XML) it finds nothing there."""
    from belkg.sparql_text import mask

    code = re.sub(r"<[^<>\s]*>", " ", mask(query.text, strings=True))  # not "graph" in an IRI
    return re.search(r"\b(GRAPH|FROM\s+NAMED)\b", code, re.IGNORECASE) is not None


def named_graph_queries(folder: Path) -> list[str]:
    """The names of the saved queries that need the named graphs (a query whose header
    is invalid is left out: `belkg validate` and `belkg queries` report it)."""
    names = []
    for path in sorted(folder.glob("*.rq")):
        try:
            if needs_named_graphs(read_saved_query(path)):
                names.append(path.stem)
        except BelkgError:
            continue
    return names


def _header_line(text: str, message: str) -> int:
    """The line of a header that a message about it names ('key', 'param', ?variable),
    else the header's first line."""
    lines = text.splitlines()
    header = [number for number, line in enumerate(lines, 1) if _HEADER_LINE.match(line)]
    keys = message.partition("unknown header key(s): ")[2].split(", ") if "unknown header key" in message else []
    names = [*re.findall(r"'([^']+)'", message), *keys]
    variables = re.findall(r"\?(\w+)", message)
    for name in names:
        for number in header:
            if re.search(rf"^#\+\s*{re.escape(name)}\s*:", lines[number - 1]):
                return number
    for variable in variables:
        for number, line in enumerate(lines, 1):
            if not line.lstrip().startswith("#") and re.search(rf"[?$]{re.escape(variable)}\b", line):
                return number
    return header[0] if header else 1


def _syntax_finding(query: SavedQuery, shown: str) -> Finding | None:
    """A finding for a saved query that Oxigraph's parser (quick) does not read as a
    query; the words and the place are the gate's (belkg.sparql_errors)."""
    from belkg.build.findings import Finding
    from belkg.predeclared import with_prefixes
    from belkg.safety import Gate, oxigraph_syntax_error
    from belkg.sparql_errors import explain

    try:
        written = Gate().canonical(query.text, shown)
        prefixed = with_prefixes(written)
        problem = oxigraph_syntax_error(prefixed.text)
        if problem is not None:
            raise explain(written, prefixed, shown, problem)
    except BelkgError as error:
        location = error.location or shown
        line = location.split(":")[1] if location.count(":") >= 1 else ""
        return Finding(
            rule="saved-query",
            message=error.message,
            file=shown,
            line=int(line) if line.isdigit() else 1,
            hint="run it with `belkg query` to see the place",
        )
    return None


def catalogue_findings(folder: Path, shown: str = "queries") -> list[Finding]:
    """A finding for each saved query whose header is invalid (what `belkg queries` and
    `belkg query NAME` would refuse), at the line it concerns, or whose SPARQL does not
    parse."""
    from belkg.build.findings import Finding

    findings = []
    for path in sorted(folder.glob("*.rq")):
        name = f"{shown}/{path.name}"
        try:
            query = read_saved_query(path, name)
        except BelkgError as error:
            location = error.location or name
            file, _, line = location.partition(":")
            if not line:
                try:
                    number = _header_line(path.read_text(encoding="utf-8"), error.message)
                except (OSError, UnicodeDecodeError):
                    number = 1
            else:
                number = int(line.split(":")[0])
            findings.append(
                Finding(
                    rule="saved-query",
                    message=error.message,
                    file=file,
                    line=number,
                    hint="see docs/queries.md for the #+ header; `belkg queries` lists the queries once they read",
                )
            )
            continue
        syntax = _syntax_finding(query, name)
        if syntax is not None:
            findings.append(syntax)
    return findings
