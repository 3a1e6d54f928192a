"""How tests run acsid: in this process (fast, with a fake clock when asked) and as a separate process."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from typer.testing import CliRunner

from acsid_cli.cli.app import app
from acsid_cli.cli.invocation import Invocation

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


def acsid(
    *args: str,
    input: str | None = None,
    env: dict[str, str] | None = None,
    sleep: Callable[[float], None] | None = None,
) -> Run:
    """Run acsid in this process, as a user would type it; `sleep` replaces the client's waits between attempts."""
    run = None if sleep is None else Invocation(sleep=sleep)
    result = _runner.invoke(app, list(args), input=input, env=env, obj=run)
    return Run(result.exit_code, result.stdout, result.stderr)


class Sleeps(list[float]):
    """A stand-in for time.sleep that records what it was asked to wait."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


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


class FakeClock:
    """Time that moves only when a test moves it; for the emulator's clock."""

    def __init__(self, now: float | None = None) -> None:
        import time

        self.now = time.time() if now is None else now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds
