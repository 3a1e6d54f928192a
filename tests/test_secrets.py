"""No secret ever reaches stdout or stderr: not the key, not a signature, not an Entra token,
and not an issued token unless the user asked for it as output. Every command, with and without
--debug, succeeding and failing, as a real process."""

import base64
import json
import re

import pytest
from emulator_helpers import APP_ID, FOREIGN_ID, OID, entra_token
from helpers import acsid_process

WRONG_KEY_BYTES = b"wrong-key:only-for-the-acsid-leak-test"
WRONG_KEY = base64.b64encode(WRONG_KEY_BYTES).decode()
JWT = re.compile(r"eyJ[\w-]{10,}\.[\w-]{10,}")


def test_no_secret_in_any_output(emulator):
    good = {"AZURE_COMMUNICATION_CONNECTION_STRING": emulator.connection_string}
    wrong = {
        "AZURE_COMMUNICATION_CONNECTION_STRING": emulator.connection_string.split("accesskey=")[0]
        + f"accesskey={WRONG_KEY}"
    }
    aad = entra_token()
    user = json.loads(acsid_process("user", "create", env=good).stdout)["rawId"]
    teams = ["token", "get-for-teams-user", "--aad-token", "-", "--client", APP_ID, "--aad-user", OID]
    runs = [
        # (argv, env, stdin, exit code)
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
        (["user", "create", "--connection-string", "-"], {}, emulator.connection_string, 0),
        (["token", "issue", "--scope", "nope"], good, "", 2),
    ]
    outputs = []
    for argv, env, stdin, code in runs:
        for debug in ([], ["--debug"]):
            command = argv
            if "{new user}" in argv:
                fresh = json.loads(acsid_process("user", "create", env=good).stdout)["rawId"]
                command = [fresh if word == "{new user}" else word for word in argv]
            result = acsid_process(*command, *debug, env=env, input=stdin)
            assert result.exit_code == code, (command, debug, result.stderr)
            outputs.append((command, debug, result.stdout, result.stderr))
            if debug and code != 2 and argv[0] != "config":
                assert "debug: → " in result.stderr  # the debug log really was written

    signatures = [entry["signature"] for entry in emulator.requests() if entry.get("signature")]
    assert len(signatures) > 30
    key = emulator.access_key
    secrets = [key, base64.b64decode(key).decode(), WRONG_KEY, WRONG_KEY_BYTES.decode(), aad, *signatures]
    for argv, debug, stdout, stderr in outputs:
        for secret in secrets:
            assert secret not in stdout and secret not in stderr, (argv, debug)
        if "-o" in argv or argv[:2] in (["user", "delete"], ["token", "revoke"]) or "--debug" in debug:
            assert not JWT.search(stderr), (argv, debug)  # issued tokens only when asked for as output
        if "none" in argv:
            assert stdout == ""


@pytest.mark.parametrize(
    ("argv", "status"),
    [
        (["user", "create"], "← 201 Created"),
        (["token", "issue", "--scope", "chat", "--user", "{user}"], "← 200 OK"),
        (["token", "revoke", "--yes", "--user", "{user}"], "← 204 No Content"),
    ],
)
def test_debug_masks_the_signature(emulator, argv, status):
    env = {"AZURE_COMMUNICATION_CONNECTION_STRING": emulator.connection_string}
    user = json.loads(acsid_process("user", "create", env=env).stdout)["rawId"]
    argv = [user if word == "{user}" else word for word in argv]
    result = acsid_process(*argv, "--debug", "-o", "none", env=env)
    assert result.exit_code == 0, result.stderr
    assert "Signature=***" in result.stderr
    assert "x-ms-date:" in result.stderr and status in result.stderr
    assert result.stderr.count("debug: → ") == 1
