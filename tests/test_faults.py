"""The fault matrix: acsid as a subprocess against the emulator with injected faults.

Each row asserts what the emulator saw (attempts), the exit code and the output.
"""

import json
import time

import pytest
from helpers import acsid_process

MAYBE = "the identity may or may not have been created"


@pytest.fixture
def env(emulator):
    return {"AZURE_COMMUNICATION_CONNECTION_STRING": emulator.connection_string}


@pytest.fixture
def user(emulator, env):
    result = acsid_process("user", "create", "-o", "tsv", "--query", "rawId", env=env)
    assert result.exit_code == 0, result.stderr
    emulator.clear()
    return result.stdout.strip()


def attempts(emulator, route):
    return [entry["status"] for entry in emulator.requests() if entry["route"] == route]


def test_429_with_retry_after_then_success(emulator, env, user):
    emulator.inject("issue", status=429, retryAfter="1")
    started = time.monotonic()
    result = acsid_process("token", "issue", "--scope", "chat", "--user", user, env=env)
    assert result.exit_code == 0, result.stderr
    assert attempts(emulator, "issue") == [429, 200]
    assert time.monotonic() - started >= 1.0  # Retry-After was honoured
    assert json.loads(result.stdout)["user_id"] == user


def test_503_three_times_then_success(emulator, env, user):
    emulator.inject("issue", status=503, count=3)
    result = acsid_process("token", "issue", "--scope", "chat", "--user", user, env=env)
    assert result.exit_code == 0, result.stderr
    assert attempts(emulator, "issue") == [503, 503, 503, 200]
    assert len({entry["clientRequestId"] for entry in emulator.requests()}) == 4  # one id per attempt


def test_every_attempt_is_signed_afresh(emulator, env, user, mocker, monkeypatch):
    from helpers import acsid

    from acsid_cli import signing

    monkeypatch.setenv("AZURE_COMMUNICATION_CONNECTION_STRING", emulator.connection_string)
    sign = mocker.spy(signing, "sign")
    emulator.inject("issue", status=503, retryAfter="0", count=2)
    result = acsid("token", "issue", "--scope", "chat", "--user", user)
    assert result.exit_code == 0, result.stderr
    assert sign.call_count == 3 and attempts(emulator, "issue") == [503, 503, 200]
    assert all(call.kwargs.get("date") is None for call in sign.call_args_list)  # a new x-ms-date each time


def test_503_four_times_fails_after_exactly_four_attempts(emulator, env, user):
    emulator.inject("revoke", status=503, count=5)
    result = acsid_process("token", "revoke", "--user", user, "--yes", env=env)
    assert result.exit_code == 1
    assert attempts(emulator, "revoke") == [503, 503, 503, 503]
    assert result.stderr.startswith("error: HTTP 503 InjectedFault: ")
    assert result.stderr.splitlines()[0].endswith("after 4 attempts")
    assert result.stdout == ""


def test_500_on_create_is_not_retried(emulator, env):
    emulator.inject("create", status=500)
    result = acsid_process("user", "create", env=env)
    assert result.exit_code == 1
    assert attempts(emulator, "create") == [500]
    assert MAYBE in result.stderr.splitlines()[0]
    assert result.stderr.splitlines()[1].startswith("hint: ")


def test_503_with_retry_after_on_create_is_retried(emulator, env):
    emulator.inject("create", status=503, retryAfter="0")
    result = acsid_process("token", "issue", "--scope", "chat", env=env)
    assert result.exit_code == 0, result.stderr
    assert attempts(emulator, "create") == [503, 201]


def test_500_on_issue_is_retried(emulator, env, user):
    emulator.inject("issue", status=500)
    result = acsid_process("token", "issue", "--scope", "voip", "--user", user, env=env)
    assert result.exit_code == 0, result.stderr
    assert attempts(emulator, "issue") == [500, 200]


def test_connection_dropped_mid_response_is_retried(emulator, env, user):
    emulator.inject("issue", drop="mid")
    result = acsid_process("token", "issue", "--scope", "chat", "--user", user, env=env)
    assert result.exit_code == 0, result.stderr
    assert len(attempts(emulator, "issue")) == 2
    assert emulator.validate(json.loads(result.stdout)["token"])["status"] == "valid"


