"""The request log: every request to the service's routes, in order of arrival, for tests to read.

It keeps no secret: of a signature or a bearer token only a fingerprint (8 hex digits of its SHA-256), which
tells requests apart but cannot be signed or sent again. It is bounded by bytes, not entries, so requests
with large headers cannot make a long-running emulator grow: past LIMIT_BYTES the oldest entries go.
"""

from __future__ import annotations

import hashlib
import threading
from collections import deque

from acsid_cli.emulator.faults import Fault
from acsid_cli.emulator.messages import LogEntry, Request

LIMIT_BYTES = 8 * 1024 * 1024
# What an entry costs beyond the characters of its text, in the objects that hold it, and what the dict
# of a fault adds (measured with tracemalloc: about 460 and 450 bytes; rounded up, so the limit holds).
ENTRY_OVERHEAD = 600
FAULT_OVERHEAD = 600
_SCHEMES = ("HMAC-SHA256", "Bearer")


def fingerprint(secret: str) -> str:
    """The first 8 hex digits of the SHA-256 of a signature or token: `printf %s "$SIG" | sha256sum | cut -c1-8`."""
    return hashlib.sha256(secret.encode("utf-8", "surrogateescape")).hexdigest()[:8]


def entry_of(request: Request, operation: str | None, fault: Fault | None) -> LogEntry:
    authorization = request.headers.get("Authorization", "")
    scheme, _, credentials = authorization.partition(" ")
    secret = credentials.partition("Signature=")[2] if scheme == "HMAC-SHA256" else credentials.strip()
    return LogEntry(
        request.method,
        operation,
        request.target,
        request.headers.get("x-ms-client-request-id"),
        fault.to_json() if fault else None,
        scheme if scheme in _SCHEMES else ("other" if authorization else None),
        fingerprint(secret) if secret else None,
    )


def _size(entry: LogEntry) -> int:
    text = len(entry.method) + len(entry.target) + len(entry.client_request_id or "")
    return ENTRY_OVERHEAD + text + (FAULT_OVERHEAD + len(repr(entry.fault)) if entry.fault else 0)


class RequestLog:
    def __init__(self, limit_bytes: int = LIMIT_BYTES) -> None:
        self._lock = threading.Lock()
        self._limit = limit_bytes
        self._entries: deque[tuple[LogEntry, int]] = deque()
        self._bytes = 0

    def add(self, request: Request, operation: str | None, fault: Fault | None) -> LogEntry:
        entry = entry_of(request, operation, fault)
        size = _size(entry)
        with self._lock:
            self._entries.append((entry, size))
            self._bytes += size
            while self._bytes > self._limit and len(self._entries) > 1:
                self._bytes -= self._entries.popleft()[1]
        return entry

    @property
    def size_bytes(self) -> int:
        """What the entries kept are counted as, at most LIMIT_BYTES (or one entry, if that is larger)."""
        return self._bytes

    def entries(self) -> list[LogEntry]:
        with self._lock:
            return [entry for entry, _ in self._entries]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0
