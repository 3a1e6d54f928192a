"""The request log: every request to the service's routes, in order of arrival, for tests to read."""

from __future__ import annotations

import threading
from collections import deque

from acsid_cli.emulator.faults import Fault
from acsid_cli.emulator.messages import LogEntry, Request

REQUEST_LOG_LIMIT = 10_000


class RequestLog:
    """Bounded, so a long-running emulator does not grow."""

    def __init__(self, limit: int = REQUEST_LOG_LIMIT) -> None:
        self._lock = threading.Lock()
        self._entries: deque[LogEntry] = deque(maxlen=limit)

    def add(self, request: Request, operation: str | None, fault: Fault | None) -> LogEntry:
        authorization = request.headers.get("Authorization", "")
        entry = LogEntry(
            request.method,
            operation,
            request.target,
            request.headers.get("x-ms-client-request-id"),
            fault.to_json() if fault else None,
            authorization.partition(" ")[0] or None,
            authorization.partition("Signature=")[2] or None,
        )
        with self._lock:
            self._entries.append(entry)
        return entry

    def entries(self) -> list[LogEntry]:
        with self._lock:
            return list(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
