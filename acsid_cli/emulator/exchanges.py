"""The 2025 exchanges of a user's own Entra token for an ACS identity and token (Teams Extension users,
Entra ID users), and the assignments that say who may: the service's rules, with no HTTP.

Assignments are kept in the store as the service answers them ({"objectId", "tenantId", "principalType",
"clientIds"?}), keyed by tenant and object (Teams Extension) or object (Entra ID), GUIDs in lower case.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from acsid_cli import protocol
from acsid_cli.emulator import errors
from acsid_cli.emulator.store import Store
from acsid_cli.emulator.tokens import MintedToken, TokenMinter, token_hash

TEAMS_EXTENSION = "teamsExtension"
ENTRA = "entra"
TEAMS_EXTENSION_SCOPES = ["voip"]  # [assumption] nothing public says which scopes its tokens carry


@dataclass(frozen=True)
class Exchanged:
    identity_id: str
    token: MintedToken


class Exchanges:
    def __init__(self, store: Store, minter: TokenMinter, resource_id: str) -> None:
        self._store = store
        self._minter = minter
        self._resource_id = resource_id

    # --- Teams Extension: a user or resource account of a tenant -----------------------------------

    def teams_extension_assignment(self, tenant_id: str, object_id: str) -> dict[str, Any]:
        found = self._store.assignment(TEAMS_EXTENSION, _key(tenant_id, object_id))
        if found is None:
            raise errors.assignment_not_found(object_id, tenant_id)
        return found

    def put_teams_extension_assignment(
        self, tenant_id: str, object_id: str, principal_type: str, client_ids: list[str] | None
    ) -> tuple[dict[str, Any], bool]:
        """The assignment as stored, and whether it is new (else it replaced one)."""
        body: dict[str, Any] = {"objectId": object_id, "tenantId": tenant_id, "principalType": principal_type}
        if client_ids is not None:
            body["clientIds"] = client_ids
        [created] = self._store.set_assignments(TEAMS_EXTENSION, {_key(tenant_id, object_id): body})
        return body, created

    def delete_teams_extension_assignment(self, tenant_id: str, object_id: str) -> None:
        if not self._store.set_assignments(TEAMS_EXTENSION, {_key(tenant_id, object_id): None})[0]:
            raise errors.assignment_not_found(object_id, tenant_id)

    def teams_extension_exchange(self, claims: dict[str, Any], now: float) -> Exchanged:
        """For a user or resource account with an assignment (which, when it lists clientIds, names the app)."""
        tenant, user = claims["tid"], claims["oid"]
        found = self._store.assignment(TEAMS_EXTENSION, _key(tenant, user))
        if found is None or not _allows_app(found.get("clientIds"), claims, required=False):
            raise errors.not_assigned(
                f"No Teams Extension assignment lets user '{user}' of tenant '{tenant}' exchange a token of this app."
            )
        return self._mint(f"8:acs:{self._resource_id}_{tenant}_{user}".lower(), TEAMS_EXTENSION_SCOPES, claims, now)

    # --- Entra ID users: a user, the members of a group, or a whole tenant ------------------------

    def entra_assignments(self) -> list[dict[str, Any]]:
        return self._store.assignments(ENTRA)

    def entra_assignment(self, object_id: str) -> dict[str, Any]:
        found = self._store.assignment(ENTRA, object_id.lower())
        if found is None:
            raise errors.assignment_not_found(object_id)
        return found

    def set_entra_assignments(self, changes: dict[str, dict[str, Any] | None]) -> list[bool]:
        """Each objectId's assignment put ({"tenantId", "principalType", "clientIds"}) or deleted (None), at
        once; for each, whether it was new (put) or there (delete)."""
        bodies = {
            object_id.lower(): None if body is None else {"objectId": object_id, **body}
            for object_id, body in changes.items()
        }
        return self._store.set_assignments(ENTRA, bodies)

    def entra_exchange(self, claims: dict[str, Any], now: float) -> Exchanged:
        """For a user whom an assignment covers (theirs, a group's they are in, their tenant's) for this app;
        the token's scopes are the ACS permissions the Entra token was granted."""
        tenant, user = claims["tid"], claims["oid"]
        granted = str(claims.get("scp", "")).split()
        scopes = [scope for permission, scope in protocol.ENTRA_PERMISSION_SCOPES.items() if permission in granted]
        if not scopes:
            permissions = ", ".join(protocol.ENTRA_PERMISSION_SCOPES)
            raise errors.not_assigned(f"The Entra token grants none of the permissions {permissions}.")
        if not any(_covers(assignment, claims) for assignment in self._store.assignments(ENTRA)):
            raise errors.not_assigned(
                f"No Entra ID assignment lets user '{user}' of tenant '{tenant}' exchange a token of this app."
            )
        return self._mint(f"8:acs:{self._resource_id}_wf_{tenant}_{user}".lower(), scopes, claims, now)

    def _mint(self, identity_id: str, scopes: list[str], claims: dict[str, Any], now: float) -> Exchanged:
        minted = self._minter.acs_token_until(identity_id, scopes, int(claims["exp"]), now)
        self._store.record_token(token_hash(minted.token), identity_id, now)
        return Exchanged(identity_id, minted)


def _key(tenant_id: str, object_id: str) -> str:
    return f"{tenant_id}/{object_id}".lower()


def _allows_app(client_ids: Any, claims: dict[str, Any], required: bool) -> bool:
    if client_ids is None:
        return not required
    app = str(claims.get("appid") or claims.get("azp") or "").lower()
    return app in {str(client_id).lower() for client_id in client_ids}


def _covers(assignment: dict[str, Any], claims: dict[str, Any]) -> bool:
    if str(assignment["tenantId"]).lower() != claims["tid"].lower():
        return False
    if not _allows_app(assignment.get("clientIds"), claims, required=True):
        return False
    kind, object_id = assignment["principalType"], str(assignment["objectId"]).lower()
    groups = claims.get("groups")
    members_of = {str(group).lower() for group in groups} if isinstance(groups, list) else set()
    return (
        (kind == "user" and object_id == claims["oid"].lower())
        or (kind == "group" and object_id in members_of)
        or kind == "tenant"
    )
