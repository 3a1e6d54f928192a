"""SIGTERM and SIGHUP are a Ctrl-C: the real CLI as a child process, signalled while its requests are provably
held by the emulator; what the emulator holds is counted against what the child wrote (orphans = 0)."""

import json
import re
import signal
import subprocess

import pytest
from children import DEADLINE, spawn, wait_for, wait_for_line

SIGNALS = [signal.SIGINT, signal.SIGTERM, signal.SIGHUP]
EXIT = {signal.SIGINT: 130, signal.SIGTERM: 143, signal.SIGHUP: 129}
SAID = {signal.SIGINT: "interrupted", signal.SIGTERM: "interrupted by SIGTERM", signal.SIGHUP: "interrupted by SIGHUP"}
AGAIN = {signal.SIGINT: "Ctrl-C again", signal.SIGTERM: "a second signal", signal.SIGHUP: "a second signal"}
FREE, PARALLEL, COUNT = 5, 4, 200  # 5 answered at once, then 4 held in flight, 191 never started


def _ids(emulator) -> set[str]:
    return {identity["id"] for identity in emulator.identities()}


def _bulk_create(emulator, gate, tmp_path, fmt="json"):
    gate.free = FREE
    emulator.inject("create", delayMs=1, count=COUNT)  # every create waits at the gate, after the free ones
    out, err = tmp_path / "out", tmp_path / "err"
    with out.open("w") as stdout, err.open("w") as stderr:
        child = spawn(
            "user",
            "create",
            "--count",
            str(COUNT),
            "--parallel",
            str(PARALLEL),
            "--rate",
            "0",
            "-o",
            fmt,
            "--connection-string",
            emulator.connection_string,
            stdout=stdout,
            stderr=stderr,
        )
    return child, out, err


@pytest.mark.parametrize("signum", SIGNALS, ids=lambda s: signal.Signals(s).name)
def test_a_signal_finishes_what_is_in_flight_and_loses_nothing(signum, gated, tmp_path):
    emulator, gate = gated
    before = _ids(emulator)
    child, out, err = _bulk_create(emulator, gate, tmp_path)
    wait_for(lambda: gate.held == PARALLEL)  # mid-run: 5 answered, 4 waiting for their answers
    child.send_signal(signum)
    notice = f"{SAID[signum]}: finishing the 4 requests in flight, starting no more; {AGAIN[signum]} abandons them"
    wait_for_line(err, notice)  # the first signal was taken; only now may the held answers come
    gate.open()
    assert child.wait(DEADLINE) == EXIT[signum]
    written = json.loads(out.read_text())  # valid JSON, closed although cut short
    assert sorted(written[0]) == ["properties", "rawId"]
    assert {user["rawId"] for user in written} == _ids(emulator) - before  # orphans: 0
    assert len(written) == FREE + PARALLEL
    assert re.fullmatch(
        rf"{re.escape(notice)}\nerror: {SAID[signum]}: 9 created, 0 failed, 191 not attempted in [\d.]+ s\n",
        err.read_text(),
    ), err.read_text()


@pytest.mark.parametrize(
    ("first", "second"),
    [(signal.SIGTERM, signal.SIGINT), (signal.SIGHUP, signal.SIGTERM)],
    ids=["TERM then INT", "HUP then TERM"],
)
def test_a_second_signal_of_any_kind_abandons_what_is_in_flight(first, second, gated, tmp_path):
    emulator, gate = gated
    before = _ids(emulator)
    child, out, err = _bulk_create(emulator, gate, tmp_path, fmt="jsonl")
    wait_for(lambda: gate.held == PARALLEL)
    child.send_signal(first)
    wait_for_line(err, "in flight, starting no more")
    child.send_signal(second)
    assert child.wait(DEADLINE) == EXIT[first]  # the exit code of the first
    gate.open()  # the four held creates now happen, after the child has gone
    wait_for(lambda: len(_ids(emulator) - before) == FREE + PARALLEL)
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    made = {line["rawId"] for line in lines if "rawId" in line}
    unknown = [line for line in lines if "error" in line]
    assert len(made) == FREE
    assert made <= _ids(emulator) - before
    assert [line.get("maybeCreated") for line in unknown] == [True] * PARALLEL  # the others are accounted for
    assert re.search(
        rf"\nerror: {SAID[first]}: 5 created, 4 failed \(4 maybe created\), 191 not attempted in [\d.]+ s\n$",
        err.read_text(),
    ), err.read_text()


@pytest.mark.parametrize("signum", SIGNALS, ids=lambda s: signal.Signals(s).name)
def test_a_single_create_cut_short_says_it_may_have_created(signum, gated):
    emulator, gate = gated
    emulator.inject("create", delayMs=1)
    child = spawn(
        "user",
        "create",
        "--connection-string",
        emulator.connection_string,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    wait_for(lambda: gate.held == 1)  # the create is at the service, unanswered
    child.send_signal(signum)
    stdout, stderr = child.communicate(timeout=DEADLINE)
    assert (child.returncode, stdout, stderr) == (
        EXIT[signum],
        "",
        (
            f"error: {SAID[signum]} during POST /identities; the identity may or may not have been created\n"
            "hint: running it again is safe: at worst one identity goes unused\n"
        ),
    )


def test_a_signal_ignored_when_acsid_started_stays_ignored(gated):
    """As under nohup: the SIGHUP does nothing, and the SIGTERM after it is the first signal."""
    emulator, gate = gated
    emulator.inject("create", delayMs=1)
    child = spawn(
        "user",
        "create",
        "--connection-string",
        emulator.connection_string,
        ignored=(signal.SIGHUP,),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    wait_for(lambda: gate.held == 1)
    child.send_signal(signal.SIGHUP)
    child.send_signal(signal.SIGTERM)
    _stdout, stderr = child.communicate(timeout=DEADLINE)
    assert (child.returncode, stderr.splitlines()[0]) == (
        143,
        ("error: interrupted by SIGTERM during POST /identities; the identity may or may not have been created"),
    )
