"""The emulator's HTTP/1.1 server: keep-alive connections, TLS, faults, and answering on the wire.

Kept lean on purpose (one write per answer, no per-request logging): it must serve well over a thousand
signed requests per second on a small machine, next to the client that sends them.
"""

from __future__ import annotations

import base64
import json
import os
import socket
import socketserver
import ssl
import sys
import threading
import time
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from acsid_cli import signing
from acsid_cli.emulator import DEFAULT_ACCESS_KEY, DEFAULT_PORT, DEFAULT_RESOURCE_ID, DEFAULT_SECONDARY_KEY, admin
from acsid_cli.emulator.admin import RequestLog
from acsid_cli.emulator.api import (
    GUID,
    SUPPORTED_VERSIONS_HEADER,
    Answer,
    IdentityApi,
    Request,
    error_body,
    match_route,
)
from acsid_cli.emulator.auth import HmacVerifier
from acsid_cli.emulator.faults import Fault, FaultRules
from acsid_cli.emulator.store import StateError, Store, open_store
from acsid_cli.emulator.tokens import TokenMinter, new_private_key_pem

_HANDSHAKE_TIMEOUT = 10.0
_JSON = "application/json"
_JSON_UTF8 = "application/json; charset=utf-8"
_WILDCARD_HOSTS = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}


@dataclass(frozen=True)
class EmulatorConfig:
    host: str = "127.0.0.1"
    port: int = DEFAULT_PORT
    access_key: str = DEFAULT_ACCESS_KEY
    secondary_key: str | None = DEFAULT_SECONDARY_KEY
    resource_id: str = DEFAULT_RESOURCE_ID
    cert_file: str | None = None
    key_file: str | None = None
    state_file: str | None = None
    max_clock_skew_minutes: float = 15

    def __post_init__(self) -> None:
        """Rejects settings that could only fail later, naming the option to fix."""
        for option, value in (("--access-key", self.access_key), ("--secondary-key", self.secondary_key)):
            if value is not None and not _is_base64(value):
                raise ValueError(f"{option} must be base64, like the accesskey of a connection string")
        if not GUID.fullmatch(self.resource_id):
            raise ValueError(f"--resource-id must be a GUID such as {DEFAULT_RESOURCE_ID}")
        if (self.cert_file is None) != (self.key_file is None):
            raise ValueError("--cert and --key go together: give both to serve HTTPS")


class EmulatorServer(ThreadingHTTPServer):
    daemon_threads = True  # idle keep-alive connections must not hold up shutdown
    request_queue_size = 128

    def __init__(self, config: EmulatorConfig) -> None:
        """Binds, loads the certificate and opens the state; raises OSError, ValueError or StateError."""
        self.config = config
        self.resource_id = config.resource_id.lower()
        if ":" in config.host:
            self.address_family = socket.AF_INET6
        self.tls = _tls_context(config.cert_file, config.key_file)
        self._store = open_store(config.state_file)
        try:
            minter = TokenMinter(_signing_key(self._store, self.resource_id), self.resource_id)
        except StateError:
            self._store.close()
            raise
        keys = [config.access_key] + ([config.secondary_key] if config.secondary_key else [])
        verifier = HmacVerifier(keys, config.max_clock_skew_minutes * 60)
        self.api = IdentityApi(self._store, minter, verifier, self.resource_id)
        self.faults = FaultRules()
        self.request_log = RequestLog()
        super().__init__((config.host, config.port), _Handler)  # if binding fails, server_close() closes the store

    @property
    def endpoint(self) -> str:
        host = _WILDCARD_HOSTS.get(self.config.host, self.config.host)
        if ":" in host:
            host = f"[{host}]"
        return f"{'https' if self.tls else 'http'}://{host}:{self.server_address[1]}"

    @property
    def connection_string(self) -> str:
        return f"endpoint={self.endpoint}/;accesskey={self.config.access_key}"

    def server_bind(self) -> None:
        # HTTPServer.server_bind would also resolve the host's FQDN, which we never use and may be slow.
        socketserver.TCPServer.server_bind(self)

    def finish_request(self, request: Any, client_address: Any) -> None:
        if self.tls is None:
            super().finish_request(request, client_address)
            return
        # The handshake runs here, in the connection's thread, so a slow client cannot stall accept().
        try:
            request.settimeout(_HANDSHAKE_TIMEOUT)
            tls_socket = self.tls.wrap_socket(request, server_side=True)
            tls_socket.settimeout(None)
        except OSError:
            return
        try:
            super().finish_request(tls_socket, client_address)
        finally:
            self.shutdown_request(tls_socket)

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], OSError):
            return  # the client went away mid-request: nothing to report
        super().handle_error(request, client_address)

    def server_close(self) -> None:
        super().server_close()
        self._store.close()


