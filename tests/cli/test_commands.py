"""End to end: acsid against the emulator, which verifies every signature as Azure does."""

import json
import re

import pytest
from helpers import acsid, acsid_process
from wire import APP_ID, OID, entra_token, jwt_claims

EXPIRES_ON = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}\+00:00")


def new_user() -> str:
    result = acsid("user", "create", "-o", "tsv", "--query", "rawId")
    assert result.exit_code == 0, result.stderr
    return result.stdout.strip()


def routes(emulator):
    return [(r["method"], r["route"], r["status"]) for r in emulator.requests()]


def test_user_create_prints_az_shape(conn_env):
    result = acsid("user", "create")
    assert result.exit_code == 0, result.stderr
    user_id = result.json["rawId"]
    assert result.stdout == json.dumps({"properties": {"id": user_id}, "rawId": user_id}, indent=2) + "\n"
    assert user_id.startswith(f"8:acs:{conn_env.resource_id}_")
    assert {i["id"]: i["deleted"] for i in conn_env.identities()}[user_id] is False  # the server has it
    assert routes(conn_env) == [("POST", "create", 201)]
    assert result.stderr == ""


def test_user_delete_prints_nothing_and_deletes(conn_env):
    user_id = new_user()
    result = acsid("user", "delete", "--user", user_id, "--yes")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    assert {i["id"]: i["deleted"] for i in conn_env.identities()}[user_id] is True
    deleted = conn_env.requests()[-1]
    assert (deleted["method"], deleted["route"], deleted["status"]) == ("DELETE", "delete", 204)
    # The id is percent-encoded in the path, as the SDK does, and the signature covered that form.
    assert deleted["target"] == "/identities/" + user_id.replace(":", "%3A") + "?api-version=2023-10-01"


def test_user_delete_asks_on_a_terminal(conn_env, monkeypatch):
    user_id = new_user()
    monkeypatch.setenv("ACSID_FORCE_TTY", "1")
    declined = acsid("user", "delete", "--user", user_id, input="n\n")
    assert declined.exit_code == 2  # nothing was sent: README's exit codes
    # CliRunner echoes the answer (and the space before it) on stdout; a terminal shows both after the question.
    assert declined.stderr == (
        f"Delete identity {user_id} and revoke all its tokens? [y/N]:error: cancelled, nothing was changed\n"
    )
    assert {i["id"]: i["deleted"] for i in conn_env.identities()}[user_id] is False
    accepted = acsid("user", "delete", "--user", user_id, input="y\n")
    assert accepted.exit_code == 0, accepted.stderr
    assert accepted.stderr.endswith(f"✓ Deleted {user_id}\n")
    assert {i["id"]: i["deleted"] for i in conn_env.identities()}[user_id] is True


@pytest.mark.parametrize(
    "spelling",
    [["--scope", "chat", "voip"], ["--scope", "chat", "--scope", "voip"], ["--scope", "chat,voip"]],
    ids=["az-nargs", "repeated", "comma"],
)
def test_token_issue_scope_spellings(conn_env, spelling):
    user_id = new_user()
    result = acsid("token", "issue", *spelling, "--user", user_id)
    assert result.exit_code == 0, result.stderr
    assert sorted(result.json) == ["expires_on", "token", "user_id"]
    assert result.json["user_id"] == user_id
    assert EXPIRES_ON.fullmatch(result.json["expires_on"])
    token = jwt_claims(result.json["token"])
    assert token["acsScope"] == "chat,voip"
    assert token["skypeid"] == user_id[2:]
    assert token["exp"] - token["iat"] == 24 * 3600  # the service default
    assert conn_env.validate(result.json["token"])["status"] == "valid"


def test_token_issue_without_user_creates_both_in_one_request(conn_env):
    result = acsid("token", "issue", "--scope", "voip", "--expires-in", "60")
    assert result.exit_code == 0, result.stderr
    assert routes(conn_env) == [("POST", "create", 201)]
    token = jwt_claims(result.json["token"])
    assert token["skypeid"] == result.json["user_id"][2:]
    assert token["exp"] - token["iat"] == 3600
    assert result.json["user_id"] in {i["id"] for i in conn_env.identities()}


def test_expires_in_reaches_the_service(conn_env):
    user_id = new_user()
    result = acsid("token", "issue", "--scope", "chat", "--user", user_id, "--expires-in", "90")
    token = jwt_claims(result.json["token"])
    assert token["exp"] - token["iat"] == 90 * 60


