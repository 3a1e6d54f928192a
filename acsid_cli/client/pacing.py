"""Keeping many requests under the service's rate limits: a clock, and a pacer that bulk runs share.

The service counts each operation per resource in sliding 30-second windows. The pacer spaces each
operation's requests evenly at a rate just under its limit, and when the service answers 429 with
Retry-After anyway, it holds every worker back, not only the one that was told. When the first answer
comes from an emulator that says it sets no limits, the default pace is lifted (a rate asked for stays).
Stopping it wakes every waiting worker, and nothing more is sent.
"""

from __future__ import annotations

import threading
import time
from typing import Protocol

from acsid_cli import protocol

SAFETY = 0.95  # stay a little under the documented limit: the service counts arrivals, we count departures


class Stopped(Exception):
    """The run was stopped before this request was sent."""


class Clock(Protocol):
    def now(self) -> float:
        """Seconds on a monotonic scale."""

    def time(self) -> float:
        """Seconds since the epoch, for what a token says about itself."""

    def sleep(self, seconds: float, wake: threading.Event | None = None) -> None:
        """Wait, or less if `wake` is set meanwhile."""


class SystemClock:
    def now(self) -> float:
        return time.monotonic()

    def time(self) -> float:
        return time.time()

    def sleep(self, seconds: float, wake: threading.Event | None = None) -> None:
        if wake is None:
            time.sleep(seconds)
        else:
            wake.wait(seconds)


def documented_rate(operation: str) -> float:
    """Requests per second that keep `operation` under the service's published limit."""
    op = protocol.SERVICE_OPERATIONS[operation]
    return op.limit / protocol.RATE_WINDOW_SECONDS * SAFETY


class RatePacer:
    """Evenly spaced starts per operation: `rate` per second when given (0: no limit), else the documented one."""

    def __init__(self, rate: float | None = None, clock: Clock | None = None) -> None:
        self._rate = rate
        self._answered = False
        self._clock = clock or SystemClock()
        self._lock = threading.Lock()
        self._next: dict[str, float] = {}  # per operation: when its next request may start
        self._paused_until = 0.0
        self._stopped = threading.Event()

    def before(self, operation: str) -> None:
        """Wait until `operation` may be sent; raise Stopped once the run is stopping."""
        while True:
            with self._lock:
                rate = documented_rate(operation) if self._rate is None else self._rate  # answered() may lift it
                now = self._clock.now()
                start = max(now, self._paused_until, self._next.get(operation, now))
                if start <= now and not self._stopped.is_set():
                    if rate > 0:
                        self._next[operation] = now + 1 / rate
                    return
            if self._stopped.is_set():
                raise Stopped()
            self._clock.sleep(start - now, wake=self._stopped)  # a 429 meanwhile may move start again

    def answered(self, unthrottled: bool) -> None:
        """An answer came; the first decides: from a server without limits, the documented pace is lifted."""
        with self._lock:
            if not self._answered:
                self._answered = True
                if unthrottled and self._rate is None:
                    self._rate = 0.0
                    self._next.clear()

    @property
    def rate(self) -> float | None:
        """Requests per second of each operation: None for the documented limits, 0 for no limit."""
        return self._rate

    def throttled(self, seconds: float) -> None:
        """The service answered 429 with Retry-After: hold every request back that long."""
        with self._lock:
            self._paused_until = max(self._paused_until, self._clock.now() + seconds)

    def wait(self, seconds: float) -> None:
        """A wait between attempts that ends early when the run stops."""
        self._clock.sleep(seconds, wake=self._stopped)

    def stop(self) -> None:
        self._stopped.set()
