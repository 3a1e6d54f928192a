"""The console's port: the page's files, and the admin API on the same origin, each answer with headers
that keep the page to its own files (CSP), out of frames and out of other origins' reach."""

from __future__ import annotations

from collections.abc import Callable
from importlib.resources import files
from typing import TYPE_CHECKING

from acsid_cli.emulator.messages import Answer, Request

if TYPE_CHECKING:
    from acsid_cli.emulator.listener import Listener
    from acsid_cli.emulator.server import RunningServer

_TYPES = {
    "html": "text/html; charset=utf-8",
    "js": "text/javascript; charset=utf-8",
    "css": "text/css; charset=utf-8",
    "svg": "image/svg+xml",
}
PAGES = {"/": "index.html", "/console.js": "console.js", "/console.css": "console.css", "/favicon.svg": "favicon.svg"}
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'none'",  # the forms are sent by script, never by the browser
        "frame-ancestors 'none'",
    )
)
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",  # frame-ancestors for browsers that predate it
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}


class Console:
    """Answers the console's port: GET of the page's files; /emulator/ calls go to the admin API."""

    def __init__(self, admin: Callable[[Request], Answer], endpoint: str) -> None:
        static = files(__package__).joinpath("static")
        self._files = {
            path: (static.joinpath(name).read_bytes(), _TYPES[name.rpartition(".")[2]]) for path, name in PAGES.items()
        }
        self._admin = admin
        self._endpoint = endpoint  # the emulator's, which only the server knows

    def handle(self, request: Request) -> Answer:
        if request.path.startswith("/emulator/"):
            answer = self._admin(request)
            answer.headers["Cache-Control"] = "no-store"
            if request.path == "/emulator/about" and answer.status == 200 and answer.body is not None:
                answer.body["endpoint"] = self._endpoint  # where SDKs go, shown on the page
        elif request.path in self._files and request.method in ("GET", "HEAD"):
            body, content_type = self._files[request.path]
            answer = Answer(200, raw=body, content_type=content_type, headers={"Cache-Control": "no-cache"})
        else:
            answer = Answer(404, raw=b"Not found.\n", content_type="text/plain; charset=utf-8")
        answer.headers.update(HEADERS)
        return answer


def serve(running: RunningServer, port: int = 0) -> Listener:
    """The console of a running emulator on a port of its own (0: a free one), on the emulator's host and with
    its limits and TLS; raises OSError. Its address, with the admin token in the fragment: address(...)."""
    return running.serve(Console(running.emulator.handle, running.endpoint).handle, port=port)


def address(listener: Listener, admin_token: str) -> str:
    """What people open: the token in the fragment, which browsers never send, so it reaches no log."""
    return f"{listener.endpoint}/#token={admin_token}"
