"""Bulk runs: many identities and tokens in one command, in input order, every input accounted for."""

import json
import re
import signal
import subprocess
import time

import pytest
from children import spawn
from helpers import FakeClock, acsid, json_lines, new_users
from wire import FOREIGN_ID

from acsid_cli.cli.output import json_text
from acsid_cli.emulator import DEFAULT_RESOURCE_ID

UNKNOWN_ID = f"8:acs:{DEFAULT_RESOURCE_ID}_ffffffff-0000-0000-0000-003a0d000000"


def created(emulator) -> int:
    return len(emulator.identities())


def test_user_create_count(conn_env):
    before = created(conn_env)
    result = acsid("user", "create", "--count", "5", "--rate", "0", "-o", "jsonl", clock=FakeClock())
    assert (result.exit_code, result.stderr) == (0, "5 created, 0 failed in 0.0 s\n")
    users = json_lines(result.stdout)
    assert [sorted(user) for user in users] == [["properties", "rawId"]] * 5
    assert len({user["rawId"] for user in users}) == 5
    assert created(conn_env) == before + 5
    assert {user["rawId"] for user in users} <= {i["id"] for i in conn_env.identities()}


def test_token_issue_count_writes_one_json_array(conn_env):
    result = acsid("token", "issue", "--scope", "chat", "--count", "3", "--rate", "0", clock=FakeClock())
    assert result.exit_code == 0, result.stderr
    tokens = json.loads(result.stdout)
    assert result.stdout == json_text(tokens)  # the same bytes as az's array, though written item by item
    assert [sorted(token) for token in tokens] == [["expires_on", "token", "user_id"]] * 3
    assert [conn_env.validate(t["token"])["status"] for t in tokens] == ["valid"] * 3


def test_output_follows_the_input_order(conn_env):
    users = new_users(6)
    conn_env.inject("issue", delayMs=300)  # the first request is the slowest
    argv = [word for user in users for word in ("--user", user)]
    result = acsid("token", "issue", "--scope", "chat", *argv, "--rate", "0", "-o", "jsonl")
    assert result.exit_code == 0, result.stderr
    assert [token["user_id"] for token in json_lines(result.stdout)] == users


def test_the_pipe_from_create_to_issue_to_revoke_to_delete(conn_env):
    made = acsid("user", "create", "--count", "4", "--rate", "0", "-o", "jsonl")
    issued = acsid("token", "issue", "--scope", "chat", "--user", "-", "--rate", "0", "-o", "jsonl", input=made.stdout)
    revoked = acsid("token", "revoke", "--user", "-", "--yes", "--rate", "0", "-o", "jsonl", input=issued.stdout)
    deleted = acsid("user", "delete", "--user", "-", "--yes", "--rate", "0", "-o", "jsonl", input=revoked.stdout)
    users = [user["rawId"] for user in json_lines(made.stdout)]
    assert [t["user_id"] for t in json_lines(issued.stdout)] == users
    assert json_lines(revoked.stdout) == [{"revoked": True, "user_id": user} for user in users]
    assert json_lines(deleted.stdout) == [{"deleted": True, "user_id": user} for user in users]
    assert {i["id"]: i["deleted"] for i in conn_env.identities() if i["id"] in users} == dict.fromkeys(users, True)
    assert [conn_env.validate(t["token"])["status"] for t in json_lines(issued.stdout)] == ["deleted"] * 4


@pytest.mark.parametrize("form", ["lines", "user jsonl", "token jsonl", "json array", "json object"])
def test_ids_on_stdin_in_every_form_acsid_writes(conn_env, form):
    users = new_users(2)
    stdin = {
        "lines": "\n".join(users) + "\n\n",
        "user jsonl": "".join(json.dumps({"properties": {"id": u}, "rawId": u}) + "\n" for u in users),
        "token jsonl": "".join(json.dumps({"user_id": u, "token": "x"}) + "\n" for u in users),
        "json array": json_text([{"properties": {"id": u}, "rawId": u} for u in users]),
        "json object": json_text({"properties": {"id": users[0]}, "rawId": users[0]}),
    }[form]
    result = acsid("token", "revoke", "--user", "-", "--yes", "-o", "tsv", "--query", "user_id", input=stdin)
    assert (result.exit_code, result.stdout) == (0, "".join(f"{u}\n" for u in users[: 1 if "object" in form else 2]))


