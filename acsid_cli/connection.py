"""Connection strings: parsing them the way the SDK does, and the one place that decides which one to use."""

from __future__ import annotations

import binascii
import hashlib
import ipaddress
import os
from base64 import b64decode
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from acsid_cli.errors import UsageError

ENV_VAR = "AZURE_COMMUNICATION_CONNECTION_STRING"
FORMAT = "endpoint=https://<resource>.communication.azure.com/;accesskey=<base64 key>"
WAYS = (
    f"pass --connection-string - (reads stdin), set {ENV_VAR}, or store one with 'acsid config set-connection-string'"
)


@dataclass(frozen=True)
class Connection:
    endpoint: str  # scheme://host[:port], no trailing slash
    key: bytes = field(repr=False)  # the decoded access key; never printed

    @property
    def host(self) -> str:
        """The Host header requests will send, which is what gets signed: no default port."""
        parts = urlsplit(self.endpoint)
        default = {"https": 443, "http": 80}[parts.scheme]
        host = parts.hostname or ""
        if ":" in host:  # IPv6 literal
            host = f"[{host}]"
        return host if parts.port in (None, default) else f"{host}:{parts.port}"

    @property
    def fingerprint(self) -> str:
        """Tells keys apart without revealing them."""
        return "sha256:" + hashlib.sha256(self.key).hexdigest()[:12]


def parse(text: str) -> Connection:
    """Split on ';', keys case-insensitive, like the SDK; but fail with one clear line, never echoing the key."""
    fields: dict[str, str] = {}
    for part in text.strip().split(";"):
        name, sep, value = part.partition("=")
        if sep:
            fields[name.strip().lower()] = value.strip()
    missing = [name for name in ("endpoint", "accesskey") if not fields.get(name)]
    if missing:
        raise UsageError(
            f"invalid connection string: missing {' and '.join(repr(m) for m in missing)}",
            hint=f"the format is {FORMAT}",
        )
    return Connection(endpoint=_check_endpoint(fields["endpoint"]), key=_decode_key(fields["accesskey"]))


def _check_endpoint(endpoint: str) -> str:
    endpoint = endpoint.rstrip("/")
    parts = urlsplit(endpoint)
    try:
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError:
        raise UsageError(
            "invalid connection string: the endpoint has a bad port", hint=f"the format is {FORMAT}"
        ) from None
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise UsageError(
            "invalid connection string: the endpoint must be an https:// URL with a host",
            hint=f"the format is {FORMAT}",
        )
    if parts.query or parts.fragment or parts.username:
        raise UsageError("invalid connection string: the endpoint must be scheme://host[:port] only")
    if parts.scheme == "http" and not _is_loopback(parts.hostname):
        # A signed request and the tokens it returns must not cross a network in clear text.
        raise UsageError(
            f"refusing plain http:// to {parts.hostname}: only loopback hosts may use http",
            hint="use an https:// endpoint",
        )
    return endpoint


def _is_loopback(hostname: str) -> bool:
    if hostname.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(hostname).is_loopback
    except ValueError:
        return False


def _decode_key(value: str) -> bytes:
    try:
        key = b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        key = b""
    if not key:
        raise UsageError(
            "invalid connection string: the access key is not valid base64", hint=f"the format is {FORMAT}"
        )
    return key


def resolve(flag: str | None, profile: str) -> tuple[Connection, str]:
    """The connection string to use and where it came from: --connection-string, then the env var, then the keyring."""
    if flag is not None:
        from acsid_cli.inputs import read_secret

        source = "--connection-string (stdin)" if flag == "-" else "--connection-string"
        return parse(read_secret("--connection-string", flag)), source
    from_env = os.environ.get(ENV_VAR)
    if from_env:
        return parse(from_env), ENV_VAR
    from acsid_cli import keystore

    try:
        stored = keystore.get(profile)
    except keystore.KeystoreUnavailable as exc:
        raise UsageError(f"no connection string: {exc}", hint=WAYS) from None
    if stored:
        return parse(stored), f"keyring (profile {profile!r})"
    raise UsageError(f"no connection string for profile {profile!r}", hint=WAYS)
