"""How tests run acsid: in-process (fast) and as a subprocess (exactly what a user runs)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass

from typer.testing import CliRunner

from acsid_cli.cli import app


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str

    @property
    def json(self):
        return json.loads(self.stdout)


_runner = CliRunner()


def acsid(*args: str, input: str | None = None, env: dict[str, str] | None = None) -> Run:
    """Run acsid in this process, as a user would type it."""
    result = _runner.invoke(app, list(args), input=input, env=env)
    return Run(result.exit_code, result.stdout, result.stderr)


def acsid_process(*args: str, input: str | None = None, env: dict[str, str] | None = None, timeout: float = 60) -> Run:
    """Run acsid as a separate process: real argv, real stdin/stdout, real exit code."""
    full_env = {**os.environ, **(env or {})}
    done = subprocess.run(
        [sys.executable, "-m", "acsid_cli", *args],
        input=input or "",
        capture_output=True,
        text=True,
        env=full_env,
        timeout=timeout,
    )
    return Run(done.returncode, done.stdout, done.stderr)
