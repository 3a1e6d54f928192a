"""HMAC-SHA256 request signing of the ACS data plane: the client signs with it, the emulator verifies with it.

string to sign = METHOD \\n path?query as sent \\n x-ms-date;host;x-ms-content-sha256
Standard library only.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from collections.abc import Sequence
from email.utils import formatdate
from urllib.parse import urlsplit

SCHEME = "HMAC-SHA256"
SIGNED_HEADERS = "x-ms-date;host;x-ms-content-sha256"
_DEFAULT_PORTS = {"https": 443, "http": 80}


def decode_key(text: str) -> bytes | None:
    """The HMAC key of an access key as written (base64, as in a connection string); None if it is not one."""
    try:
        key = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None
    return key or None


def content_hash(body: bytes) -> str:
    """base64(SHA-256(body)) over the exact bytes on the wire."""
    return base64.b64encode(hashlib.sha256(body).digest()).decode("ascii")


def string_to_sign(method: str, path_and_query: str, header_values: Sequence[str]) -> str:
    return f"{method.upper()}\n{path_and_query}\n{';'.join(header_values)}"


def signature(key: bytes, to_sign: str) -> str:
    return base64.b64encode(hmac.new(key, to_sign.encode("utf-8"), hashlib.sha256).digest()).decode("ascii")


def http_date(timestamp: float | None = None) -> str:
    """RFC 1123 date in GMT, the form x-ms-date takes ('Tue, 02 Jan 2024 03:04:05 GMT')."""
    return formatdate(timestamp, usegmt=True)


def host_of(url: str) -> str:
    """The Host header an HTTP client sends for url, which is what gets signed: no default port."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    return host if parts.port in (None, _DEFAULT_PORTS.get(parts.scheme)) else f"{host}:{parts.port}"


def sign(
    method: str, path_and_query: str, host: str, body: bytes, key: bytes, date: str | None = None
) -> dict[str, str]:
    """The headers that authenticate one request; call again for every attempt (fresh x-ms-date)."""
    date = date or http_date()
    digest = content_hash(body)
    sig = signature(key, string_to_sign(method, path_and_query, (date, host, digest)))
    return {
        "x-ms-date": date,
        "x-ms-content-sha256": digest,
        "Authorization": f"{SCHEME} SignedHeaders={SIGNED_HEADERS}&Signature={sig}",
    }
