"""Bulk runs under faults and throttling: every input accounted for, the service's state agreeing with
the output, a create never repeated, the pace kept under the service's limits."""

import re

from helpers import FakeClock, acsid, admin_of, json_lines, new_users

from acsid_cli.emulator.app import Emulator
from acsid_cli.emulator.config import EmulatorConfig
from acsid_cli.emulator.server import start_in_thread


def created(emulator) -> int:
    return len(emulator.identities())


def test_injected_400_and_503_fail_in_place(conn_env):
    users = new_users(4)
    conn_env.inject("revoke", status=503, count=4)  # the 1st request, and its 3 retries
    conn_env.inject("revoke", status=400, every=2, count=1)  # then the 2nd request that follows
    argv = [word for user in users for word in ("--user", user)]
    result = acsid(
        "token", "revoke", *argv, "--yes", "--parallel", "1", "--rate", "0", "-o", "jsonl", clock=FakeClock()
    )
    out = json_lines(result.stdout)
    assert [item.get("user_id") or item["input"] for item in out] == users
    assert [item.get("error", {}).get("status") for item in out] == [503, None, 400, None]
    assert result.exit_code == 1


def test_a_429_storm_under_the_service_limits_loses_nothing():
    clock = FakeClock()
    config = EmulatorConfig(port=0, throttle={"create": 10}, max_clock_skew_minutes=0)
    with start_in_thread(emulator=Emulator(config, clock=clock)) as running:
        admin = admin_of(running)
        result = acsid(
            "user",
            "create",
            "--count",
            "40",
            "--rate",
            "0",
            "-o",
            "jsonl",
            "--connection-string",
            running.connection_string,
            clock=clock,
        )
        assert result.exit_code == 0, result.stderr
        assert result.stderr.startswith("40 created, 0 failed in ")
        statuses = [entry["status"] for entry in admin.requests()]
        assert statuses.count(429) > 0
        assert statuses.count(201) == 40  # throttled, then every one created
        assert len(admin.identities()) == 40


def test_the_pacer_keeps_under_the_documented_limit_without_a_single_429():
    clock = FakeClock()
    config = EmulatorConfig(port=0, throttle={"create": 1000}, max_clock_skew_minutes=0)
    with start_in_thread(emulator=Emulator(config, clock=clock)) as running:
        admin = admin_of(running)
        result = acsid(
            "user",
            "create",
            "--count",
            "1100",
            "-o",
            "none",
            "--connection-string",
            running.connection_string,
            clock=clock,
        )
        assert result.exit_code == 0, result.stderr
        assert [entry["status"] for entry in admin.requests()] == [201] * 1100
        took = re.search(r"in ([\d.]+) s", result.stderr)
        assert took, result.stderr
        seconds = float(took.group(1))
        assert 1100 / seconds <= 1000 / 30  # the pace the service allows


def test_ambiguous_creates_are_reported_and_never_repeated(conn_env):
    before = created(conn_env)
    conn_env.inject("create", drop="after", every=4, count=3)  # the 4th, 8th and 12th create lose their answer
    result = acsid(
        "token",
        "issue",
        "--scope",
        "chat",
        "--count",
        "12",
        "--parallel",
        "1",
        "--rate",
        "0",
        "-o",
        "jsonl",
        clock=FakeClock(),
    )
    assert (result.exit_code, result.stderr) == (1, "9 issued, 3 failed (3 maybe created) in 0.0 s\n")
    out = json_lines(result.stdout)
    assert [item.get("input") for item in out] == [None, None, None, 4, None, None, None, 8, None, None, None, 12]
    assert all(item["maybeCreated"] for item in out if "error" in item)
    assert len([entry for entry in conn_env.requests() if entry["route"] == "create"]) == 12  # none repeated
    assert created(conn_env) - before == 9 + 3  # created, plus the maybe-created that were


