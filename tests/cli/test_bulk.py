"""Bulk runs: many identities and tokens in one command, in input order, every input accounted for."""

import json
import os
import re
import signal
import subprocess
import sys
import time

import pytest
from helpers import FakeClock, acsid
from wire import FOREIGN_ID

from acsid_cli.cli.render import json_text
from acsid_cli.emulator import DEFAULT_RESOURCE_ID
from acsid_cli.emulator.app import Emulator
from acsid_cli.emulator.config import EmulatorConfig
from acsid_cli.emulator.process import RunningEmulator
from acsid_cli.emulator.server import start_in_thread

UNKNOWN_ID = f"8:acs:{DEFAULT_RESOURCE_ID}_ffffffff-0000-0000-0000-003a0d000000"


def lines(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines()]


def created(emulator) -> int:
    return len(emulator.identities())


def new_users(n: int) -> list[str]:
    result = acsid("user", "create", "--count", str(n), "--rate", "0", "-o", "tsv", "--query", "rawId")
    assert result.exit_code == 0, result.stderr
    return result.stdout.split()


def test_user_create_count(conn_env):
    before = created(conn_env)
    result = acsid("user", "create", "--count", "5", "--rate", "0", "-o", "jsonl", clock=FakeClock())
    assert (result.exit_code, result.stderr) == (0, "5 created, 0 failed in 0.0 s\n")
    users = lines(result.stdout)
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
    assert [token["user_id"] for token in lines(result.stdout)] == users


def test_the_pipe_from_create_to_issue_to_revoke_to_delete(conn_env):
    made = acsid("user", "create", "--count", "4", "--rate", "0", "-o", "jsonl")
    issued = acsid("token", "issue", "--scope", "chat", "--user", "-", "--rate", "0", "-o", "jsonl", input=made.stdout)
    revoked = acsid("token", "revoke", "--user", "-", "--yes", "--rate", "0", "-o", "jsonl", input=issued.stdout)
    deleted = acsid("user", "delete", "--user", "-", "--yes", "--rate", "0", "-o", "jsonl", input=revoked.stdout)
    users = [user["rawId"] for user in lines(made.stdout)]
    assert [t["user_id"] for t in lines(issued.stdout)] == users
    assert lines(revoked.stdout) == [{"revoked": True, "user_id": user} for user in users]
    assert lines(deleted.stdout) == [{"deleted": True, "user_id": user} for user in users]
    assert {i["id"]: i["deleted"] for i in conn_env.identities() if i["id"] in users} == dict.fromkeys(users, True)
    assert [conn_env.validate(t["token"])["status"] for t in lines(issued.stdout)] == ["deleted"] * 4


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
    out = lines(result.stdout)
    assert [item.get("user_id") or item["input"] for item in out] == inputs
    errors = [item.get("error") for item in out]
    assert errors[0] is None and errors[4] is None
    assert {k: errors[1][k] for k in ("status", "code")} == {"status": 401, "code": "IdentityNotOwned"}
    assert {k: errors[2][k] for k in ("status", "code")} == {"status": 404, "code": "IdentityNotFound"}
    assert errors[3] == {
        "status": None,
        "code": None,
        "message": "--user 'bogus' is not an ACS user id",
    }
    assert errors[2]["message"].startswith(f"HTTP 404 IdentityNotFound: Identity '{UNKNOWN_ID}' was not found. (")


def test_injected_400_and_503_fail_in_place(conn_env):
    users = new_users(4)
    conn_env.inject("revoke", status=503, count=4)  # the 1st request, and its 3 retries
    conn_env.inject("revoke", status=400, every=2, count=1)  # then the 2nd request that follows
    argv = [word for user in users for word in ("--user", user)]
    result = acsid("token", "revoke", *argv, "--yes", "--parallel", "1", "--rate", "0", "-o", "jsonl",
                   clock=FakeClock())
    out = lines(result.stdout)
    assert [item.get("user_id") or item["input"] for item in out] == users
    assert [item.get("error", {}).get("status") for item in out] == [503, None, 400, None]
    assert result.exit_code == 1


