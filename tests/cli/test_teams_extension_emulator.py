"""Every Teams Extension command against the emulator: an assignment set, shown, used by the user's own
exchange, deleted; and each way it fails: a bad body (400 with its target), a refused Entra token (401),
no assignment (403), an unknown assignment (404), a wrong api-version (400, or refused before sending)."""

from __future__ import annotations

import json
import uuid

import pytest
from helpers import acsid
from wire import APP_ID, TENANT, entra_token, error, jwt_claims

from acsid_cli import protocol

AUDIENCE = protocol.TEAMS_EXTENSION_SCOPE_PREFIX.rstrip("/")


@pytest.fixture
def user() -> str:
    """An object id of this test's own: the session's emulator keeps assignments between tests."""
    return str(uuid.uuid4())


def te(*args: str, input: str | None = None):
    return acsid("assignment", "teams-extension", *args, input=input)


def path(user: str) -> str:
    return f"/access/teamsExtension/tenants/{TENANT}/assignments/{user}"


def routes(emulator) -> list[tuple[str, int | None]]:
    return [(entry["route"], entry["status"]) for entry in emulator.requests()]


def test_set_show_exchange_inspect_delete(conn_env, user):
    stored = {"clientIds": [APP_ID], "objectId": user, "principalType": "user", "tenantId": TENANT}
    created = te("set", "--tenant", TENANT, "--object", user, "--principal-type", "user", "--client", APP_ID)
    assert (created.exit_code, created.json, created.stderr) == (0, stored, "")
    assert te("show", "--tenant", TENANT, "--object", user).json == stored
    entra = entra_token(oid=user, aud=AUDIENCE, lifetime=1800)
    exchanged = acsid("token", "get-for-teams-extension-user", "--aad-token", "-", input=entra)
    identity = f"8:acs:{conn_env.resource_id}_{TENANT}_{user}"
    assert exchanged.exit_code == 0, exchanged.stderr
    assert (sorted(exchanged.json), exchanged.json["user_id"]) == (["expires_on", "token", "user_id"], identity)
    assert jwt_claims(exchanged.json["token"])["exp"] == jwt_claims(entra)["exp"]
    assert conn_env.validate(exchanged.json["token"])["status"] == "valid"
    kind = acsid("token", "inspect", "-", "-o", "tsv", "--query", "identityKind", input=exchanged.stdout)
    assert kind.stdout == "teamsExtensionUser\n"
    deleted = te("delete", "--tenant", TENANT, "--object", user, "--yes")
    assert (deleted.exit_code, deleted.stdout, deleted.stderr) == (0, "", "")
    assert routes(conn_env) == [
        ("teams-extension-assignment-put", 201),
        ("teams-extension-assignment-get", 200),
        ("teams-extension-exchange", 200),
        ("teams-extension-assignment-delete", 204),
    ]


def test_a_second_set_replaces(conn_env, user, monkeypatch):
    monkeypatch.setenv("ACSID_FORCE_TTY", "1")
    argv = ("set", "--tenant", TENANT, "--object", user, "--principal-type", "resourceAccount", "-o", "none")
    assert te(*argv).stderr == f"✓ Created the Teams Extension assignment of {user}\n"
    assert te(*argv).stderr == f"✓ Replaced the Teams Extension assignment of {user}\n"
    assert routes(conn_env) == [("teams-extension-assignment-put", 201), ("teams-extension-assignment-put", 200)]


def test_an_unknown_assignment_is_exit_3(conn_env, user):
    for argv in (["show"], ["delete", "--yes"]):
        result = te(*argv, "--tenant", TENANT, "--object", user)
        method = "GET" if argv == ["show"] else "DELETE"
        assert (result.exit_code, result.stdout, result.error) == (
            3,
            "",
            f"error: HTTP 404 AssignmentNotFound: No assignment for object '{user}' in tenant '{TENANT}' "
            f"was found. ({method} {path(user)}, request id <id>)\n",
        )


def test_a_bad_body_is_refused_before_sending_and_the_services_400_names_its_target(conn_env, user):
    bad = te("set", "--tenant", TENANT, "--object", user, "--principal-type", "tenant")
    assert (bad.exit_code, bad.stderr) == (2, "error: --principal-type 'tenant' is not one of user, resourceAccount\n")
    assert conn_env.requests() == []
    body = json.dumps(error("ValidationError", "Provided ClientIds has invalid format.", "clientIds"))
    with conn_env.fault("teams-extension-assignment-put", status=400, body=body):
        result = te("set", "--tenant", TENANT, "--object", user, "--principal-type", "user")
    assert (result.exit_code, result.error) == (
        1,
        f"error: HTTP 400 ValidationError: Provided ClientIds has invalid format. (PUT {path(user)}, target "
        "clientIds, request id <id>)\n",
    )


@pytest.mark.parametrize(
    "token",
    [
        entra_token(aud=AUDIENCE, lifetime=-60),  # expired
        entra_token(aud=protocol.ENTRA_AUDIENCE),  # for ACS, not for Teams
        "not-a-jwt",
    ],
)
def test_a_refused_entra_token_is_exit_1(conn_env, token):
    result = acsid("token", "get-for-teams-extension-user", "--aad-token", "-", input=token)
    assert (result.exit_code, result.stdout, result.error) == (
        1,
        "",
        "error: HTTP 401 InvalidAccessToken: Provided access token is not valid. "
        "(POST /access/teamsExtension/:exchangeAccessToken, request id <id>)\n",
    )
    assert token not in result.stderr


def test_no_assignment_no_exchange(conn_env, user):
    result = acsid("token", "get-for-teams-extension-user", "--aad-token", entra_token(oid=user, aud=AUDIENCE))
    assert (result.exit_code, result.error) == (
        1,
        f"error: HTTP 403 Forbidden: No Teams Extension assignment lets user '{user}' of tenant '{TENANT}' "
        "exchange a token of this app. (POST /access/teamsExtension/:exchangeAccessToken, request id <id>)\n",
    )


def test_api_versions(conn_env, user):
    unknown = te("show", "--tenant", TENANT, "--object", user, "--api-version", "2026-07-22")
    assert unknown.exit_code == 1
    assert unknown.error.startswith(
        "error: HTTP 400 UnsupportedApiVersion: The HTTP resource that matches the request URI "
    )
    assert routes(conn_env) == [("teams-extension-assignment-get", 400)]
    for command in (
        ["token", "get-for-teams-extension-user", "--aad-token", "x"],
        ["assignment", "teams-extension", "show", "--tenant", TENANT, "--object", user],
    ):
        known = acsid(*command, "--api-version", "2023-10-01")
        assert known.exit_code == 2
        assert "needs API version 2025-06-30 or 2025-03-02-preview" in known.stderr
    preview = te(
        "set",
        "--tenant",
        TENANT,
        "--object",
        user,
        "--principal-type",
        "user",
        "--api-version",
        protocol.PREVIEW_API_VERSION,
    )
    assert preview.exit_code == 0, preview.stderr
    assert conn_env.requests()[-1]["target"].endswith("api-version=2025-03-02-preview")
