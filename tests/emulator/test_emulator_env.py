"""acsid emulator env: what a shell or CI step needs, from the running emulator's own announcement, never stderr."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from helpers import acsid, acsid_process, emulator_process

from acsid_cli.emulator import DEFAULT_ACCESS_KEY


def line_within(stream, seconds: float) -> str:
    """The next line, or "" if none comes in time (a regression must fail, not hang)."""
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.append(stream.readline()), daemon=True)
    reader.start()
    reader.join(seconds)
    return lines[0] if lines else ""


@pytest.fixture
def started():
    """Start `acsid emulator --port 0 ...` processes (in this test's own data dir); all stopped at the end."""
    processes: list[subprocess.Popen[str]] = []

    def start(*args: str) -> tuple[str, str]:
        """(connection string, admin token) of a new emulator, read from its stdout and stderr as people do."""
        process = emulator_process(*args)
        processes.append(process)
        assert process.stdout is not None
        assert process.stderr is not None
        connection_string = process.stdout.readline().strip()
        lines = [line_within(process.stderr, 10) for _ in range(2)]
        assert lines[1].startswith("acsid emulator: admin token "), lines
        return connection_string, lines[1].split()[4]

    yield start
    for process in processes:
        process.terminate()
        process.communicate(timeout=10)


def test_it_prints_export_lines_for_eval(started):
    connection_string, token = started("--self-signed")
    endpoint = connection_string.split(";")[0].removeprefix("endpoint=").rstrip("/")
    ca = Path(os.environ["XDG_DATA_HOME"]) / "acsid" / "ca"
    result = acsid("emulator", "env")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.splitlines() == [
        f"export AZURE_COMMUNICATION_CONNECTION_STRING={shlex.quote(connection_string)}",
        f"export ACSID_EMULATOR_ENDPOINT={endpoint}",
        f"export ACSID_EMULATOR_ADMIN_TOKEN={token}",
        f"export REQUESTS_CA_BUNDLE={ca / 'bundle.pem'}",
        f"export SSL_CERT_FILE={ca / 'bundle.pem'}",
        f"export CURL_CA_BUNDLE={ca / 'bundle.pem'}",
        f"export NODE_EXTRA_CA_CERTS={ca / 'ca.pem'}",
    ]


def test_plain_http_needs_no_ca_and_dotenv_lines_have_no_quotes(started):
    connection_string, token = started()
    assert connection_string.endswith(f";accesskey={DEFAULT_ACCESS_KEY}")
    endpoint = connection_string.split(";")[0].removeprefix("endpoint=").rstrip("/")
    result = acsid("emulator", "env", "--format", "dotenv")
    assert result.stdout.splitlines() == [
        f"AZURE_COMMUNICATION_CONNECTION_STRING={connection_string}",
        f"ACSID_EMULATOR_ENDPOINT={endpoint}",
        f"ACSID_EMULATOR_ADMIN_TOKEN={token}",
    ]


def test_a_shell_that_evals_it_reaches_the_admin_api_and_acsid_works(started):
    started("--self-signed")
    script = (
        'eval "$(acsid emulator env)"\n'
        'curl -sS --fail-with-body -H "Authorization: Bearer $ACSID_EMULATOR_ADMIN_TOKEN" '
        '"$ACSID_EMULATOR_ENDPOINT/emulator/identities"\necho\n'
        "acsid user create -o tsv --query rawId\n"
    )
    done = subprocess.run(
        ["bash", "-eu", "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"},
    )
    assert done.returncode == 0, done.stderr
    listed, created = done.stdout.split("\n", 1)
    assert listed == '{"value":[]}'
    assert created.startswith("8:acs:")
    assert created.count("\n") == 1


def test_without_a_running_emulator_it_says_so():
    result = acsid("emulator", "env")
    assert (result.exit_code, result.stdout, result.stderr) == (
        3,
        "",
        "error: no acsid emulator is running for this user\nhint: start one: acsid emulator &\n",
    )


def test_with_two_it_asks_which_and_port_chooses(started):
    first, _ = started()
    second, _ = started()
    ports = sorted(int(text.split(":")[2].split("/")[0]) for text in (first, second))
    both = acsid("emulator", "env")
    assert both.exit_code == 2
    assert both.stderr in {
        f"error: 2 acsid emulators are running (ports {a}, {b})\nhint: choose one with --port\n"
        for a, b in (ports, ports[::-1])
    }
    chosen = acsid("emulator", "env", "--port", str(ports[1]), "--format", "dotenv")
    assert f":{ports[1]}/;" in chosen.stdout.splitlines()[0]


def test_wait_gives_an_emulator_starting_in_the_background_time():
    process = emulator_process("--quiet")  # started, not yet waited for
    try:
        result = acsid_process("emulator", "env", "--wait", "30", "--format", "dotenv")
        assert result.exit_code == 0, result.stderr
        assert process.stdout is not None
        connection_string = process.stdout.readline().strip()
        assert result.stdout.splitlines()[0] == f"AZURE_COMMUNICATION_CONNECTION_STRING={connection_string}"
    finally:
        process.terminate()
        process.communicate(timeout=10)
