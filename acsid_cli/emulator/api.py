"""The ACS Identity operations as the service answers them: routing, api-version gates, validation, errors.

Checks run in the service's order: route, api-version, HMAC, id ownership (401), body (400), existence (404).
"""

from __future__ import annotations

import json
import re
import secrets
import time
from dataclasses import dataclass
from email.message import Message
from typing import Any
from urllib.parse import parse_qsl, unquote

from acsid_cli.emulator.auth import HmacVerifier
from acsid_cli.emulator.store import Identity, Store
from acsid_cli.emulator.tokens import MintedToken, TokenMinter, decode_unverified, iso8601, token_hash
from acsid_cli.inputs import GUID

SUPPORTED_VERSIONS = (
    "2021-03-07",
    "2021-10-31-preview",
    "2022-06-01",
    "2022-10-01",
    "2023-08-01",
    "2023-10-01",
    "2025-03-02-preview",
    "2025-06-30",
)
SUPPORTED_VERSIONS_HEADER = ", ".join(SUPPORTED_VERSIONS)
# GET /identities/{id} and customId exist only in this preview.
IDENTITY_DETAILS_VERSION = "2025-03-02-preview"
BASE_SCOPES = ("chat", "voip")
JOIN_SCOPES = ("chat.join", "chat.join.limited", "voip.join")
DEFAULT_MINUTES = 1440
CUSTOM_ID_MAX_LENGTH = 256

_ACS_ID = re.compile(r"8:acs:([0-9a-fA-F-]{36})_.+", re.DOTALL)
_ACTIONS = {":revokeaccesstokens": "revoke", ":issueaccesstoken": "issue"}


