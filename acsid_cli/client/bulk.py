"""Many calls at once, each outcome back in input order as soon as it and every one before it are done.

    bulk = Bulk(lambda user: client.revoke_tokens(user), parallel=8)
    for outcome in bulk.outcomes(user_ids):  # the ids are read only as fast as the work gets done
        ...

The input is read on a thread of its own, so a slow input (a pipe) neither holds back finished
outcomes nor the stop flags. stop() (the first Ctrl-C) starts nothing more: what is in flight finishes,
what never started is NOT_ATTEMPTED. abandon() (the second) stops waiting: what had started is UNKNOWN.
Both only set flags, which the loop checks at safe points, so no outcome is dropped between two
statements; `on_stop(in_flight)` is then called once from the loop, where it is safe to write.
Memory stays flat: at most `window` items are held at once, however long the input.

A dead endpoint fails fast: when an item fails at the transport level (no answer at all) before any
request got an answer, the run stops by itself (`gave_up` holds that error), as after a first Ctrl-C.
"""

from __future__ import annotations

import enum
import queue
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from acsid_cli.client.errors import BadAnswer, RequestError, TransportError
from acsid_cli.client.pacing import Stopped

T = TypeVar("T")
_POLL = 0.05  # seconds between looks at the stop flags while waiting
_END = object()  # the input is exhausted


class State(enum.Enum):
    DONE = "done"
    FAILED = "failed"
    NOT_ATTEMPTED = "not attempted"
    UNKNOWN = "unknown"


@dataclass
class Outcome(Generic[T]):
    item: T
    state: State = State.NOT_ATTEMPTED
    result: Any = None
    error: Exception | None = None
    started: bool = False  # set by the worker before it decides to run it: a safe "maybe sent"
    finished: threading.Event = field(default_factory=threading.Event, repr=False)


class Bulk(Generic[T]):
    def __init__(
        self,
        work: Callable[[T], Any],
        parallel: int,
        window: int | None = None,
        on_stop: Callable[[int], None] | None = None,
        halt: Callable[[], None] | None = None,
    ) -> None:
        """`halt`: called (from any thread) the moment the run stops, e.g. to wake the pacer's waiting workers."""
        self._work = work
        self._window = window or parallel * 4
        self._on_stop = on_stop
        self._halt = halt or (lambda: None)
        self._tasks: queue.SimpleQueue[Outcome[T] | None] = queue.SimpleQueue()
        self._pending: deque[Outcome[T]] = deque()
        self._stopped = threading.Event()
        self._abandoned = threading.Event()
        self._answered = threading.Event()  # some request got an answer: the endpoint is alive
        self.gave_up: RequestError | None = None
        self._told = False
        self._parallel = parallel
        # Daemon threads: a run abandoned on a second Ctrl-C must not keep the process alive.
        for n in range(parallel):
            threading.Thread(target=self._worker, name=f"acsid-bulk-{n}", daemon=True).start()

    def outcomes(self, items: Iterable[T]) -> Iterator[Outcome[T]]:
        """Every outcome, in order. An error from the input itself comes after the outcomes already owed."""
        feed: queue.Queue[Any] = queue.Queue(maxsize=self._window)
        threading.Thread(target=_feed, args=(items, feed), name="acsid-bulk-input", daemon=True).start()
        input_error: BaseException | None = None
        try:
            while not self._stopped.is_set():
                while self._pending and self._pending[0].finished.is_set():
                    yield self._pending.popleft()
                if len(self._pending) >= self._window:
                    self._pending[0].finished.wait(_POLL)
                    continue
                try:
                    item = feed.get(timeout=_POLL)
                except queue.Empty:
                    continue
                if item is _END:
                    break
                if isinstance(item, _InputError):
                    input_error = item.error
                    break
                outcome: Outcome[T] = Outcome(item)
                self._pending.append(outcome)
                self._tasks.put(outcome)
            yield from self._rest()
        finally:
            for _ in range(self._parallel):
                self._tasks.put(None)
        if input_error is not None:
            raise input_error

    def stop(self) -> None:
        self._stopped.set()
        self._halt()

    def abandon(self) -> None:
        self._abandoned.set()
        self.stop()

    def _rest(self) -> Iterator[Outcome[T]]:
        self._tell_once()
        while self._pending:
            head = self._pending[0]
            while not head.finished.is_set() and not self._abandoned.is_set():
                head.finished.wait(_POLL)
                self._tell_once()
            if not head.finished.is_set() and head.started:  # abandoned; it may have been sent: nobody can say
                head.state = State.UNKNOWN
            yield self._pending.popleft()

    def _tell_once(self) -> None:
        """on_stop(requests in flight), once, as soon as the loop (where the caller may write) sees the stop."""
        if self._stopped.is_set() and not self._told:
            self._told = True
            if self._on_stop is not None:
                self._on_stop(sum(1 for o in self._pending if o.started and not o.finished.is_set()))

    def _worker(self) -> None:
        while (outcome := self._tasks.get()) is not None:
            outcome.started = True  # before looking at the flag: an abandoned run errs towards UNKNOWN
            if not self._stopped.is_set():
                try:
                    outcome.result = self._work(outcome.item)
                    outcome.state = State.DONE
                    self._answered.set()
                except Stopped:
                    pass  # stopped before its first attempt: NOT_ATTEMPTED
                except Exception as exc:  # every failure belongs to its item, reported in its place
                    outcome.error, outcome.state = exc, State.FAILED
                    self._judge(exc)
            outcome.finished.set()

    def _judge(self, exc: Exception) -> None:
        """Give up on an endpoint that has never answered once an item found no answer at all."""
        unanswered = isinstance(exc, TransportError) and not isinstance(exc, BadAnswer)
        if not unanswered and isinstance(exc, RequestError):
            self._answered.set()
        elif unanswered and not self._answered.is_set() and self.gave_up is None:
            assert isinstance(exc, TransportError)
            self.gave_up = exc
            self.stop()


@dataclass(frozen=True)
class _InputError:
    error: BaseException


def _feed(items: Iterable[Any], feed: queue.Queue[Any]) -> None:
    try:
        for item in items:
            feed.put(item)
    except BaseException as exc:  # handed to the reading loop, which raises it after what is owed
        feed.put(_InputError(exc))
        return
    feed.put(_END)
