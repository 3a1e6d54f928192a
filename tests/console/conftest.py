"""The console's fixtures: one Chromium for the whole session, a fresh page per test, the console's URL."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from console_browser import ChromiumUnavailable, start
from helpers import admin_of

from acsid_cli.emulator.console import app as console_app
from acsid_cli.emulator.process import EmulatorAdmin

TIMEOUT_MS = 10_000  # a deadline for what the page shows, never a wait for time to pass


@dataclass(frozen=True)
class ConsoleSite:
    url: str  # the console's origin, e.g. http://127.0.0.1:41237
    token: str  # the admin token
    emulator: EmulatorAdmin

    @property
    def address(self) -> str:
        """What `acsid emulator` prints for people to open."""
        return f"{self.url}/#token={self.token}"


@pytest.fixture(scope="session")
def console_site(emulator_server) -> ConsoleSite:
    """The session's emulator with its console (which stops with it)."""
    listener = console_app.serve(emulator_server, port=0)
    token = emulator_server.emulator.config.admin_token
    return ConsoleSite(listener.local_endpoint, token, admin_of(emulator_server))


@pytest.fixture(scope="session")
def chromium(tmp_path_factory) -> Iterator[Any]:
    """One browser for the session. Where Chromium cannot start the tests fail here, loudly: never a skip."""
    try:
        playwright, context = start(tmp_path_factory.mktemp("chromium-profile"))
    except ChromiumUnavailable as e:
        pytest.fail(str(e), pytrace=False)
    context.set_default_timeout(TIMEOUT_MS)
    yield context
    context.close()
    playwright.stop()


@pytest.fixture
def page(chromium, emulator, console_site) -> Iterator[Any]:
    """A fresh tab (its own sessionStorage), on a reset emulator; the console's page must log no error
    (a Content-Security-Policy violation is one)."""
    emulator.reset()
    tab = chromium.new_page()
    problems: list[str] = []

    def note(message: Any) -> None:
        # An error answer the page shows itself is no problem; another origin's page may fail as it likes.
        handled = message.text.startswith("Failed to load resource: the server responded with a status of")
        if message.type == "error" and tab.url.startswith(console_site.url) and not handled:
            problems.append(message.text)

    tab.on("console", note)
    tab.on("pageerror", lambda error: problems.append(str(error)))
    yield tab
    tab.close()
    assert problems == []


@pytest.fixture
def console(page, console_site) -> Any:
    """The console, opened at the address `acsid emulator` prints, ready."""
    page.goto(console_site.address)
    page.locator("#status").filter(has_text="Ready.").wait_for()
    return page


@pytest.fixture(scope="session")
def other_origin() -> Iterator[str]:
    """A page on another origin (a second local port): what a web site the developer visits could serve."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Page(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = b"<!doctype html><title>another site</title><p>Nothing to see.</p>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Page)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
