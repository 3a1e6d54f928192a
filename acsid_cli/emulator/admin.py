"""The emulator-only endpoints under /emulator/ (not part of the Azure API): health, state, tokens, faults, log.

Each handler reads the request, acts on the emulator and shapes the answer; routes.py says which is which.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from acsid_cli import __version__
from acsid_cli.emulator import errors
from acsid_cli.emulator.faults import InvalidFault, parse_fault
from acsid_cli.emulator.messages import Answer, Request, camel_case_json, json_object
from acsid_cli.emulator.store import Identity
from acsid_cli.emulator.tokens import iso8601

if TYPE_CHECKING:
    from acsid_cli.emulator.app import Emulator


def health(emulator: Emulator, request: Request, params: dict[str, str]) -> Answer:
    return Answer(200, {"status": "ok", "resourceId": emulator.resource_id, "version": __version__})


def identities(emulator: Emulator, request: Request, params: dict[str, str]) -> Answer:
    return Answer(200, {"value": [_identity_json(identity) for identity in emulator.service.identities()]})


def validate_token(emulator: Emulator, request: Request, params: dict[str, str]) -> Answer:
    token = _json_object(request).get("token")
    if not isinstance(token, str):
        raise errors.bad_admin_request('the body must be {"token": "<access token>"}')
    return Answer(200, camel_case_json(emulator.service.token_status(token, emulator.clock())))


def add_fault(emulator: Emulator, request: Request, params: dict[str, str]) -> Answer:
    try:
        fault = parse_fault(_json_object(request))
    except InvalidFault as e:
        raise errors.bad_admin_request(str(e)) from None
    emulator.faults.add(fault)
    return Answer(201, fault.to_json())


def list_faults(emulator: Emulator, request: Request, params: dict[str, str]) -> Answer:
    return Answer(200, {"value": emulator.faults.pending()})


def clear_faults(emulator: Emulator, request: Request, params: dict[str, str]) -> Answer:
    emulator.faults.clear()
    return Answer(204)


def list_requests(emulator: Emulator, request: Request, params: dict[str, str]) -> Answer:
    return Answer(200, {"value": [entry.to_json() for entry in emulator.log.entries()]})


def clear_requests(emulator: Emulator, request: Request, params: dict[str, str]) -> Answer:
    emulator.log.clear()
    return Answer(204)


def reset(emulator: Emulator, request: Request, params: dict[str, str]) -> Answer:
    emulator.reset()
    return Answer(204)


def no_endpoint(emulator: Emulator, request: Request, params: dict[str, str]) -> Answer:
    raise errors.no_admin_endpoint(request.method, request.path)


def _json_object(request: Request) -> dict[str, Any]:
    value = json_object(request.body)
    if value is None:
        raise errors.bad_admin_request("the body must be a JSON object")
    return value


def _identity_json(identity: Identity) -> dict[str, Any]:
    def when(timestamp: float | None) -> str | None:
        return None if timestamp is None else iso8601(timestamp)

    return {
        "id": identity.id,
        "customId": identity.custom_id,
        "createdAt": when(identity.created_at),
        "lastTokenIssuedAt": when(identity.last_token_issued_at),
        "revokedAt": when(identity.revoked_before),
        "deleted": identity.deleted_at is not None,
    }
