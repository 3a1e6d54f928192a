"""End to end: acsid against the emulator (a separate process that verifies every signature)."""

import base64
import json
import re

import pytest
from emulator_helpers import APP_ID, FOREIGN_ID, OID, entra_token, jwt_claims
from helpers import acsid, acsid_process

EXPIRES_ON = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}\+00:00")


def new_user() -> str:
    result = acsid("user", "create", "-o", "tsv", "--query", "rawId")
    assert result.exit_code == 0, result.stderr
    return result.stdout.strip()


def test_user_create_prints_az_shape(conn_env):
    result = acsid("user", "create")
    assert result.exit_code == 0, result.stderr
    user_id = result.json["rawId"]
    assert result.json == {"properties": {"id": user_id}, "rawId": user_id}
    assert user_id.startswith(f"8:acs:{conn_env.resource_id}_")
    assert result.stdout == json.dumps({"properties": {"id": user_id}, "rawId": user_id}, indent=2) + "\n"
    assert {i["id"]: i["deleted"] for i in conn_env.identities()}[user_id] is False  # the server has it
    assert [(r["method"], r["route"], r["status"]) for r in conn_env.requests()] == [("POST", "create", 201)]


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
    assert declined.exit_code == 1
    assert "error: cancelled, nothing was changed" in declined.stderr
    assert {i["id"]: i["deleted"] for i in conn_env.identities()}[user_id] is False
    accepted = acsid("user", "delete", "--user", user_id, input="y\n")
    assert accepted.exit_code == 0, accepted.stderr
    assert f"✓ Deleted {user_id}" in accepted.stderr
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
    assert [(r["method"], r["route"], r["status"]) for r in conn_env.requests()] == [("POST", "create", 201)]
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
    assert EXPIRES_ON.fullmatch(expires_on) and token.count(".") == 2 and user_id.startswith("8:acs:")


def test_table_output_for_people(conn_env):
    result = acsid("user", "create", "-o", "table")
    assert result.exit_code == 0, result.stderr
    user_id = result.stdout.split()[-1]
    assert result.stdout == f"Raw Id  {user_id}\n"
    assert user_id in {i["id"] for i in conn_env.identities()}


def test_table_is_the_default_on_a_terminal(conn_env, monkeypatch):
    monkeypatch.setenv("ACSID_FORCE_TTY", "1")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "200")
    result = acsid("token", "issue", "--scope", "chat")
    assert result.exit_code == 0, result.stderr
    issued = conn_env.requests()[-1]
    assert issued["route"] == "create" and issued["status"] == 201
    rows = [line.split() for line in result.stdout.splitlines() if not line.startswith(" ")]  # not folds
    assert [row[:2] for row in rows] == [["Expires", "On"], ["Token", rows[1][1]], ["User", "Id"]]
    assert EXPIRES_ON.fullmatch(rows[0][2]) and rows[2][2].startswith("8:acs:")
    assert "\x1b[" not in result.stdout


def test_revoke_invalidates_earlier_tokens(conn_env):
    issued = acsid("token", "issue", "--scope", "chat").json
    result = acsid("token", "revoke", "--user", issued["user_id"], "--yes")
    assert (result.exit_code, result.stdout) == (0, "")
    assert conn_env.validate(issued["token"])["status"] == "revoked"
    later = acsid("token", "issue", "--scope", "chat", "--user", issued["user_id"]).json
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
    assert token["skypeid"] == f"orgid:{OID}" and token["scp"] == 1024
    assert token["exp"] == jwt_claims(aad)["exp"]
    assert aad not in result.stdout + result.stderr


def test_get_for_teams_user_mismatch_is_a_service_error(conn_env):
    other = "11111111-2222-3333-4444-555555555555"
    result = acsid(
        "token", "get-for-teams-user", "--aad-token", entra_token(APP_ID, OID), "--client", other, "--aad-user", OID
    )
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "error: HTTP 400 ValidationError: AAD application is not the expected one. (target: appId)"
    )


def test_unknown_identity_is_exit_3(conn_env):
    user_id = new_user()
    assert acsid("user", "delete", "--user", user_id, "--yes").exit_code == 0
    result = acsid("token", "revoke", "--user", user_id, "--yes")
    assert result.exit_code == 3
    assert result.stderr.startswith("error: HTTP 404 IdentityNotFound")


def test_foreign_identity_is_a_clear_401(conn_env):
    result = acsid("token", "issue", "--scope", "chat", "--user", FOREIGN_ID)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "error: HTTP 401 IdentityNotOwned: Provided identity doesn't belong to the resource.",
        "hint: the id belongs to another Communication Services resource",
    ]


def test_wrong_key_is_denied(emulator):
    wrong = emulator.connection_string.split("accesskey=")[0] + "accesskey=" + base64.b64encode(b"x" * 64).decode()
    result = acsid("user", "create", "--connection-string", wrong)
    assert result.exit_code == 1
    assert result.stderr.startswith("error: HTTP 401 Denied: Denied by the resource provider.")
    assert base64.b64encode(b"x" * 64).decode() not in result.stderr


