"""Request bodies are checked like the service checks them, in its order."""

from __future__ import annotations

import pytest
from wire import (
    DENIED,
    EXPIRES_59,
    FOREIGN_ID,
    NOT_OWNED,
    OID,
    VERSION,
    error,
    identity_path,
    issue_target,
)

from acsid_cli.emulator import DEFAULT_RESOURCE_ID


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b"", error("ValidationError", "Scopes: The Scopes field is required.", "Scopes")),
        ({"scopes": None}, error("ValidationError", "Scopes: The Scopes field is required.", "Scopes")),
        ({"scopes": []}, error("ValidationError", "Invalid scopes - Scopes field is required.", "scopes")),
        ({"scopes": ["chat"], "expiresInMinutes": 59}, EXPIRES_59),
        (
            {"scopes": ["chat"], "expiresInMinutes": 1441},
            error(
                "ValidationError",
                "ExpiresInMinutes value 1441 is invalid. Value must be within the [60, 1440] interval.",
                "ExpiresInMinutes",
            ),
        ),
        (
            {"scopes": ["chat"], "expiresInMinutes": "60"},
            error(
                "ValidationError",
                "ExpiresInMinutes value 60 is invalid. Value must be within the [60, 1440] interval.",
                "ExpiresInMinutes",
            ),
        ),
        (
            {"scopes": ["chat"], "expiresInMinutes": 60.5},
            error(
                "ValidationError",
                "ExpiresInMinutes value 60.5 is invalid. Value must be within the [60, 1440] interval.",
                "ExpiresInMinutes",
            ),
        ),
        (
            {"scopes": ["chat", "video"]},
            error(
                "ValidationError",
                'Invalid scopes - Scope "video" is not supported in API version 2023-10-01. '
                "Supported scopes: chat, voip, chat.join, chat.join.limited, voip.join.",
                "scopes",
            ),
        ),
        (b'{"scopes": ["chat"]', error("ValidationError", "The request body is not a valid JSON object.", "body")),
        (b'["chat"]', error("ValidationError", "The request body is not a valid JSON object.", "body")),
        (b"[" * 60_000, error("ValidationError", "The request body is not a valid JSON object.", "body")),
        (b'{"scopes": ["\xff"]}', error("ValidationError", "The request body is not a valid JSON object.", "body")),
    ],
    ids=lambda value: None if isinstance(value, dict) and "error" in value else repr(value)[:40],
)
def test_issue_validation_errors(wire, body, expected):
    reply = wire.request("POST", issue_target(wire.new_identity()), body)
    assert (reply.status, reply.json) == (400, expected)
    assert reply.headers["Content-Type"] == "application/json"
    assert "Retry-After" not in reply.headers


def test_create_validates_expiry_too(wire):
    reply = wire.request(
        "POST", f"/identities?api-version={VERSION}", {"createTokenWithScopes": ["chat"], "expiresInMinutes": 59}
    )
    assert (reply.status, reply.json) == (400, EXPIRES_59)


def test_ownership_is_checked_before_the_body(wire):
    reply = wire.request("POST", issue_target(FOREIGN_ID), {"scopes": []})
    assert (reply.status, reply.json) == (401, NOT_OWNED)


@pytest.mark.parametrize("identity_id", ["abc", "8:acs:not-a-guid_1", "8:orgid:" + OID, f"8:acs:{DEFAULT_RESOURCE_ID}"])
def test_ids_that_are_not_ours_are_not_owned(wire, identity_id):
    reply = wire.request("DELETE", identity_path(identity_id))
    assert (reply.status, reply.json) == (401, NOT_OWNED)


def test_signature_is_checked_before_ownership(wire):
    reply = wire.request("DELETE", identity_path(FOREIGN_ID), signed=False)
    assert (reply.status, reply.json) == (401, DENIED)


def test_body_is_checked_before_existence(wire):
    unknown = f"8:acs:{DEFAULT_RESOURCE_ID}_ffffffff-0000-0000-0000-003a0d000000"
    assert wire.request("POST", issue_target(unknown), {"scopes": []}).status == 400
    reply = wire.request("POST", issue_target(unknown), {"scopes": ["chat"]})
    assert (reply.status, reply.json) == (404, error("IdentityNotFound", f"Identity '{unknown}' was not found."))


def test_unknown_route_is_404_before_anything_else(wire):
    reply = wire.request("POST", "/identities/x/:renameIdentity", signed=False)
    assert (reply.status, reply.json) == (
        404,
        error("NotFound", "No operation matches 'POST /identities/x/:renameIdentity'."),
    )
    reply = wire.request("PUT", f"/identities?api-version={VERSION}", signed=False)
    assert reply.status == 404
