"""Every Entra ID user command against the emulator: assignments listed, set, shown, used by the user's own
exchange (scopes from the token's permissions), deleted; bulk from the list's own output; and each way it fails:
a bad body (400 with its target), a refused Entra token (401), no assignment (403), an unknown assignment (404),
a wrong api-version (400, or refused before sending)."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from helpers import FakeClock, acsid, json_lines
from wire import APP_ID, entra_token, jwt_claims

from acsid_cli import protocol

AUDIENCE = protocol.ENTRA_USERS_SCOPE_PREFIX.rstrip("/")
OTHER_APP = "7b5c9a2e-8f4d-4c1b-9e3a-2d6f8a1c4b7e"


def new_guid() -> str:
    return str(uuid.uuid4())


@pytest.fixture
def tenant() -> str:
    """A tenant of this test's own: the session's emulator keeps assignments between tests."""
    return new_guid()


def entra(*args: str, input: str | None = None, clock: FakeClock | None = None):
    return acsid("assignment", "entra", *args, input=input, clock=clock)


def user_token(oid: str, tenant: str, scp: str = "VoIP Chat", **claims: Any) -> str:
    return entra_token(oid=oid, aud=AUDIENCE, tid=tenant, scp=scp, **claims)


def test_set_list_show_exchange_inspect_delete(conn_env, tenant):
    group, member = new_guid(), new_guid()
    stored = {"clientIds": [APP_ID], "objectId": group, "principalType": "group", "tenantId": tenant}
    created = entra("set", "--object", group, "--tenant", tenant, "--principal-type", "group", "--client", APP_ID)
    assert (created.exit_code, created.json, created.stderr) == (0, stored, "")
    assert stored in entra("list").json
    assert entra("show", "--object", group).json == stored
    token = user_token(member, tenant, scp="VoIP Chat.Join", groups=[group])
    exchanged = acsid("token", "get-for-entra-user", "--aad-token", "-", input=token + "\n")
    identity = f"8:acs:{conn_env.resource_id}_wf_{tenant}_{member}"
    assert exchanged.exit_code == 0, exchanged.stderr
    assert exchanged.json["user_id"] == identity
    assert jwt_claims(exchanged.json["token"])["acsScope"] == "chat.join,voip"
    inspected = acsid("token", "inspect", "-", "-o", "tsv", "--query", "[identityKind, scopes]", input=exchanged.stdout)
    assert inspected.stdout == "entraUser\nchat.join,voip\n"
    assert entra("delete", "--object", group, "--yes").exit_code == 0
    assert stored not in entra("list").json
    assert [e["route"] for e in conn_env.requests()] == [
        "entra-assignment-put",
        "entra-assignments-list",
        "entra-assignment-get",
        "entra-exchange",
        "entra-assignment-delete",
        "entra-assignments-list",
    ]


def test_bulk_copies_the_lists_own_output_with_another_app(conn_env, tenant):
    users = [new_guid() for _ in range(4)]
    lines = "".join(f"{user}\n" for user in users)
    first = entra(
        "set",
        "--object",
        "-",
        "--tenant",
        tenant,
        "--principal-type",
        "user",
        "--client",
        APP_ID,
        "--rate",
        "0",
        "-o",
        "jsonl",
        input=lines,
        clock=FakeClock(),
    )
    assert (first.exit_code, first.stderr) == (0, "4 set, 0 failed in 0.0 s\n")
    mine = [json.dumps(a) for a in entra("list").json if a["tenantId"] == tenant]
    moved = entra(
        "set",
        "--object",
        "-",
        "--client",
        OTHER_APP,
        "--rate",
        "0",
        "-o",
        "jsonl",
        input="\n".join(mine) + "\n",
        clock=FakeClock(),
    )
    assert moved.exit_code == 0, moved.stderr
    assert {(a["objectId"], tuple(a["clientIds"])) for a in json_lines(moved.stdout)} == {
        (user, (OTHER_APP,)) for user in users
    }
    gone = entra(
        "delete", "--object", "-", "--yes", "--rate", "0", "-o", "jsonl", input=moved.stdout, clock=FakeClock()
    )
    assert json_lines(gone.stdout) == [{"deleted": True, "objectId": a["objectId"]} for a in json_lines(moved.stdout)]


def test_an_unknown_assignment_is_exit_3(conn_env):
    unknown = new_guid()
    for argv, method in ((["show"], "GET"), (["delete", "--yes"], "DELETE")):
        result = entra(*argv, "--object", unknown)
        assert (result.exit_code, result.error) == (
            3,
            f"error: HTTP 404 AssignmentNotFound: No assignment for object '{unknown}' was found. "
            f"({method} /access/entra/assignments/{unknown}, request id <id>)\n",
        )


def test_a_bad_body_is_refused_before_sending_and_the_services_400_names_its_target(conn_env, tenant):
    user = new_guid()
    bad = entra("set", "--object", user, "--tenant", tenant, "--principal-type", "user")
    assert (bad.exit_code, bad.stderr) == (
        2,
        "error: --client is required: the Entra apps whose users' tokens may be exchanged\n",
    )
    assert conn_env.requests() == []
    body = '{"error":{"code":"ValidationError","message":"Provided TenantId has invalid format.","target":"tenantId"}}'
    with conn_env.fault("entra-assignment-put", status=400, body=body):
        result = entra("set", "--object", user, "--tenant", tenant, "--principal-type", "user", "--client", APP_ID)
    assert (result.exit_code, result.error) == (
        1,
        f"error: HTTP 400 ValidationError: Provided TenantId has invalid format. (PUT /access/entra/assignments/"
        f"{user}, target tenantId, request id <id>)\n",
    )


@pytest.mark.parametrize(
    "token",
    [
        entra_token(aud=AUDIENCE, scp="VoIP", lifetime=-60),  # expired
        entra_token(aud=protocol.TEAMS_EXTENSION_SCOPE_PREFIX.rstrip("/"), scp="VoIP"),  # for Teams, not ACS's clients
        "not-a-jwt",
    ],
)
def test_a_refused_entra_token_is_exit_1(conn_env, token):
    result = acsid("token", "get-for-entra-user", "--aad-token", "-", input=token)
    assert (result.exit_code, result.stdout, result.error) == (
        1,
        "",
        "error: HTTP 401 InvalidAccessToken: Provided access token is not valid. "
        "(POST /access/entra/:exchangeAccessToken, request id <id>)\n",
    )


def test_no_assignment_for_the_app_no_exchange(conn_env, tenant):
    user = new_guid()
    entra("set", "--object", user, "--tenant", tenant, "--principal-type", "user", "--client", OTHER_APP)
    result = acsid("token", "get-for-entra-user", "--aad-token", user_token(user, tenant))
    assert (result.exit_code, result.error) == (
        1,
        f"error: HTTP 403 Forbidden: No Entra ID assignment lets user '{user}' of tenant '{tenant}' exchange a "
        "token of this app. (POST /access/entra/:exchangeAccessToken, request id <id>)\n",
    )


def test_api_versions(conn_env):
    unknown = entra("list", "--api-version", "2026-09-23")
    assert unknown.exit_code == 1
    assert unknown.error.startswith("error: HTTP 400 UnsupportedApiVersion: ")
    assert [(e["route"], e["status"]) for e in conn_env.requests()] == [("entra-assignments-list", 400)]
    for command in (["token", "get-for-entra-user", "--aad-token", "x"], ["assignment", "entra", "list"]):
        known = acsid(*command, "--api-version", protocol.TEAMS_EXTENSION_API_VERSION)
        assert known.exit_code == 2
        assert "needs API version 2025-03-02-preview, not 2025-06-30" in known.stderr
    assert len(conn_env.requests()) == 1
