"""api-version: required, known, and the features each version has."""

from __future__ import annotations

import pytest
from wire import (
    PREVIEW,
    entra_token,
    error,
    identity_path,
    issue_target,
    jwt_claims,
)


def test_missing_api_version_is_rejected_before_the_signature(wire):
    reply = wire.request("POST", "/identities", signed=False)
    assert (reply.status, reply.json) == (
        400,
        error("ApiVersionUnspecified", "An API version is required, but was not specified."),
    )


def test_unknown_api_version_quotes_the_request_uri(wire):
    reply = wire.request("POST", "/identities?api-version=2020-07-20-preview2", signed=False)
    message = (
        f"The HTTP resource that matches the request URI 'http://{wire.host}/identities' "
        "does not support the API version '2020-07-20-preview2'."
    )
    assert (reply.status, reply.json) == (400, error("UnsupportedApiVersion", message))


@pytest.mark.parametrize("version", ["2023-10-01", "2025-06-30", "2021-03-07"])
def test_get_identity_exists_only_in_the_preview(wire, version):
    identity_id = wire.new_identity()
    reply = wire.request("GET", identity_path(identity_id, version=version))
    assert reply.status == 400
    assert reply.json["error"]["code"] == "UnsupportedApiVersion"
    assert wire.request("GET", identity_path(identity_id, version=PREVIEW)).json == {"id": identity_id}


def test_teams_exchange_needs_2021_10_31_preview_or_later(wire):
    reply = wire.request("POST", "/teamsUser/:exchangeAccessToken?api-version=2021-03-07", {"token": entra_token()})
    assert reply.status == 400
    assert reply.json["error"]["code"] == "UnsupportedApiVersion"


@pytest.mark.parametrize(("version", "status"), [("2023-08-01", 400), ("2023-10-01", 200), (PREVIEW, 200)])
def test_join_scopes_arrive_in_2023_10_01(wire, version, status):
    identity_id = wire.new_identity()
    reply = wire.request("POST", issue_target(identity_id, version), {"scopes": ["chat.join", "voip.join"]})
    assert reply.status == status, reply.body
    if status == 400:
        assert reply.json["error"]["target"] == "scopes"
    else:
        assert jwt_claims(reply.json["token"])["acsScope"] == "chat.join,voip.join"


@pytest.mark.parametrize(("version", "lifetime"), [("2022-06-01", 86400), ("2022-10-01", 3600)])
def test_expires_in_minutes_is_honoured_from_2022_10_01(wire, version, lifetime):
    identity_id = wire.new_identity()
    reply = wire.request("POST", issue_target(identity_id, version), {"scopes": ["chat"], "expiresInMinutes": 60})
    claims = jwt_claims(reply.json["token"])
    assert claims["exp"] - claims["iat"] == lifetime


GA_VERSIONS = ["2021-03-07", "2022-06-01", "2022-10-01", "2023-08-01", "2023-10-01", "2025-06-30"]


@pytest.mark.parametrize("version", GA_VERSIONS)
def test_every_ga_version_has_the_base_operations(wire, version):
    created = wire.request(
        "POST", f"/identities?api-version={version}", {"createTokenWithScopes": ["chat"], "customId": "ignored"}
    )
    identity_id = created.json["identity"]["id"]
    assert (created.status, list(created.json), created.json["identity"]) == (
        201,
        ["identity", "accessToken"],
        {"id": identity_id},
    )  # no customId
    statuses = [
        wire.request(method, identity_path(identity_id, action, version), body).status
        for method, action, body in (
            ("POST", ":issueAccessToken", {"scopes": ["voip"]}),
            ("POST", ":revokeAccessTokens", b""),
            ("DELETE", "", b""),
        )
    ]
    assert statuses == [200, 204, 204]


@pytest.mark.parametrize("version", ["2026-07-22", "2026-09-23", "2025-04-01-preview", "2022-09-01", "2021-11-01"])
def test_versions_not_known_to_be_live_are_refused(wire, version):
    for method, target in (("POST", "/identities"), ("GET", "/access/entra/assignments")):
        reply = wire.request(method, f"{target}?api-version={version}")
        assert (reply.status, reply.json["error"]["code"]) == (400, "UnsupportedApiVersion"), target