def test_under_random_faults_every_input_appears_once_and_the_state_agrees(conn_env):
    users = new_users(40)
    conn_env.inject("issue", status=503, every=10, count=100)  # 10 % of requests, no Retry-After
    conn_env.inject("issue", drop="mid", every=7, count=100)  # and dropped connections
    stdin = "".join(f"{user}\n" for user in users)
    result = acsid(
        "token", "issue", "--scope", "chat", "--user", "-", "--rate", "0", "-o", "jsonl", input=stdin, clock=FakeClock()
    )
    out = json_lines(result.stdout)
    assert [item.get("user_id") or item["input"] for item in out] == users  # each once, in order
    issued = [item for item in out if "token" in item]
    failed = [item for item in out if "error" in item]  # four faults in a row for one item: rare, but possible
    assert len(issued) + len(failed) == 40
    assert len(issued) >= 36  # issuing is safe to repeat: retried
    assert [conn_env.validate(item["token"])["status"] for item in issued] == ["valid"] * len(issued)
    assert all(item["error"]["status"] in (503, None) for item in failed)
    assert result.exit_code == (1 if failed else 0)
    assert result.stderr.startswith(f"{len(issued)} issued, {len(failed)} failed in ")


def test_creates_under_faults_agree_with_the_state(conn_env):
    before = created(conn_env)
    conn_env.inject("create", status=503, every=5, count=100)  # refused unprocessed: not retried, maybe created
    result = acsid("user", "create", "--count", "30", "--rate", "0", "-o", "jsonl", clock=FakeClock())
    out = json_lines(result.stdout)
    made = [item["rawId"] for item in out if "rawId" in item]
    maybe = [item for item in out if item.get("maybeCreated")]
    assert len(made) + len(maybe) == 30
    assert len(maybe) == 6
    assert created(conn_env) - before == len(made)  # a 503 did nothing: only the created exist
    assert set(made) <= {i["id"] for i in conn_env.identities()}


def test_a_dead_endpoint_fails_fast(emulator):
    """200 creates against a port that refuses every connection: the run stops after the first failures,
    not after 200 × 4 attempts, and says why in one line."""
    nowhere = emulator.connection_string.replace(emulator.endpoint, "http://127.0.0.1:9")
    parallel, count = 8, 200
    result = acsid(
        "user",
        "create",
        "--count",
        str(count),
        "--parallel",
        str(parallel),
        "--rate",
        "0",
        "-o",
        "jsonl",
        "--connection-string",
        nowhere,
        "--verbose",
        clock=FakeClock(),
    )
    refused = ": cannot connect to http://127.0.0.1:9 (Connection refused)"
    attempts = [line for line in result.stderr.splitlines() if line.endswith(refused)]  # --verbose: one per attempt
    failed = json_lines(result.stdout)
    assert result.exit_code == 1
    assert 1 <= len(failed) <= parallel
    assert all(item["error"]["status"] is None for item in failed)
    assert len(attempts) <= parallel * 4  # without giving up: 800
    *_, error, hint = result.stderr.splitlines()
    assert re.fullmatch(
        re.escape(
            "error: cannot connect to http://127.0.0.1:9 (Connection refused), and no request got an answer: "
            f"stopped; 0 created, {len(failed)} failed, {count - len(failed)} not attempted in "
        )
        + r"[\d.]+ s",
        error,
    ), error
    assert hint == "hint: check the endpoint: is the service (or the emulator) there?"


def test_one_answer_and_the_endpoint_is_alive(conn_env):
    """After a success, a transport failure is one item's failure: the run goes on."""
    conn_env.inject("create", drop="before", every=3, count=4)  # the 3rd, 6th, 9th and 12th requests: no answer
    result = acsid(
        "user", "create", "--count", "12", "--parallel", "1", "--rate", "0", "-o", "jsonl", clock=FakeClock()
    )
    assert result.exit_code == 1
    assert result.stderr.startswith("8 created, 4 failed (4 maybe created) in ")