def test_tsv_and_table_write_failures_on_stderr(conn_env):
    good = new_users(1)[0]
    result = acsid("token", "revoke", "--user", good, "--user", UNKNOWN_ID, "--yes", "--rate", "0", "-o", "tsv",
                   clock=FakeClock())
    assert result.stdout == f"True\t{good}\n"
    assert re.fullmatch(
        rf"error: {UNKNOWN_ID}: HTTP 404 IdentityNotFound: .*request id [0-9a-f-]+\)\n1 revoked, 1 failed in 0.0 s\n",
        result.stderr,
    )
    table = acsid("token", "revoke", "--user", good, "--user", good, "--yes", "-o", "table")
    assert table.stdout.splitlines() == ["Revoked    User_id", "---------  " + "-" * len(good),
                                         f"True       {good}", f"True       {good}"]


def test_a_429_storm_under_the_service_limits_loses_nothing():
    clock = FakeClock()
    config = EmulatorConfig(port=0, throttle={"create": 10}, max_clock_skew_minutes=0)
    with start_in_thread(emulator=Emulator(config, clock=clock)) as running:
        admin = RunningEmulator(running.connection_string, DEFAULT_RESOURCE_ID)
        result = acsid("user", "create", "--count", "40", "--rate", "0", "-o", "jsonl",
                       "--connection-string", running.connection_string, clock=clock)
        assert result.exit_code == 0, result.stderr
        assert result.stderr.startswith("40 created, 0 failed in ")
        statuses = [entry["status"] for entry in admin.requests()]
        assert statuses.count(429) > 0 and statuses.count(201) == 40  # throttled, then every one created
        assert len(admin.identities()) == 40


def test_the_pacer_keeps_under_the_documented_limit_without_a_single_429():
    clock = FakeClock()
    config = EmulatorConfig(port=0, throttle={"create": 1000}, max_clock_skew_minutes=0)
    with start_in_thread(emulator=Emulator(config, clock=clock)) as running:
        admin = RunningEmulator(running.connection_string, DEFAULT_RESOURCE_ID)
        result = acsid("user", "create", "--count", "1100", "-o", "none",
                       "--connection-string", running.connection_string, clock=clock)
        assert result.exit_code == 0, result.stderr
        assert [entry["status"] for entry in admin.requests()] == [201] * 1100
        seconds = float(re.search(r"in ([\d.]+) s", result.stderr).group(1))
        assert 1100 / seconds <= 1000 / 30  # the pace the service allows


def test_ambiguous_creates_are_reported_and_never_repeated(conn_env):
    before = created(conn_env)
    conn_env.inject("create", drop="after", every=4, count=3)  # the 4th, 8th and 12th create lose their answer
    result = acsid("token", "issue", "--scope", "chat", "--count", "12", "--parallel", "1", "--rate", "0",
                   "-o", "jsonl", clock=FakeClock())
    assert (result.exit_code, result.stderr) == (1, "9 issued, 3 failed (3 maybe created) in 0.0 s\n")
    out = lines(result.stdout)
    assert [item.get("input") for item in out] == [None, None, None, 4, None, None, None, 8, None, None, None, 12]
    assert all(item["maybeCreated"] for item in out if "error" in item)
    assert len([entry for entry in conn_env.requests() if entry["route"] == "create"]) == 12  # none repeated
    assert created(conn_env) - before == 9 + 3  # created, plus the maybe-created that were