# --- where the connection string comes from -----------------------------------------------------


def test_source_flag(emulator):
    result = acsid("user", "create", "--connection-string", emulator.connection_string)
    assert result.exit_code == 0, result.stderr


def test_source_flag_from_stdin(emulator):
    result = acsid("user", "create", "--connection-string", "-", input=emulator.connection_string + "\n")
    assert result.exit_code == 0, result.stderr


def test_source_env_var(emulator, monkeypatch):
    monkeypatch.setenv("AZURE_COMMUNICATION_CONNECTION_STRING", emulator.connection_string)
    assert acsid("user", "create").exit_code == 0


def test_flag_wins_over_env(emulator, monkeypatch):
    monkeypatch.setenv("AZURE_COMMUNICATION_CONNECTION_STRING", "endpoint=https://nowhere.invalid/;accesskey=YWJj")
    result = acsid("config", "show", "--connection-string", emulator.connection_string, "-o", "json")
    assert result.json["source"] == "--connection-string"


def test_source_keyring_profiles(emulator):
    stored = acsid("config", "set-connection-string", "--profile", "ci", input=emulator.connection_string + "\n")
    assert stored.exit_code == 0, stored.stderr
    assert emulator.access_key not in stored.stdout + stored.stderr
    shown = acsid("config", "show", "--profile", "ci", "-o", "json")
    assert shown.json == {
        "accessKey": shown.json["accessKey"],
        "endpoint": emulator.endpoint,
        "profile": "ci",
        "source": "keyring (profile 'ci')",
    }
    assert shown.json["accessKey"].startswith("hidden (sha256:")
    assert emulator.access_key not in shown.stdout + shown.stderr
    created = acsid("user", "create", "--profile", "ci")
    assert created.exit_code == 0, created.stderr
    missing = acsid("user", "create")  # the default profile has nothing stored
    assert missing.exit_code == 2
    assert missing.stderr.startswith("error: no connection string for profile 'default'")
    assert acsid("config", "delete-connection-string", "--profile", "ci").exit_code == 0
    assert acsid("config", "delete-connection-string", "--profile", "ci").exit_code == 3


def test_keyring_profile_from_env(emulator, monkeypatch):
    acsid("config", "set-connection-string", "--profile", "staging", input=emulator.connection_string)
    monkeypatch.setenv("ACSID_PROFILE", "staging")
    assert acsid("config", "show", "-o", "tsv", "--query", "source").stdout == "keyring (profile 'staging')\n"


def test_no_keyring_backend_is_a_clear_message(monkeypatch):
    import keyring
    from keyring.backends import fail

    keyring.set_keyring(fail.Keyring())
    result = acsid("user", "create")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == (
        "error: no connection string: no OS keyring backend is available on this machine"
    )
    assert "Traceback" not in result.stderr


# --- the program as a user runs it ---------------------------------------------------------------


def test_version_and_module_entry_point():
    from acsid_cli import __version__

    result = acsid_process("--version")
    assert (result.exit_code, result.stdout) == (0, f"acsid {__version__}\n")


def test_subprocess_end_to_end_with_env(emulator):
    env = {"AZURE_COMMUNICATION_CONNECTION_STRING": emulator.connection_string}
    result = acsid_process("token", "issue", "--scope", "chat", "voip", "--expires-in", "60", env=env)
    assert result.exit_code == 0, result.stderr
    assert sorted(json.loads(result.stdout)) == ["expires_on", "token", "user_id"]
    assert result.stderr == ""


# --- HTTPS, as against Azure ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def https_emulator(tls_files):
    from acsid_cli.emulator.process import run_emulator

    with run_emulator("--cert", tls_files["cert"], "--key", tls_files["key"], cafile=tls_files["ca"]) as running:
        yield running, tls_files["ca"]


def test_https_with_a_trusted_certificate(https_emulator, monkeypatch):
    emulator, ca = https_emulator
    assert emulator.connection_string.startswith("endpoint=https://127.0.0.1:")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", ca)
    result = acsid("token", "issue", "--scope", "chat", "--connection-string", emulator.connection_string)
    assert result.exit_code == 0, result.stderr
    assert emulator.validate(result.json["token"])["status"] == "valid"


def test_https_with_an_untrusted_certificate_is_one_clear_error(https_emulator):
    emulator, _ = https_emulator
    emulator.clear()
    result = acsid("user", "create", "--connection-string", emulator.connection_string)
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"error: TLS with {emulator.endpoint} failed: ")
    assert "certificate verify failed" in lines[0]
    assert lines[1] == (
        "hint: if this is a local emulator with its own certificate, set REQUESTS_CA_BUNDLE to its CA file"
    )
    assert emulator.requests() == []
