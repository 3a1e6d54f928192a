"""The ACS Identity operations over the emulator's state: the service's rules, without HTTP.

Checks run in the service's order: api-version, signature (401), id ownership (401), body (400), existence (404).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, unquote

from acsid_cli import protocol
from acsid_cli.emulator import errors, validation
from acsid_cli.emulator.auth import Verifier
from acsid_cli.emulator.messages import Answer, Request
from acsid_cli.emulator.routes import Route
from acsid_cli.emulator.store import Identity, Store
from acsid_cli.emulator.tokens import MintedToken, TokenMinter, iso8601, token_hash


@dataclass
class IdentityService:
    """One ACS resource: its identities and tokens, answering requests as the service does."""

    _store: Store
    _minter: TokenMinter
    _verifier: Verifier
    _resource_id: str
    _clock: Callable[[], float]

    def handle(self, route: Route, request: Request) -> Answer:
        try:
            version = self._version(route, request)
            now = self._clock()
            denial = self._verifier.denial(request.method, request.target, request.headers, request.body, now)
            if denial:
                raise errors.denied(denial.message, denial.reason)
            if route.id_segment is None:
                operation = self._create if route.name == protocol.CREATE.name else self._exchange
                return operation(version, request.body, now)
            identity_id = self._owned_id(route.id_segment)
            operations = {
                protocol.GET.name: self._get,
                protocol.DELETE.name: self._delete,
                protocol.REVOKE.name: self._revoke,
                protocol.ISSUE.name: self._issue,
            }
            return operations[route.name](version, identity_id, request.body, now)
        except errors.ApiError as error:
            return Answer(error.status, error.body, headers=dict(error.headers))

    def _version(self, route: Route, request: Request) -> str:
        query = request.target.partition("?")[2]
        version = next((v for k, v in parse_qsl(query) if k.lower() == "api-version"), None)
        if version is None:
            raise errors.api_version_unspecified()
        gated_out = (route.name == protocol.GET.name and not protocol.has_identity_details(version)) or (
            route.name == protocol.EXCHANGE.name and not protocol.has_teams_exchange(version)
        )
        if version not in protocol.API_VERSIONS or gated_out:
            raise errors.unsupported_api_version(request.origin + request.path, version)
        return version

    def _owned_id(self, id_segment: str) -> str:
        identity_id = unquote(id_segment)
        match = protocol.OWN_USER_ID.fullmatch(identity_id)
        if not match or match.group(1).lower() != self._resource_id:
            raise errors.not_owned()
        return identity_id

    def _create(self, version: str, body: bytes, now: float) -> Answer:
        fields = validation.json_object(body)
        scopes = fields.get("createTokenWithScopes")
        if scopes is not None:
            scopes = validation.scopes(version, scopes)
        minutes = validation.minutes(version, fields)
        custom_id = validation.custom_id(version, fields)
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
            raise errors.not_found(identity_id)
        return Answer(204)

    def _revoke(self, version: str, identity_id: str, body: bytes, now: float) -> Answer:
        if not self._store.revoke_tokens(identity_id, now):
            raise errors.not_found(identity_id)
        return Answer(204)

    def _issue(self, version: str, identity_id: str, body: bytes, now: float) -> Answer:
        fields = validation.json_object(body)
        scopes = validation.issue_scopes(version, fields)
        minutes = validation.minutes(version, fields)
        self._live(identity_id)
        minted = self._mint(identity_id, scopes, minutes, now)
        return Answer(200, {"token": minted.token, "expiresOn": minted.expires_on})

    def _exchange(self, version: str, body: bytes, now: float) -> Answer:
        fields = validation.json_object(body)
        entra = validation.entra_claims(fields.get("token"), now)
        if protocol.teams_exchange_checks_ids(version):
            app_id = entra.get("appid") or entra.get("azp")
            validation.guid_field(fields.get("appId"), "AppId", app_id, "AAD application is not the expected one.")
            validation.guid_field(
                fields.get("userId"), "UserId", entra["oid"], "Provided AAD token issued for unexpected user."
            )
        minted = self._minter.teams_token(entra)
        self._store.record_token(token_hash(minted.token), f"8:orgid:{entra['oid']}", now)
        return Answer(200, {"token": minted.token, "expiresOn": minted.expires_on})

    # --- what the /emulator/ endpoints report ------------------------------------------------------

    def inspect_token(self, token: str) -> dict[str, Any]:
        """{"status": "valid" | "expired" | "revoked" | "deleted" | "unknown", "identity", "expiresOn"}."""
        claims = self._minter.verified_claims(token)
        issued = self._store.issued_token(token_hash(token)) if claims else None
        if claims is None or issued is None:
            return {"status": "unknown", "identity": None, "expiresOn": None}
        identity = self._store.identity(issued.identity_id)  # None for Teams users
        if identity and identity.deleted_at is not None:
            status = "deleted"
        elif identity and identity.revoked_before is not None and issued.issued_at < identity.revoked_before:
            status = "revoked"
        elif claims["exp"] <= self._clock():
            status = "expired"
        else:
            status = "valid"
        return {"status": status, "identity": issued.identity_id, "expiresOn": iso8601(claims["exp"])}

    def list_identities(self) -> list[dict[str, Any]]:
        """Every identity with its history, deleted ones too."""

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
            raise errors.not_found(identity_id)
        return identity

    def _mint(self, identity_id: str, scopes: list[str], minutes: int, now: float) -> MintedToken:
        minted = self._minter.acs_token(identity_id, scopes, minutes, now)
        self._store.record_token(token_hash(minted.token), identity_id, now)
        return minted

    def _new_id(self, counter: int) -> str:
        # The service's shape: a per-resource counter first, "3a0d00" in the last group.
        r = secrets.token_hex(9)
        return f"8:acs:{self._resource_id}_{counter:08x}-{r[0:4]}-{r[4:8]}-{r[8:12]}-{r[12:14]}3a0d00{r[14:18]}"


def _identity_json(identity: Identity, version: str) -> dict[str, Any]:
    result: dict[str, Any] = {"id": identity.id}
    if protocol.has_identity_details(version):
        if identity.custom_id is not None:
            result["customId"] = identity.custom_id
        if identity.last_token_issued_at is not None:
            result["lastTokenIssuedAt"] = iso8601(identity.last_token_issued_at)
    return result
