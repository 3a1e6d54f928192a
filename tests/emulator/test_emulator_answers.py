"""Successful answers: status, body, headers, ids, customId."""

from __future__ import annotations

import re
import time
import uuid
from email.utils import parsedate_to_datetime

import pytest
from wire import (
    ISO_7,
    PREVIEW,
    VERSION,
    error,
    identity_path,
    iso_7,
    issue_target,
    jwt_claims,
)

from acsid_cli.emulator import DEFAULT_RESOURCE_ID
from acsid_cli.emulator.app import SUPPORTED_VERSIONS_HEADER


def test_create_answer_and_headers(wire):
    reply = wire.request("POST", f"/identities?api-version={VERSION}", headers={"x-ms-client-request-id": "req-123"})
    identity_id = reply.json["identity"]["id"]
    assert reply.status == 201
    assert reply.json == {"identity": {"id": identity_id}}
    assert re.fullmatch(
        rf"8:acs:{DEFAULT_RESOURCE_ID}_[0-9a-f]{{8}}-[0-9a-f]{{4}}-[0-9a-f]{{4}}-[0-9a-f]{{4}}-[0-9a-f]{{2}}3a0d00[0-9a-f]{{4}}",
        identity_id,
    )
    assert reply.body == b'{"identity":{"id":"' + identity_id.encode() + b'"}}'  # compact, like the service
    assert reply.headers["Content-Type"] == "application/json; charset=utf-8"
    assert reply.headers["Content-Length"] == str(len(reply.body))
    assert reply.headers["api-supported-versions"] == SUPPORTED_VERSIONS_HEADER
    assert reply.headers["x-ms-client-request-id"] == "req-123"
    assert re.fullmatch(r"[A-Za-z0-9+/]{22}\.0", reply.headers["MS-CV"])
    assert re.fullmatch(r"\d+ms", reply.headers["X-Processing-Time"])
    assert abs(parsedate_to_datetime(reply.headers["Date"]).timestamp() - time.time()) < 5


@pytest.mark.parametrize(
    "body", [b"", b"{}", {"createTokenWithScopes": None, "expiresInMinutes": None}, {"createTokenWithScopes": []}]
)
def test_create_without_scopes_has_no_token(wire, body):
    reply = wire.request("POST", f"/identities?api-version={VERSION}", body)
    assert reply.status == 201
    assert list(reply.json) == ["identity"]


def test_create_with_scopes_returns_a_token(wire):
    reply = wire.request(
        "POST",
        f"/identities?api-version={VERSION}",
        {"createTokenWithScopes": ["voip", "chat"], "expiresInMinutes": 60},
    )
    assert reply.status == 201
    identity_id = reply.json["identity"]["id"]
    token = reply.json["accessToken"]
    claims = jwt_claims(token["token"])
    assert claims["skypeid"] == identity_id[2:]
    assert claims["acsScope"] == "voip,chat"
    assert claims["exp"] - claims["iat"] == 3600
    assert ISO_7.fullmatch(token["expiresOn"])


def test_issue_answer(wire):
    identity_id = wire.new_identity()
    before = int(time.time())
    reply = wire.request("POST", issue_target(identity_id), {"scopes": ["chat", "voip"]})
    assert reply.status == 200
    assert list(reply.json) == ["token", "expiresOn"]
    claims = jwt_claims(reply.json["token"])
    assert list(claims) == ["skypeid", "scp", "csi", "exp", "rgn", "acsScope", "resourceId", "resourceLocation", "iat"]
    assert before <= claims["iat"] <= time.time()
    assert claims == {
        "skypeid": identity_id.removeprefix("8:"),
        "scp": 1792,
        "csi": str(claims["iat"]),
        "exp": claims["iat"] + 86400,
        "rgn": "amer",
        "acsScope": "chat,voip",
        "resourceId": DEFAULT_RESOURCE_ID,
        "resourceLocation": "unitedstates",
        "iat": claims["iat"],
    }
    expires = iso_7(claims["exp"])
    assert reply.json["expiresOn"] == expires


@pytest.mark.parametrize("operation", [("DELETE", ""), ("POST", ":revokeAccessTokens")])
def test_no_content_answers_have_no_body_and_no_content_type(wire, operation):
    method, action = operation
    reply = wire.request(method, identity_path(wire.new_identity(), action))
    assert (reply.status, reply.body) == (204, b"")
    assert reply.headers["Content-Length"] == "0"
    assert "Content-Type" not in reply.headers
    assert reply.headers["api-supported-versions"] == SUPPORTED_VERSIONS_HEADER


@pytest.mark.parametrize("encode", [True, False])
def test_ids_may_be_percent_encoded_or_literal(wire, encode):
    identity_id = wire.new_identity()
    issued = wire.request("POST", identity_path(identity_id, ":issueAccessToken", encode=encode), {"scopes": ["chat"]})
    assert issued.status == 200
    assert wire.request("POST", identity_path(identity_id, ":revokeAccessTokens", encode=encode)).status == 204
    assert wire.request("DELETE", identity_path(identity_id, encode=encode)).status == 204


def test_deleted_identity_is_not_found_everywhere(wire):
    identity_id = wire.new_identity()
    assert wire.request("DELETE", identity_path(identity_id)).status == 204
    not_found = error("IdentityNotFound", f"Identity '{identity_id}' was not found.")
    for method, target, body in [
        ("DELETE", identity_path(identity_id), b""),
        ("POST", identity_path(identity_id, ":revokeAccessTokens"), b""),
        ("POST", issue_target(identity_id), {"scopes": ["chat"]}),
        ("GET", identity_path(identity_id, version=PREVIEW), b""),
    ]:
        reply = wire.request(method, target, body)
        assert (reply.status, reply.json) == (404, not_found), target


ALICE = f"alice-{uuid.uuid4().hex[:8]}@contoso.com"  # the session's emulator keeps its state


def test_custom_id_returns_the_same_identity_in_the_preview(wire):
    first = wire.request("POST", f"/identities?api-version={PREVIEW}", {"customId": ALICE})
    again = wire.request(
        "POST",
        f"/identities?api-version={PREVIEW}",
        {"customId": ALICE, "createTokenWithScopes": ["chat"]},
    )
    identity_id = first.json["identity"]["id"]
    assert (first.status, first.json) == (201, {"identity": {"id": identity_id, "customId": ALICE}})
    assert again.status == 201  # as for a new one: the preview declares only 201
    issued_at = again.json["identity"]["lastTokenIssuedAt"]
    assert again.json["identity"] == {
        "id": identity_id,
        "customId": ALICE,
        "lastTokenIssuedAt": issued_at,
    }
    assert ISO_7.fullmatch(issued_at)
    got = wire.request("GET", identity_path(identity_id, version=PREVIEW))
    assert (got.status, got.json) == (200, again.json["identity"])


def test_custom_id_is_ignored_before_the_preview(wire):
    ids = {
        wire.request("POST", f"/identities?api-version={VERSION}", {"customId": "bob"}).json["identity"]["id"]
        for _ in range(2)
    }
    assert len(ids) == 2


def test_custom_id_must_be_1_to_256_characters(wire):
    reply = wire.request("POST", f"/identities?api-version={PREVIEW}", {"customId": "x" * 257})
    assert (reply.status, reply.json["error"]["target"]) == (400, "customId")
