"""Bulk: outcomes in input order, a slow input never holds back finished work, stop and abandon lose nothing."""

import threading

import pytest

from acsid_cli.client.bulk import Bulk, State

WAIT = 10  # seconds: only ever reached when the code under test is broken


def test_outcomes_come_in_input_order():
    done = {n: threading.Event() for n in range(4)}

    def work(n):
        if n < 3:
            done[n + 1].wait(WAIT)  # the last item finishes first, the first last
        done[n].set()
        return n * 10

    bulk = Bulk(work, parallel=4)
    assert [(o.item, o.state, o.result) for o in bulk.outcomes(range(4))] == [(n, State.DONE, n * 10) for n in range(4)]


def test_a_slow_input_does_not_hold_back_finished_outcomes():
    more = threading.Event()

    def items():
        yield 1
        more.wait(WAIT)  # a pipe whose writer has not written the next line yet
        yield 2

    outcomes = Bulk(lambda n: n, parallel=2).outcomes(items())
    first = next(outcomes)
    assert (first.item, first.state, more.is_set()) == (1, State.DONE, False)
    more.set()
    assert [o.item for o in outcomes] == [2]


def test_an_input_error_comes_after_the_outcomes_owed():
    def items():
        yield from (1, 2)
        raise ValueError("line 3 is not UTF-8")

    seen = []

    def record_all() -> None:
        for outcome in Bulk(lambda n: n, parallel=2).outcomes(items()):
            seen.append((outcome.item, outcome.state))

    with pytest.raises(ValueError, match="line 3"):
        record_all()
    assert seen == [(1, State.DONE), (2, State.DONE)]


def test_a_failure_belongs_to_its_item():
    def work(n):
        if n == 2:
            raise OSError("connection reset")
        return n

    outcomes = list(Bulk(work, parallel=2).outcomes([1, 2, 3]))
    assert [o.state for o in outcomes] == [State.DONE, State.FAILED, State.DONE]
    assert str(outcomes[1].error) == "connection reset"


def test_stop_finishes_what_is_in_flight_and_starts_nothing_more():
    started, finish, calls = threading.Event(), threading.Event(), []

    def work(n):
        calls.append(n)
        started.set()
        finish.wait(WAIT)
        return n

    bulk = Bulk(work, parallel=1)

    def stop_once_started() -> None:
        started.wait(WAIT)
        bulk.stop()
        finish.set()

    threading.Thread(target=stop_once_started).start()
    states = [(o.item, o.state) for o in bulk.outcomes([1, 2, 3])]
    assert calls == [1]
    assert states[0] == (1, State.DONE)
    assert all(state is State.NOT_ATTEMPTED for _, state in states[1:])


def test_abandon_marks_unknown_only_what_had_started():
    started, finish = threading.Event(), threading.Event()

    def work(n):
        started.set()
        finish.wait(WAIT)  # a request that never answers
        return n

    bulk = Bulk(work, parallel=1)

    def abandon_once_started() -> None:
        started.wait(WAIT)
        bulk.abandon()

    threading.Thread(target=abandon_once_started).start()
    try:
        states = [(o.item, o.state) for o in bulk.outcomes([1, 2, 3])]  # the state as it was when it came
    finally:
        finish.set()
    assert states == [(1, State.UNKNOWN), (2, State.NOT_ATTEMPTED), (3, State.NOT_ATTEMPTED)]
