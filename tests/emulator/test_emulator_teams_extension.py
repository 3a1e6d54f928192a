"""Teams Extension users (2025-06-30, and 2025-03-02-preview): the exchange of the user's own Entra token,
for a user or resource account with an assignment, and the assignments."""

from __future__ import annotations

import uuid

import pytest
from wire import APP_ID, OID, TENANT, Wire, entra_token, error, jwt_claims

from acsid_cli import protocol
from acsid_cli.emulator import DEFAULT_RESOURCE_ID

GA = "2025-06-30"
AUDIENCE = "https://auth.msft.communication.azure.com"
EXCHANGE = f"/access/teamsExtension/:exchangeAccessToken?api-version={GA}"
INVALID_TOKEN = error("InvalidAccessToken", "Provided access token is not valid.")


def assignment(object_id: str, tenant_id: str = TENANT, version: str = GA) -> str:
    return f"/access/teamsExtension/tenants/{tenant_id}/assignments/{object_id}?api-version={version}"


@pytest.fixture
def user() -> str:
    """An Entra object id of this test's own: the session's emulator keeps assignments between tests."""
    return str(uuid.uuid4())


def exchange(wire: Wire, token: str, version: str = GA, body: bytes = b"{}"):
    """As communication-common's EntraTokenCredential sends it: the user's token as Bearer, the body {}."""
    target = EXCHANGE.replace(GA, version)
    return wire.request("POST", target, body, signed=False, headers={"Authorization": f"Bearer {token}"})


def test_an_assigned_user_exchanges_their_token_for_an_identity_and_a_token(wire, admin, user):
    put = wire.request("PUT", assignment(user), {"principalType": "user", "clientIds": [APP_ID]})
    entra = entra_token(oid=user, aud=AUDIENCE, lifetime=1800)
    reply = exchange(wire, entra)
    identity = f"8:acs:{DEFAULT_RESOURCE_ID}_{TENANT}_{user}"
    assert (put.status, put.json) == (
        201,
        {"objectId": user, "tenantId": TENANT, "principalType": "user", "clientIds": [APP_ID]},
    )
    assert (reply.status, list(reply.json)) == (200, ["identity", "accessToken"])
    assert reply.json["identity"] == {"id": identity}
    token = reply.json["accessToken"]["token"]
    assert jwt_claims(token)["exp"] == jwt_claims(entra)["exp"]  # the Entra token's expiry, not ours
    assert jwt_claims(token)["skypeid"] == identity.removeprefix("8:")
    assert admin.validate(token) == {
        "status": "valid",
        "identity": identity,
        "expiresOn": reply.json["accessToken"]["expiresOn"],
    }
    assert [entry["route"] for entry in admin.requests()][-1] == "teams-extension-exchange"


def test_a_resource_account_without_client_ids_may_exchange_with_any_app(wire, user):
    assert wire.request("PUT", assignment(user), {"principalType": "resourceAccount"}).status == 201
    assert exchange(wire, entra_token(oid=user, aud=AUDIENCE, appid=str(uuid.uuid4()))).status == 200
    assert exchange(wire, entra_token(oid=user, aud=AUDIENCE), version=protocol.PREVIEW_API_VERSION).status == 200


def test_no_assignment_no_exchange(wire, user):
    reply = exchange(wire, entra_token(oid=user, aud=AUDIENCE))
    message = f"No Teams Extension assignment lets user '{user}' of tenant '{TENANT}' exchange a token of this app."
    assert (reply.status, reply.json) == (403, error("Forbidden", message))
    wire.request("PUT", assignment(user), {"principalType": "user", "clientIds": [str(uuid.uuid4())]})
    assert exchange(wire, entra_token(oid=user, aud=AUDIENCE)).status == 403  # another app's assignment


