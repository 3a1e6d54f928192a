"""Plain http never goes through a proxy; https honours HTTPS_PROXY and NO_PROXY as every Azure tool does.

The "proxy" is a real socket on loopback that counts who connected, then hangs up: a request sent to
it fails at once, and the count says whether it went there.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest

from acsid_cli.client.errors import TransportError
from acsid_cli.client.rest import IdentityClient

PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy")


class RecordingProxy:
    def __init__(self) -> None:
        self._socket = socket.create_server(("127.0.0.1", 0))
        self._socket.settimeout(0.1)
        self.url = f"http://127.0.0.1:{self._socket.getsockname()[1]}"
        self.first_lines: list[bytes] = []
        self._lock = threading.Lock()
        self._closing = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._closing.is_set():
            try:
                conn, _ = self._socket.accept()
            except TimeoutError:
                continue
            with conn:
                conn.settimeout(5)
                try:
                    line = conn.recv(4096).split(b"\r\n")[0]
                except OSError:
                    line = b""
                with self._lock:  # counted before the hang-up, so the client's failure comes after it
                    self.first_lines.append(line)

    def close(self) -> None:
        self._closing.set()
        self._thread.join(5)
        self._socket.close()


@pytest.fixture
def proxy(monkeypatch) -> Iterator[RecordingProxy]:
    recording = RecordingProxy()
    for name in PROXY_VARIABLES:
        monkeypatch.setenv(name, recording.url)
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    yield recording
    recording.close()


def no_wait(seconds: float) -> None:
    """Retries need not wait here."""


def test_plain_http_to_loopback_never_uses_the_proxy(emulator, proxy):
    client = IdentityClient.from_connection_string(emulator.connection_string, sleep=no_wait)
    assert client.create_user().identity.id
    assert proxy.first_lines == []  # the signed request and the token never went to the proxy


def test_plain_http_to_a_development_emulator_never_uses_the_proxy(emulator, proxy):
    client = IdentityClient.from_connection_string(
        f"{emulator.connection_string};UseDevelopmentEmulator=true", sleep=no_wait
    )
    assert client.create_user().identity.id
    assert proxy.first_lines == []


def test_https_goes_through_the_proxy(https_emulator, proxy):
    client = IdentityClient.from_connection_string(https_emulator.connection_string, sleep=no_wait)
    with pytest.raises(TransportError):
        client.create_user()  # the recording proxy hangs up
    host = https_emulator.endpoint.removeprefix("https://")
    assert proxy.first_lines
    assert all(line.startswith(f"CONNECT {host} ".encode()) for line in proxy.first_lines)


def test_https_honours_no_proxy(https_emulator, proxy, monkeypatch, tls_files):
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", tls_files["ca"])
    client = IdentityClient.from_connection_string(https_emulator.connection_string, sleep=no_wait)
    assert client.create_user().identity.id
    assert proxy.first_lines == []
