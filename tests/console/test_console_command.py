"""`acsid emulator` serves the console on a port of its own and prints where, with the admin token, as Jupyter
prints its URL; --no-console and --console-port say otherwise."""

from __future__ import annotations

import socket
from urllib.parse import urlsplit

import pytest
import requests
from helpers import acsid_process, emulator_process

from acsid_cli.cli.commands.emulator import console_port_of
from acsid_cli.emulator import DEFAULT_PORT


def console_line(process) -> tuple[str, list[str]]:
    """The address after "console: " and the stderr lines up to it (the emulator prints a few, then waits)."""
    lines = []
    for _ in range(10):
        lines.append(process.stderr.readline())
        if lines[-1].startswith("console: ") or not lines[-1]:
            break
    return (lines[-1].removeprefix("console: ").strip() if lines[-1].startswith("console: ") else ""), lines


def test_the_console_address_is_printed_with_the_admin_token_and_serves_the_page():
    process = emulator_process()
    assert process.stdout is not None
    try:
        connection_string = process.stdout.readline().strip()
        address, lines = console_line(process)
        assert address, lines
        parts = urlsplit(address)
        assert (parts.scheme, parts.hostname, parts.path, parts.query) == ("http", "127.0.0.1", "/", "")
        assert parts.fragment.startswith("token=")
        token = parts.fragment.removeprefix("token=")
        origin = f"http://{parts.netloc}"
        page = requests.get(origin + "/", timeout=10)
        assert (page.status_code, page.headers["Content-Type"]) == (200, "text/html; charset=utf-8")
        assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
        assert requests.get(origin + "/emulator/about", timeout=10).status_code == 401
        about = requests.get(origin + "/emulator/about", headers={"Authorization": f"Bearer {token}"}, timeout=10)
        endpoint = connection_string.split(";")[0].removeprefix("endpoint=").rstrip("/")
        assert (about.status_code, about.json()["endpoint"]) == (200, endpoint)
        assert parts.port != urlsplit(endpoint).port
    finally:
        process.terminate()
        stdout, _ = process.communicate(timeout=10)
    assert stdout == ""  # stdout keeps the connection string alone; the address went to stderr


def test_no_console():
    process = emulator_process("--no-console")
    assert process.stdout is not None
    try:
        assert process.stdout.readline().startswith("endpoint=")
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=10)
    assert "listening on" in stderr
    assert "console" not in stderr


def test_a_busy_console_port_is_one_error_line_with_a_hint():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = acsid_process("emulator", "--port", "0", "--console-port", str(port), timeout=20)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"error: cannot listen on 127.0.0.1:{port} for the console: Address already in use\n"
        "hint: --console-port 0 picks a free port; --no-console serves none\n"
    )


@pytest.mark.parametrize(
    ("port", "console_port", "chosen"),
    [
        (DEFAULT_PORT, None, DEFAULT_PORT + 1),  # 10051 beside the default 10050, as people expect to find it
        (0, None, 0),  # a free port for the emulator: a free one for the console too (tests run many at once)
        (12345, None, 0),
        (DEFAULT_PORT, 0, 0),
        (0, 8080, 8080),
    ],
)
def test_the_console_port(port, console_port, chosen):
    assert console_port_of(port, console_port) == chosen