def test_connection_dropped_on_create_is_not_retried(emulator, env):
    emulator.inject("create", drop="mid")
    result = acsid_process("user", "create", env=env)
    assert result.exit_code == 1
    assert len(attempts(emulator, "create")) == 1
    assert MAYBE in result.stderr


def test_a_stall_longer_than_the_timeout(emulator, env, user):
    emulator.inject("issue", delayMs=3000)
    started = time.monotonic()
    result = acsid_process("token", "issue", "--scope", "chat", "--user", user, "--timeout", "0.5", env=env)
    assert result.exit_code == 0, result.stderr
    assert time.monotonic() - started < 3.0  # it gave up on the stalled attempt
    assert len(attempts(emulator, "issue")) == 2


def test_a_server_that_always_stalls_never_hangs(emulator, env, user):
    emulator.inject("revoke", delayMs=1500, count=4)
    started = time.monotonic()
    result = acsid_process("token", "revoke", "--user", user, "--yes", "--timeout", "0.3", env=env)
    assert result.exit_code == 1
    assert time.monotonic() - started < 8
    assert result.stderr.startswith("error: revoke tokens failed after 4 attempts: no answer from")


def test_an_html_502_page(emulator, env, user):
    page = "<html><body><h1>502 Bad Gateway</h1></body></html>"
    emulator.inject("revoke", status=502, body=page, contentType="text/html", count=4)
    result = acsid_process("token", "revoke", "--user", user, "--yes", env=env)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == "error: HTTP 502: the answer is not JSON (text/html) after 4 attempts"
    assert "<html>" not in result.stderr
    assert len(attempts(emulator, "revoke")) == 4


def test_malformed_json_on_a_200(emulator, env, user):
    emulator.inject("issue", status=200, body="{not json")
    result = acsid_process("token", "issue", "--scope", "chat", "--user", user, env=env)
    assert result.exit_code == 1
    assert result.stderr == "error: HTTP 200: the service's answer is not JSON (application/json)\n"


def test_a_200_without_the_expected_fields(emulator, env, user):
    emulator.inject("issue", status=200, body='{"token": "x.y.z"}')
    result = acsid_process("token", "issue", "--scope", "chat", "--user", user, env=env)
    assert result.exit_code == 1
    assert result.stderr == "error: HTTP 200: the service's answer has no expiresOn\n"


def test_delete_retried_after_a_lost_response(emulator, env, user):
    emulator.inject("delete", drop="after")
    result = acsid_process("user", "delete", "--user", user, "--yes", env=env)
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    assert attempts(emulator, "delete") == [None, 404]
    assert {i["id"]: i["deleted"] for i in emulator.identities()}[user] is True


def test_nothing_listening(emulator):
    env = {
        "AZURE_COMMUNICATION_CONNECTION_STRING": emulator.connection_string.replace(
            emulator.endpoint, "http://127.0.0.1:9"
        )
    }
    result = acsid_process("user", "create", env=env)
    assert result.exit_code == 1
    assert result.stderr.startswith("error: create identity failed after 4 attempts: cannot connect to")


def test_a_created_identity_is_never_lost(emulator, env):
    body = '{"identity": {"id": "8:acs:ac51dac5-1d00-4e00-8000-00000000e0e0_00000099-0000-0000-0000-3a0d00000099"}}'
    emulator.inject("create", status=201, body=body)
    result = acsid_process("token", "issue", "--scope", "chat", env=env)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "error: HTTP 201: the service's answer has no accessToken.token; identity "
        "8:acs:ac51dac5-1d00-4e00-8000-00000000e0e0_00000099-0000-0000-0000-3a0d00000099 was created",
        "hint: issue its token with: acsid token issue --user "
        "8:acs:ac51dac5-1d00-4e00-8000-00000000e0e0_00000099-0000-0000-0000-3a0d00000099 --scope ...",
    ]


def test_ctrl_c_exits_130_with_one_line(emulator, env, user):
    import os
    import signal
    import subprocess
    import sys

    emulator.inject("issue", delayMs=5000)
    child = subprocess.Popen(
        [sys.executable, "-m", "acsid_cli", "token", "issue", "--scope", "chat", "--user", user],
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 10
    while not attempts(emulator, "issue") and time.monotonic() < deadline:  # wait until it is mid-request
        time.sleep(0.05)
    child.send_signal(signal.SIGINT)
    stdout, stderr = child.communicate(timeout=10)
    assert (child.returncode, stdout, stderr) == (130, "", "error: interrupted\n")
