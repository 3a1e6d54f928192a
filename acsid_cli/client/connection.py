"""Connection strings, parsed the way the official SDK parses them, and the endpoints they may point at."""

from __future__ import annotations

import binascii
import hashlib
import ipaddress
from base64 import b64decode
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from acsid_cli.client.errors import ConnectionStringError

FORMAT = "endpoint=https://<resource>.communication.azure.com/;accesskey=<base64 key>"


@dataclass(frozen=True)
class Connection:
    endpoint: str  # scheme://host[:port], no trailing slash
    key: bytes = field(repr=False)  # the decoded access key; never printed

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
    return Connection(check_endpoint(fields["endpoint"]), _decode_key(fields["accesskey"]))


def check_endpoint(endpoint: str) -> str:
    """The endpoint without its trailing slash; plain http only to loopback, where nothing crosses a network."""
    endpoint = endpoint.rstrip("/")
    parts = urlsplit(endpoint)
    try:
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError:
        raise ConnectionStringError("the connection string's endpoint has an invalid port") from None
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ConnectionStringError("the connection string's endpoint must be an https:// URL with a host")
    if parts.query or parts.fragment or parts.username:
        raise ConnectionStringError("the connection string's endpoint must be scheme://host[:port] and nothing more")
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        # A signed request and the tokens it returns must not cross a network in clear text.
        raise ConnectionStringError(f"refusing plain http:// to {parts.hostname}: only loopback hosts may use http")
    return endpoint


def is_loopback(hostname: str) -> bool:
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
        raise ConnectionStringError("the connection string's access key is not valid base64")
    return key
