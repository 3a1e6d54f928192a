"""Where the connection comes from: the one place that decides, and that says which source won.

A connection string, in order: --connection-string, AZURE_COMMUNICATION_CONNECTION_STRING, the profile's
keyring entry, az's own config ([communication] connection_string in $AZURE_CONFIG_DIR/config, else
~/.azure/config). A profile asked for by name (--profile, ACSID_PROFILE) comes before the environment
variable, and must exist: a typo never falls through to another source.

Or an endpoint and Microsoft Entra ID: --endpoint or AZURE_COMMUNICATION_ENDPOINT with --auth-mode login.
Without --auth-mode, a connection string means the key, and an endpoint alone means login.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from acsid_cli import protocol
from acsid_cli.cli import inputs, keystore, stdin
from acsid_cli.cli.errors import UsageError
from acsid_cli.client.connection import Connection, check_endpoint, parse

KEY, LOGIN = "key", "login"
WAYS = (
    f"pass --connection-string - (reads stdin), set {protocol.CONNECTION_STRING_ENV}, "
    "or store one with 'acsid config set-connection-string'"
)


@dataclass(frozen=True)
class Resolved:
    endpoint: str
    source: str  # e.g. "--connection-string", "keyring (profile 'ci')", "AZURE_COMMUNICATION_ENDPOINT"
    key: bytes | None = field(default=None, repr=False)  # None: sign in with Microsoft Entra ID
    connection: Connection | None = None  # when a connection string gave it

    @property
    def auth_mode(self) -> str:
        return KEY if self.key else LOGIN


class NothingConfigured(UsageError):
    """No source holds a connection string or an endpoint."""


def resolve(
    flag: str | None, profile: str | None, endpoint: str | None = None, auth_mode: str | None = None
) -> Resolved:
    name = inputs.check_profile(profile or keystore.DEFAULT_PROFILE)
    given_endpoint = _endpoint(endpoint)
    if auth_mode == LOGIN and given_endpoint:
        return given_endpoint
    found = _connection_string(flag, profile, name, endpoint_given=given_endpoint is not None)
    if auth_mode == LOGIN:
        if found is None:
            hint = f"pass --endpoint or set {protocol.ENDPOINT_ENV}"
            raise UsageError("--auth-mode login needs an endpoint", hint=hint)
        return Resolved(found.endpoint, f"{found.source}, its endpoint only")
    if found is not None:
        if endpoint is not None:
            hint = "with a key, the endpoint is the connection string's"
            raise UsageError("--endpoint goes with --auth-mode login", hint=hint)
        return found
    if auth_mode != KEY and given_endpoint:
        return given_endpoint
    raise NothingConfigured("no connection string", WAYS)


def _endpoint(flag: str | None) -> Resolved | None:
    if flag is not None:
        return Resolved(check_endpoint(flag), "--endpoint")
    from_env = os.environ.get(protocol.ENDPOINT_ENV)
    return Resolved(check_endpoint(from_env), protocol.ENDPOINT_ENV) if from_env else None


def _connection_string(flag: str | None, profile: str | None, name: str, endpoint_given: bool) -> Resolved | None:
    if flag is not None:
        source = "--connection-string (stdin)" if flag == "-" else "--connection-string"
        return _resolved(parse(stdin.read_secret("--connection-string", flag)), source)
    from_env = os.environ.get(protocol.CONNECTION_STRING_ENV)
    if from_env and profile is None:  # a profile asked for by name wins over the environment
        return _resolved(parse(from_env), protocol.CONNECTION_STRING_ENV)
    try:
        stored = keystore.get(name)
        unavailable = None
    except keystore.KeystoreUnavailable as exc:
        stored, unavailable = None, exc
    if stored:
        return _resolved(parse(stored), f"keyring (profile '{name}')")
    if profile is not None:
        reason = f": {unavailable}" if unavailable else ""
        also = f" ({protocol.CONNECTION_STRING_ENV} is set, but a profile asked for by name wins)" if from_env else ""
        raise UsageError(
            f"no connection string stored for profile '{name}'{reason}{also}",
            hint=f"store one with 'acsid config set-connection-string --profile {name}'",
        )
    path = az_config_path()
    from_az = _read_az_config(path)
    if from_az:
        return _resolved(parse(from_az), f"az config ({path})")
    if unavailable and not endpoint_given:
        raise NothingConfigured(f"no connection string: {unavailable}", WAYS)
    return None


def _resolved(connection: Connection, source: str) -> Resolved:
    return Resolved(connection.endpoint, source, connection.key, connection)


def az_config_path() -> Path:
    folder = os.environ.get("AZURE_CONFIG_DIR") or os.path.join(os.path.expanduser("~"), ".azure")
    return Path(folder) / "config"


def _read_az_config(path: Path) -> str | None:
    """What `az config set communication.connection_string=...` stored, if anything."""
    import configparser  # only when no flag, variable or keyring entry gave one: it costs start-up time

    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(path, encoding="utf-8")
    except (configparser.Error, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read az's config file {path}: {type(exc).__name__}") from None
    return parser.get("communication", "connection_string", fallback=None) or None
