"""Credentials for a server that asks for them (HTTP Basic or Digest): from the command's
options, else the environment (BELKG_USER, BELKG_PASSWORD), else the user's ~/.netrc
entry for the server's host. A password is never part of a message or a repr."""

from __future__ import annotations

import netrc
import os
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

from belkg.errors import BelkgError

USER_VARIABLE = "BELKG_USER"
PASSWORD_VARIABLE = "BELKG_PASSWORD"


@dataclass(frozen=True)
class Credentials:
    user: str
    password: str = field(repr=False)
    origin: str  # where they came from: "options", "environment" or the netrc file


def find_credentials(
    url: str, user: str | None = None, password: str | None = None, netrc_file: Path | None = None
) -> Credentials | None:
    """The credentials to offer `url`'s server if it asks, or None. The user name is
    --user, else BELKG_USER; the password --password, else BELKG_PASSWORD; what is still
    missing comes from the ~/.netrc entry for the server's host (for the same login)."""
    origin = "options" if user is not None or password is not None else "environment"
    user = user if user is not None else os.environ.get(USER_VARIABLE)
    password = password if password is not None else os.environ.get(PASSWORD_VARIABLE)
    if user is not None and password is not None:
        if not user:
            raise BelkgError("the user name for the server is empty")
        return Credentials(user, password, origin)
    entry = _netrc_entry(url, netrc_file)
    if entry is not None and (user is None or user == entry[0]) and password is None:
        return Credentials(entry[0], entry[1], "netrc")
    if user is None and password is None:
        return None
    if user is None:
        raise BelkgError("a password is given without a user name: give --user or set BELKG_USER")
    raise BelkgError(f"no password for {user!r}: give --password, set BELKG_PASSWORD, or add the host to ~/.netrc")


def _netrc_entry(url: str, netrc_file: Path | None) -> tuple[str, str] | None:
    path = netrc_file or Path(os.environ.get("NETRC") or Path.home() / ".netrc")
    if not path.is_file():
        return None
    host = urllib.parse.urlsplit(url).hostname or ""
    try:
        entry = netrc.netrc(str(path)).authenticators(host)
    except netrc.NetrcParseError as error:
        raise BelkgError(f"cannot read: {error.msg}", f"{path}:{error.lineno}") from None
    except OSError as error:
        raise BelkgError(f"cannot read: {error.strerror}", str(path)) from None
    if entry is None or not entry[0]:
        return None
    return entry[0], entry[2] or ""