def _is_base64(value: str) -> bool:
    try:
        return bool(base64.b64decode(value, validate=True))
    except ValueError:
        return False


def _tls_context(cert_file: str | None, key_file: str | None) -> ssl.SSLContext | None:
    if cert_file is None or key_file is None:
        return None
    for path in (cert_file, key_file):
        try:
            with open(path, "rb"):
                pass
        except OSError as e:
            raise ValueError(f"cannot read {path}: {e.strerror}") from None
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    try:
        context.load_cert_chain(cert_file, key_file)
    except ssl.SSLError as e:
        detail = f" ({e.reason})" if e.reason else ""
        raise ValueError(f"{cert_file} and {key_file} are not a PEM certificate and its key{detail}") from None
    return context


def _signing_key(store: Store, resource_id: str) -> str:
    """The RSA key of this state, created on first use: a state file keeps its tokens verifiable."""
    owner = store.meta("resource_id")
    if owner is None:
        store.set_meta("resource_id", resource_id)
    elif owner != resource_id:
        raise StateError(f"the state file belongs to resource {owner}; start with --resource-id {owner}")
    pem = store.meta("signing_key")
    if pem is None:
        pem = new_private_key_pem()
        store.set_meta("signing_key", pem)
    return pem


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server: EmulatorServer

    def do_GET(self) -> None:
        if self.path.startswith("/emulator/"):
            self._emulator_endpoint()
        else:
            self._acs_operation()

    do_POST = do_DELETE = do_PUT = do_PATCH = do_GET

    def log_message(self, format: str, *args: Any) -> None:
        """Silent: a line per request would cost more than the request itself."""

    def _acs_operation(self) -> None:
        started = time.perf_counter()
        server = self.server
        route = match_route(self.command, self.path)
        fault = server.faults.take(route.name) if route else None
        entry = server.request_log.add(
            self.command,
            route,
            self.path,
            self.headers.get("x-ms-client-request-id"),
            fault,
            self.headers.get("Authorization"),
        )
        if fault and fault.delay_ms:
            time.sleep(fault.delay_ms / 1000)
        if fault and fault.drop == "before":
            self.close_connection = True
            return
        body = self._read_body()
        if body is None:
            entry["status"] = 411
            return
        if route is None:
            answer = Answer(404, error_body("NotFound", f"No operation matches '{self.command} {_path(self.path)}'."))
        elif fault and fault.skips_operation:
            answer = None
        else:
            origin = f"{'https' if server.tls else 'http'}://{self.headers.get('Host', '')}"
            answer = server.api.handle(route, Request(self.command, self.path, self.headers, body, origin))
        if fault and fault.drop == "after":
            self.close_connection = True
            return
        if fault and fault.status:
            status, payload, content_type = _fault_answer(fault.status, fault)
        else:
            assert answer is not None, "only a fault with a status skips the operation"
            status, payload, content_type = _encode(answer)
        headers = {
            "api-supported-versions": SUPPORTED_VERSIONS_HEADER,
            "MS-CV": base64.b64encode(os.urandom(16)).decode("ascii")[:22] + ".0",
            "X-Processing-Time": f"{round((time.perf_counter() - started) * 1000)}ms",
        }
        if "x-ms-client-request-id" in self.headers:
            headers["x-ms-client-request-id"] = self.headers["x-ms-client-request-id"]
        if fault and fault.retry_after is not None:
            headers["Retry-After"] = fault.retry_after
        head = self._head(status, payload, content_type, headers)
        if fault and fault.drop == "mid":
            # Cut inside the body, or inside the headers when there is no body to cut.
            cut = len(head) + len(payload) // 2 if payload else len(head) // 2
            self.wfile.write((head + payload)[:cut])
            self.close_connection = True
            return
        entry["status"] = status  # before writing: a client may read the log as soon as it has the answer
        try:
            self.wfile.write(head + payload)
        except OSError:
            entry["status"] = None
            raise

    def _emulator_endpoint(self) -> None:
        body = self._read_body()
        if body is None:
            return
        answer = admin.answer(self.server, self.command, _path(self.path), body)
        status, payload, content_type = _encode(answer)
        self.wfile.write(self._head(status, payload, content_type, {}) + payload)

    def _read_body(self) -> bytes | None:
        """The body's exact bytes, or None after answering 411 to a request whose length is unknown."""
        length = self.headers.get("Content-Length", "0").strip()
        if "Transfer-Encoding" in self.headers or not length.isdigit():
            self.close_connection = True
            message = "Send the body with a Content-Length; chunked bodies are not supported."
            status, payload, content_type = _encode(Answer(411, error_body("LengthRequired", message)))
            self.wfile.write(self._head(status, payload, content_type, {}) + payload)
            return None
        return self.rfile.read(int(length)) if length != "0" else b""

    def _head(self, status: int, payload: bytes, content_type: str | None, headers: dict[str, str]) -> bytes:
        lines = [f"HTTP/1.1 {status} {_reason(status)}", f"Date: {signing.http_date()}"]
        if content_type:
            lines.append(f"Content-Type: {content_type}")
        lines.append(f"Content-Length: {len(payload)}")
        lines.extend(f"{name}: {value}" for name, value in headers.items())
        if self.close_connection:
            lines.append("Connection: close")
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def _path(target: str) -> str:
    return target.partition("?")[0]


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


