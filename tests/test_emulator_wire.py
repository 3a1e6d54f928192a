"""The emulator on the wire: raw HTTP requests, exact statuses, headers and bodies."""

from __future__ import annotations

import base64
import http.client
import re
import socket
import time
from email.utils import parsedate_to_datetime

import pytest
from emulator_helpers import (
    APP_ID,
    DENIED,
    FOREIGN_ID,
    INVALID_ACCESS_TOKEN,
    NOT_OWNED,
    OID,
    PREVIEW,
    TENANT,
    VERSION,
    Wire,
    entra_token,
    error,
    identity_path,
    jwt_claims,
)

from acsid_cli import signing
from acsid_cli.emulator import DEFAULT_RESOURCE_ID, DEFAULT_SECONDARY_KEY
from acsid_cli.emulator.api import SUPPORTED_VERSIONS_HEADER
from acsid_cli.emulator.process import RunningEmulator
from acsid_cli.emulator.server import EmulatorConfig, start_in_thread

ISO_7 = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}\+00:00")
EXPIRES_59 = error(
    "ValidationError",
    "ExpiresInMinutes value 59 is invalid. Value must be within the [60, 1440] interval.",
    "ExpiresInMinutes",
)


@pytest.fixture(scope="module")
def running():
    with start_in_thread(EmulatorConfig(port=0)) as server:
        yield server


@pytest.fixture
def admin(running):
    emulator = RunningEmulator(running.connection_string, DEFAULT_RESOURCE_ID)
    emulator.clear()
    return emulator


@pytest.fixture
def wire(running, admin):
    wire = Wire(running.endpoint)
    yield wire
    wire.reconnect()


def issue_target(identity_id: str, version: str = VERSION) -> str:
    return identity_path(identity_id, ":issueAccessToken", version)


# --- HMAC ------------------------------------------------------------------------------------------------------


def test_unsigned_request_is_denied(wire):
    reply = wire.request("POST", f"/identities?api-version={VERSION}", signed=False)
    assert (reply.status, reply.json) == (401, DENIED)
    assert reply.headers["Content-Type"] == "application/json"
    assert reply.headers["api-supported-versions"] == SUPPORTED_VERSIONS_HEADER


@pytest.mark.parametrize(
    "authorization",
    [
        "Bearer eyJ0eXAiOiJKV1QifQ",
        "HMAC-SHA256 Signature=abc=",
        "HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256",
        "HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=AAAA",
        "hmac-sha256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=AAAA",
    ],
)
def test_malformed_authorization_is_denied(wire, authorization):
    reply = wire.request("POST", f"/identities?api-version={VERSION}", headers={"Authorization": authorization})
    assert (reply.status, reply.json) == (401, DENIED)


def test_wrong_key_is_denied(wire):
    other_key = base64.b64encode(b"k" * 64).decode()
    reply = wire.request("POST", f"/identities?api-version={VERSION}", key=other_key)
    assert (reply.status, reply.json) == (401, DENIED)


def test_secondary_key_is_accepted(wire):
    reply = wire.request("POST", f"/identities?api-version={VERSION}", key=DEFAULT_SECONDARY_KEY)
    assert reply.status == 201


def test_body_changed_after_signing_is_reported_as_hash_mismatch(wire):
    target = f"/identities?api-version={VERSION}"
    headers = signing.sign("POST", target, wire.host, b"{}", base64.b64decode(wire.key))
    reply = wire.request("POST", target, b'{"createTokenWithScopes":["chat"]}', signed=False, headers=headers)
    assert (reply.status, reply.json) == (
        401,
        error("Denied", "Request 'x-ms-content-sha256' differs from generated content hash."),
    )


def test_host_is_checked_as_received(wire):
    reply = wire.request("POST", f"/identities?api-version={VERSION}", sign_host="localhost:1")
    assert (reply.status, reply.json) == (401, DENIED)


def test_raw_target_is_what_gets_verified(wire):
    identity_id = wire.new_identity()
    signed_encoded = identity_path(identity_id, ":revokeAccessTokens")
    sent_literal = identity_path(identity_id, ":revokeAccessTokens", encode=False)
    reply = wire.request("POST", signed_encoded, send_target=sent_literal)
    assert (reply.status, reply.json) == (401, DENIED)


