"""The emulator as layers around the service: the request log, fault injection, throttling, the operations.

The wire (server.py) hands each ACS request to Emulator.handle and writes back the Answer.
"""

from __future__ import annotations

import base64
import os
import threading
import time
from collections import deque
from collections.abc import Callable

from acsid_cli import protocol
from acsid_cli.emulator import errors, faults, routes
from acsid_cli.emulator.auth import Verifier
from acsid_cli.emulator.config import EmulatorConfig
from acsid_cli.emulator.faults import Fault, FaultRules
from acsid_cli.emulator.messages import Answer, LogEntry, Request
from acsid_cli.emulator.operations import IdentityService
from acsid_cli.emulator.store import StateError, Store
from acsid_cli.emulator.throttle import Throttle
from acsid_cli.emulator.tokens import TokenMinter, new_private_key_pem

REQUEST_LOG_LIMIT = 10_000
SUPPORTED_VERSIONS_HEADER = ", ".join(protocol.API_VERSIONS)


class RequestLog:
    """Every ACS request seen, in order of arrival; bounded, so a long-running emulator does not grow."""

    def __init__(self, limit: int = REQUEST_LOG_LIMIT) -> None:
        self._lock = threading.Lock()
        self._entries: deque[LogEntry] = deque(maxlen=limit)

    def add(self, request: Request, route: routes.Route | None, fault: Fault | None) -> LogEntry:
        entry = LogEntry(
            request.method,
            route.name if route else None,
            request.target,
            request.headers.get("x-ms-client-request-id"),
            fault.to_json() if fault else None,
            request.headers.get("Authorization", "").partition(" ")[0] or None,
            request.headers.get("Authorization", "").partition("Signature=")[2] or None,
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


class Emulator:
    """One emulated ACS resource. Raises ValueError or StateError for settings it cannot use."""

    def __init__(
        self,
        config: EmulatorConfig,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.config = config
        self.resource_id = config.resource_id.lower()
        self.clock = clock
        self._sleep = sleep
        self.store = Store(config.state_file)
        try:
            minter = TokenMinter(_signing_key(self.store, self.resource_id), self.resource_id)
        except StateError:
            self.store.close()
            raise
        verifier = Verifier(config.keys, config.max_clock_skew_minutes * 60)
        self.service = IdentityService(self.store, minter, verifier, self.resource_id, clock)
        self.faults = FaultRules()
        self.log = RequestLog()
        self.throttle = Throttle(config.throttle, clock) if config.throttle else None

    def handle(self, request: Request) -> Answer:
        started = time.perf_counter()
        route = routes.match(request.method, request.target)
        fault = self.faults.take(route.name) if route else None
        entry = self.log.add(request, route, fault)
        answer = faults.apply(fault, lambda: self._perform(route, request), self._sleep)
        answer.log = entry
        answer.headers.update({
            "api-supported-versions": SUPPORTED_VERSIONS_HEADER,
            "MS-CV": base64.b64encode(os.urandom(16)).decode("ascii")[:22] + ".0",
            "X-Processing-Time": f"{round((time.perf_counter() - started) * 1000)}ms",
        })
        if "x-ms-client-request-id" in request.headers:
            answer.headers["x-ms-client-request-id"] = request.headers["x-ms-client-request-id"]
        return answer

    def _perform(self, route: routes.Route | None, request: Request) -> Answer:
        if route is None:
            error = errors.no_route(request.method, request.path)
            return Answer(error.status, error.body)
        refusal = self.throttle.refusal(route.name) if self.throttle else None
        return refusal or self.service.handle(route, request)

    def close(self) -> None:
        self.store.close()


def _signing_key(store: Store, resource_id: str) -> str:
    """The RSA key of this state, created on first use: a state file keeps its tokens verifiable."""
    owner = store.meta("resource_id")
    if owner is None:
        store.set_meta("resource_id", resource_id)
    elif owner != resource_id:
        raise StateError(f"the state file belongs to resource {owner}; start with --resource-id {owner}")
    pem = store.meta("signing_key")
    if pem is None:
        pem = new_private_key_pem()
        store.set_meta("signing_key", pem)
    return pem
