"""Debian's Chromium, headless, driven by Playwright: nothing downloads a browser (never `playwright install`).

Shared by the browser tests and scripts/screenshot_console.py. Where Chromium cannot start, start() raises
with what to install: the browser tests fail loudly, they never skip.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

CHROMIUM = os.environ.get("ACSID_CHROMIUM", "/usr/bin/chromium")
INSTALL_HINT = "apt-get update && apt-get install -y chromium chromium-driver (as .ci/run does)"
# As root, in a container, offline. Playwright adds --headless and --no-sandbox itself, and passes the
# profile folder as --user-data-dir; the rest keeps Chromium from calling home or updating anything.
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    # Every name resolves to nothing but localhost: a page (or Chromium itself) cannot reach beyond loopback.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1, EXCLUDE [::1]",
]


class ChromiumUnavailable(RuntimeError):
    pass


def start(profile: Path, width: int = 1280, height: int = 900) -> tuple[Any, Any]:
    """(playwright, context): a persistent context in the fresh folder `profile`. Close both when done."""
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError as e:
        raise ChromiumUnavailable(f"Playwright is not installed ({e}): pip install -e '.[test]'") from None
    if not os.access(CHROMIUM, os.X_OK):
        raise ChromiumUnavailable(f"no Chromium at {CHROMIUM}: {INSTALL_HINT}")
    playwright = sync_playwright().start()
    try:
        context = playwright.chromium.launch_persistent_context(
            str(profile),
            executable_path=CHROMIUM,
            headless=True,
            args=FLAGS,
            viewport={"width": width, "height": height},
            timeout=30_000,
        )
    except Error as e:
        playwright.stop()
        raise ChromiumUnavailable(f"Chromium at {CHROMIUM} did not start: {e}\nhint: {INSTALL_HINT}") from None
    return playwright, context
