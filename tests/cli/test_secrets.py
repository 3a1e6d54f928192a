"""No secret ever reaches stdout or stderr: not the key, not a signature, not an Entra token, and not an
issued token unless it was asked for as output. Every command, with and without --debug, succeeding and failing."""

import base64
import re
import uuid

import pytest
from helpers import FakeClock, acsid
from wire import APP_ID, FOREIGN_ID, OID, entra_token

WRONG_KEY_BYTES = b"wrong-key:only-for-the-acsid-leak-test"
WRONG_KEY = base64.b64encode(WRONG_KEY_BYTES).decode()
JWT = re.compile(r"eyJ[\w-]{10,}\.[\w-]{10,}")


def test_no_secret_in_any_output(emulator, emulator_server, monkeypatch, mocker):
    # What each request signed with, seen where the emulator checks it (its log keeps no signature).
    checked = mocker.spy(emulator_server.emulator.verifier, "denial")
    good = emulator.connection_string
    wrong = good.split("accesskey=")[0] + f"accesskey={WRONG_KEY}"
    aad = entra_token()
    monkeypatch.setenv("AZURE_COMMUNICATION_CONNECTION_STRING", good)
    user = acsid("user", "create").json["rawId"]
    teams = ["token", "get-for-teams-user", "--aad-token", "-", "--client", APP_ID, "--aad-user", OID]
    runs = [
        # (argv, connection string, stdin, exit code)
        (["user", "create", "-o", "none"], good, "", 0),
        (["user", "create"], wrong, "", 1),
        (["token", "issue", "--scope", "chat", "-o", "none"], good, "", 0),
        (["token", "issue", "--scope", "chat", "--user", user, "-o", "none"], good, "", 0),
        (["token", "issue", "--scope", "chat", "--user", FOREIGN_ID], good, "", 1),
        (["token", "issue", "--scope", "chat", "--user", user], wrong, "", 1),
        (["token", "revoke", "--user", user, "--yes"], good, "", 0),
        (["token", "revoke", "--user", user, "--yes"], wrong, "", 1),
        ([*teams, "-o", "none"], good, aad, 0),
        ([*teams[:-1], "11111111-2222-3333-4444-555555555555"], good, aad, 1),
        (teams, wrong, aad, 1),
        (["user", "delete", "--user", "{new user}", "--yes"], good, "", 0),
        (["user", "delete", "--user", "8:acs:ac51dac5-1d00-4e00-8000-00000000e0e0_gone", "--yes"], good, "", 3),
        (["config", "show"], good, "", 0),
        (["config", "show"], wrong, "", 0),
        (["user", "create", "--connection-string", "-"], None, good, 0),
        (["token", "issue", "--scope", "nope"], good, "", 2),
    ]
    outputs = []
    for argv, connection_string, stdin, code in runs:
        for debug in ([], ["--debug"], ["--verbose"]):
            if connection_string is None:
                monkeypatch.delenv("AZURE_COMMUNICATION_CONNECTION_STRING", raising=False)
            else:
                monkeypatch.setenv("AZURE_COMMUNICATION_CONNECTION_STRING", connection_string)
            command = argv
            if "{new user}" in argv:
                fresh = acsid("user", "create", "--connection-string", good).json["rawId"]
                command = [fresh if word == "{new user}" else word for word in argv]
            result = acsid(*command, *debug, input=stdin, clock=FakeClock())
            assert result.exit_code == code, (command, debug, result.stderr)
            outputs.append((command, debug, result.stdout, result.stderr))
            if debug == ["--debug"] and code != 2 and argv[0] != "config":
                assert "debug: request id " in result.stderr  # the debug log really was written

    authorizations = [call.args[2].get("Authorization", "") for call in checked.call_args_list]
    signatures = [value.partition("Signature=")[2] for value in authorizations if "Signature=" in value]
    assert len(signatures) > 40
    key = emulator.access_key
    secrets = [key, base64.b64decode(key).decode(), WRONG_KEY, WRONG_KEY_BYTES.decode(), aad, *signatures]
    for argv, debug, stdout, stderr in outputs:
        for secret in secrets:
            assert secret not in stdout, (argv, debug)
            assert secret not in stderr, (argv, debug)
        if "-o" in argv or argv[:2] in (["user", "delete"], ["token", "revoke"]) or debug:
            assert not JWT.search(stderr), (argv, debug)  # issued tokens only when asked for as output
        if "none" in argv:
            assert stdout == ""