class ApiError(Exception):
    """An answer in the service's error shape: {"error": {"code", "message", "target"?}}."""

    def __init__(self, status: int, code: str, message: str, target: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.body: dict[str, Any] = {"error": {"code": code, "message": message}}
        if target:
            self.body["error"]["target"] = target


def error_body(code: str, message: str) -> dict[str, Any]:
    """The service's error shape, for answers that are not ApiErrors (routing, faults, /emulator/)."""
    return {"error": {"code": code, "message": message}}


def _invalid(message: str, target: str) -> ApiError:
    return ApiError(400, "ValidationError", message, target)


@dataclass(frozen=True)
class Route:
    name: str  # one of faults.ROUTES
    id_segment: str | None = None  # as received, still percent-encoded


def match_route(method: str, target: str) -> Route | None:
    """The ACS operation a request is for. Like ASP.NET routing, literal segments ignore case."""
    segments = target.partition("?")[0].split("/")
    literal = [unquote(s).lower() for s in segments]
    if literal[:2] == ["", "teamsuser"] and literal[2:] == [":exchangeaccesstoken"] and method == "POST":
        return Route("exchange")
    if literal[:2] != ["", "identities"]:
        return None
    if len(segments) == 2:
        return Route("create") if method == "POST" else None
    if len(segments) == 3 and segments[2]:
        return {"GET": Route("get", segments[2]), "DELETE": Route("delete", segments[2])}.get(method)
    if len(segments) == 4 and segments[2] and literal[3] in _ACTIONS and method == "POST":
        return Route(_ACTIONS[literal[3]], segments[2])
    return None


@dataclass(frozen=True)
class Request:
    method: str
    target: str  # the raw request target, exactly as received: what the client signed
    headers: Message
    body: bytes
    origin: str  # scheme://host, to quote the request URI in errors


@dataclass(frozen=True)
class Answer:
    status: int
    body: dict[str, Any] | None = None


class IdentityApi:
    """The operations of one ACS resource over its state; also what the /emulator/ endpoints report."""

    def __init__(self, store: Store, minter: TokenMinter, verifier: HmacVerifier, resource_id: str) -> None:
        self._store = store
        self._minter = minter
        self._verifier = verifier
        self._resource_id = resource_id

    def handle(self, route: Route, request: Request) -> Answer:
        try:
            version = self._version(route, request)
            now = time.time()
            denial = self._verifier.denial(request.method, request.target, request.headers, request.body, now)
            if denial:
                raise ApiError(401, "Denied", denial)
            if route.id_segment is None:
                operation = self._create if route.name == "create" else self._exchange
                return operation(version, request.body, now)
            identity_id = self._owned_id(route.id_segment)
            operation = {
                "get": self._get,
                "delete": self._delete,
                "revoke": self._revoke,
                "issue": self._issue,
            }
            return operation[route.name](version, identity_id, request.body, now)
        except ApiError as error:
            return Answer(error.status, error.body)

    def _version(self, route: Route, request: Request) -> str:
        path, _, query = request.target.partition("?")
        version = next((v for k, v in parse_qsl(query) if k.lower() == "api-version"), None)
        if version is None:
            raise ApiError(400, "ApiVersionUnspecified", "An API version is required, but was not specified.")
        gated_out = (route.name == "get" and version != IDENTITY_DETAILS_VERSION) or (
            route.name == "exchange" and not _since(version, "2021-10-31")
        )
        if version not in SUPPORTED_VERSIONS or gated_out:
            raise ApiError(
                400,
                "UnsupportedApiVersion",
                f"The HTTP resource that matches the request URI '{request.origin}{path}' "
                f"does not support the API version '{version}'.",
            )
        return version

    def _owned_id(self, id_segment: str) -> str:
        identity_id = unquote(id_segment)
        match = _ACS_ID.fullmatch(identity_id)
        if not match or match.group(1).lower() != self._resource_id:
            raise ApiError(401, "IdentityNotOwned", "Provided identity doesn't belong to the resource.")
        return identity_id

    def _create(self, version: str, body: bytes, now: float) -> Answer:
        fields = _json_object(body)
        scopes = fields.get("createTokenWithScopes")
        if scopes is not None:
            scopes = _scopes(version, scopes)
        minutes = _minutes(version, fields)
        custom_id = _custom_id(fields) if version == IDENTITY_DETAILS_VERSION else None
        identity, created = self._store.create_identity(custom_id, now, self._new_id)
        minted = self._mint(identity.id, scopes, minutes, now) if scopes else None
        if minted:
            identity.last_token_issued_at = now
        result: dict[str, Any] = {"identity": _identity_json(identity, version)}
        if minted:
            result["accessToken"] = {"token": minted.token, "expiresOn": minted.expires_on}
        return Answer(201 if created else 200, result)

    def _get(self, version: str, identity_id: str, body: bytes, now: float) -> Answer:
        return Answer(200, _identity_json(self._live(identity_id), version))

    def _delete(self, version: str, identity_id: str, body: bytes, now: float) -> Answer:
        if not self._store.delete_identity(identity_id, now):
            raise _not_found(identity_id)
        return Answer(204)

    def _revoke(self, version: str, identity_id: str, body: bytes, now: float) -> Answer:
        if not self._store.revoke_tokens(identity_id, now):
            raise _not_found(identity_id)
        return Answer(204)

    def _issue(self, version: str, identity_id: str, body: bytes, now: float) -> Answer:
        fields = _json_object(body)
        scopes = fields.get("scopes")
        if scopes is None:
            raise _invalid("Scopes: The Scopes field is required.", "Scopes")
        if scopes == []:
            raise _invalid("Invalid scopes - Scopes field is required.", "scopes")
        scopes = _scopes(version, scopes)
        minutes = _minutes(version, fields)
        self._live(identity_id)
        minted = self._mint(identity_id, scopes, minutes, now)
        return Answer(200, {"token": minted.token, "expiresOn": minted.expires_on})

    def _exchange(self, version: str, body: bytes, now: float) -> Answer:
        fields = _json_object(body)
        entra = _usable_entra_claims(fields.get("token"), now)
        if _since(version, "2022-06-01"):
            app_id = entra.get("appid") or entra.get("azp")
            _check_guid_field(fields.get("appId"), "AppId", app_id, "AAD application is not the expected one.")
            _check_guid_field(
                fields.get("userId"), "UserId", entra["oid"], "Provided AAD token issued for unexpected user."
            )
        minted = self._minter.teams_token(entra)
        self._store.record_token(token_hash(minted.token), f"8:orgid:{entra['oid']}", now)
        return Answer(200, {"token": minted.token, "expiresOn": minted.expires_on})

    def inspect_token(self, token: str) -> dict[str, Any]:
        """What the emulator knows of a token: the answer of POST /emulator/tokens/:validate."""
        claims = self._minter.verified_claims(token)
        issued = self._store.issued_token(token_hash(token)) if claims else None
        if claims is None or issued is None:
            return {"status": "unknown", "identity": None, "expiresOn": None}
        identity = self._store.identity(issued.identity_id)  # None for Teams users
        if identity and identity.deleted_at is not None:
            status = "deleted"
        elif identity and identity.revoked_before is not None and issued.issued_at < identity.revoked_before:
            status = "revoked"
        elif claims["exp"] <= time.time():
            status = "expired"
        else:
            status = "valid"
        return {"status": status, "identity": issued.identity_id, "expiresOn": iso8601(claims["exp"])}

    def list_identities(self) -> list[dict[str, Any]]:
        """Every identity with its history: the answer of GET /emulator/identities."""

        def when(timestamp: float | None) -> str | None:
            return None if timestamp is None else iso8601(timestamp)

        return [
            {
                "id": i.id,
                "customId": i.custom_id,
                "createdAt": when(i.created_at),
                "lastTokenIssuedAt": when(i.last_token_issued_at),
                "revokedAt": when(i.revoked_before),
                "deleted": i.deleted_at is not None,
            }
            for i in self._store.identities()
        ]

    def _live(self, identity_id: str) -> Identity:
        identity = self._store.identity(identity_id)
        if identity is None or identity.deleted_at is not None:
            raise _not_found(identity_id)
        return identity

    def _mint(self, identity_id: str, scopes: list[str], minutes: int, now: float) -> MintedToken:
        minted = self._minter.acs_token(identity_id, scopes, minutes, now)
        self._store.record_token(token_hash(minted.token), identity_id, now)
        return minted

    def _new_id(self, counter: int) -> str:
        # The service's shape: a per-resource counter first, "3a0d00" in the last group.
        r = secrets.token_hex(9)
        return f"8:acs:{self._resource_id}_{counter:08x}-{r[0:4]}-{r[4:8]}-{r[8:12]}-{r[12:14]}3a0d00{r[14:18]}"


def _since(version: str, date: str) -> bool:
    return version[:10] >= date


def _not_found(identity_id: str) -> ApiError:
    return ApiError(404, "IdentityNotFound", f"Identity '{identity_id}' was not found.")


def _json_object(body: bytes) -> dict[str, Any]:
    if not body.strip():
        return {}  # the SDK's create_user() sends no body at all
    try:
        fields = json.loads(body)
    except ValueError:
        fields = None
    if not isinstance(fields, dict):
        raise _invalid("The request body is not a valid JSON object.", "body")
    return fields


def _scopes(version: str, scopes: Any) -> list[str]:
    allowed = BASE_SCOPES + JOIN_SCOPES if _since(version, "2023-10-01") else BASE_SCOPES
    if not isinstance(scopes, list):
        raise _invalid("Invalid scopes - Scopes must be a list of scope names.", "scopes")
    for scope in scopes:
        if scope not in allowed:
            raise _invalid(
                f"Invalid scopes - Scope {json.dumps(scope)} is not supported in API version {version}. "
                f"Supported scopes: {', '.join(allowed)}.",
                "scopes",
            )
    return scopes


def _minutes(version: str, fields: dict[str, Any]) -> int:
    value = fields.get("expiresInMinutes")
    if value is None or not _since(version, "2022-10-01"):
        return DEFAULT_MINUTES  # older versions do not know the field
    if isinstance(value, bool) or not isinstance(value, int) or not 60 <= value <= 1440:
        shown = value if isinstance(value, str) else json.dumps(value)
        raise _invalid(
            f"ExpiresInMinutes value {shown} is invalid. Value must be within the [60, 1440] interval.",
            "ExpiresInMinutes",
        )
    return value


def _custom_id(fields: dict[str, Any]) -> str | None:
    value = fields.get("customId")
    if value is not None and (not isinstance(value, str) or not 1 <= len(value) <= CUSTOM_ID_MAX_LENGTH):
        raise _invalid(f"CustomId must be a string of 1 to {CUSTOM_ID_MAX_LENGTH} characters.", "customId")
    return value


def _identity_json(identity: Identity, version: str) -> dict[str, Any]:
    result: dict[str, Any] = {"id": identity.id}
    if version == IDENTITY_DETAILS_VERSION:
        if identity.custom_id is not None:
            result["customId"] = identity.custom_id
        if identity.last_token_issued_at is not None:
            result["lastTokenIssuedAt"] = iso8601(identity.last_token_issued_at)
    return result


def _usable_entra_claims(token: Any, now: float) -> dict[str, Any]:
    """The claims of an unexpired Entra token naming a user (the signature is not checked)."""
    claims = decode_unverified(token) if isinstance(token, str) else None
    if (
        claims is None
        or not all(_is_number(claims.get(name)) for name in ("iat", "exp"))
        or claims["exp"] <= now
        or not isinstance(claims.get("oid"), str)
        or not claims["oid"]
    ):
        raise ApiError(401, "InvalidAccessToken", "Provided access token is not valid.")
    return claims


def _check_guid_field(value: Any, name: str, expected: Any, mismatch: str) -> None:
    """AppId and UserId: required, then a GUID, then the one the Entra token names."""
    if value is None or value == "":
        raise _invalid(f"{name}: The {name} field is required.", name)
    camel = name[0].lower() + name[1:]
    if not isinstance(value, str) or not GUID.fullmatch(value):
        raise _invalid(f"Provided {name} has invalid format.", camel)
    if not isinstance(expected, str) or value.lower() != expected.lower():
        raise _invalid(mismatch, camel)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)
