"""The admin endpoints the web console acts through: the service's operations and rules, with the admin
token instead of a signature, never logged, never faulted."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from wire import FOREIGN_ID, error, jwt_claims

from acsid_cli import __version__, protocol


@pytest.fixture
def call(wire, emulator_server):
    """(status, JSON) of an admin call, with the admin token."""
    bearer = {"Authorization": f"Bearer {emulator_server.emulator.config.admin_token}"}

    def send(method: str, path: str, body: dict[str, Any] | None = None):
        reply = wire.request(method, path, body if body is not None else b"", signed=False, headers=bearer)
        return reply.status, reply.json if reply.body else None

    return send


def path(identity_id: str, action: str = "") -> str:
    return f"/emulator/identities/{quote(identity_id, safe='')}" + (f"/{action}" if action else "")


def test_create_with_scopes_a_custom_id_and_a_lifetime(call, admin):
    status, created = call(
        "POST", "/emulator/identities", {"scopes": ["chat", "voip"], "customId": "alice", "expiresInMinutes": 60}
    )
    assert status == 201
    assert list(created) == ["identity", "accessToken"]
    identity = created["identity"]
    assert identity["customId"] == "alice"
    token = created["accessToken"]["token"]
    claims = jwt_claims(token)
    assert (claims["acsScope"], claims["exp"] - claims["iat"], claims["skypeid"]) == (
        "chat,voip",
        3600,
        identity["id"][2:],
    )
    assert admin.validate(token)["status"] == "valid"
    again = call("POST", "/emulator/identities", {"customId": "alice"})
    assert again == (200, {"identity": identity})  # the live identity holding the custom id, as the service does
    assert admin.requests() == []  # not an ACS request: the log is the service's


def test_create_without_scopes_makes_an_identity_only(call, admin):
    status, created = call("POST", "/emulator/identities", {"scopes": []})
    assert status == 201
    assert list(created) == ["identity"]
    status, bare = call("POST", "/emulator/identities")  # no body at all: the same
    assert status == 201
    assert list(bare) == ["identity"]
    made = [i for i in admin.identities() if i["id"] in (created["identity"]["id"], bare["identity"]["id"])]
    assert [i["lastTokenIssuedAt"] for i in made] == [None, None]


@pytest.mark.parametrize(
    ("body", "target", "message"),
    [
        (
            {"scopes": ["chat", "email"]},
            "scopes",
            'Invalid scopes - Scope "email" is not supported in API version '
            f"{protocol.PREVIEW_API_VERSION}. Supported scopes: {', '.join(protocol.SCOPES)}.",
        ),
        (
            {"scopes": ["chat"], "expiresInMinutes": 59},
            "ExpiresInMinutes",
            "ExpiresInMinutes value 59 is invalid. Value must be within the [60, 1440] interval.",
        ),
        ({"customId": ""}, "customId", "CustomId must be a string of 1 to 256 characters."),
    ],
)
def test_create_refuses_what_the_service_refuses(call, admin, body, target, message):
    before = len(admin.identities())
    assert call("POST", "/emulator/identities", body) == (400, error("ValidationError", message, target))
    assert len(admin.identities()) == before


def test_issue_revoke_and_delete_by_id(call, admin):
    identity = call("POST", "/emulator/identities")[1]["identity"]["id"]
    status, issued = call("POST", path(identity, ":issueAccessToken"), {"scopes": ["voip"]})
    assert status == 200
    assert list(issued) == ["token", "expiresOn"]
    assert jwt_claims(issued["token"])["acsScope"] == "voip"
    assert call("POST", path(identity, ":revokeAccessTokens")) == (204, None)
    assert admin.validate(issued["token"])["status"] == "revoked"
    assert call("DELETE", path(identity)) == (204, None)
    assert admin.validate(issued["token"])["status"] == "deleted"
    gone = error(protocol.IDENTITY_NOT_FOUND, f"Identity '{identity}' was not found.")
    assert call("DELETE", path(identity)) == (404, gone)
    assert call("POST", path(identity, ":issueAccessToken"), {"scopes": ["chat"]}) == (404, gone)
    assert admin.requests() == []


def test_issue_needs_scopes_and_an_own_id(call):
    identity = call("POST", "/emulator/identities")[1]["identity"]["id"]
    assert call("POST", path(identity, ":issueAccessToken"), {}) == (
        400,
        error("ValidationError", "Scopes: The Scopes field is required.", "Scopes"),
    )
    assert call("POST", path(FOREIGN_ID, ":revokeAccessTokens")) == (
        401,
        error(protocol.IDENTITY_NOT_OWNED, "Provided identity doesn't belong to the resource."),
    )


def test_faults_are_for_the_service_not_the_admin_api(call, admin):
    admin.inject("create", status=503)
    assert call("POST", "/emulator/identities")[0] == 201
    assert [rule["route"] for rule in admin.faults()] == ["create"]  # still pending, for the next ACS request


def test_about_says_what_the_forms_offer(call, emulator_server):
    assert call("GET", "/emulator/about") == (
        200,
        {
            "resourceId": emulator_server.emulator.resource_id,
            "version": __version__,
            "scopes": list(protocol.SCOPES),
            "tokenMinutes": {"min": 60, "max": 1440, "default": 1440},
            "faultRoutes": [*protocol.OPERATIONS, "*"],  # the 2025 operations' too
            "drops": ["before", "after", "mid"],
        },
    )


def test_the_request_log_says_why_a_request_was_refused(wire, admin):
    wire.request("POST", "/identities?api-version=2023-10-01", key="d3Jvbmcta2V5")
    wire.create()
    refused, created = admin.requests()
    assert refused["status"] == 401
    assert refused["reason"].startswith("signature-mismatch: signed with another key")
    assert created["status"] == 201
    assert created["reason"] is None
