"""Many calls at once, each outcome back in input order as soon as it and every one before it are done.

    bulk = Bulk(lambda user: client.revoke_tokens(user), parallel=8)
    for outcome in bulk.outcomes(user_ids):  # the ids are read only as fast as the work gets done
        ...

stop() (the first Ctrl-C) starts nothing more: what is in flight finishes, the rest is NOT_ATTEMPTED.
abandon() (the second) stops waiting: what is still in flight is UNKNOWN. Both only set flags, and the
loop checks them at safe points, so no outcome is ever dropped between two statements.
Memory stays flat: at most `window` items are held at once, however long the input.
"""

from __future__ import annotations

import enum
import queue
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from acsid_cli.client.pacing import Stopped

T = TypeVar("T")
_POLL = 0.05  # seconds between looks at the stop flags while waiting


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
    finished: threading.Event = field(default_factory=threading.Event, repr=False)


class Bulk(Generic[T]):
    def __init__(self, work: Callable[[T], Any], parallel: int, window: int | None = None) -> None:
        self._work = work
        self._window = window or parallel * 4
        self._tasks: queue.SimpleQueue[Outcome[T] | None] = queue.SimpleQueue()
        self._pending: deque[Outcome[T]] = deque()
        self._stopped = threading.Event()
        self._abandoned = threading.Event()
        self._parallel = parallel
        # Daemon threads: a run abandoned on a second Ctrl-C must not keep the process alive.
        for n in range(parallel):
            threading.Thread(target=self._worker, name=f"acsid-bulk-{n}", daemon=True).start()

    def outcomes(self, items: Iterable[T]) -> Iterator[Outcome[T]]:
        try:
            for item in items:
                if self._stopped.is_set():
                    break
                outcome = Outcome(item)
                self._pending.append(outcome)
                self._tasks.put(outcome)
                while self._pending and (self._pending[0].finished.is_set() or len(self._pending) >= self._window):
                    if not self._wait_for_head():
                        break
                    yield self._pending.popleft()
            yield from self._rest()
        finally:
            for _ in range(self._parallel):
                self._tasks.put(None)

    def stop(self) -> None:
        self._stopped.set()

    def abandon(self) -> None:
        self._stopped.set()
        self._abandoned.set()

    def _wait_for_head(self) -> bool:
        """Whether the first pending item finished; False when the run stopped meanwhile."""
        head = self._pending[0]
        while not head.finished.wait(_POLL):
            if self._stopped.is_set():
                return False
        return True

    def _rest(self) -> Iterator[Outcome[T]]:
        while self._pending:
            head = self._pending[0]
            while not head.finished.wait(_POLL):
                if self._abandoned.is_set():
                    for outcome in self._pending:
                        if not outcome.finished.is_set():
                            outcome.state = State.UNKNOWN
                    break
            yield self._pending.popleft()

    def _worker(self) -> None:
        while (outcome := self._tasks.get()) is not None:
            if not self._stopped.is_set():
                try:
                    outcome.result = self._work(outcome.item)
                    outcome.state = State.DONE
                except Stopped:
                    pass  # stopped before its first attempt: NOT_ATTEMPTED
                except Exception as exc:  # every failure belongs to its item, reported in its place
                    outcome.error, outcome.state = exc, State.FAILED
            outcome.finished.set()
