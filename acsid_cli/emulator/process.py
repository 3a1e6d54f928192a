"""Run the emulator as a separate process, as test fixtures, `make demo` and `make bench` do.

    with run_emulator() as emu:
        client = CommunicationIdentityClient(emu.endpoint, AzureKeyCredential(emu.access_key))
        emu.inject("create", status=503)   # the next create answers 503
        ...

Standard library only (and the emulator's stdlib-only messages): other projects' fixtures import this.
"""

from __future__ import annotations

import json
import os
import secrets
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import IO, Any, cast

from acsid_cli.emulator import ADMIN_TOKEN_ENV
from acsid_cli.emulator.messages import camel

EMULATOR_COMMAND = ("-m", "acsid_cli", "emulator")
START_TIMEOUT = 30.0
STOP_TIMEOUT = 10.0


class EmulatorError(RuntimeError):
    """The emulator did not start, or refused an admin request."""


@dataclass(frozen=True)
class EmulatorAdmin:
    """The admin client of a running emulator: where it is, and its /emulator/ calls (stdlib urllib, no signing)."""

    connection_string: str
    resource_id: str
    process: subprocess.Popen[bytes] | None = None
    cafile: str | None = None  # the CA to trust when the emulator serves HTTPS
    admin_token: str | None = field(default=None, repr=False)  # sent as Authorization: Bearer to /emulator/

    @property
    def endpoint(self) -> str:
        return _setting(self.connection_string, "endpoint").rstrip("/")

    @property
    def access_key(self) -> str:
        return _setting(self.connection_string, "accesskey")

    def inject(self, route: str, **fault: Any) -> dict[str, Any]:
        """Queue a fault, e.g. inject("issue", status=429, retry_after=2); snake_case names become camelCase."""
        rule = {"route": route, **{camel(name): value for name, value in fault.items()}}
        return self._object("POST", "/emulator/faults", rule)

    def faults(self) -> list[dict[str, Any]]:
        """The pending faults, each with the uses it has left as its count."""
        return self._values("/emulator/faults")

    def requests(self) -> list[dict[str, Any]]:
        """Every ACS request the emulator saw, oldest first, with its status and the fault it took."""
        return self._values("/emulator/requests")

    @contextmanager
    def fault(self, route: str, times: int = 1, **fault: Any) -> Iterator[dict[str, Any]]:
        """`with emu.fault("issue", status=503, times=2): ...`: the next `times` requests to the route take it;
        leaving the block forgets whatever faults are still pending."""
        try:
            yield self.inject(route, count=times, **fault)
        finally:
            self._call("DELETE", "/emulator/faults")

    def clear(self) -> None:
        """Forget pending faults and the request log (identities and tokens stay)."""
        self._call("DELETE", "/emulator/faults")
        self._call("DELETE", "/emulator/requests")

    def reset(self) -> None:
        """Forget everything: identities, tokens, faults and the request log, as if just started."""
        self._call("POST", "/emulator/reset")

    def identities(self) -> list[dict[str, Any]]:
        return self._values("/emulator/identities")

    def validate(self, token: str) -> dict[str, Any]:
        """{"status": "valid" | "expired" | "revoked" | "deleted" | "unknown", "identity", "expiresOn"}."""
        return self._object("POST", "/emulator/tokens/:validate", {"token": token})

    def health(self) -> dict[str, Any]:
        return self._object("GET", "/emulator/health")

    def _call(self, method: str, path: str, body: Any = None) -> Any:
        return admin_call(self.endpoint, method, path, body, self.cafile, self.admin_token)

    def _object(self, method: str, path: str, body: Any = None) -> dict[str, Any]:
        return cast("dict[str, Any]", self._call(method, path, body))

    def _values(self, path: str) -> list[dict[str, Any]]:
        return cast("list[dict[str, Any]]", self._object("GET", path)["value"])


def admin_call(
    endpoint: str, method: str, path: str, body: Any = None, cafile: str | None = None, admin_token: str | None = None
) -> Any:
    """One request to an /emulator/ endpoint; the decoded JSON answer, or None for 204."""
    data = None if body is None else json.dumps(body).encode("utf-8")
    request = urllib.request.Request(endpoint + path, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    if admin_token:
        request.add_header("Authorization", f"Bearer {admin_token}")
    context = ssl.create_default_context(cafile=cafile) if endpoint.startswith("https:") else None
    try:
        with urllib.request.urlopen(request, timeout=10, context=context) as response:
            payload = response.read()
    except urllib.error.HTTPError as e:
        raise EmulatorError(f"{method} {path}: HTTP {e.code} {e.read().decode('utf-8', 'replace')}") from None
    return json.loads(payload) if payload else None


@contextmanager
def run_emulator(
    *extra_args: str, env: Mapping[str, str] | None = None, cafile: str | None = None
) -> Iterator[EmulatorAdmin]:
    """Start `acsid emulator --port 0 *extra_args` in a child process; stop it (SIGTERM) on exit.

    env adds to (does not replace) this process's environment. cafile is the CA that signed --cert.
    """
    command = [sys.executable, *EMULATOR_COMMAND, "--port", "0", *extra_args]
    admin_token = secrets.token_urlsafe(32)  # chosen here and handed over in the environment, never on argv
    env = {**os.environ, ADMIN_TOKEN_ENV: admin_token, **(env or {})}
    with tempfile.TemporaryFile() as stderr:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=stderr, env=env)
        try:
            assert process.stdout is not None
            connection_string = _first_line(process.stdout, START_TIMEOUT)
            if not connection_string:
                process.kill()
                stderr.seek(0)
                reason = stderr.read().decode("utf-8", "replace").strip()
                raise EmulatorError(f"the emulator did not start (exit {process.wait()}): {reason}")
            endpoint = _setting(connection_string, "endpoint").rstrip("/")
            health = _wait_until_healthy(endpoint, cafile)
            yield EmulatorAdmin(connection_string, health["resourceId"], process, cafile, env[ADMIN_TOKEN_ENV])
        finally:
            _stop(process)


def _setting(connection_string: str, name: str) -> str:
    for part in connection_string.split(";"):
        key, _, value = part.partition("=")
        if key.strip().lower() == name:
            return value
    raise EmulatorError(f"the connection string has no {name}")


def _first_line(stream: IO[bytes], timeout: float) -> str:
    """The first line the child prints, or "" if it exits or stays silent for timeout seconds."""
    lines: list[bytes] = []
    reader = threading.Thread(target=lambda: lines.append(stream.readline()), daemon=True)
    reader.start()
    reader.join(timeout)
    return lines[0].decode("utf-8").strip() if lines else ""


def _wait_until_healthy(endpoint: str, cafile: str | None) -> dict[str, Any]:
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        try:
            return cast("dict[str, Any]", admin_call(endpoint, "GET", "/emulator/health", cafile=cafile))
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    if process.stdout:
        process.stdout.close()
