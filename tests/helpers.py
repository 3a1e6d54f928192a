"""How tests run acsid: in this process (fast, with a fake clock when asked) and as a separate process."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import typer
from typer.main import get_command
from typer.testing import CliRunner

from acsid_cli.cli.app import HIDDEN, app
from acsid_cli.cli.invocation import Invocation
from acsid_cli.emulator.process import EMULATOR_COMMAND, EmulatorAdmin

REQUEST_ID = re.compile(r"request id [0-9a-f-]{36}")


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str

    @property
    def json(self) -> Any:
        return json.loads(self.stdout)

    @property
    def error(self) -> str:
        """stderr with request ids made stable: "request id <id>"."""
        return REQUEST_ID.sub("request id <id>", self.stderr)


_runner = CliRunner()


def acsid(*args: str, input: str | None = None, env: dict[str, str] | None = None, clock: Any = None) -> Run:
    """Run acsid in this process, as a user would type it; `clock` (a FakeClock) replaces the client's waits."""
    run = None if clock is None else Invocation(clock=clock)
    result = _runner.invoke(app, list(args), input=input, env=env, obj=run)
    return Run(result.exit_code, result.stdout, result.stderr)


def acsid_process(*args: str, input: str | None = None, env: dict[str, str] | None = None, timeout: float = 60) -> Run:
    """Run acsid as a separate process: real argv, real stdin/stdout, real exit code."""
    done = subprocess.run(
        [sys.executable, "-m", "acsid_cli", *args],
        input=input or "",
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=timeout,
    )
    return Run(done.returncode, done.stdout, done.stderr)


def new_users(n: int, *options: str) -> list[str]:
    """The ids of n identities made with acsid itself (`options`: e.g. --connection-string)."""
    result = acsid("user", "create", "--count", str(n), "--rate", "0", "-o", "tsv", "--query", "rawId", *options)
    assert result.exit_code == 0, result.stderr
    return result.stdout.split()


def commands(group: Any = None, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    """Every command and group of the app, hidden ones too, by the words that run it; each built as a run builds it."""
    group = group or get_command(app)
    context = typer.Context(group)
    for name in [*group.list_commands(context), *(sorted(HIDDEN) if not path else [])]:
        command = group.get_command(context, name)
        yield (*path, name), command
        if hasattr(command, "list_commands"):
            yield from commands(command, (*path, name))


def json_lines(text: str) -> list[Any]:
    return [json.loads(line) for line in text.splitlines()]


def emulator_process(*args: str) -> subprocess.Popen[str]:
    """`acsid emulator --port 0 ...` as a separate process, its stdout and stderr piped."""
    return subprocess.Popen(
        [sys.executable, *EMULATOR_COMMAND, "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ},
    )


class FakeClock:
    """Time that moves only when someone waits on it or a test moves it, and never sleeps.

    acsid's client waits on it (`acsid(..., clock=clock)`), and an emulator made with `clock=clock` reads
    the same time: a Retry-After that the client honours has passed for the emulator too.
    """

    def __init__(self, start: float | None = None) -> None:
        self._now = time.time() if start is None else start
        self._lock = threading.Lock()
        self.sleeps: list[float] = []  # every wait asked for, in order

    def __call__(self) -> float:  # the emulator's clock
        return self._now

    def now(self) -> float:  # the client's clock
        return self._now

    def time(self) -> float:  # the wall clock, for what a token says
        return self._now

    def sleep(self, seconds: float, wake: Any = None) -> None:
        with self._lock:
            self.sleeps.append(seconds)
            self._now += seconds

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._now += seconds


def admin_of(running: Any, cafile: str | None = None) -> EmulatorAdmin:
    """The admin client of an emulator served from a thread (start_in_thread), with its admin token."""
    emulator = running.emulator
    return EmulatorAdmin(
        running.connection_string, emulator.resource_id, cafile=cafile, admin_token=emulator.config.admin_token
    )
