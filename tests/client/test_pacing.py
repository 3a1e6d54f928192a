"""The pace of bulk runs: the service's documented limits, unless the first answer comes from an emulator
that says it sets none (THROTTLE_HEADER); a rate asked for always wins. Time is a fake clock's."""

from __future__ import annotations

import pytest
from helpers import FakeClock, acsid, admin_of
from wire import VERSION, Wire

from acsid_cli import protocol
from acsid_cli.client.pacing import RatePacer, documented_rate
from acsid_cli.emulator.app import Emulator
from acsid_cli.emulator.config import EmulatorConfig
from acsid_cli.emulator.server import start_in_thread
from acsid_cli.emulator.throttle import SERVICE_LIMITS

CREATE_GAP = 1 / documented_rate("create")


def paced(pacer: RatePacer, n: int, operation: str = "create") -> None:
    for _ in range(n):
        pacer.before(operation)


@pytest.mark.parametrize(
    ("rate", "first_answer", "later_answer", "sleeps"),
    [
        (None, None, None, [CREATE_GAP] * 3),  # no answer yet: the service's pace
        (None, False, True, [CREATE_GAP] * 3),  # the service, or a throttling emulator: the first answer decides
        (None, True, False, []),  # an emulator without limits: full speed
        (2.0, True, None, [0.5] * 3),  # a rate asked for stays
        (0.0, False, None, []),
    ],
)
def test_the_first_answer_decides_the_default_pace(rate, first_answer, later_answer, sleeps):
    clock = FakeClock(start=1000.0)
    pacer = RatePacer(rate, clock)
    pacer.before("create")
    for answer in (first_answer, later_answer):
        if answer is not None:
            pacer.answered(unthrottled=answer)
    paced(pacer, 3)
    assert clock.sleeps == pytest.approx(sleeps)


def test_a_lifted_pace_frees_every_operation():
    clock = FakeClock(start=1000.0)
    pacer = RatePacer(None, clock)
    pacer.before("create")
    pacer.before("revoke")
    pacer.answered(unthrottled=True)
    paced(pacer, 5, "create")
    paced(pacer, 5, "revoke")
    assert (clock.sleeps, pacer.rate) == ([], 0.0)


@pytest.mark.parametrize(
    ("throttle", "header"), [(None, protocol.THROTTLE_OFF), (SERVICE_LIMITS, protocol.THROTTLE_ON)]
)
def test_the_emulator_says_whether_it_throttles(throttle, header):
    with start_in_thread(EmulatorConfig(port=0, throttle=throttle)) as running:
        wire = Wire(running.endpoint)
        answers = [
            wire.request("POST", f"/identities?api-version={VERSION}"),
            wire.request("POST", f"/identities?api-version={VERSION}", signed=False),
        ]
        wire.reconnect()
    assert [(a.status, a.headers[protocol.THROTTLE_HEADER]) for a in answers] == [(201, header), (401, header)]


def run_against(config: EmulatorConfig, clock: FakeClock, *args: str):
    with start_in_thread(emulator=Emulator(config, clock=clock)) as running:
        admin = admin_of(running)
        result = acsid(
            "user",
            "create",
            "--count",
            "100",
            "-o",
            "none",
            *args,
            "--connection-string",
            running.connection_string,
            clock=clock,
        )
        return result, [entry["status"] for entry in admin.requests()], len(admin.identities())


def test_a_bulk_run_against_an_emulator_without_limits_runs_at_full_speed():
    clock = FakeClock()
    result, statuses, identities = run_against(EmulatorConfig(port=0), clock)
    assert result.exit_code == 0, result.stderr
    assert (statuses, identities) == ([201] * 100, 100)
    # Only the workers that asked before the first answer came waited their turn; at the service's
    # pace the 100 would take 99 gaps (3.1 s).
    assert sum(clock.sleeps) < 8 * CREATE_GAP


def test_against_the_service_pace_the_pace_stays():
    clock = FakeClock()
    result, statuses, identities = run_against(EmulatorConfig(port=0, throttle=SERVICE_LIMITS), clock)
    assert result.exit_code == 0, result.stderr
    assert (statuses, identities) == ([201] * 100, 100)  # not a single 429
    assert sum(clock.sleeps) == pytest.approx(99 * CREATE_GAP, rel=0.05)  # the documented pace


def test_an_explicit_rate_wins_against_an_emulator_without_limits():
    clock = FakeClock()
    result, statuses, _ = run_against(EmulatorConfig(port=0), clock, "--rate", "10")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == "100 created, 0 failed in 9.9 s\n"
    assert statuses == [201] * 100
