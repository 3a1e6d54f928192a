"""The emulator as layers around its routes. The wire (connection.py) hands each request to Emulator.handle and
writes back the Answer; routes.match finds its route once. A service route then goes through the request
log, fault injection and the throttle to its handler (responses.py); an /emulator/ route goes to its handler
(admin.py) once access.py has let the caller in. A raised errors.ApiError becomes its error answer here, and
only here.
"""

from __future__ import annotations

import base64
import copy
import os
import time
from collections.abc import Callable

from acsid_cli import protocol
from acsid_cli.emulator import errors, faults, routes
from acsid_cli.emulator.access import AdminAccess
from acsid_cli.emulator.auth import Verifier
from acsid_cli.emulator.config import EmulatorConfig
from acsid_cli.emulator.exchanges import Exchanges
from acsid_cli.emulator.faults import FaultRules
from acsid_cli.emulator.messages import Answer, Request
from acsid_cli.emulator.operations import IdentityService
from acsid_cli.emulator.requestlog import RequestLog
from acsid_cli.emulator.store import StateError, Store
from acsid_cli.emulator.throttle import Throttle
from acsid_cli.emulator.tokens import TokenMinter, new_private_key_pem

SUPPORTED_VERSIONS_HEADER = ", ".join(protocol.API_VERSIONS)


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
            minter = TokenMinter(self.store.signing_key(self.resource_id, new_private_key_pem), self.resource_id)
        except StateError:
            self.store.close()
            raise
        self.verifier = Verifier(config.keys, config.max_clock_skew_minutes * 60)
        self.service = IdentityService(self.store, minter, self.resource_id)
        self.exchanges = Exchanges(self.store, minter, self.resource_id)  # the 2025 users' tokens, assignments
        self.faults = FaultRules()
        self.log = RequestLog()
        self.access = AdminAccess(config.admin_token, config.host, config.port)  # who may call /emulator/
        self.throttle = Throttle(config.throttle, clock) if config.throttle else None

    def handle(self, request: Request) -> Answer:
        route, params = routes.match(request.method, request.path)
        if route.admin:
            return self._run(route, request, params)
        started = time.perf_counter()
        fault = self.faults.take(route.operation) if route.operation else None
        entry = self.log.add(request, route.operation, fault)
        racing = fault is not None and fault.race
        answer = faults.apply(fault, lambda: self._run(route, request, params, racing), self._sleep)
        answer.log = entry
        entry.reason = answer.headers.get(errors.REASON_HEADER)
        answer.headers.update(
            {
                "api-supported-versions": SUPPORTED_VERSIONS_HEADER,
                "MS-CV": base64.b64encode(os.urandom(16)).decode("ascii")[:22] + ".0",
                "X-Processing-Time": f"{round((time.perf_counter() - started) * 1000)}ms",
                protocol.THROTTLE_HEADER: protocol.THROTTLE_ON if self.throttle else protocol.THROTTLE_OFF,
            }
        )
        if "x-ms-client-request-id" in request.headers:
            answer.headers["x-ms-client-request-id"] = request.headers["x-ms-client-request-id"]
        return answer

    def _run(self, route: routes.Route, request: Request, params: dict[str, str], racing: bool = False) -> Answer:
        """The route's answer: its handler's, or the error it (or the throttle) raised. racing: a "race" fault's
        create, served by a twin of this emulator whose creates are not atomic, as the service's are not."""
        try:
            if route.admin:
                self.access.check(request, needs_token=not route.open)
            elif self.throttle and route.operation:
                self.throttle.admit(route.operation)
            return route.handler(self._racing() if racing else self, request, params)
        except errors.ApiError as error:
            return Answer(error.status, error.body, headers=dict(error.headers))

    def _racing(self) -> Emulator:
        twin = copy.copy(self)
        twin.service = self.service.racing()
        return twin

    def reset(self) -> None:
        """Forget identities, tokens, faults, the log and the throttle's counts, as if just started."""
        self.store.clear()
        self.faults.clear()
        self.log.clear()
        if self.throttle:
            self.throttle.clear()

    def close(self) -> None:
        self.store.close()
