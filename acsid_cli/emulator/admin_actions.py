"""Admin endpoints that act as the service's operations do, for the web console: create an identity (with a
token for chosen scopes), issue, revoke, delete. The admin token stands in for a signature, so the access
key never reaches a browser. Bodies follow the rules of the API version that has them all (custom ids,
every scope, lifetimes), with the service's messages; GET /emulator/about says what the forms may offer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from acsid_cli import __version__, protocol
from acsid_cli.emulator import validation
from acsid_cli.emulator.faults import ANY_ROUTE, DROPS, ROUTES
from acsid_cli.emulator.messages import Answer, Request
from acsid_cli.emulator.tokens import MintedToken

if TYPE_CHECKING:
    from acsid_cli.emulator.app import Emulator

VERSION = protocol.PREVIEW_API_VERSION


def about(emulator: Emulator, request: Request, params: dict[str, str]) -> Answer:
    return Answer(
        200,
        {
            "resourceId": emulator.resource_id,
            "version": __version__,
            "scopes": list(protocol.scopes_of(VERSION)),
            "tokenMinutes": {
                "min": protocol.MIN_TOKEN_MINUTES,
                "max": protocol.MAX_TOKEN_MINUTES,
                "default": protocol.DEFAULT_TOKEN_MINUTES,
            },
            "faultRoutes": [*ROUTES, ANY_ROUTE],
            "drops": list(DROPS),
        },
    )


def create(emulator: Emulator, request: Request, params: dict[str, str]) -> Answer:
    """{"scopes"?: [...], "customId"?, "expiresInMinutes"?} → 201 (200 for an existing customId)
    {"identity": {"id", "customId"}, "accessToken"?: {"token", "expiresOn"}}: a token only for scopes."""
    fields = validation.json_object(request.body)
    scopes = validation.scopes(VERSION, fields.get("scopes") or [])
    minutes = validation.minutes(VERSION, fields)
    custom_id = validation.custom_id(VERSION, fields)
    created = emulator.service.create(custom_id, scopes, minutes, emulator.clock())
    result: dict[str, Any] = {"identity": {"id": created.identity.id, "customId": created.identity.custom_id}}
    if created.token:
        result["accessToken"] = _token_json(created.token)
    return Answer(201 if created.new else 200, result)


def issue(emulator: Emulator, request: Request, params: dict[str, str]) -> Answer:
    fields = validation.json_object(request.body)
    scopes = validation.issue_scopes(VERSION, fields)
    minutes = validation.minutes(VERSION, fields)
    return Answer(200, _token_json(emulator.service.issue(_id(emulator, params), scopes, minutes, emulator.clock())))


def revoke(emulator: Emulator, request: Request, params: dict[str, str]) -> Answer:
    emulator.service.revoke(_id(emulator, params), emulator.clock())
    return Answer(204)


def delete(emulator: Emulator, request: Request, params: dict[str, str]) -> Answer:
    emulator.service.delete(_id(emulator, params), emulator.clock())
    return Answer(204)


def _id(emulator: Emulator, params: dict[str, str]) -> str:
    return emulator.service.owned(unquote(params["id"]))


def _token_json(minted: MintedToken) -> dict[str, Any]:
    return {"token": minted.token, "expiresOn": minted.expires_on}
