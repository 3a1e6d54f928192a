"""The 2025 routes under /access/ on the wire: the Teams Extension and Entra ID exchanges, which the user's own
Entra token authenticates (Bearer), and their assignments, which the resource's credential does.

Checks run as for the other routes: api-version (400), who calls (401), the path's ids and the body (400),
then the operation's own (404 unknown assignment, 403 no assignment covers the user). [assumption] The specs
publish no error answers for these operations; these follow the service's for the others.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from acsid_cli import protocol
from acsid_cli.emulator import auth, errors, validation
from acsid_cli.emulator.exchanges import Exchanged
from acsid_cli.emulator.messages import Answer, Request
from acsid_cli.emulator.responses import admitted, api_version

if TYPE_CHECKING:
    from acsid_cli.emulator.app import Emulator

TEAMS_EXTENSION_AUDIENCE = protocol.TEAMS_EXTENSION_SCOPE_PREFIX.rstrip("/")
ENTRA_USERS_AUDIENCE = protocol.ENTRA_USERS_SCOPE_PREFIX.rstrip("/")


def teams_extension_exchange(emulator: Emulator, request: Request, params: dict[str, str]) -> Answer:
    claims, now = _user(emulator, request, protocol.TEAMS_EXTENSION_EXCHANGE, TEAMS_EXTENSION_AUDIENCE)
    return _exchanged(emulator.exchanges.teams_extension_exchange(claims, now))


def get_teams_extension_assignment(emulator: Emulator, request: Request, params: dict[str, str]) -> Answer:
    admitted(emulator, request, protocol.TEAMS_EXTENSION_GET)
    return Answer(200, emulator.exchanges.teams_extension_assignment(*_tenant_and_object(params)))


def put_teams_extension_assignment(emulator: Emulator, request: Request, params: dict[str, str]) -> Answer:
    admitted(emulator, request, protocol.TEAMS_EXTENSION_PUT)
    tenant_id, object_id = _tenant_and_object(params)
    fields = validation.json_object(request.body)
    principal = validation.principal_type(fields, protocol.TEAMS_EXTENSION_PRINCIPAL_TYPES)
    clients = validation.client_ids(fields, required=False)
    body, created = emulator.exchanges.put_teams_extension_assignment(tenant_id, object_id, principal, clients)
    return Answer(201 if created else 200, body)


def delete_teams_extension_assignment(emulator: Emulator, request: Request, params: dict[str, str]) -> Answer:
    admitted(emulator, request, protocol.TEAMS_EXTENSION_DELETE)
    emulator.exchanges.delete_teams_extension_assignment(*_tenant_and_object(params))
    return Answer(204)


def entra_exchange(emulator: Emulator, request: Request, params: dict[str, str]) -> Answer:
    claims, now = _user(emulator, request, protocol.ENTRA_EXCHANGE, ENTRA_USERS_AUDIENCE)
    return _exchanged(emulator.exchanges.entra_exchange(claims, now))


def list_entra_assignments(emulator: Emulator, request: Request, params: dict[str, str]) -> Answer:
    admitted(emulator, request, protocol.ENTRA_LIST)
    return Answer(200, {"value": emulator.exchanges.entra_assignments()})


def patch_entra_assignments(emulator: Emulator, request: Request, params: dict[str, str]) -> Answer:
    """A merge patch of the assignments: {"<objectId>": assignment, or null to delete it}; 200 with them all."""
    admitted(emulator, request, protocol.ENTRA_PATCH)
    changes: dict[str, dict[str, Any] | None] = {}
    for object_id, value in validation.json_object(request.body).items():
        validation.guid(object_id, "ObjectId")
        if value is not None and not isinstance(value, dict):
            raise errors.invalid(f"The assignment of '{object_id}' must be an object, or null.", object_id)
        changes[object_id] = None if value is None else _entra_assignment(value)
    emulator.exchanges.set_entra_assignments(changes)
    return Answer(200, {"value": emulator.exchanges.entra_assignments()})


def get_entra_assignment(emulator: Emulator, request: Request, params: dict[str, str]) -> Answer:
    admitted(emulator, request, protocol.ENTRA_GET)
    return Answer(200, emulator.exchanges.entra_assignment(_object(params)))


def put_entra_assignment(emulator: Emulator, request: Request, params: dict[str, str]) -> Answer:
    admitted(emulator, request, protocol.ENTRA_PUT)
    object_id = _object(params)
    assignment = _entra_assignment(validation.json_object(request.body))
    [created] = emulator.exchanges.set_entra_assignments({object_id: assignment})
    return Answer(201 if created else 200, emulator.exchanges.entra_assignment(object_id))


def delete_entra_assignment(emulator: Emulator, request: Request, params: dict[str, str]) -> Answer:
    admitted(emulator, request, protocol.ENTRA_DELETE)
    object_id = _object(params)
    if not emulator.exchanges.set_entra_assignments({object_id: None})[0]:
        raise errors.assignment_not_found(object_id)
    return Answer(204)


def _user(
    emulator: Emulator, request: Request, operation: protocol.Operation, audience: str
) -> tuple[dict[str, Any], float]:
    """The claims of the user's Entra token an exchange is called with, once its api-version and body pass."""
    api_version(request, operation)
    now = emulator.clock()
    claims = auth.user_claims(request.headers, audience, now)
    if isinstance(claims, auth.Denial):
        raise errors.invalid_access_token(claims.reason)
    validation.json_object(request.body)  # {}: the exchanges take nothing else
    return claims, now


def _exchanged(exchanged: Exchanged) -> Answer:
    token = {"token": exchanged.token.token, "expiresOn": exchanged.token.expires_on}
    return Answer(200, {"identity": {"id": exchanged.identity_id}, "accessToken": token})


def _tenant_and_object(params: dict[str, str]) -> tuple[str, str]:
    return validation.guid(unquote(params["tenantId"]), "TenantId"), _object(params)


def _object(params: dict[str, str]) -> str:
    return validation.guid(unquote(params["objectId"]), "ObjectId")


def _entra_assignment(fields: dict[str, Any]) -> dict[str, Any]:
    return {
        "tenantId": validation.guid(fields.get("tenantId"), "TenantId"),
        "principalType": validation.principal_type(fields, protocol.ENTRA_PRINCIPAL_TYPES),
        "clientIds": validation.client_ids(fields, required=True),
    }
