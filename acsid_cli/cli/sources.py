"""Where the connection comes from: the one place that decides, and that says which source won."""

from __future__ import annotations

import os
from dataclasses import dataclass

from acsid_cli import protocol
from acsid_cli.cli import inputs, keystore
from acsid_cli.cli.errors import UsageError
from acsid_cli.client.connection import Connection, parse

DEFAULT_PROFILE = "default"
WAYS = (
    f"pass --connection-string - (reads stdin), set {protocol.CONNECTION_STRING_ENV}, "
    "or store one with 'acsid config set-connection-string'"
)


@dataclass(frozen=True)
class Resolved:
    connection: Connection
    source: str  # e.g. "--connection-string", "keyring (profile 'ci')"


def resolve(flag: str | None, profile: str | None) -> Resolved:
    """--connection-string, then the environment variable, then the profile's keyring entry."""
    name = inputs.check_profile(profile or DEFAULT_PROFILE)
    if flag is not None:
        source = "--connection-string (stdin)" if flag == "-" else "--connection-string"
        return Resolved(parse(inputs.read_secret("--connection-string", flag)), source)
    from_env = os.environ.get(protocol.CONNECTION_STRING_ENV)
    if from_env:
        return Resolved(parse(from_env), protocol.CONNECTION_STRING_ENV)
    try:
        stored = keystore.get(name)
    except keystore.KeystoreUnavailable as exc:
        raise UsageError(f"no connection string: {exc}", hint=WAYS) from None
    if stored:
        return Resolved(parse(stored), f"keyring (profile {name!r})")
    raise UsageError(f"no connection string for profile {name!r}", hint=WAYS)
