"""Where the connection string comes from: the one place that decides, and that says which source won.

In order: --connection-string, AZURE_COMMUNICATION_CONNECTION_STRING, the profile's keyring entry, and
az's own config ([communication] connection_string in $AZURE_CONFIG_DIR/config, else ~/.azure/config).
A profile asked for by name (--profile, ACSID_PROFILE) must exist: a typo never falls through to another.
"""

from __future__ import annotations

import configparser
import os
from dataclasses import dataclass
from pathlib import Path

from acsid_cli import protocol
from acsid_cli.cli import inputs, keystore
from acsid_cli.cli.errors import UsageError
from acsid_cli.client.connection import Connection, parse

WAYS = (
    f"pass --connection-string - (reads stdin), set {protocol.CONNECTION_STRING_ENV}, "
    "or store one with 'acsid config set-connection-string'"
)


@dataclass(frozen=True)
class Resolved:
    connection: Connection
    source: str  # e.g. "--connection-string", "keyring (profile 'ci')", "az config (/home/me/.azure/config)"


class NothingConfigured(UsageError):
    """No source holds a connection string."""


def resolve(flag: str | None, profile: str | None) -> Resolved:
    name = inputs.check_profile(profile or keystore.DEFAULT_PROFILE)
    if flag is not None:
        source = "--connection-string (stdin)" if flag == "-" else "--connection-string"
        return Resolved(parse(inputs.read_secret("--connection-string", flag)), source)
    from_env = os.environ.get(protocol.CONNECTION_STRING_ENV)
    if from_env:
        return Resolved(parse(from_env), protocol.CONNECTION_STRING_ENV)
    try:
        stored = keystore.get(name)
        unavailable = None
    except keystore.KeystoreUnavailable as exc:
        stored, unavailable = None, exc
    if stored:
        return Resolved(parse(stored), f"keyring (profile '{name}')")
    if profile is not None:
        reason = f": {unavailable}" if unavailable else ""
        raise UsageError(
            f"no connection string stored for profile '{name}'{reason}",
            hint=f"store one with 'acsid config set-connection-string --profile {name}'",
        )
    path = az_config_path()
    from_az = _read_az_config(path)
    if from_az:
        return Resolved(parse(from_az), f"az config ({path})")
    raise NothingConfigured(f"no connection string: {unavailable}" if unavailable else "no connection string", WAYS)


def az_config_path() -> Path:
    folder = os.environ.get("AZURE_CONFIG_DIR") or os.path.join(os.path.expanduser("~"), ".azure")
    return Path(folder) / "config"


def _read_az_config(path: Path) -> str | None:
    """What `az config set communication.connection_string=...` stored, if anything."""
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(path, encoding="utf-8")
    except (configparser.Error, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read az's config file {path}: {type(exc).__name__}") from None
    return parser.get("communication", "connection_string", fallback=None) or None