def test_failed_items_are_written_in_their_place(conn_env):
    good = new_users(2)
    inputs = [good[0], FOREIGN_ID, UNKNOWN_ID, "bogus", good[1]]
    argv = [word for user in inputs for word in ("--user", user)]
    result = acsid("token", "issue", "--scope", "chat", *argv, "--rate", "0", "-o", "jsonl", clock=FakeClock())
    assert (result.exit_code, result.stderr) == (1, "2 issued, 3 failed in 0.0 s\n")
    out = json_lines(result.stdout)
    assert [item.get("user_id") or item["input"] for item in out] == inputs
    errors = [item.get("error") for item in out]
    assert errors[0] is None
    assert errors[4] is None
    assert {k: errors[1][k] for k in ("status", "code")} == {"status": 401, "code": "IdentityNotOwned"}
    assert {k: errors[2][k] for k in ("status", "code")} == {"status": 404, "code": "IdentityNotFound"}
    assert errors[3] == {
        "status": None,
        "code": None,
        "message": "--user 'bogus' is not an ACS user id",
    }
    assert errors[2]["message"].startswith(f"HTTP 404 IdentityNotFound: Identity '{UNKNOWN_ID}' was not found. (")


def test_tsv_and_table_write_failures_on_stderr(conn_env):
    good = new_users(1)[0]
    result = acsid(
        "token", "revoke", "--user", good, "--user", UNKNOWN_ID, "--yes", "--rate", "0", "-o", "tsv", clock=FakeClock()
    )
    assert result.stdout == f"True\t{good}\n"
    assert re.fullmatch(
        rf"error: {UNKNOWN_ID}: HTTP 404 IdentityNotFound: .*request id [0-9a-f-]+\)\n1 revoked, 1 failed in 0.0 s\n",
        result.stderr,
    )
    table = acsid("token", "revoke", "--user", good, "--user", good, "--yes", "-o", "table")
    assert table.stdout.splitlines() == [
        "Revoked    User_id",
        "---------  " + "-" * len(good),
        f"True       {good}",
        f"True       {good}",
    ]


def test_destructive_bulk_asks_once(conn_env, monkeypatch):
    users = new_users(2)
    argv = ["user", "delete", "--user", users[0], "--user", users[1]]
    monkeypatch.setenv("ACSID_FORCE_TTY", "1")
    declined = acsid(*argv, input="n\n")
    assert declined.exit_code == 2  # nothing was sent: README's exit codes
    assert declined.stderr == (
        "Delete 2 identities and revoke all their tokens? [y/N]:error: cancelled, nothing was changed\n"
    )
    assert not any(i["deleted"] for i in conn_env.identities() if i["id"] in users)
    accepted = acsid(*argv, "-o", "none", input="y\n", clock=FakeClock())
    assert accepted.exit_code == 0, accepted.stderr
    assert all(i["deleted"] for i in conn_env.identities() if i["id"] in users)


def test_ids_on_stdin_need_yes(conn_env):
    result = acsid("token", "revoke", "--user", "-", input=f"{UNKNOWN_ID}\n")
    assert (result.exit_code, result.stderr) == (
        2,
        "error: --yes is required when not running interactively\nhint: add --yes (or -y)\n",
    )
    assert conn_env.requests() == []


def test_count_and_user_do_not_go_together(conn_env):
    result = acsid("token", "issue", "--scope", "chat", "--count", "2", "--user", UNKNOWN_ID)
    assert (result.exit_code, result.stderr) == (
        2,
        "error: --count and --user do not go together: each says which identities to use\n",
    )


def test_a_progress_bar_for_people_and_the_summary_for_everyone(conn_env, monkeypatch):
    monkeypatch.setenv("ACSID_FORCE_TTY", "1")
    result = acsid("user", "create", "--count", "3", "--rate", "0", "-o", "none", clock=FakeClock())
    assert result.exit_code == 0
    assert result.stderr.endswith("3 created, 0 failed in 0.0 s\n")


def test_ctrl_c_finishes_what_is_in_flight_and_leaves_valid_json(conn_env):
    before = created(conn_env)
    child = spawn(
        "user", "create", "--count", "100", "--rate", "20", "-o", "json", stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 20
    while created(conn_env) - before < 5 and time.monotonic() < deadline:
        time.sleep(0.02)  # waiting for the child, not for time: it must be mid-run
    child.send_signal(signal.SIGINT)
    stdout, stderr = child.communicate(timeout=20)
    made = json.loads(stdout)  # valid JSON, though cut short: the items that were created, in order
    assert child.returncode == 130
    assert all(sorted(user) == ["properties", "rawId"] for user in made)
    assert re.fullmatch(
        r"interrupted: (finishing the \d+ requests? in flight, starting no more; Ctrl-C again abandons them"
        r"|starting no more requests)\n"
        rf"error: interrupted: {len(made)} created, 0 failed, {100 - len(made)} not attempted in [\d.]+ s\n",
        stderr,
    ), stderr
    assert created(conn_env) - before == len(made)  # nothing created that the output does not show
