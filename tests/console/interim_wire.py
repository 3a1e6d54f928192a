"""INTERIM, until emu-wire's listener and emu-dispatch's admin protections land: serves the Console app
on a port of its own, with a minimal token/Host/Origin guard in front of the admin API."""

from __future__ import annotations

import hmac
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from acsid_cli.emulator.app import Emulator
from acsid_cli.emulator.console.app import Console
from acsid_cli.emulator.messages import Answer, Request, host_port


def _admin(emulator: Emulator, token: str, port: int, request: Request) -> Answer:
    hosts = {f"127.0.0.1:{port}", f"localhost:{port}"}
    origin = request.headers.get("Origin")
    if request.headers.get("Host") not in hosts:
        return Answer(403, {"error": {"code": "Forbidden", "message": "not this emulator's Host"}})
    if origin is not None and origin not in {f"http://{h}" for h in hosts}:
        return Answer(403, {"error": {"code": "Forbidden", "message": "another origin"}})
    given = request.headers.get("Authorization", "")
    if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return Answer(401, {"error": {"code": "Unauthorized", "message": "admin token needed"}})
    return emulator.handle(request)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def do_GET(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        origin, local = f"http://{self.headers.get('Host', '')}", host_port(self.connection.getsockname())
        request = Request(self.command, self.path, self.headers, body, origin, local)
        answer = self.server.console.handle(request)
        payload, content_type = answer.payload()
        self.send_response(answer.status)
        if content_type:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        for name, value in answer.headers.items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    do_POST = do_DELETE = do_PUT = do_HEAD = do_OPTIONS = do_GET

    def log_message(self, format: str, *args: object) -> None:
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    console: Console


def serve(emulator: Emulator, token: str) -> tuple[_Server, str]:
    server = _Server(("127.0.0.1", 0), _Handler)
    port = server.server_address[1]
    server.console = Console(lambda request: _admin(emulator, token, port, request))
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True).start()
    return server, f"http://127.0.0.1:{port}"