def _encode(answer: Answer) -> tuple[int, bytes, str | None]:
    if answer.body is None:
        return answer.status, b"", None
    payload = json.dumps(answer.body, separators=(",", ":")).encode("utf-8")
    return answer.status, payload, _JSON_UTF8 if answer.status < 400 else _JSON


def _fault_answer(status: int, fault: Fault) -> tuple[int, bytes, str | None]:
    if status in (204, 304) or status < 200:
        return status, b"", None  # these statuses cannot carry a body
    if fault.body is not None:
        payload = fault.body.encode("utf-8")
    else:
        message = f"Fault injected by the acsid emulator: status {status}."
        payload = json.dumps(error_body("InjectedFault", message), separators=(",", ":")).encode("utf-8")
    return status, payload, fault.content_type or _JSON


class RunningServer:
    """An emulator serving from a background thread of this process; stop() it, or use it as a context."""

    def __init__(self, server: EmulatorServer) -> None:
        self.server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.1}, name="acsid-emulator", daemon=True
        )
        self._thread.start()

    @property
    def endpoint(self) -> str:
        return self.server.endpoint

    @property
    def connection_string(self) -> str:
        return self.server.connection_string

    def stop(self) -> None:
        self.server.shutdown()
        self._thread.join()
        self.server.server_close()

    def __enter__(self) -> RunningServer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def start_in_thread(config: EmulatorConfig | None = None) -> RunningServer:
    return RunningServer(EmulatorServer(config or EmulatorConfig()))