def test_tsv_query_token_prints_the_bare_token(conn_env):
    result = acsid("token", "issue", "--scope", "chat", "-o", "tsv", "--query", "token")
    assert result.exit_code == 0, result.stderr
    assert re.fullmatch(r"[\w-]+\.[\w-]+\.[\w-]+\n", result.stdout)
    assert conn_env.validate(result.stdout.strip())["status"] == "valid"


def test_tsv_orders_values_by_key_like_az(conn_env):
    result = acsid("token", "issue", "--scope", "chat", "-o", "tsv")
    expires_on, token, user_id = result.stdout.rstrip("\n").split("\t")
    assert EXPIRES_ON.fullmatch(expires_on)
    assert token.count(".") == 2
    assert user_id.startswith("8:acs:")


def test_table_output_like_az(conn_env):
    result = acsid("user", "create", "-o", "table")
    assert result.exit_code == 0, result.stderr
    user_id = result.stdout.splitlines()[2]
    assert result.stdout == f"RawId\n{'-' * len(user_id)}\n{user_id}\n"
    assert user_id in {i["id"] for i in conn_env.identities()}


def test_table_is_the_default_on_a_terminal_and_never_wraps(conn_env, monkeypatch):
    monkeypatch.setenv("ACSID_FORCE_TTY", "1")
    monkeypatch.setenv("COLUMNS", "80")
    result = acsid("token", "issue", "--scope", "chat")
    assert result.exit_code == 0, result.stderr
    header, _rule, row = result.stdout.splitlines()
    assert header.split() == ["Expires_on", "Token", "User_id"]
    expires_on, token, user_id = row.split()
    assert EXPIRES_ON.fullmatch(expires_on)
    assert user_id.startswith("8:acs:")
    assert conn_env.validate(token)["status"] == "valid"  # whole: a person can copy it
    assert "\x1b[" not in result.stdout


def test_yaml_output(conn_env):
    result = acsid("user", "create", "-o", "yaml")
    user_id = conn_env.identities()[-1]["id"]
    assert (result.exit_code, result.stdout) == (0, f"properties:\n  id: {user_id}\nrawId: {user_id}\n")


def test_revoke_invalidates_earlier_tokens(conn_env):
    issued = acsid("token", "issue", "--scope", "chat").json
    result = acsid("token", "revoke", "--user", issued["user_id"], "--yes")
    assert (result.exit_code, result.stdout) == (0, "")
    assert conn_env.validate(issued["token"])["status"] == "revoked"
    later = acsid("token", "issue", "--scope", "voip", "--user", issued["user_id"]).json
    assert conn_env.validate(later["token"])["status"] == "valid"


def test_delete_invalidates_all_tokens(conn_env):
    issued = acsid("token", "issue", "--scope", "chat").json
    assert acsid("user", "delete", "--user", issued["user_id"], "-y").exit_code == 0
    assert conn_env.validate(issued["token"])["status"] == "deleted"


def test_get_for_teams_user_with_token_on_stdin(conn_env):
    aad = entra_token(APP_ID, OID)
    result = acsid(
        "token", "get-for-teams-user", "--aad-token", "-", "--client", APP_ID, "--aad-user", OID, input=aad + "\n"
    )
    assert result.exit_code == 0, result.stderr
    assert sorted(result.json) == ["expires_on", "token"]
    token = jwt_claims(result.json["token"])
    assert token["skypeid"] == f"orgid:{OID}"
    assert token["scp"] == 1024
    assert token["exp"] == jwt_claims(aad)["exp"]
    assert aad not in result.stdout + result.stderr


def test_verbose_says_where_the_connection_came_from_and_each_request(conn_env):
    result = acsid("user", "create", "-o", "none", "--verbose")
    lines = result.stderr.splitlines()
    source = "AZURE_COMMUNICATION_CONNECTION_STRING"
    assert lines[0] == f"info: connection from {source}: endpoint {conn_env.endpoint}, signed with the access key"
    assert re.fullmatch(r"info: POST /identities → 201 Created in \d+ ms", lines[1])
    assert len(lines) == 2
    assert result.stdout == ""


# --- the program as a user runs it ---------------------------------------------------------------


def test_version_and_module_entry_point():
    from acsid_cli import __version__

    result = acsid_process("--version")
    assert (result.exit_code, result.stdout, result.stderr) == (0, f"acsid {__version__}\n", "")


def test_subprocess_end_to_end_with_env(emulator):
    env = {"AZURE_COMMUNICATION_CONNECTION_STRING": emulator.connection_string}
    result = acsid_process("token", "issue", "--scope", "chat", "voip", "--expires-in", "60", env=env)
    assert result.exit_code == 0, result.stderr
    assert sorted(json.loads(result.stdout)) == ["expires_on", "token", "user_id"]
    assert result.stderr == ""
