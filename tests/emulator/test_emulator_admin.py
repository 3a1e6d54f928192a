"""The emulator-only endpoints under /emulator/."""

from __future__ import annotations

from helpers import FakeClock, admin_of
from wire import (
    ISO_7,
    Wire,
    error,
    identity_path,
    iso_7,
    jwt_claims,
)

from acsid_cli import __version__
from acsid_cli.emulator import DEFAULT_RESOURCE_ID
from acsid_cli.emulator.app import Emulator
from acsid_cli.emulator.config import EmulatorConfig
from acsid_cli.emulator.server import start_in_thread


def test_health(wire):
    reply = wire.request("GET", "/emulator/health", signed=False)
    health = {"status": "ok", "resourceId": DEFAULT_RESOURCE_ID, "version": __version__}
    assert (reply.status, reply.json) == (200, health)


def test_identities_listing_shows_the_history(wire, admin):
    kept, revoked, deleted = (wire.new_identity() for _ in range(3))
    wire.issue(kept, ["chat"])
    wire.request("POST", identity_path(revoked, ":revokeAccessTokens"))
    wire.request("DELETE", identity_path(deleted))
    listing = {entry["id"]: entry for entry in admin.identities()}
    assert list(listing[kept]) == ["id", "customId", "createdAt", "lastTokenIssuedAt", "revokedAt", "deleted"]
    assert ISO_7.fullmatch(listing[kept]["createdAt"])
    assert ISO_7.fullmatch(listing[kept]["lastTokenIssuedAt"])
    assert (listing[kept]["revokedAt"], listing[kept]["deleted"]) == (None, False)
    assert ISO_7.fullmatch(listing[revoked]["revokedAt"])
    assert listing[revoked]["lastTokenIssuedAt"] is None
    assert listing[deleted]["deleted"] is True


def test_validate_follows_revocation_and_deletion(wire, admin):
    identity_id = wire.new_identity()
    before = wire.issue(identity_id, ["chat"])
    assert admin.validate(before)["status"] == "valid"
    wire.request("POST", identity_path(identity_id, ":revokeAccessTokens"))
    after = wire.issue(identity_id, ["voip"])  # other scopes: a same-second token for "chat" would be identical
    expires_on = iso_7(jwt_claims(before)["exp"])
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


def test_validate_reports_expiry_by_the_emulators_clock():
    clock = FakeClock()
    with start_in_thread(emulator=Emulator(EmulatorConfig(port=0), clock=clock)) as running:
        wire = Wire(running.endpoint)
        admin = admin_of(running)
        token = wire.issue(wire.new_identity(), ["chat"], expiresInMinutes=60)
        expires_on = iso_7(jwt_claims(token)["exp"])
        clock.advance(3599)
        assert admin.validate(token)["status"] == "valid"
        clock.advance(1)
        identity = jwt_claims(token)["skypeid"]
        assert admin.validate(token) == {"status": "expired", "identity": f"8:{identity}", "expiresOn": expires_on}


def test_unknown_emulator_endpoint(wire):
    reply = wire.request("GET", "/emulator/nothing", signed=False)
    assert (reply.status, reply.json) == (
        404,
        error("NotFound", "No emulator endpoint matches 'GET /emulator/nothing'."),
    )
