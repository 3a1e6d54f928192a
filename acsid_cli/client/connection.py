"""Connection strings, parsed the way the official SDK parses them, and the endpoints they may point at.

Plain http goes only to loopback, where nothing crosses a network, or, as with the Service Bus and Event
Hubs emulators, to a host whose connection string says UseDevelopmentEmulator=true (an emulator on
another machine of a CI network). Nothing else relaxes the rule.
"""

from __future__ import annotations

import hashlib
import ipaddress
import re
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
    try:
        parts = urlsplit(endpoint)
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError as exc:  # "Invalid IPv6 URL", "'x' does not appear to be an IPv4 or IPv6 address", a port
        what = "port" if "port" in str(exc).lower() else "host"
        raise ConnectionStringError(f"the connection string's endpoint has an invalid {what}") from None
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ConnectionStringError("the connection string's endpoint must be an https:// URL with a host")
    if parts.query or parts.fragment or parts.username:
        raise ConnectionStringError("the connection string's endpoint must have no query, fragment or user name")
    if not _NETLOC.fullmatch(parts.netloc) or not _valid_host(parts.hostname, parts.netloc.startswith("[")):
        raise ConnectionStringError("the connection string's endpoint has an invalid host")
    if _plain_http_off_loopback(parts) and not development_emulator:
        # A signed request and the tokens it returns must not cross a network in clear text.
        raise ConnectionStringError(f"refusing plain http:// to {parts.hostname}: only loopback hosts may use http")
    return endpoint


# A host (a name, an IPv4 address or a bracketed IPv6 one) and an optional port: nothing else in between.
_NETLOC = re.compile(r"(\[[^\]]+\]|[^\[\]:@]+)(:[0-9]*)?")
# "_" as in the service names of docker compose, which a development emulator may have
_LABEL = re.compile(r"(?!-)[a-z0-9_-]{1,63}(?<!-)", re.IGNORECASE | re.ASCII)


def _valid_host(host: str, bracketed: bool) -> bool:
    """An IPv6 literal in brackets, or a name (or IPv4 address) of ASCII labels of letters, digits, "-" and "_".

    Not an internationalised name as written: the Host header would carry its xn-- form, and the
    signature would not match.
    """
    if bracketed:
        try:
            ipaddress.IPv6Address(host)
        except ValueError:
            return False
        return True
    labels = host.removesuffix(".").split(".")
    return len(host) <= 253 and all(_LABEL.fullmatch(label) for label in labels)


def _plain_http_off_loopback(parts: SplitResult) -> bool:
    return parts.scheme == "http" and not protocol.is_loopback(parts.hostname or "")


def _decode_key(value: str) -> bytes:
    key = signing.decode_key(value)
    if key is None:
        raise ConnectionStringError("the connection string's access key is not valid base64")
    return key
