"""Connection strings, parsed the way the official SDK parses them, and the endpoints they may point at.

Plain http goes only to loopback, where nothing crosses a network, or, as with the Service Bus and Event
Hubs emulators, to a host whose connection string says UseDevelopmentEmulator=true (an emulator on
another machine of a CI network). Nothing else relaxes the rule.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from urllib.parse import SplitResult, urlsplit

from acsid_cli import protocol, signing
from acsid_cli.client.errors import ConnectionStringError

FORMAT = "endpoint=https://<resource>.communication.azure.com/;accesskey=<base64 key>"


@dataclass(frozen=True)
class Connection:
    endpoint: str  # scheme://host[:port], no trailing slash
    key: bytes = field(repr=False)  # the decoded access key; never printed
    development_emulator: bool = False  # UseDevelopmentEmulator=true: plain http allowed to any host

    @property
    def plain_http_off_loopback(self) -> bool:
        return _plain_http_off_loopback(urlsplit(self.endpoint))

    @property
    def fingerprint(self) -> str:
        """Tells keys apart without revealing them."""
        return "sha256:" + hashlib.sha256(self.key).hexdigest()[:12]


def parse(text: str) -> Connection:
    """Split on ';', keys case-insensitive, like the SDK; but fail with one clear sentence, never echoing the key."""
    fields: dict[str, str] = {}
    for part in text.strip().split(";"):
        name, sep, value = part.partition("=")
        if sep:
            fields[name.strip().lower()] = value.strip()
    missing = [name for name in ("endpoint", "accesskey") if not fields.get(name)]
    if missing:
        raise ConnectionStringError(f"the connection string has no {' and no '.join(repr(m) for m in missing)}")
    emulator = fields.get(protocol.DEVELOPMENT_EMULATOR_SETTING.lower(), "").lower() == "true"
    return Connection(check_endpoint(fields["endpoint"], emulator), _decode_key(fields["accesskey"]), emulator)


def check_endpoint(endpoint: str, development_emulator: bool = False) -> str:
    """The endpoint without its trailing slash; plain http only to loopback, or to a development emulator."""
    endpoint = endpoint.rstrip("/")
    parts = urlsplit(endpoint)
    try:
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError:
        raise ConnectionStringError("the connection string's endpoint has an invalid port") from None
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ConnectionStringError("the connection string's endpoint must be an https:// URL with a host")
    if parts.query or parts.fragment or parts.username:
        raise ConnectionStringError("the connection string's endpoint must have no query, fragment or user name")
    if _plain_http_off_loopback(parts) and not development_emulator:
        # A signed request and the tokens it returns must not cross a network in clear text.
        raise ConnectionStringError(f"refusing plain http:// to {parts.hostname}: only loopback hosts may use http")
    return endpoint


def _plain_http_off_loopback(parts: SplitResult) -> bool:
    return parts.scheme == "http" and not protocol.is_loopback(parts.hostname or "")


def _decode_key(value: str) -> bytes:
    key = signing.decode_key(value)
    if key is None:
        raise ConnectionStringError("the connection string's access key is not valid base64")
    return key
