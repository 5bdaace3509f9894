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
    """The credentials to offer `url`'s server if it asks, or None."""
    if user is not None or password is not None:
        return _complete(user, password, "options", "--user", "--password")
    env_user, env_password = os.environ.get(USER_VARIABLE), os.environ.get(PASSWORD_VARIABLE)
    if env_user is not None or env_password is not None:
        return _complete(env_user, env_password, "environment", USER_VARIABLE, PASSWORD_VARIABLE)
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
    return Credentials(entry[0], entry[2] or "", str(path))


def _complete(user: str | None, password: str | None, origin: str, user_name: str, password_name: str) -> Credentials:
    if not user:
        raise BelkgError(f"{password_name} is given without {user_name}")
    if password is None:
        raise BelkgError(f"{user_name} is given without {password_name}")
    return Credentials(user, password, origin)
