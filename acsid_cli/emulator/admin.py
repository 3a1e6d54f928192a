"""The emulator-only endpoints under /emulator/ (not part of the Azure API): health, state, tokens, faults, log."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from acsid_cli import __version__
from acsid_cli.emulator.app import Emulator
from acsid_cli.emulator.errors import error_body
from acsid_cli.emulator.faults import InvalidFault, parse_fault
from acsid_cli.emulator.messages import Answer, Request, json_object

PREFIX = "/emulator/"


class BadRequest(Exception):
    """An /emulator/ request that cannot be understood; the message says why."""


def _json_object(body: bytes) -> dict[str, Any]:
    value = json_object(body)
    if value is None:
        raise BadRequest("the body must be a JSON object")
    return value


def _health(emulator: Emulator, body: bytes) -> Answer:
    return Answer(200, {"status": "ok", "resourceId": emulator.resource_id, "version": __version__})


def _identities(emulator: Emulator, body: bytes) -> Answer:
    return Answer(200, {"value": emulator.service.list_identities()})


def _validate_token(emulator: Emulator, body: bytes) -> Answer:
    token = _json_object(body).get("token")
    if not isinstance(token, str):
        raise BadRequest('the body must be {"token": "<access token>"}')
    return Answer(200, emulator.service.inspect_token(token))


def _add_fault(emulator: Emulator, body: bytes) -> Answer:
    fault = parse_fault(_json_object(body))
    emulator.faults.add(fault)
    return Answer(201, fault.to_json())


def _list_faults(emulator: Emulator, body: bytes) -> Answer:
    return Answer(200, {"value": emulator.faults.pending()})


def _clear_faults(emulator: Emulator, body: bytes) -> Answer:
    emulator.faults.clear()
    return Answer(204)


def _list_requests(emulator: Emulator, body: bytes) -> Answer:
    return Answer(200, {"value": [entry.to_json() for entry in emulator.log.entries()]})


def _clear_requests(emulator: Emulator, body: bytes) -> Answer:
    emulator.log.clear()
    return Answer(204)


def _reset(emulator: Emulator, body: bytes) -> Answer:
    emulator.store.clear()
    emulator.faults.clear()
    emulator.log.clear()
    if emulator.throttle:
        emulator.throttle.clear()
    return Answer(204)


_ENDPOINTS: dict[tuple[str, str], Callable[[Emulator, bytes], Answer]] = {
    ("GET", "/emulator/health"): _health,
    ("GET", "/emulator/identities"): _identities,
    ("POST", "/emulator/tokens/:validate"): _validate_token,
    ("GET", "/emulator/faults"): _list_faults,
    ("POST", "/emulator/faults"): _add_fault,
    ("DELETE", "/emulator/faults"): _clear_faults,
    ("GET", "/emulator/requests"): _list_requests,
    ("DELETE", "/emulator/requests"): _clear_requests,
    ("POST", "/emulator/reset"): _reset,
}


def answer(emulator: Emulator, request: Request) -> Answer:
    endpoint = _ENDPOINTS.get((request.method, request.path))
    if endpoint is None:
        return Answer(404, error_body("NotFound", f"No emulator endpoint matches '{request.method} {request.path}'."))
    try:
        return endpoint(emulator, request.body)
    except (BadRequest, InvalidFault) as e:
        return Answer(400, error_body("InvalidRequest", str(e)))
