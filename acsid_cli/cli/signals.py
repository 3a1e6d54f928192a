"""SIGINT, SIGTERM and SIGHUP, handled alike: the one place that decides what a signal does to a command.

`timeout`, `docker stop`, Kubernetes and CI cancel buttons send SIGTERM; a closed terminal sends SIGHUP;
each means what Ctrl-C means. By default the first signal interrupts the command where it is (Signalled,
raised in the main thread) and the error boundary says what may have happened. A bulk run listens
instead (`listening`): the first signal stops it, the second abandons what is in flight. Further
signals never interrupt the way out. The exit code is 128 + the first signal: 130, 143 or 129.

A signal that was ignored when acsid started (`nohup`, a background job of a script) stays ignored,
as POSIX asks of programs that catch signals.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class Signalled(BaseException):
    """A signal interrupted the command; a BaseException, like KeyboardInterrupt, so no `except Exception` eats it."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


class _State:
    received: int | None = None  # the first signal of this command
    listener: Callable[[int], None] | None = None


_state = _State()


def exit_code(signum: int) -> int:
    return 128 + signum


def name(signum: int) -> str:
    """How a person would call it: Ctrl-C, SIGTERM, SIGHUP."""
    return "Ctrl-C" if signum == signal.SIGINT else signal.Signals(signum).name


def received() -> int | None:
    """The first signal this command received, if any."""
    return _state.received


@contextmanager
def handled() -> Iterator[None]:
    """For the life of a command: our handler for the three signals, and what was there before put back after."""
    _state.received, _state.listener = None, None
    if threading.current_thread() is not threading.main_thread():  # only the main thread may set handlers
        yield
        return
    previous: dict[int, Any] = {}
    for signum in SIGNALS:
        if signal.getsignal(signum) != signal.SIG_IGN:
            previous[signum] = signal.signal(signum, _handle)
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


@contextmanager
def listening(listener: Callable[[int], None]) -> Iterator[None]:
    """While inside, a signal calls listener(signum) instead of interrupting; it must only set flags."""
    _state.listener = listener
    try:
        yield
    finally:
        _state.listener = None


def _handle(signum: int, frame: Any) -> None:
    first = _state.received is None
    if first:
        _state.received = signum
    if _state.listener is not None:
        _state.listener(signum)
    elif first:
        raise Signalled(signum)
