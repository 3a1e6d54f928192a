"""One connection's requests: the body read by its exact length, the emulator's answer (or a lost
connection) written in one piece. HTTP/1.1 with keep-alive.

Kept lean on purpose (one write per answer, no per-request logging): it must serve well over a thousand
signed requests per second on a small machine, next to the client that sends them.
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING, Any

from acsid_cli import signing
from acsid_cli.emulator.errors import error_body
from acsid_cli.emulator.messages import Answer, Request

if TYPE_CHECKING:
    from acsid_cli.emulator.server import EmulatorServer

log = logging.getLogger("acsid_cli.emulator")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server: EmulatorServer

    def do_GET(self) -> None:
        body = self._read_body()
        if body is None:
            return
        scheme = "https" if self.server.tls else "http"
        request = Request(self.command, self.path, self.headers, body, f"{scheme}://{self.headers.get('Host', '')}")
        try:
            answer = self.server.emulator.handle(request)
        except Exception:
            if self.server.stopping:
                raise  # the state closed under it: handle_error keeps quiet
            # A bug of ours: the client gets a 500 it can show, the emulator's stderr the traceback.
            log.exception("emulator bug answering %s %s", self.command, self.path)
            answer = Answer(500, error_body("EmulatorBug", "The acsid emulator failed; its log has the traceback."))
        if self.server.stopping:
            self.close_connection = True
        self._send(answer)

    # Every method reaches the route table, which answers as the service does for those it has no route for.
    do_POST = do_DELETE = do_PUT = do_PATCH = do_HEAD = do_OPTIONS = do_GET

    def log_message(self, format: str, *args: Any) -> None:
        """Silent: a line per request would cost more than the request itself."""

    def _read_body(self) -> bytes | None:
        """The body's exact bytes, or None after answering 411 to a request whose length is unknown."""
        length = self.headers.get("Content-Length", "0").strip()
        if "Transfer-Encoding" in self.headers or not (length.isascii() and length.isdigit()):
            self.close_connection = True
            message = "Send the body with a Content-Length; chunked bodies are not supported."
            self._send(Answer(411, error_body("LengthRequired", message)))
            return None
        return self.rfile.read(int(length)) if length != "0" else b""

    def _send(self, answer: Answer) -> None:
        if answer.drop in ("before", "after"):
            self.close_connection = True  # no answer at all
            return
        payload, content_type = answer.payload()
        head = self._head(answer.status, payload, content_type, answer.headers)
        if self.command == "HEAD":
            payload = b""  # the headers say how long the body would be; it is not sent
        if answer.drop == "mid":
            # Cut inside the body, or inside the headers when there is no body to cut.
            cut = len(head) + len(payload) // 2 if payload else len(head) // 2
            self.wfile.write((head + payload)[:cut])
            self.close_connection = True
            return
        if answer.log:
            answer.log.status = answer.status  # before writing: a client may read the log as soon as it has the answer
        try:
            self.wfile.write(head + payload)
        except OSError:
            if answer.log:
                answer.log.status = None
            raise

    def _head(self, status: int, payload: bytes, content_type: str | None, headers: dict[str, str]) -> bytes:
        lines = [f"HTTP/1.1 {status} {_reason(status)}", f"Date: {signing.http_date()}"]
        if content_type:
            lines.append(f"Content-Type: {content_type}")
        lines.append(f"Content-Length: {len(payload)}")
        lines.extend(f"{name}: {value}" for name, value in headers.items())
        if self.close_connection:
            lines.append("Connection: close")
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