def test_under_random_faults_every_input_appears_once_and_the_state_agrees(conn_env):
    users = new_users(40)
    conn_env.inject("issue", status=503, every=10, count=100)  # 10 % of requests, no Retry-After
    conn_env.inject("issue", drop="mid", every=7, count=100)  # and dropped connections
    stdin = "".join(f"{user}\n" for user in users)
    result = acsid("token", "issue", "--scope", "chat", "--user", "-", "--rate", "0", "-o", "jsonl", input=stdin,
                   clock=FakeClock())
    out = lines(result.stdout)
    assert [item.get("user_id") or item["input"] for item in out] == users  # each once, in order
    issued = [item for item in out if "token" in item]
    failed = [item for item in out if "error" in item]  # four faults in a row for one item: rare, but possible
    assert len(issued) + len(failed) == 40 and len(issued) >= 36  # issuing is safe to repeat: retried
    assert [conn_env.validate(item["token"])["status"] for item in issued] == ["valid"] * len(issued)
    assert all(item["error"]["status"] in (503, None) for item in failed)
    assert result.exit_code == (1 if failed else 0)
    assert result.stderr.startswith(f"{len(issued)} issued, {len(failed)} failed in ")


def test_creates_under_faults_agree_with_the_state(conn_env):
    before = created(conn_env)
    conn_env.inject("create", status=503, every=5, count=100)  # refused unprocessed: not retried, maybe created
    result = acsid("user", "create", "--count", "30", "--rate", "0", "-o", "jsonl", clock=FakeClock())
    out = lines(result.stdout)
    made = [item["rawId"] for item in out if "rawId" in item]
    maybe = [item for item in out if item.get("maybeCreated")]
    assert len(made) + len(maybe) == 30 and len(maybe) == 6
    assert created(conn_env) - before == len(made)  # a 503 did nothing: only the created exist
    assert set(made) <= {i["id"] for i in conn_env.identities()}


def test_destructive_bulk_asks_once(conn_env, monkeypatch):
    users = new_users(2)
    argv = ["user", "delete", "--user", users[0], "--user", users[1]]
    monkeypatch.setenv("ACSID_FORCE_TTY", "1")
    declined = acsid(*argv, input="n\n")
    assert declined.exit_code == 1
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
        2, "error: --yes is required when not running interactively\nhint: add --yes (or -y)\n"
    )
    assert conn_env.requests() == []


def test_count_and_user_do_not_go_together(conn_env):
    result = acsid("token", "issue", "--scope", "chat", "--count", "2", "--user", UNKNOWN_ID)
    assert (result.exit_code, result.stderr) == (
        2, "error: --count and --user do not go together: each says which identities to use\n"
    )


def test_a_progress_bar_for_people_and_the_summary_for_everyone(conn_env, monkeypatch):
    monkeypatch.setenv("ACSID_FORCE_TTY", "1")
    result = acsid("user", "create", "--count", "3", "--rate", "0", "-o", "none", clock=FakeClock())
    assert result.exit_code == 0
    assert result.stderr.endswith("3 created, 0 failed in 0.0 s\n")


def test_ctrl_c_finishes_what_is_in_flight_and_leaves_valid_json(conn_env):
    before = created(conn_env)
    child = subprocess.Popen(
        [sys.executable, "-m", "acsid_cli", "user", "create", "--count", "100", "--rate", "20", "-o", "json"],
        env={**os.environ}, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    deadline = time.monotonic() + 20
    while created(conn_env) - before < 5 and time.monotonic() < deadline:
        time.sleep(0.02)  # waiting for the child, not for time: it must be mid-run
    child.send_signal(signal.SIGINT)
    stdout, stderr = child.communicate(timeout=20)
    made = json.loads(stdout)  # valid JSON, though cut short: the items that were created, in order
    assert child.returncode == 130 and all(sorted(user) == ["properties", "rawId"] for user in made)
    assert re.fullmatch(
        rf"error: interrupted: {len(made)} created, 0 failed, {100 - len(made)} not attempted in [\d.]+ s\n", stderr
    ), stderr
    assert created(conn_env) - before == len(made)  # nothing created that the output does not show
