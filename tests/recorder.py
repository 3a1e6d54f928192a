"""A recording loopback server: answers what a test scripts, keeps every request exactly as it came.

For the 2025 operations, which the emulator may not serve yet: tests pin the requests acsid sends and read
the answers as the reference has them. It checks HMAC signatures like the service, so a signing bug shows.
"""

from __future__ import annotations

import base64
import json
import threading
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from acsid_cli import signing
from acsid_cli.emulator import DEFAULT_ACCESS_KEY


@dataclass(frozen=True)
class Received:
    method: str
    target: str  # the path and query, exactly as sent
    headers: dict[str, str]  # names in lower case
    body: bytes

    @property
    def authorization(self) -> str:
        return self.headers.get("authorization", "")

    @property
    def signed_correctly(self) -> bool:
        """An HMAC signature of this request with the default access key."""
        date, host = self.headers.get("x-ms-date", ""), self.headers.get("host", "")
        expected = signing.sign(self.method, self.target, host, self.body, base64.b64decode(DEFAULT_ACCESS_KEY), date)
        return (
            self.authorization == expected["Authorization"]
            and self.headers.get("x-ms-content-sha256") == expected["x-ms-content-sha256"]
        )


@dataclass
class Recorder:
    endpoint: str = ""
    received: list[Received] = field(default_factory=list)
    _answers: deque[tuple[int, Any, dict[str, str]]] = field(default_factory=deque)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _respond: Callable[[Received], tuple[int, Any]] | None = None

    @property
    def connection_string(self) -> str:
        return f"endpoint={self.endpoint}/;accesskey={DEFAULT_ACCESS_KEY}"

    def answer(self, status: int, body: Any = None, **headers: str) -> Recorder:
        """Script the next answer (in order); with none left, a 404."""
        self._answers.append((status, body, headers))
        return self

    def respond(self, answer: Callable[[Received], tuple[int, Any]]) -> Recorder:
        """Answer every request not scripted by answer() with answer(request): (status, body)."""
        self._respond = answer
        return self

    def _next(self, request: Received) -> tuple[int, Any, dict[str, str]]:
        with self._lock:
            if self._answers:
                return self._answers.popleft()
        if self._respond is not None:
            return (*self._respond(request), {})
        return 404, {"error": {"code": "NotFound", "message": "no answer scripted"}}, {}


@contextmanager
def recording() -> Iterator[Recorder]:
    recorder = Recorder()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _any(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            headers = {name.lower(): value for name, value in self.headers.items()}
            request = Received(self.command, self.path, headers, body)
            with recorder._lock:
                recorder.received.append(request)
            status, answer, extra = recorder._next(request)
            data = b"" if answer is None else json.dumps(answer).encode()
            self.send_response(status)
            if data:
                self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            for name, value in extra.items():
                self.send_header(name.replace("_", "-"), value)
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _any

        def log_message(self, format: str, *args: Any) -> None:  # quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    recorder.endpoint = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield recorder
    finally:
        server.shutdown()
        server.server_close()
