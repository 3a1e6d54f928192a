"""Shared fixtures: a clean environment, a real file-backed keyring, the emulator as a separate process,
and two ways to run acsid: in-process (fast) and as a subprocess (exactly what a user runs)."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass

import keyring
import pytest
from acsid_cli.emulator.process import run_emulator
from keyrings.alt.file import PlaintextKeyring
from typer.testing import CliRunner

from acsid_cli.cli import app

ENV_VARS = (
    "AZURE_COMMUNICATION_CONNECTION_STRING",
    "ACSID_OUTPUT",
    "ACSID_PROFILE",
    "ACSID_FORCE_TTY",
    "NO_COLOR",
    "REQUESTS_CA_BUNDLE",
)


@pytest.fixture(autouse=True)
def clean_env(monkeypatch, tmp_path):
    """No test sees the developer's credentials, keyring or output preferences."""
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyrings.alt.file.PlaintextKeyring")
    monkeypatch.setenv("TERMINAL_WIDTH", "100")
    monkeypatch.setenv("COLUMNS", "100")
    keyring.set_keyring(PlaintextKeyring())  # a real keyring, in this test's own folder


@pytest.fixture(scope="session")
def emulator_process():
    with run_emulator() as running:
        yield running


@pytest.fixture
def emulator(emulator_process):
    """The shared emulator with its faults and request log cleared."""
    emulator_process.clear()
    yield emulator_process
    emulator_process.clear()


@pytest.fixture
def conn_env(emulator, monkeypatch):
    monkeypatch.setenv("AZURE_COMMUNICATION_CONNECTION_STRING", emulator.connection_string)
    return emulator


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str

    @property
    def json(self):
        import json

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