@pytest.mark.parametrize(("age_minutes", "status"), [(14, 201), (16, 401), (-16, 401)])
def test_x_ms_date_must_be_within_15_minutes(wire, age_minutes, status):
    date = signing.http_date(time.time() - age_minutes * 60)
    assert wire.request("POST", f"/identities?api-version={VERSION}", date=date).status == status


def test_clock_skew_check_can_be_disabled():
    with start_in_thread(EmulatorConfig(port=0, max_clock_skew_minutes=0)) as server:
        old = signing.http_date(time.time() - 86400 * 365)
        assert Wire(server.endpoint).request("POST", f"/identities?api-version={VERSION}", date=old).status == 201


def sign_with_headers(wire: Wire, target: str, signed_headers: str, headers: dict[str, str]) -> dict[str, str]:
    values = [headers[name] for name in signed_headers.split(";")]
    to_sign = signing.string_to_sign("POST", target, values)
    signature = signing.signature(base64.b64decode(wire.key), to_sign)
    return {**headers, "Authorization": f"HMAC-SHA256 SignedHeaders={signed_headers}&Signature={signature}"}


def test_legacy_date_header_can_be_signed_instead_of_x_ms_date(wire):
    target = f"/identities?api-version={VERSION}"
    base = {"date": signing.http_date(), "host": wire.host, "x-ms-content-sha256": signing.content_hash(b"")}
    headers = sign_with_headers(wire, target, "date;host;x-ms-content-sha256", base)
    del headers["host"]  # http.client sends the same Host itself
    assert wire.request("POST", target, signed=False, headers=headers).status == 201


@pytest.mark.parametrize(
    "signed_headers", ["x-ms-date;x-ms-content-sha256", "x-ms-date;host", "host;x-ms-content-sha256"]
)
def test_signature_must_cover_host_date_and_content_hash(wire, signed_headers):
    target = f"/identities?api-version={VERSION}"
    base = {"x-ms-date": signing.http_date(), "host": wire.host, "x-ms-content-sha256": signing.content_hash(b"")}
    headers = sign_with_headers(wire, target, signed_headers, base)
    del headers["host"]
    reply = wire.request("POST", target, signed=False, headers=headers)
    assert (reply.status, reply.json) == (401, DENIED)


# --- api-version -----------------------------------------------------------------------------------------------


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


# --- validation and order --------------------------------------------------------------------------------------


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
    ],
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


# --- answers ---------------------------------------------------------------------------------------------------


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
    expires = time.strftime("%Y-%m-%dT%H:%M:%S.0000000+00:00", time.gmtime(claims["exp"]))
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


