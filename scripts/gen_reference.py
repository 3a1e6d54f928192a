"""Write the command reference in README.md from the app's own --help (run by `make docs`, checked by a test)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"
START, END = "<!-- reference:start -->", "<!-- reference:end -->"
COMMANDS = [
    [],
    ["user", "create"],
    ["user", "delete"],
    ["user", "show"],
    ["token", "issue"],
    ["token", "revoke"],
    ["token", "get-for-teams-user"],
    ["token", "inspect"],
    ["config", "set-connection-string"],
    ["config", "show"],
    ["config", "delete-connection-string"],
    ["emulator"],
]


def help_text(command: list[str]) -> str:
    # Fixed width and no terminal, so the text is the same on every machine.
    env = {**os.environ, "TERMINAL_WIDTH": "100", "_TYPER_FORCE_DISABLE_TERMINAL": "1", "NO_COLOR": "1"}
    done = subprocess.run([sys.executable, "-m", "acsid_cli", *command, "--help"], capture_output=True, text=True,
                          env=env, check=True)
    return "\n".join(line.rstrip() for line in done.stdout.strip("\n").splitlines())


def reference() -> str:
    parts = [START, "", "Generated from `--help` by `make docs`; a test fails when it is stale.", ""]
    for command in COMMANDS:
        parts += [f"### `{' '.join(['acsid', *command])}`", "", "```text", help_text(command), "```", ""]
    return "\n".join(parts) + END


def updated(readme: str) -> str:
    head, rest = readme.split(START, 1)
    _, tail = rest.split(END, 1)
    return head + reference() + tail


if __name__ == "__main__":
    README.write_text(updated(README.read_text()))
    print(f"updated {README}")
