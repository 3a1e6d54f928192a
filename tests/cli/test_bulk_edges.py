"""Bulk runs at their edges: odd lines on stdin, Ctrl-C while the input is still open or a request hangs,
a terminal on stderr only, a sign-in that fails before the first request."""

import json
import os
import pty
import re
import signal
import subprocess
import threading
from typing import Any

import pytest
from children import DEADLINE, spawn, wait_for, wait_for_line
from helpers import FakeClock, acsid, admin_of, new_users

from acsid_cli.emulator import DEFAULT_RESOURCE_ID
from acsid_cli.emulator.app import Emulator
from acsid_cli.emulator.config import EmulatorConfig
from acsid_cli.emulator.server import start_in_thread

UNKNOWN_ID = f"8:acs:{DEFAULT_RESOURCE_ID}_ffffffff-0000-0000-0000-003a0d000000"


def start(*argv: str, **options: Any) -> subprocess.Popen[str]:
    return spawn(*argv, **options)  # its signals the default ones, whatever the test runner inherited


def test_a_line_without_an_id_fails_in_its_place(conn_env):
    users = new_users(3)
    stdin = f"{users[0]}\n{users[1]}\n{{broken\n{users[2]}\n"
    result = acsid(
        "token", "revoke", "--user", "-", "--yes", "--rate", "0", "-o", "jsonl", input=stdin, clock=FakeClock()
    )
    out = [json.loads(line) for line in result.stdout.splitlines()]
    what = "line 3 of standard input: neither an id nor acsid's JSON"
    assert out[2] == {"input": what, "error": {"status": None, "code": None, "message": what}}
    assert [item.get("user_id") for item in out] == [users[0], users[1], None, users[2]]
    assert (result.exit_code, result.stderr) == (1, "3 revoked, 1 failed in 0.0 s\n")


def test_a_token_on_a_line_without_an_id_is_never_echoed(conn_env):
    secret = "eyJhbGciOiJSUzI1NiJ9.never-echo-me.c2ln"
    result = acsid("token", "revoke", "--user", "-", "--yes", "-o", "jsonl", input=json.dumps({"token": secret}) + "\n")
    assert result.exit_code == 1
    assert secret not in result.stdout + result.stderr
    assert json.loads(result.stdout)["input"] == "line 1 of standard input: no rawId, user_id or properties.id"


def test_output_none_still_reports_failures_on_stderr(conn_env):
    good = new_users(1)[0]
    result = acsid(
        "token", "revoke", "--user", good, "--user", UNKNOWN_ID, "--yes", "--rate", "0", "-o", "none", clock=FakeClock()
    )
    assert (result.exit_code, result.stdout) == (1, "")
    assert re.fullmatch(
        rf"error: {UNKNOWN_ID}: HTTP 404 IdentityNotFound: .*\)\n1 revoked, 1 failed in 0.0 s\n", result.stderr
    ), result.stderr


def test_a_failed_sign_in_stops_a_bulk_run_before_any_request(emulator, monkeypatch, tmp_path):
    monkeypatch.setenv("AZURE_TOKEN_CREDENTIALS", "AzureCliCredential")
    monkeypatch.setenv("PATH", str(tmp_path))  # no az at all
    monkeypatch.setenv("AZURE_COMMUNICATION_ENDPOINT", emulator.endpoint)
    result = acsid("user", "create", "--count", "3", "-o", "jsonl")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr.startswith("error: Microsoft Entra ID sign-in failed: ")
    assert len(result.stderr.splitlines()) == 2
    assert result.stderr.splitlines()[1].startswith("hint: --verbose ")
    assert emulator.requests() == []


