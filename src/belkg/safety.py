"""What a query may do: read the local graph, nothing else, unless the user allows it.

Refused by default, before a query runs: updates (belkg's queries are read-only),
SERVICE (a query reaching out to another server), and FROM / FROM NAMED naming a graph
the build does not hold (engines would fetch it from the web). While a local command
runs, a Python audit hook also refuses every network connection, so no library can
reach out unnoticed. `--allow-network` lifts all three. Pushing to a store and querying
an --endpoint are explicit requests for the network and are not affected.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from belkg.errors import BelkgError
from belkg.sparql_text import mask

_IRI = re.compile(r'<([^<>"{}|^`\\\x00-\x20]*)>')
_UPDATE = re.compile(
    r"^\s*(?:(?:PREFIX\s+[\w.-]*:\s*<[^>]*>|BASE\s+<[^>]*>)\s*)*(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b",
    re.IGNORECASE,
)
_SERVICE = re.compile(r"\bSERVICE\b", re.IGNORECASE)
_FROM = re.compile(r"\bFROM\s+(?:NAMED\s+)?(<[^>]*>|[\w.-]*:[\w.-]*)", re.IGNORECASE)


def _prefixes(code: str) -> dict[str, str]:
    return dict(re.findall(r"PREFIX\s+([\w.-]*):\s*<([^>]*)>", code, re.IGNORECASE))


def check_query(text: str, local_graphs: set[str], *, allow_network: bool = False, where: str | None = None) -> None:
    """Refuse an update, a SERVICE call, or FROM of a graph the build does not hold."""
    code = mask(text, strings=True)
    update = _UPDATE.match(code)
    if update:
        raise BelkgError(f"{update.group(1).upper()} is refused: belkg queries are read-only", where)
    if allow_network:
        return
    without_iris = _IRI.sub("<>", code)
    if _SERVICE.search(without_iris):
        raise BelkgError("SERVICE is refused: it would query another server; use --allow-network to allow it", where)
    prefixes = _prefixes(code)
    for name in _FROM.findall(code):
        if name.startswith("<"):
            iri = name[1:-1]
        else:
            prefix, _, local = name.partition(":")
            iri = prefixes.get(prefix, prefix + ":") + local
        if iri not in local_graphs:
            raise BelkgError(
                f"FROM <{iri}> is refused: the build has no such graph, and fetching it would use the network; "
                "use --allow-network to allow it",
                where,
            )


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
