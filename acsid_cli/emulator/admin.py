"""The emulator-only endpoints under /emulator/ (not part of the Azure API) and the request log they report."""

from __future__ import annotations

import json
import threading
from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from acsid_cli import __version__
from acsid_cli.emulator.api import Answer, Route, error_body
from acsid_cli.emulator.faults import Fault, InvalidFault, parse_fault

if TYPE_CHECKING:
    from acsid_cli.emulator.server import EmulatorServer

REQUEST_LOG_LIMIT = 10_000


class RequestLog:
    """Every ACS request seen, in order of arrival; bounded, so a long-running emulator does not grow."""

    def __init__(self, limit: int = REQUEST_LOG_LIMIT) -> None:
        self._lock = threading.Lock()
        self._entries: deque[dict[str, Any]] = deque(maxlen=limit)

    def add(
        self,
        method: str,
        route: Route | None,
        target: str,
        client_request_id: str | None,
        fault: Fault | None,
        authorization: str | None = None,
    ) -> dict[str, Any]:
        """The new entry; its status stays None until a complete answer has been sent."""
        entry = {
            "method": method,
            "route": route.name if route else None,
            "target": target,
            "status": None,
            "clientRequestId": client_request_id,
            "fault": fault.to_json() if fault else None,
            # What the client signed, so tests can prove no signature ever reaches the client's output.
            "signature": (authorization or "").partition("Signature=")[2] or None,
        }
        with self._lock:
            self._entries.append(entry)
        return entry

    def entries(self) -> list[dict[str, Any]]:
        with self._lock:
            return [dict(entry) for entry in self._entries]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


class BadRequest(Exception):
    """An /emulator/ request that cannot be understood; the message says why."""


def _json_object(body: bytes) -> dict[str, Any]:
    try:
        value = json.loads(body or b"{}")
    except ValueError:
        value = None
    if not isinstance(value, dict):
        raise BadRequest("the body must be a JSON object")
    return value


def _health(server: EmulatorServer, body: bytes) -> Answer:
    return Answer(200, {"status": "ok", "resourceId": server.resource_id, "version": __version__})


def _identities(server: EmulatorServer, body: bytes) -> Answer:
    return Answer(200, {"value": server.api.list_identities()})


def _validate_token(server: EmulatorServer, body: bytes) -> Answer:
    token = _json_object(body).get("token")
    if not isinstance(token, str):
        raise BadRequest('the body must be {"token": "<access token>"}')
    return Answer(200, server.api.inspect_token(token))


def _add_fault(server: EmulatorServer, body: bytes) -> Answer:
    fault = parse_fault(_json_object(body))
    server.faults.add(fault)
    return Answer(201, fault.to_json())


def _list_faults(server: EmulatorServer, body: bytes) -> Answer:
    return Answer(200, {"value": server.faults.pending()})


def _clear_faults(server: EmulatorServer, body: bytes) -> Answer:
    server.faults.clear()
    return Answer(204)


def _list_requests(server: EmulatorServer, body: bytes) -> Answer:
    return Answer(200, {"value": server.request_log.entries()})


def _clear_requests(server: EmulatorServer, body: bytes) -> Answer:
    server.request_log.clear()
    return Answer(204)


_EMULATOR_ENDPOINTS: dict[tuple[str, str], Callable[[EmulatorServer, bytes], Answer]] = {
    ("GET", "/emulator/health"): _health,
    ("GET", "/emulator/identities"): _identities,
    ("POST", "/emulator/tokens/:validate"): _validate_token,
    ("GET", "/emulator/faults"): _list_faults,
    ("POST", "/emulator/faults"): _add_fault,
    ("DELETE", "/emulator/faults"): _clear_faults,
    ("GET", "/emulator/requests"): _list_requests,
    ("DELETE", "/emulator/requests"): _clear_requests,
}


def answer(server: EmulatorServer, method: str, path: str, body: bytes) -> Answer:
    endpoint = _EMULATOR_ENDPOINTS.get((method, path))
    if endpoint is None:
        return Answer(404, error_body("NotFound", f"No emulator endpoint matches '{method} {path}'."))
    try:
        return endpoint(server, body)
    except (BadRequest, InvalidFault) as e:
        return Answer(400, error_body("InvalidRequest", str(e)))
