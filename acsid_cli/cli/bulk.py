"""Bulk runs: many identities or tokens in one command, at the service's pace, every input accounted for.

Each outcome is written in input order as soon as it is due; a failed item in its place. After Ctrl-C
(or SIGTERM, or SIGHUP: see invocation.py) the items written are exactly the first ones of the input, and
the summary counts those not attempted. On a terminal a progress bar shows on stderr, and at the end a
one-line summary. The exit code is 0 when every item succeeded, 1 when any failed, 128 + the signal
(130, 143, 129) after one: the first lets what is in flight finish and starts nothing more, and says so;
the second stops waiting, and what was still in flight is reported as unknown. An endpoint that never
answers stops the run after its first failures, with one line that says why.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import typer

from acsid_cli.cli.errors import Problem, exit_code, explain, interruption, maybe_created, signal_name
from acsid_cli.cli.inputs import check_rate, shown
from acsid_cli.cli.invocation import Invocation, listening, received
from acsid_cli.cli.output import EXIT_ERROR, CliError, Interrupted
from acsid_cli.cli.stream import progress
from acsid_cli.client.bulk import Bulk, Outcome, State
from acsid_cli.client.pacing import RatePacer
from acsid_cli.client.rest import IdentityClient


@dataclass
class Tally:
    done: int = 0
    failed: int = 0
    maybe_created: int = 0
    not_attempted: int = 0
    unknown: int = 0
    seen: int = 0


def run(
    run: Invocation,
    items: Iterable[Any],
    work: Callable[[IdentityClient, Any], Any],
    *,
    verb: str,
    total: int | None = None,
    api_version: str | None = None,
    creates: bool = False,
) -> None:
    """Do work(client, item) for every item; write the outcomes; exit 1 if any failed, 128 + a signal after one.

    `creates`: the work creates identities, so an item whose outcome is unknown may have created one.
    """
    pacer = RatePacer(check_rate(run.rate), run.clock)
    client = run.client(pacer=pacer, api_version=api_version, connections=run.parallel)
    interrupted = threading.Event()

    def stopping(in_flight: int) -> None:  # called from the loop once the run stops, where writing is safe
        signum = received()
        if interrupted.is_set() and signum is not None:
            again = "Ctrl-C again" if signal_name(signum) == "Ctrl-C" else "a second signal"
            doing = f"finishing the {_requests(in_flight)} in flight, starting no more; {again} abandons them"
            run.out.info(f"{interruption(signum)}: {doing if in_flight else 'starting no more requests'}")

    bulk: Bulk[Any] = Bulk(lambda item: work(client, item), run.parallel, on_stop=stopping, halt=pacer.stop)

    def on_signal(signum: int) -> None:  # in the signal handler: flags only
        if interrupted.is_set():
            bulk.abandon()
        interrupted.set()
        bulk.stop()

    stream, tally = run.out.stream(), Tally()
    started = run.clock.now()
    try:
        with listening(on_signal), progress(run.out, total, verb) as bar:
            for outcome in bulk.outcomes(items):
                _account(outcome, stream, tally, creates)
                bar.advance(outcome.state in (State.FAILED, State.UNKNOWN))
    finally:
        stream.close()  # even cut short, a JSON array stays valid JSON
        client.close()
    if total is not None:
        tally.not_attempted += total - tally.seen
    stopped_early = interrupted.is_set() or bulk.gave_up is not None
    summary = _summary(tally, verb, run.clock.now() - started, total is None and stopped_early)
    _conclude(run, bulk, tally, summary, interrupted=interrupted.is_set(), from_stdin=total is None)


def _conclude(
    run: Invocation, bulk: Bulk[Any], tally: Tally, summary: str, *, interrupted: bool, from_stdin: bool
) -> None:
    """Say how the run ended: exit 128 + the signal after one, 1 if the endpoint never answered or any item failed."""
    signum = received()
    if interrupted and signum is not None:
        raise Interrupted(f"{interruption(signum)}: {summary}", exit_code(signum))
    if bulk.gave_up is not None:
        raise CliError(
            f"{bulk.gave_up.message}, and no request got an answer: stopped; {summary}",
            hint="check the endpoint: is the service (or the emulator) there?",
        )
    if from_stdin and tally.seen == 0:  # `grep ... | acsid ... --user -` that found nothing: not an error
        run.out.warning("no ids were read from standard input: nothing was done")
    run.out.info(summary)
    if tally.failed or tally.unknown:
        raise typer.Exit(EXIT_ERROR)


def _requests(count: int) -> str:
    return "1 request" if count == 1 else f"{count:,} requests"


def _account(outcome: Outcome[Any], stream: Any, tally: Tally, creates: bool) -> None:
    tally.seen += 1
    if outcome.state is State.DONE:
        tally.done += 1
        stream.item(outcome.result)
        return
    if outcome.state is State.NOT_ATTEMPTED:
        # Not written: the items written are then exactly the first ones of the input, and the summary
        # counts the rest, so a script knows where to pick up.
        tally.not_attempted += 1
        return
    error: dict[str, Any]
    if outcome.state is State.FAILED and outcome.error is not None:
        exc = outcome.error
        problem = explain(exc) or Problem(f"unexpected {type(exc).__name__}: {exc}")
        error = {"status": getattr(exc, "status", None), "code": getattr(exc, "code", None), "message": problem.message}
        tally.failed += 1
    else:
        error = {"status": None, "code": None, "message": "no answer: the run was interrupted while it was in flight"}
        tally.unknown += 1
    failure: dict[str, Any] = {"input": shown(outcome.item), "error": error}
    if (outcome.state is State.UNKNOWN and creates) or (outcome.error is not None and maybe_created(outcome.error)):
        failure["maybeCreated"] = True
        tally.maybe_created += 1
    stream.failure(failure)


def _summary(tally: Tally, verb: str, seconds: float, input_left: bool) -> str:
    failed = f"{tally.failed + tally.unknown:,} failed"
    if tally.maybe_created:
        failed += f" ({tally.maybe_created:,} maybe created)"
    parts = [f"{tally.done:,} {verb}", failed]
    if tally.not_attempted:
        parts.append(f"{tally.not_attempted:,} not attempted")
    return ", ".join(parts) + f" in {seconds:.1f} s" + ("; the rest of the input was not read" if input_left else "")
