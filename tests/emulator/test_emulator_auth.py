"""HMAC verification: what a signature must cover, and every way it is refused."""

from __future__ import annotations

import base64
import time

import pytest
from wire import (
    DENIED,
    VERSION,
    Wire,
    error,
    identity_path,
    jwt,
)

from acsid_cli import signing
from acsid_cli.emulator import DEFAULT_SECONDARY_KEY
from acsid_cli.emulator.app import SUPPORTED_VERSIONS_HEADER
from acsid_cli.emulator.config import EmulatorConfig
from acsid_cli.emulator.server import start_in_thread


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


def test_legacy_date_header_can_be_signed_instead_of_x_ms_date(wire):
    headers = signed(
        wire, signed_headers="date;host;x-ms-content-sha256", date=signing.http_date(), **{"x-ms-date": None}
    )
    assert wire.request("POST", f"/identities?api-version={VERSION}", signed=False, headers=headers).status == 201


@pytest.mark.parametrize(
    "signed_headers", ["x-ms-date;x-ms-content-sha256", "x-ms-date;host", "host;x-ms-content-sha256"]
)
def test_signature_must_cover_host_date_and_content_hash(wire, signed_headers):
    headers = signed(wire, signed_headers=signed_headers)
    reply = wire.request("POST", f"/identities?api-version={VERSION}", signed=False, headers=headers)
    assert (reply.status, reply.json) == (401, DENIED)


ACS = "https://communication.azure.com"


@pytest.mark.parametrize(
    ("audience", "expires_in", "status"),
    [
        (ACS, 600, 201),
        (ACS + "/", 600, 201),
        (["https://graph.microsoft.com", ACS], 600, 201),
        (ACS, -1, 401),
        ("https://management.azure.com", 600, 401),
        (ACS, None, 401),
        (ACS, float("inf"), 401),
        (ACS, float("nan"), 401),
        (ACS, 10**20, 401),
    ],
    ids=[
        "audience",
        "audience with a slash",
        "one of several audiences",
        "expired",
        "another audience",
        "no expiry",
        "infinite expiry",
        "NaN expiry",
        "expiry beyond year 9999",
    ],
)
def test_entra_bearer_tokens(wire, audience, expires_in, status):
    claims = {"aud": audience} if expires_in is None else {"aud": audience, "exp": time.time() + expires_in}
    headers = {"Authorization": f"Bearer {jwt(claims)}"}
    reply = wire.request("POST", f"/identities?api-version={VERSION}", signed=False, headers=headers)
    assert reply.status == status, reply.body
    if status == 401:
        assert reply.json == DENIED


def signed(
    wire,
    target="/identities?api-version=2023-10-01",
    signed_headers="x-ms-date;host;x-ms-content-sha256",
    key=None,
    **headers,
):
    """Headers that sign (POST, target, empty body) with SignedHeaders as given; `headers` replace or add."""
    base = {"x-ms-date": signing.http_date(), "host": wire.host, "x-ms-content-sha256": signing.content_hash(b"")}
    base.update(headers)
    values = [base.get(name) or "" for name in signed_headers.split(";")]
    signature = signing.signature(base64.b64decode(key or wire.key), signing.string_to_sign("POST", target, values))
    sent = {name: value for name, value in base.items() if name != "host" and value is not None}
    return {**sent, "Authorization": f"HMAC-SHA256 SignedHeaders={signed_headers}&Signature={signature}"}


CONTENT_HASH = error("Denied", "Request 'x-ms-content-sha256' differs from generated content hash.")
REASONS = [
    # (what is wrong, headers to send, the start of x-acsid-emulator-reason, the body)
    ("no authorization", {}, "missing-header: Authorization", DENIED),
    (
        "another scheme",
        {"Authorization": "Basic dXNlcjpwYXNz"},
        "malformed-authorization: expected 'HMAC-SHA256",
        DENIED,
    ),
    (
        "no signed headers",
        {"Authorization": "HMAC-SHA256 Signature=abc="},
        "malformed-authorization: SignedHeaders and Signature are both required",
        DENIED,
    ),
    ("no content hash", "content-hash", "missing-header: x-ms-content-sha256", DENIED),
    ("another body's hash", "hash", "content-hash-differs: the body's is 47DEQ", CONTENT_HASH),
    ("host not signed", "unsigned", "unsigned-header: SignedHeaders is x-ms-date;x-ms-content-sha256", DENIED),
    ("signed but not sent", "extra", "missing-header: x-custom is signed but not sent", DENIED),
    ("an old date", "date", "date-outside-skew: x-ms-date is 20 minutes behind", DENIED),
    ("a date past the year 9999", "far date", "date-outside-skew: x-ms-date is not an RFC 1123 date", DENIED),
    ("another key", "key", "signature-mismatch: ", DENIED),
    ("a bearer token that is no JWT", {"Authorization": "Bearer abc"}, "bearer-not-a-jwt: ", DENIED),
]


@pytest.mark.parametrize(("headers", "reason", "body"), [r[1:] for r in REASONS], ids=[r[0] for r in REASONS])
def test_each_kind_of_refusal_says_its_reason_and_keeps_the_services_body(wire, headers, reason, body):
    if headers == "content-hash":
        headers = signed(wire, **{"x-ms-content-sha256": None})
    elif headers == "hash":
        headers = signed(wire, **{"x-ms-content-sha256": signing.content_hash(b"{}")})
    elif headers == "unsigned":
        headers = signed(wire, signed_headers="x-ms-date;x-ms-content-sha256")
    elif headers == "extra":
        headers = signed(wire, signed_headers="x-ms-date;host;x-ms-content-sha256;x-custom")
    elif headers == "date":
        headers = signed(wire, **{"x-ms-date": signing.http_date(time.time() - 20 * 60)})
    elif headers == "far date":
        headers = signed(wire, **{"x-ms-date": "Mon, 01 Jan 99999999999999999999 00:00:00 GMT"})
    elif headers == "key":
        headers = signed(wire, key=base64.b64encode(b"k" * 64).decode())
    reply = wire.request("POST", f"/identities?api-version={VERSION}", signed=False, headers=headers)
    assert (reply.status, reply.json) == (401, body)
    assert reply.headers["x-acsid-emulator-reason"].startswith(reason)


def test_the_reasons_are_all_different():
    reasons = [reason for _, _, reason, _ in REASONS]
    assert not any(a.startswith(b) for i, a in enumerate(reasons) for j, b in enumerate(reasons) if i != j)


def test_an_accepted_request_has_no_reason(wire):
    reply = wire.request("POST", f"/identities?api-version={VERSION}")
    assert reply.status == 201
    assert "x-acsid-emulator-reason" not in reply.headers
