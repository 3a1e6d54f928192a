"""The service's routes on the wire: each handler reads what a request says (its api-version, its signature,
the id in its path, its JSON body), calls the operation with plain values, and shapes the answer as the
service does. Errors are raised (errors.ApiError); app.py turns them into answers.

Checks run in the service's order: api-version (400), signature (401), id ownership (401), body (400), then
the operation's own (existence: 404).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, unquote

from acsid_cli import protocol
from acsid_cli.emulator import errors, validation
from acsid_cli.emulator.messages import Answer, Request
from acsid_cli.emulator.store import Identity
from acsid_cli.emulator.tokens import MintedToken, iso8601

if TYPE_CHECKING:
    from acsid_cli.emulator.app import Emulator


def create(emulator: Emulator, request: Request, params: dict[str, str]) -> Answer:
    version, now = admitted(emulator, request, protocol.CREATE)
    fields = validation.json_object(request.body)
    scopes = fields.get("createTokenWithScopes")
    if scopes is not None:
        scopes = validation.scopes(version, scopes)
    minutes = validation.minutes(version, fields)
    custom_id = validation.custom_id(version, fields)
    created = emulator.service.create(custom_id, scopes or [], minutes, now)
    result: dict[str, Any] = {"identity": _identity_json(created.identity, version)}
    if created.token:
        result["accessToken"] = _token_json(created.token)
    return Answer(201, result)  # for a customId that had an identity too: the preview declares only 201


def get(emulator: Emulator, request: Request, params: dict[str, str]) -> Answer:
    version, _ = admitted(emulator, request, protocol.GET)
    identity = emulator.service.get(_owned_id(emulator, params))
    return Answer(200, _identity_json(identity, version))


def delete(emulator: Emulator, request: Request, params: dict[str, str]) -> Answer:
    _, now = admitted(emulator, request, protocol.DELETE)
    emulator.service.delete(_owned_id(emulator, params), now)
    return Answer(204)


def revoke(emulator: Emulator, request: Request, params: dict[str, str]) -> Answer:
    _, now = admitted(emulator, request, protocol.REVOKE)
    emulator.service.revoke(_owned_id(emulator, params), now)
    return Answer(204)


def issue(emulator: Emulator, request: Request, params: dict[str, str]) -> Answer:
    version, now = admitted(emulator, request, protocol.ISSUE)
    identity_id = _owned_id(emulator, params)
    fields = validation.json_object(request.body)
    scopes = validation.issue_scopes(version, fields)
    minutes = validation.minutes(version, fields)
    return Answer(200, _token_json(emulator.service.issue(identity_id, scopes, minutes, now)))


def exchange(emulator: Emulator, request: Request, params: dict[str, str]) -> Answer:
    version, now = admitted(emulator, request, protocol.EXCHANGE)
    fields = validation.json_object(request.body)
    entra = validation.entra_claims(fields.get("token"), now)
    if protocol.teams_exchange_checks_ids(version):
        app_id = entra.get("appid") or entra.get("azp")
        validation.guid_field(fields.get("appId"), "AppId", app_id, "AAD application is not the expected one.")
        unexpected_user = "Provided AAD token issued for unexpected user."
        validation.guid_field(fields.get("userId"), "UserId", entra["oid"], unexpected_user)
    return Answer(200, _token_json(emulator.service.exchange(entra, now)))


def no_operation(emulator: Emulator, request: Request, params: dict[str, str]) -> Answer:
    raise errors.no_route(request.method, request.path)


def admitted(emulator: Emulator, request: Request, operation: protocol.Operation) -> tuple[str, float]:
    """The request's api-version, once it is one the operation has and the resource's credential signed it
    (HMAC, or an Entra token for ACS); and the time."""
    version = api_version(request, operation)
    now = emulator.clock()
    denial = emulator.verifier.denial(request.method, request.target, request.headers, request.body, now)
    if denial:
        raise errors.denied(denial.message, denial.reason)
    return version, now


def api_version(request: Request, operation: protocol.Operation) -> str:
    """The request's api-version when the operation has it, else the service's 400."""
    query = request.target.partition("?")[2]
    version = next((v for k, v in parse_qsl(query) if k.lower() == "api-version"), None)
    if version is None:
        raise errors.api_version_unspecified()
    offered = operation.offered_in(version)
    if operation is protocol.EXCHANGE:
        offered = protocol.has_teams_exchange(version)
    if version not in protocol.API_VERSIONS or not offered:
        raise errors.unsupported_api_version(request.origin + request.path, version)
    return version


def _owned_id(emulator: Emulator, params: dict[str, str]) -> str:
    return emulator.service.owned(unquote(params["id"]))  # the SDKs percent-encode it, aiohttp does not


def _identity_json(identity: Identity, version: str) -> dict[str, Any]:
    result: dict[str, Any] = {"id": identity.id}
    if protocol.has_identity_details(version):
        if identity.custom_id is not None:
            result["customId"] = identity.custom_id
        if identity.last_token_issued_at is not None:
            result["lastTokenIssuedAt"] = iso8601(identity.last_token_issued_at)
    return result


def _token_json(minted: MintedToken) -> dict[str, Any]:
    return {"token": minted.token, "expiresOn": minted.expires_on}