def test_ctrl_c_while_stdin_is_still_open_exits_at_once(conn_env):
    user = new_users(1)[0]
    conn_env.clear()
    child = start(
        "token",
        "revoke",
        "--user",
        "-",
        "--yes",
        "-o",
        "jsonl",
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert child.stdin is not None
    assert child.stdout is not None
    assert child.stderr is not None
    child.stdin.write(f"{user}\n")
    child.stdin.flush()  # and no more: the writer is still thinking
    wait_for(lambda: [entry["status"] for entry in conn_env.requests()] == [204])
    child.send_signal(signal.SIGINT)
    try:
        assert child.wait(timeout=DEADLINE) == 130
    finally:
        child.stdin.close()
    assert json.loads(child.stdout.read()) == {"revoked": True, "user_id": user}
    assert re.fullmatch(
        "interrupted: starting no more requests\n"
        r"error: interrupted: 1 revoked, 0 failed in [\d.]+ s; the rest of the input was not read\n",
        child.stderr.read(),
    )


@pytest.mark.parametrize("command", ["create", "revoke"])
def test_a_second_ctrl_c_reports_what_was_in_flight_as_unknown(command, tmp_path):
    answer = threading.Event()  # the emulator's delays last until the test lets them end

    def sleep(seconds: float) -> None:
        answer.wait(DEADLINE)

    emulator = Emulator(EmulatorConfig(port=0), sleep=sleep)
    with start_in_thread(emulator=emulator) as running:
        admin = admin_of(running)
        users = new_users(3, "--connection-string", running.connection_string) if command == "revoke" else []
        admin.clear()
        admin.inject(command, delayMs=1, count=3)
        argv = (
            ["user", "create", "--count", "3"]
            if command == "create"
            else ["token", "revoke", "--yes", *(word for user in users for word in ("--user", user))]
        )
        out, err = tmp_path / "out", tmp_path / "err"
        with out.open("w") as stdout_file, err.open("w") as stderr_file:
            child = start(
                *argv,
                "-o",
                "jsonl",
                "--rate",
                "0",
                "--connection-string",
                running.connection_string,
                stdout=stdout_file,
                stderr=stderr_file,
            )
        try:
            wait_for(lambda: admin.faults() == [])  # all three are in flight, and none will answer
            child.send_signal(signal.SIGINT)
            wait_for_line(err, "Ctrl-C again abandons them")  # the first was taken: only now the second
            child.send_signal(signal.SIGINT)
            child.wait(DEADLINE)
        finally:
            answer.set()
        stdout, stderr = out.read_text(), err.read_text()
        unknown = {"status": None, "code": None, "message": "no answer: the run was interrupted while it was in flight"}
        expected: list[dict[str, Any]]
        if command == "create":
            expected = [{"input": n, "error": unknown, "maybeCreated": True} for n in (1, 2, 3)]
            summary = "0 created, 3 failed (3 maybe created)"
        else:
            expected = [{"input": user, "error": unknown} for user in users]
            summary = "0 revoked, 3 failed"
        assert [json.loads(line) for line in stdout.splitlines()] == expected
        assert child.returncode == 130
        notice = "interrupted: finishing the 3 requests in flight, starting no more; Ctrl-C again abandons them\n"
        assert re.fullmatch(rf"{notice}error: interrupted: {re.escape(summary)} in [\d.]+ s\n", stderr), stderr
        if command == "create":  # and they were: once answered, the emulator holds three identities
            wait_for(lambda: len(admin.identities()) == 3)


def test_a_progress_bar_on_stderr_leaves_the_results_in_stdout_s_file(conn_env, tmp_path):
    terminal, stderr = pty.openpty()
    results = tmp_path / "users.jsonl"
    with results.open("w") as stdout:
        child = start(
            "user",
            "create",
            "--count",
            "5",
            "--rate",
            "0",
            "-o",
            "jsonl",
            stdin=subprocess.DEVNULL,
            stdout=stdout,
            stderr=stderr,
        )
    os.close(stderr)
    shown = b""
    while True:
        try:
            chunk = os.read(terminal, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        shown += chunk
    os.close(terminal)
    assert child.wait(timeout=DEADLINE) == 0
    users = [json.loads(line) for line in results.read_text().splitlines()]
    assert [sorted(user) for user in users] == [["properties", "rawId"]] * 5
    assert b"5 created, 0 failed in " in shown
    assert b"rawId" not in shown