def test_custom_id_returns_the_same_identity_in_the_preview(wire):
    first = wire.request("POST", f"/identities?api-version={PREVIEW}", {"customId": "alice@contoso.com"})
    again = wire.request(
        "POST",
        f"/identities?api-version={PREVIEW}",
        {"customId": "alice@contoso.com", "createTokenWithScopes": ["chat"]},
    )
    identity_id = first.json["identity"]["id"]
    assert (first.status, first.json) == (201, {"identity": {"id": identity_id, "customId": "alice@contoso.com"}})
    assert again.status == 200
    issued_at = again.json["identity"]["lastTokenIssuedAt"]
    assert again.json["identity"] == {
        "id": identity_id,
        "customId": "alice@contoso.com",
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


def test_chunked_bodies_are_refused(wire):
    request = (
        f"POST /identities?api-version={VERSION} HTTP/1.1\r\nHost: {wire.host}\r\n"
        "Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n"
    )
    host, port = wire.host.split(":")
    with socket.create_connection((host, int(port)), timeout=5) as raw:
        raw.sendall(request.encode())
        answer = raw.makefile("rb").read()
    assert answer.startswith(b"HTTP/1.1 411 Length Required\r\n")
    assert b"\r\nConnection: close\r\n" in answer


# --- Teams users -----------------------------------------------------------------------------------------------

EXCHANGE = f"/teamsUser/:exchangeAccessToken?api-version={VERSION}"


def test_teams_exchange_mints_a_teams_token(wire):
    aad = entra_token(uti="80Iy_oC4_kuXBJpeZ1FPAA")
    entra = jwt_claims(aad)
    reply = wire.request("POST", EXCHANGE, {"token": aad, "appId": APP_ID, "userId": OID})
    assert reply.status == 200, reply.body
    claims = jwt_claims(reply.json["token"])
    assert claims == {
        "skypeid": f"orgid:{OID}",
        "scp": 1024,
        "csi": str(entra["iat"]),
        "exp": entra["exp"],
        "rgn": "amer",
        "tid": TENANT,
        "acsScope": "voip,chat",
        "resourceId": DEFAULT_RESOURCE_ID,
        "aad_iat": str(entra["iat"]),
        "aad_uti": "80Iy_oC4_kuXBJpeZ1FPAA",
        "aad_appid": APP_ID,
        "iat": entra["iat"] + 300,
    }
    assert list(claims)[-1] == "iat"
    assert reply.json["expiresOn"] == time.strftime("%Y-%m-%dT%H:%M:%S.0000000+00:00", time.gmtime(entra["exp"]))


OTHER_GUID = "11111111-2222-3333-4444-555555555555"


@pytest.mark.parametrize(
    ("body", "status", "expected"),
    [
        ({"token": "garbage", "appId": APP_ID, "userId": OID}, 401, INVALID_ACCESS_TOKEN),
        ({"token": "", "appId": APP_ID, "userId": ""}, 401, INVALID_ACCESS_TOKEN),
        ({"token": entra_token(lifetime=-10), "appId": APP_ID, "userId": OID}, 401, INVALID_ACCESS_TOKEN),
        ({"appId": APP_ID, "userId": OID}, 401, INVALID_ACCESS_TOKEN),
        (
            {"token": entra_token(), "appId": "", "userId": OID},
            400,
            error("ValidationError", "AppId: The AppId field is required.", "AppId"),
        ),
        (
            {"token": entra_token(), "userId": OID},
            400,
            error("ValidationError", "AppId: The AppId field is required.", "AppId"),
        ),
        (
            {"token": entra_token(), "appId": "invalid", "userId": OID},
            400,
            error("ValidationError", "Provided AppId has invalid format.", "appId"),
        ),
        (
            {"token": entra_token(), "appId": OTHER_GUID, "userId": OID},
            400,
            error("ValidationError", "AAD application is not the expected one.", "appId"),
        ),
        (
            {"token": entra_token(), "appId": APP_ID, "userId": ""},
            400,
            error("ValidationError", "UserId: The UserId field is required.", "UserId"),
        ),
        (
            {"token": entra_token(), "appId": APP_ID, "userId": "invalid"},
            400,
            error("ValidationError", "Provided UserId has invalid format.", "userId"),
        ),
        (
            {"token": entra_token(), "appId": APP_ID, "userId": OTHER_GUID},
            400,
            error("ValidationError", "Provided AAD token issued for unexpected user.", "userId"),
        ),
    ],
)
def test_teams_exchange_errors(wire, body, status, expected):
    reply = wire.request("POST", EXCHANGE, body)
    assert (reply.status, reply.json) == (status, expected)


def test_teams_exchange_2021_10_31_preview_takes_the_token_only(wire):
    reply = wire.request(
        "POST", "/teamsUser/:exchangeAccessToken?api-version=2021-10-31-preview", {"token": entra_token()}
    )
    assert reply.status == 200, reply.body


# --- /emulator/ endpoints --------------------------------------------------------------------------------------


def test_health(wire):
    reply = wire.request("GET", "/emulator/health", signed=False)
    assert (reply.status, reply.json) == (200, {"status": "ok", "resourceId": DEFAULT_RESOURCE_ID, "version": "0.1.0"})


def test_identities_listing_shows_the_history(wire, admin):
    kept, revoked, deleted = (wire.new_identity() for _ in range(3))
    wire.issue(kept, ["chat"])
    wire.request("POST", identity_path(revoked, ":revokeAccessTokens"))
    wire.request("DELETE", identity_path(deleted))
    listing = {entry["id"]: entry for entry in admin.identities()}
    assert list(listing[kept]) == ["id", "customId", "createdAt", "lastTokenIssuedAt", "revokedAt", "deleted"]
    assert ISO_7.fullmatch(listing[kept]["createdAt"]) and ISO_7.fullmatch(listing[kept]["lastTokenIssuedAt"])
    assert (listing[kept]["revokedAt"], listing[kept]["deleted"]) == (None, False)
    assert ISO_7.fullmatch(listing[revoked]["revokedAt"]) and listing[revoked]["lastTokenIssuedAt"] is None
    assert listing[deleted]["deleted"] is True


def test_validate_follows_revocation_and_deletion(wire, admin):
    identity_id = wire.new_identity()
    before = wire.issue(identity_id, ["chat"])
    assert admin.validate(before)["status"] == "valid"
    wire.request("POST", identity_path(identity_id, ":revokeAccessTokens"))
    after = wire.issue(identity_id, ["voip"])  # other scopes: a same-second token for "chat" would be identical
    expires_on = time.strftime("%Y-%m-%dT%H:%M:%S.0000000+00:00", time.gmtime(jwt_claims(before)["exp"]))
    assert admin.validate(before) == {"status": "revoked", "identity": identity_id, "expiresOn": expires_on}
    assert admin.validate(after)["status"] == "valid"
    wire.request("DELETE", identity_path(identity_id))
    assert [admin.validate(t)["status"] for t in (before, after)] == ["deleted", "deleted"]


def test_validate_rejects_tokens_it_did_not_sign(wire, admin):
    with start_in_thread(EmulatorConfig(port=0)) as other:
        foreign = Wire(other.endpoint)
        token = foreign.issue(foreign.new_identity(), ["chat"])
    assert admin.validate(token) == {"status": "unknown", "identity": None, "expiresOn": None}
    assert admin.validate("not.a.token")["status"] == "unknown"


def test_validate_reports_expiry(wire, admin):
    reply = wire.request("POST", EXCHANGE, {"token": entra_token(lifetime=1), "appId": APP_ID, "userId": OID})
    assert admin.validate(reply.json["token"])["status"] == "valid"
    time.sleep(1.1)
    assert admin.validate(reply.json["token"]) == {
        "status": "expired",
        "identity": f"8:orgid:{OID}",
        "expiresOn": reply.json["expiresOn"],
    }


def test_unknown_emulator_endpoint(wire):
    reply = wire.request("GET", "/emulator/nothing", signed=False)
    assert (reply.status, reply.json) == (
        404,
        error("NotFound", "No emulator endpoint matches 'GET /emulator/nothing'."),
    )


# --- faults ----------------------------------------------------------------------------------------------------


def identity_count(admin: RunningEmulator) -> int:
    return len(admin.identities())


def test_status_fault_answers_without_performing(wire, admin):
    admin.inject("create", status=429, retryAfter=2)
    count = identity_count(admin)
    reply = wire.request("POST", f"/identities?api-version={VERSION}", headers={"x-ms-client-request-id": "r1"})
    assert reply.status == 429
    assert reply.headers["Retry-After"] == "2"
    assert reply.json == error("InjectedFault", "Fault injected by the acsid emulator: status 429.")
    assert reply.headers["x-ms-client-request-id"] == "r1"
    assert identity_count(admin) == count
    assert wire.request("POST", f"/identities?api-version={VERSION}").status == 201  # count defaults to 1
    log = admin.requests()
    assert [(e["route"], e["status"], e["clientRequestId"]) for e in log] == [
        ("create", 429, "r1"),
        ("create", 201, None),
    ]
    assert log[0]["fault"]["status"] == 429 and log[1]["fault"] is None
    assert log[0]["method"] == "POST" and log[0]["target"] == f"/identities?api-version={VERSION}"


def test_process_fault_performs_then_replaces_the_answer(wire, admin):
    admin.inject("create", status=503, process=True)
    count = identity_count(admin)
    assert wire.request("POST", f"/identities?api-version={VERSION}").status == 503
    assert identity_count(admin) == count + 1


def test_fault_can_answer_malformed_json_with_200(wire, admin):
    identity_id = wire.new_identity()
    admin.inject("issue", status=200, body="{not json")
    reply = wire.request("POST", issue_target(identity_id), {"scopes": ["chat"]})
    assert (reply.status, reply.body, reply.headers["Content-Type"]) == (200, b"{not json", "application/json")


def test_fault_body_and_content_type(wire, admin):
    admin.inject("revoke", status=502, body="<html>Bad Gateway</html>", contentType="text/html")
    reply = wire.request("POST", identity_path(wire.new_identity(), ":revokeAccessTokens"))
    assert (reply.status, reply.body, reply.headers["Content-Type"]) == (502, b"<html>Bad Gateway</html>", "text/html")


def test_count_and_any_route(wire, admin):
    admin.inject("*", status=500, count=2)
    identity_id = FOREIGN_ID
    assert wire.request("POST", f"/identities?api-version={VERSION}").status == 500
    assert wire.request("DELETE", identity_path(identity_id)).status == 500
    assert wire.request("DELETE", identity_path(identity_id)).status == 401
    assert admin.faults() == []


def test_drop_before_performs_nothing(wire, admin):
    admin.inject("create", drop="before")
    count = identity_count(admin)
    with pytest.raises(http.client.RemoteDisconnected):
        wire.request("POST", f"/identities?api-version={VERSION}")
    wire.reconnect()
    assert identity_count(admin) == count
    assert admin.requests()[-1]["status"] is None


def test_drop_after_loses_the_answer_of_a_performed_operation(wire, admin):
    identity_id = wire.new_identity()
    admin.inject("delete", drop="after")
    with pytest.raises(http.client.RemoteDisconnected):
        wire.request("DELETE", identity_path(identity_id))
    wire.reconnect()
    assert {i["id"]: i["deleted"] for i in admin.identities()}[identity_id] is True


def test_drop_mid_sends_half_the_body(wire, admin):
    admin.inject("create", drop="mid")
    count = identity_count(admin)
    conn = http.client.HTTPConnection(wire.host, timeout=5)
    target = f"/identities?api-version={VERSION}"
    conn.request("POST", target, b"", signing.sign("POST", target, wire.host, b"", base64.b64decode(wire.key)))
    response = conn.getresponse()
    assert response.status == 201
    with pytest.raises(http.client.IncompleteRead) as caught:
        response.read()
    assert 0 < len(caught.value.partial) < int(response.headers["Content-Length"])
    assert identity_count(admin) == count + 1
    assert admin.requests()[-1]["status"] is None


def test_delay_then_normal_answer(wire, admin):
    admin.inject("create", delayMs=300)
    started = time.monotonic()
    assert wire.request("POST", f"/identities?api-version={VERSION}").status == 201
    assert time.monotonic() - started >= 0.3


def test_faults_listing_and_clearing(wire, admin):
    rule = admin.inject("issue", status=429, count=3)
    assert rule == {
        "route": "issue",
        "count": 3,
        "status": 429,
        "retryAfter": None,
        "body": None,
        "contentType": None,
        "delayMs": 0,
        "drop": None,
        "process": False,
    }
    assert admin._call("GET", "/emulator/faults") == {"value": [rule]}
    admin._call("DELETE", "/emulator/faults")
    assert admin.faults() == []


@pytest.mark.parametrize(
    "rule",
    [
        {"route": "rename"},
        {"route": "create", "status": 99},
        {"route": "create", "drop": "sideways"},
        {"route": "create", "count": 0},
        {"route": "create", "colour": "red"},
        {"route": "create", "process": "yes"},
    ],
)
def test_invalid_faults_are_refused(wire, rule):
    reply = wire.request("POST", "/emulator/faults", rule, signed=False)
    assert reply.status == 400
    assert reply.json["error"]["code"] == "InvalidRequest"


def test_emulator_endpoints_are_not_logged(wire, admin):
    wire.request("GET", "/emulator/health", signed=False)
    assert admin.requests() == []


def test_keep_alive_serves_many_requests_on_one_connection(wire):
    for _ in range(20):
        wire.request("POST", f"/identities?api-version={VERSION}")
    sock = wire.connection().sock
    assert isinstance(sock, socket.socket) and sock.fileno() != -1
