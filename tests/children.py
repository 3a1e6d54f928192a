"""acsid as a child process to signal, and the gate where the emulator's delayed answers wait until the test
lets them go (the `gated` fixture, tests/cli/conftest.py).

Nothing here waits for time to pass: the child is provably mid-run (its requests are held at the gate)
before it is signalled, and each wait polls state with a deadline that only a broken build reaches.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

DEADLINE = 20  # seconds: only ever reached when the code under test is broken

# A child's signals start as the default, whatever the test runner inherited: a runner started in the
# background of a script has SIGINT ignored, and Popen passes that on, so a Ctrl-C test would see its
# child ignore the Ctrl-C and finish (the flake of tests/cli/test_faults.py, on CI).
_LAUNCH = """\
import signal, sys
signal.signal(signal.SIGINT, signal.default_int_handler)
for name in ("SIGTERM", "SIGHUP"):
    signal.signal(getattr(signal, name), signal.SIG_DFL)
for number in filter(None, sys.argv.pop(1).split(",")):
    signal.signal(int(number), signal.SIG_IGN)
from acsid_cli.cli import main
main()
"""


def spawn(*argv: str, ignored: tuple[int, ...] = (), **options: Any) -> subprocess.Popen[str]:
    """`acsid argv...` as a child process, its signals the default ones except `ignored` (as under nohup)."""
    ignore = ",".join(str(int(number)) for number in ignored)
    options.setdefault("env", {**os.environ})
    return subprocess.Popen([sys.executable, "-c", _LAUNCH, ignore, *argv], text=True, **options)


def wait_for(condition: Callable[[], object], what: str = "the child never got there") -> None:
    deadline = time.monotonic() + DEADLINE
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.02)  # polling the child or the emulator, not waiting for time


def wait_for_line(path: Path, text: str) -> None:
    """Until the file a child writes its stderr to has a line with `text`."""
    wait_for(lambda: any(text in line for line in path.read_text().splitlines()), f"no line with {text!r}")


class Gate:
    """The emulator's sleep for delayed faults: the first `free` go at once, the rest wait here until open()."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._open = threading.Event()
        self.free = 0
        self.held = 0

    def __call__(self, seconds: float) -> None:
        with self._lock:
            if self.free:
                self.free -= 1
                return
            self.held += 1
            gate = self._open
        gate.wait(DEADLINE)

    def open(self) -> None:
        self._open.set()

    def close(self, free: int = 0) -> None:
        """A new gate for the next test; what the last one held has gone through."""
        with self._lock:
            self._open.set()
            self._open, self.free, self.held = threading.Event(), free, 0


def ignoring(signum: int) -> Any:
    """The test process's own handler for signum set to SIG_IGN for a while, as a CI runner's can be."""

    @contextmanager
    def scope() -> Iterator[None]:
        previous = signal.signal(signum, signal.SIG_IGN)
        try:
            yield
        finally:
            signal.signal(signum, previous)

    return scope()
