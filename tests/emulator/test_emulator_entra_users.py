"""Entra ID users (2025-03-02-preview): the exchange of the user's own Entra token, for a user, a group member
or a tenant covered by an assignment of the token's app, and the assignments (list, merge patch, one by one)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from wire import APP_ID, PREVIEW, TENANT, Wire, entra_token, error, jwt_claims

from acsid_cli import protocol
from acsid_cli.emulator import DEFAULT_RESOURCE_ID

AUDIENCE = "https://communication.azure.com/clients"
EXCHANGE = f"/access/entra/:exchangeAccessToken?api-version={PREVIEW}"
ASSIGNMENTS = f"/access/entra/assignments?api-version={PREVIEW}"


def one(object_id: str, version: str = PREVIEW) -> str:
    return f"/access/entra/assignments/{object_id}?api-version={version}"


def new_guid() -> str:
    return str(uuid.uuid4())


def exchange(wire: Wire, token: str, version: str = PREVIEW, body: bytes = b"{}"):
    target = EXCHANGE.replace(PREVIEW, version)
    return wire.request("POST", target, body, signed=False, headers={"Authorization": f"Bearer {token}"})


def user_token(oid: str, tenant: str = TENANT, scp: str = "VoIP Chat", **claims: Any) -> str:
    return entra_token(oid=oid, aud=AUDIENCE, tid=tenant, scp=scp, **claims)


@pytest.fixture
def tenant() -> str:
    """A tenant of this test's own: the session's emulator keeps assignments between tests."""
    return new_guid()


def assign(wire: Wire, object_id: str, tenant: str, principal: str, clients: list[str] | None = None) -> int:
    body = {"tenantId": tenant, "principalType": principal, "clientIds": clients or [APP_ID]}
    return wire.request("PUT", one(object_id), body).status


def test_an_assigned_user_gets_an_identity_with_the_scopes_of_their_permissions(wire, admin, tenant):
    user = new_guid()
    assert assign(wire, user, tenant, "user") == 201
    entra = user_token(user, tenant, scp="VoIP Chat.Join offline_access", lifetime=1200)
    reply = exchange(wire, entra)
    identity = f"8:acs:{DEFAULT_RESOURCE_ID}_wf_{tenant}_{user}"
    assert (reply.status, reply.json["identity"]) == (200, {"id": identity})
    claims = jwt_claims(reply.json["accessToken"]["token"])
    assert (claims["acsScope"], claims["exp"], claims["skypeid"]) == (
        "chat.join,voip",
        jwt_claims(entra)["exp"],
        identity.removeprefix("8:"),
    )
    assert admin.validate(reply.json["accessToken"]["token"])["status"] == "valid"


def test_group_members_and_whole_tenants_are_covered_by_their_assignments(wire, tenant):
    group, member, anyone = new_guid(), new_guid(), new_guid()
    assign(wire, group, tenant, "group")
    assert exchange(wire, user_token(member, tenant, groups=[group])).status == 200
    assert exchange(wire, user_token(anyone, tenant)).status == 403
    assign(wire, tenant, tenant, "tenant")
    assert exchange(wire, user_token(anyone, tenant)).status == 200
    assert exchange(wire, user_token(anyone, tenant, appid=new_guid())).status == 403  # not an app of the assignment


def test_no_assignment_or_no_permission_no_exchange(wire, tenant):
    user = new_guid()
    reply = exchange(wire, user_token(user, tenant))
    message = f"No Entra ID assignment lets user '{user}' of tenant '{tenant}' exchange a token of this app."
    assert (reply.status, reply.json) == (403, error("Forbidden", message))
    assign(wire, user, tenant, "user")
    reply = exchange(wire, user_token(user, tenant, scp="User.Read"))
    message = "The Entra token grants none of the permissions Chat, Chat.Join, Chat.Join.Limited, VoIP, VoIP.Join."
    assert (reply.status, reply.json) == (403, error("Forbidden", message))


@pytest.mark.parametrize(
    "token",
    [
        entra_token(aud=protocol.ENTRA_AUDIENCE, scp="VoIP"),  # the resource's audience, not the clients'
        entra_token(aud="https://auth.msft.communication.azure.com", scp="VoIP"),
        entra_token(aud=AUDIENCE, scp="VoIP", lifetime=-1),
        entra_token(aud=AUDIENCE, scp="VoIP", oid="not-a-guid"),
    ],
)
def test_the_users_entra_token_must_be_for_acs_clients_unexpired_and_name_the_user(wire, token):
    assert (exchange(wire, token).status, exchange(wire, token).json["error"]["code"]) == (401, "InvalidAccessToken")


def test_a_bad_exchange_body_is_400(wire):
    reply = exchange(wire, user_token(new_guid()), body=b"nope")
    assert (reply.status, reply.json["error"]["target"]) == (400, "body")


def test_assignments_one_by_one(wire, tenant):
    user = new_guid()
    body = {"tenantId": tenant, "principalType": "user", "clientIds": [APP_ID]}
    created = wire.request("PUT", one(user), body)
    replaced = wire.request("PUT", one(user), {**body, "principalType": "group"})
    assert (created.status, created.json) == (201, {"objectId": user, **body})
    assert (replaced.status, replaced.json["principalType"]) == (200, "group")
    assert wire.request("GET", one(user)).json == {"objectId": user, **body, "principalType": "group"}
    assert [wire.request("DELETE", one(user)).status for _ in range(2)] == [204, 404]
    reply = wire.request("GET", one(user))
    unknown = error("AssignmentNotFound", f"No assignment for object '{user}' was found.")
    assert (reply.status, reply.json) == (404, unknown)


def test_a_merge_patch_puts_and_deletes_at_once_and_the_list_shows_them(wire, tenant):
    kept, dropped, added = new_guid(), new_guid(), new_guid()
    assign(wire, kept, tenant, "user")
    assign(wire, dropped, tenant, "group")
    patch = {dropped: None, added: {"tenantId": tenant, "principalType": "tenant", "clientIds": [APP_ID]}}
    reply = wire.request("PATCH", ASSIGNMENTS, patch, headers={"Content-Type": "application/merge-patch+json"})
    listed = wire.request("GET", ASSIGNMENTS)
    mine = [a for a in listed.json["value"] if a["tenantId"] == tenant]
    assert (reply.status, listed.status) == (200, 200)
    assert [a for a in reply.json["value"] if a["tenantId"] == tenant] == mine
    assert [(a["objectId"], a["principalType"]) for a in mine] == [(kept, "user"), (added, "tenant")]


@pytest.mark.parametrize(
    ("method", "target", "body", "expected"),
    [
        (
            "PUT",
            one(TENANT),
            {"principalType": "user", "clientIds": [APP_ID]},
            error("ValidationError", "TenantId: The TenantId field is required.", "TenantId"),
        ),
        (
            "PUT",
            one(TENANT),
            {"tenantId": TENANT, "principalType": "resourceAccount", "clientIds": [APP_ID]},
            error(
                "ValidationError",
                'PrincipalType "resourceAccount" is invalid. Value must be one of: user, group, tenant.',
                "principalType",
            ),
        ),
        (
            "PUT",
            one(TENANT),
            {"tenantId": TENANT, "principalType": "user"},
            error("ValidationError", "ClientIds: The ClientIds field is required.", "ClientIds"),
        ),
        ("PUT", one("x"), {}, error("ValidationError", "Provided ObjectId has invalid format.", "objectId")),
        ("GET", one("x"), b"", error("ValidationError", "Provided ObjectId has invalid format.", "objectId")),
        (
            "PATCH",
            ASSIGNMENTS,
            {"x": None},
            error("ValidationError", "Provided ObjectId has invalid format.", "objectId"),
        ),
        (
            "PATCH",
            ASSIGNMENTS,
            {TENANT: []},
            error("ValidationError", f"The assignment of '{TENANT}' must be an object, or null.", TENANT),
        ),
        ("PATCH", ASSIGNMENTS, b"[]", error("ValidationError", "The request body is not a valid JSON object.", "body")),
    ],
)
def test_a_bad_assignment_is_400_with_its_target(wire, method, target, body, expected):
    reply = wire.request(method, target, body)
    assert (reply.status, reply.json) == (400, expected)


@pytest.mark.parametrize("version", ["2025-06-30", "2023-10-01", "2026-09-23"])
def test_entra_users_exist_only_in_the_preview(wire, version):
    assert exchange(wire, user_token(new_guid()), version=version).status == 400
    for method, target in (("GET", ASSIGNMENTS), ("PATCH", ASSIGNMENTS), ("GET", one(TENANT)), ("DELETE", one(TENANT))):
        reply = wire.request(method, target.replace(PREVIEW, version), b"{}" if method == "PATCH" else b"")
        assert (reply.status, reply.json["error"]["code"]) == (400, "UnsupportedApiVersion")