@pytest.mark.parametrize(
    ("argv", "status"),
    [
        (["user", "create"], "201 Created"),
        (["token", "issue", "--scope", "chat", "--user", "{user}"], "200 OK"),
        (["token", "revoke", "--yes", "--user", "{user}"], "204 No Content"),
    ],
)
def test_debug_masks_the_signature(conn_env, argv, status):
    user = acsid("user", "create").json["rawId"]
    argv = [user if word == "{user}" else word for word in argv]
    result = acsid(*argv, "--debug", "-o", "none")
    assert result.exit_code == 0, result.stderr
    lines = result.stderr.splitlines()
    assert lines[1].startswith("info: POST /identities")
    assert f"→ {status} in " in lines[1]
    assert lines[2].startswith("debug: request id ")
    assert "Authorization: HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=***;" in lines[2]
    assert "x-ms-date: " in lines[2]
    assert len(lines) == 3


def test_a_token_repr_hides_the_token():
    from acsid_cli.client.models import AccessToken

    assert repr(AccessToken("eyJ.secret.token", "2026-01-01")) == (
        "AccessToken(token=<16 characters>, expires_on='2026-01-01')"
    )


def test_no_bearer_token_and_no_key_with_the_new_commands(entra, emulator, monkeypatch):
    users = acsid(
        "user",
        "create",
        "--count",
        "2",
        "--rate",
        "0",
        "-o",
        "tsv",
        "--query",
        "rawId",
        "--connection-string",
        emulator.connection_string,
    ).stdout.split()
    token = acsid(
        "token",
        "issue",
        "--scope",
        "chat",
        "--user",
        users[0],
        "-o",
        "tsv",
        "--query",
        "token",
        "--connection-string",
        emulator.connection_string,
    ).stdout.strip()
    login = {"AZURE_COMMUNICATION_ENDPOINT": emulator.endpoint}
    key = {"AZURE_COMMUNICATION_CONNECTION_STRING": emulator.connection_string}
    custom_id = f"leak-test-{uuid.uuid4().hex[:8]}"
    runs = [
        (["user", "create", "-o", "none"], login, ""),
        (["user", "create", "--custom-id", custom_id, "-o", "none"], login, ""),
        (["token", "issue", "--scope", "chat", "--custom-id", custom_id, "-o", "none"], login, ""),
        (["user", "show", "--user", users[1]], login, ""),
        (["token", "revoke", "--user", "-", "--yes", "-o", "none"], login, "\n".join(users)),
        (["config", "show"], login, ""),
        (["user", "show", "--user", users[1]], key, ""),
        (["user", "create", "--custom-id", "leak-test"], key, ""),
        (["token", "inspect", "-"], {}, token),
        (["token", "inspect", token, "--check"], {}, ""),
    ]
    for argv, env, stdin in runs:
        for debug in ([], ["--debug"], ["--verbose"]):
            for name in ("AZURE_COMMUNICATION_ENDPOINT", "AZURE_COMMUNICATION_CONNECTION_STRING"):
                monkeypatch.delenv(name, raising=False)
            for name, value in env.items():
                monkeypatch.setenv(name, value)
            result = acsid(*argv, *debug, input=stdin, clock=FakeClock())
            assert result.exit_code == 0, (argv, debug, result.stderr)
            everything = result.stdout + result.stderr
            for secret in (
                entra.bearer,
                emulator.access_key,
                base64.b64decode(emulator.access_key).decode(),
                token.split(".")[2],
            ):
                assert secret not in everything, (argv, debug)
            if debug == ["--debug"] and argv[0] != "config" and env is login:
                assert "Authorization: Bearer ***" in result.stderr  # the debug log was written, masked
    assert {entry["scheme"] for entry in emulator.requests() if entry["scheme"]} == {"Bearer", "HMAC-SHA256"}