@pytest.mark.parametrize(
    ("authorization", "reason"),
    [
        ({}, "bearer-missing"),
        ({"Authorization": "Bearer not-a-jwt"}, "bearer-not-a-jwt"),
        ({"Authorization": f"Bearer {entra_token(aud=protocol.ENTRA_AUDIENCE)}"}, "bearer-audience"),
        ({"Authorization": f"Bearer {entra_token(aud=AUDIENCE, lifetime=-5)}"}, "bearer-expired"),
        ({"Authorization": f"Bearer {entra_token(aud=AUDIENCE, tid=None)}"}, "bearer-user"),
    ],
)
def test_the_users_entra_token_must_be_for_teams_unexpired_and_name_the_user(wire, authorization, reason):
    reply = wire.request("POST", EXCHANGE, b"{}", signed=False, headers=authorization)
    assert (reply.status, reply.json) == (401, INVALID_TOKEN)
    assert reply.headers["x-acsid-emulator-reason"].startswith(reason + ": ")


def test_the_resource_key_does_not_stand_in_for_the_users_token(wire):
    assert wire.request("POST", EXCHANGE, b"{}").status == 401


def test_a_bad_exchange_body_is_400(wire, user):
    reply = exchange(wire, entra_token(oid=user, aud=AUDIENCE), body=b"[1]")
    assert (reply.status, reply.json) == (
        400,
        error("ValidationError", "The request body is not a valid JSON object.", "body"),
    )


def test_assignments_are_created_replaced_read_and_deleted(wire, user):
    first = wire.request("PUT", assignment(user), {"principalType": "user"})
    again = wire.request("PUT", assignment(user), {"principalType": "resourceAccount", "clientIds": [APP_ID]})
    stored = {"objectId": user, "tenantId": TENANT, "principalType": "resourceAccount", "clientIds": [APP_ID]}
    assert (first.status, first.json) == (201, {"objectId": user, "tenantId": TENANT, "principalType": "user"})
    assert (again.status, again.json) == (200, stored)
    got = wire.request("GET", assignment(user))
    assert (got.status, got.json) == (200, stored)
    assert [wire.request("DELETE", assignment(user)).status for _ in range(2)] == [204, 404]
    reply = wire.request("GET", assignment(user))
    message = f"No assignment for object '{user}' in tenant '{TENANT}' was found."
    assert (reply.status, reply.json) == (404, error("AssignmentNotFound", message))


@pytest.mark.parametrize(
    ("target", "body", "expected"),
    [
        (
            assignment(OID),
            {},
            error("ValidationError", "PrincipalType: The PrincipalType field is required.", "PrincipalType"),
        ),
        (
            assignment(OID),
            {"principalType": "group"},
            error(
                "ValidationError",
                'PrincipalType "group" is invalid. Value must be one of: user, resourceAccount.',
                "principalType",
            ),
        ),
        (
            assignment(OID),
            {"principalType": "user", "clientIds": ["app"]},
            error("ValidationError", "Provided ClientIds has invalid format.", "clientIds"),
        ),
        (assignment(OID), b"{", error("ValidationError", "The request body is not a valid JSON object.", "body")),
        (
            assignment("me"),
            {"principalType": "user"},
            error("ValidationError", "Provided ObjectId has invalid format.", "objectId"),
        ),
        (
            assignment(OID, "contoso"),
            {"principalType": "user"},
            error("ValidationError", "Provided TenantId has invalid format.", "tenantId"),
        ),
    ],
)
def test_a_bad_assignment_is_400_with_its_target(wire, target, body, expected):
    reply = wire.request("PUT", target, body)
    assert (reply.status, reply.json) == (400, expected)


def test_assignments_need_the_resources_credential(wire, user):
    reply = wire.request("GET", assignment(user), signed=False)
    assert (reply.status, reply.json["error"]["code"]) == (401, "Denied")


@pytest.mark.parametrize("version", ["2023-10-01", "2021-03-07", "2026-07-22"])
def test_teams_extension_exists_from_2025_06_30(wire, version, user):
    reply = exchange(wire, entra_token(oid=user, aud=AUDIENCE), version=version)
    uri = f"{wire.endpoint}/access/teamsExtension/:exchangeAccessToken"
    message = f"The HTTP resource that matches the request URI '{uri}' does not support the API version '{version}'."
    assert (reply.status, reply.json) == (400, error("UnsupportedApiVersion", message))
    assert wire.request("GET", assignment(user, version=version)).status == 400
