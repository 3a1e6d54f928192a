"""No input is ever echoed whole: a value no check has accepted is shown by its place and a short, redacted
prefix; lines of stdin are read in bounded pieces, so a 100 MB line costs what a short one costs."""

import json
import os
import subprocess
import threading
from typing import Any

import pytest
import yaml
from children import DEADLINE, spawn
from helpers import FakeClock, acsid, json_lines, new_users

from acsid_cli.emulator import DEFAULT_RESOURCE_ID

LINE_LIMIT = 64 * 1024  # acsid_cli.cli.stdin.LINE_LIMIT, as README documents it

TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJzZWNyZXQiOiJuZXZlci1lY2hvLW1lIn0.c2lnbmF0dXJlLW5ldmVyLWVjaG8"
CONNECTION = "endpoint=https://contoso.communication.azure.com/;accesskey=c2VjcmV0LWtleS1uZXZlci1lY2hvLW1lISEhIQ=="
UNKNOWN_ID = f"8:acs:{DEFAULT_RESOURCE_ID}_ffffffff-0000-0000-0000-003a0d000000"
SHOWN = {
    TOKEN: f"line 1 of standard input: eyJhbGci… ({len(TOKEN)} characters)",
    CONNECTION: f"line 1 of standard input: endpoint… ({len(CONNECTION)} characters)",
}


def _records(fmt: str, stdout: str) -> list[Any]:
    if fmt == "jsonl":
        return json_lines(stdout)
    records: list[Any] = json.loads(stdout) if fmt == "json" else yaml.safe_load(stdout)
    return records


@pytest.mark.parametrize("secret", [TOKEN, CONNECTION], ids=["a token file", "a connection string"])
@pytest.mark.parametrize("fmt", ["json", "jsonl", "yaml"])
def test_a_failure_record_never_echoes_a_line_no_check_accepted(conn_env, secret, fmt):
    result = acsid("token", "revoke", "--user", "-", "--yes", "-o", fmt, input=secret + "\n")
    assert result.exit_code == 1
    [record] = _records(fmt, result.stdout)
    assert record == {
        "input": SHOWN[secret],
        "error": {"status": None, "code": None, "message": f"{SHOWN[secret]} is not an ACS user id"},
    }
    assert secret.split(".")[1] not in result.stdout + result.stderr
    assert "c2VjcmV0" not in result.stdout


@pytest.mark.parametrize("fmt", ["tsv", "table", "none"])
def test_the_error_prefix_on_stderr_never_echoes_it_either(conn_env, fmt):
    result = acsid("token", "revoke", "--user", "-", "--yes", "-o", fmt, input=TOKEN + "\n")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr.splitlines()[0] == f"error: {SHOWN[TOKEN]}: {SHOWN[TOKEN]} is not an ACS user id"
    assert TOKEN.split(".")[1] not in result.stderr


def test_an_id_a_check_accepted_is_echoed_whole(conn_env):
    result = acsid("token", "revoke", "--user", "-", "--yes", "-o", "jsonl", input=f"{UNKNOWN_ID}\n", clock=FakeClock())
    assert json_lines(result.stdout)[0]["input"] == UNKNOWN_ID  # checked, then the service said 404


def test_a_short_value_of_id_characters_is_shown_whole(conn_env):
    result = acsid("token", "revoke", "--user", "-", "--yes", "-o", "jsonl", input="\n\nbogus\n")
    assert json_lines(result.stdout)[0]["input"] == "line 3 of standard input: bogus"


def test_a_line_longer_than_the_limit_fails_in_its_place(conn_env):
    user = new_users(1)[0]
    stdin = "x" * (LINE_LIMIT + 1) + "\n" + user + "\n" + "y" * LINE_LIMIT + "\n"
    result = acsid(
        "token", "revoke", "--user", "-", "--yes", "-o", "jsonl", "--rate", "0", input=stdin, clock=FakeClock()
    )
    too_long = "line 1 of standard input: longer than 65,536 characters"
    exact = f"line 3 of standard input: ({LINE_LIMIT:,} characters)"  # at the limit: read, and refused as no id
    assert [record.get("input", record.get("user_id")) for record in json_lines(result.stdout)] == [
        too_long,
        user,
        exact.replace(": (", ": yyyyyyyy… ("),
    ]
    assert result.stderr == "1 revoked, 2 failed in 0.0 s\n"


def test_custom_ids_on_lines_too_long_fail_in_their_place(conn_env):
    stdin = "z" * (LINE_LIMIT + 5) + "\nalice\n"
    result = acsid("user", "create", "--custom-id", "-", "-o", "jsonl", "--rate", "0", input=stdin)
    records = json_lines(result.stdout)
    assert records[0]["input"] == "line 1 of standard input: longer than 65,536 characters"
    assert records[1]["customId"] == "alice"


def test_a_json_document_is_read_an_entry_at_a_time(conn_env):
    users = new_users(3)
    document = json.dumps([{"rawId": users[0]}, {"token": TOKEN}, {"user_id": users[1]}, users[2]], indent=2)
    result = acsid("token", "revoke", "--user", "-", "--yes", "-o", "jsonl", "--rate", "0", input=document)
    out = json_lines(result.stdout)
    assert [record.get("user_id") or record["input"] for record in out] == [
        users[0],
        "entry 2 of the JSON on standard input: no rawId, user_id or properties.id",
        users[1],
        users[2],
    ]
    cut = acsid("token", "revoke", "--user", "-", "--yes", "-o", "jsonl", input=document[:-30])
    assert json_lines(cut.stdout)[-1]["input"] == "standard input: neither an id nor acsid's JSON"


def _peak_memory_of_a_run(stdin_parts, emulator) -> tuple[int, list[Any]]:
    """(peak RSS in KiB, records written) of `token revoke --user -` reading the parts, as a child process."""
    child = spawn(
        "token",
        "revoke",
        "--user",
        "-",
        "--yes",
        "-o",
        "jsonl",
        "--connection-string",
        emulator.connection_string,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    stdin = child.stdin
    assert stdin is not None
    assert child.stdout is not None

    def feed():
        for part in stdin_parts:
            stdin.write(part)
        stdin.close()

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    stdout = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    writer.join(DEADLINE)
    assert os.waitstatus_to_exitcode(status) == 1
    return usage.ru_maxrss, json_lines(stdout)


def test_a_100_mb_line_costs_no_more_memory_than_a_short_one(emulator):
    user = new_users(1, "--connection-string", emulator.connection_string)[0]
    megabyte = "A" * 1024 * 1024
    short, records = _peak_memory_of_a_run(["A\n", f"{user}\n"], emulator)
    assert [record.get("user_id") for record in records] == [None, user]
    huge, records = _peak_memory_of_a_run([megabyte] * 100 + ["\n", f"{user}\n"], emulator)
    assert [record.get("input") or record["user_id"] for record in records] == [
        "line 1 of standard input: longer than 65,536 characters",
        user,
    ]
    assert huge - short < 16 * 1024, f"{short} KiB with a short line, {huge} KiB with a 100 MB one"


@pytest.mark.parametrize("argv", [["token", "revoke", "--user", "-", "--yes"], ["user", "create", "--custom-id", "-"]])
def test_empty_stdin_says_no_ids_were_read(conn_env, argv):
    result = acsid(*argv, "-o", "jsonl", input="", clock=FakeClock())
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr.splitlines()[0] == "warning: no ids were read from standard input: nothing was done"
    assert conn_env.requests() == []
