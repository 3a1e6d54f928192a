"""`make screenshot`: the web console as a person sees it, into docs/console.png.

A real `acsid emulator` (the console on a port of its own), a little traffic from the official SDK (an
identity with a token, a request signed with another key, a fault waiting), then Generate pressed for chat
and voip in Debian's headless Chromium, and a screenshot of the whole page.
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
import tempfile
from pathlib import Path

from azure.communication.identity import CommunicationIdentityClient
from azure.core.credentials import AzureKeyCredential
from azure.core.exceptions import HttpResponseError

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from console_browser import start  # noqa: E402  (shared with the browser tests)

from acsid_cli.emulator.process import EmulatorAdmin  # noqa: E402

OUTPUT = ROOT / "docs" / "console.png"
CONSOLE_LINE = "console: "


def main() -> int:
    command = [sys.executable, "-m", "acsid_cli", "emulator", "--port", "0", "--console-port", "0"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as process:
        try:
            assert process.stdout
            assert process.stderr
            connection_string = process.stdout.readline().strip()
            lines: list[str] = []
            while len(lines) < 10 and not (lines and (lines[-1].startswith(CONSOLE_LINE) or not lines[-1])):
                lines.append(process.stderr.readline())  # a few start-up lines, the console's last
            address = lines[-1].strip()[len(CONSOLE_LINE) :] if lines[-1].startswith(CONSOLE_LINE) else ""
            if not connection_string or not address:
                raise SystemExit(f"the emulator printed no console address:\n{''.join(lines)}")
            emulator = EmulatorAdmin(connection_string, "")  # only for its endpoint and key
            traffic(emulator)
            shoot(address)
        finally:
            process.terminate()
            process.wait(10)
    print(f"wrote {OUTPUT.relative_to(ROOT)}")
    return 0


def traffic(emulator: EmulatorAdmin) -> None:
    client = CommunicationIdentityClient(emulator.endpoint, AzureKeyCredential(emulator.access_key))
    user = client.create_user()
    client.get_token(user, ["chat"])
    stranger = CommunicationIdentityClient(emulator.endpoint, AzureKeyCredential("d3Jvbmcta2V5"))
    with contextlib.suppress(HttpResponseError):
        stranger.create_user()  # refused: the log says why


def shoot(address: str) -> None:
    with tempfile.TemporaryDirectory(prefix="acsid-screenshot-") as profile:
        playwright, context = start(Path(profile), width=1280, height=900)
        try:
            page = context.new_page()
            page.goto(address)
            page.locator("#status").filter(has_text="Ready.").wait_for()
            page.get_by_label("Route").select_option("issue")
            page.get_by_label("Status (optional)").fill("503")
            page.get_by_label("Retry-After (optional)").fill("1")
            page.get_by_role("button", name="Add fault").click()
            page.locator("#faults tbody tr").first.wait_for()
            for scope in ("chat", "voip"):
                page.get_by_label(scope, exact=True).check()
            page.get_by_label("Custom id (optional)").fill("alice@contoso.com")
            page.get_by_role("button", name="Generate", exact=True).click()
            page.locator("#status").filter(has_text="Generated").wait_for()
            page.locator("#identities tbody tr").nth(1).wait_for()  # the SDK's identity and alice's
            page.locator("#log tbody tr").nth(2).wait_for()  # the SDK's three requests, newest first
            page.screenshot(path=str(OUTPUT), full_page=True)
        finally:
            context.close()
            playwright.stop()


if __name__ == "__main__":
    sys.exit(main())
