"""The client library's 2025 operations against the emulator, as an app developer uses them: typed results,
and each failure one of the client's typed errors: a bad body (400 with its target, the client checks
nothing), a refused Entra token (401), no assignment (403), an unknown assignment (404), a wrong api-version."""

from __future__ import annotations

import uuid

import pytest
from wire import APP_ID, TENANT, entra_token, jwt_claims

from acsid_cli import protocol
from acsid_cli.client.errors import ServiceError
from acsid_cli.client.models import Assignment, AssignmentPut
from acsid_cli.client.rest import IdentityClient

TEAMS = protocol.TEAMS_EXTENSION_SCOPE_PREFIX.rstrip("/")
CLIENTS = protocol.ENTRA_USERS_SCOPE_PREFIX.rstrip("/")


@pytest.fixture
def client(emulator):
    client = IdentityClient.from_connection_string(emulator.connection_string)
    yield client
    client.close()


@pytest.fixture
def oid() -> str:
    """An object id of this test's own: the session's emulator keeps assignments between tests."""
    return str(uuid.uuid4())


def failure(call) -> tuple[int, str | None, str | None]:
    with pytest.raises(ServiceError) as caught:
        call()
    return caught.value.status, caught.value.code, caught.value.target


def test_teams_extension_round_trip(client, emulator, oid):
    put = client.teams_extension.set_assignment(TENANT, oid, "user", [APP_ID])
    assert put == AssignmentPut(Assignment(oid, TENANT, "user", (APP_ID,)), created=True)
    assert client.teams_extension.set_assignment(TENANT, oid, "user").created is False
    assert client.teams_extension.get_assignment(TENANT, oid) == Assignment(oid, TENANT, "user")
    exchanged = client.teams_extension.exchange_token(entra_token(oid=oid, aud=TEAMS))
    assert exchanged.identity.id == f"8:acs:{emulator.resource_id}_{TENANT}_{oid}"
    assert emulator.validate(exchanged.token.token)["identity"] == exchanged.identity.id
    client.teams_extension.delete_assignment(TENANT, oid)
    assert failure(lambda: client.teams_extension.get_assignment(TENANT, oid))[:2] == (404, "AssignmentNotFound")
    assert failure(lambda: client.teams_extension.exchange_token(entra_token(oid=oid, aud=TEAMS)))[:2] == (
        403,
        protocol.FORBIDDEN,
    )


def test_entra_round_trip(client, emulator, oid):
    tenant = str(uuid.uuid4())
    assert client.entra.set_assignment(oid, tenant, "user", [APP_ID]).created
    assert Assignment(oid, tenant, "user", (APP_ID,)) in list(client.entra.list_assignments())
    other, gone = str(uuid.uuid4()), oid
    listed = client.entra.update_assignments(put=[Assignment(other, tenant, "tenant", (APP_ID,))], delete=[gone])
    assert Assignment(other, tenant, "tenant", (APP_ID,)) in listed
    assert all(a.object_id != gone for a in listed)
    exchanged = client.entra.exchange_token(entra_token(oid=oid, tid=tenant, aud=CLIENTS, scp="Chat"))
    assert exchanged.identity.id == f"8:acs:{emulator.resource_id}_wf_{tenant}_{oid}"  # covered by its tenant
    assert jwt_claims(exchanged.token.token)["acsScope"] == "chat"
    assert failure(lambda: client.entra.get_assignment(gone))[:2] == (404, "AssignmentNotFound")
    client.entra.delete_assignment(other)


def test_a_bad_body_answers_400_with_its_target(client, oid):
    assert failure(lambda: client.teams_extension.set_assignment(TENANT, oid, "group")) == (
        400,
        protocol.VALIDATION_ERROR,
        "principalType",
    )
    assert failure(lambda: client.entra.set_assignment(oid, TENANT, "user", [])) == (
        400,
        protocol.VALIDATION_ERROR,
        "ClientIds",
    )
    assert failure(lambda: client.entra.set_assignment(oid, "contoso", "user", [APP_ID])) == (
        400,
        protocol.VALIDATION_ERROR,
        "tenantId",
    )


@pytest.mark.parametrize("token", [entra_token(aud=TEAMS, lifetime=-60), entra_token(aud=protocol.ENTRA_AUDIENCE), ""])
def test_a_refused_user_token_is_401(client, token):
    assert failure(lambda: client.teams_extension.exchange_token(token)) == (401, protocol.INVALID_ACCESS_TOKEN, None)
    assert failure(lambda: client.entra.exchange_token(token)) == (401, protocol.INVALID_ACCESS_TOKEN, None)


def test_a_wrong_api_version_is_400(emulator, oid):
    old = IdentityClient.from_connection_string(emulator.connection_string, api_version="2023-10-01")
    assert failure(lambda: old.teams_extension.get_assignment(TENANT, oid))[:2] == (
        400,
        protocol.UNSUPPORTED_API_VERSION,
    )
    ga = IdentityClient.from_connection_string(emulator.connection_string, api_version="2025-06-30")
    assert failure(lambda: ga.entra.get_assignment(oid))[:2] == (400, protocol.UNSUPPORTED_API_VERSION)
    assert failure(lambda: ga.teams_extension.get_assignment(TENANT, oid))[:2] == (404, "AssignmentNotFound")
    old.close()
    ga.close()
