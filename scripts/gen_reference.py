"""Write the command reference in README.md from the app's own --help (run by `make docs`, checked by a test)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from acsid_cli.cli.app import app

README = Path(__file__).resolve().parents[1] / "README.md"
START, END = "<!-- reference:start -->", "<!-- reference:end -->"


def commands(command: Any, path: tuple[str, ...] = ()) -> list[list[str]]:
    """The root and every command that runs, as `acsid --help` lists them (hidden ones left out)."""
    if not hasattr(command, "list_commands"):  # a command, not a group
        return [list(path)]
    runs_itself = not path or getattr(command, "invoke_without_command", False)  # the root; `acsid emulator`
    found: list[list[str]] = [list(path)] if runs_itself else []
    context = typer.Context(command)
    for name in command.list_commands(context):
        sub = command.get_command(context, name)
        if sub is not None and not sub.hidden:
            found += commands(sub, (*path, name))
    return found


COMMANDS = commands(typer.main.get_command(app))  # derived from the app, never kept by hand


def help_text(command: list[str]) -> str:
    """What `acsid <command> --help` prints, rendered in this process (a process each cost 0.1 s of CPU)."""
    from typer.testing import CliRunner

    # Fixed width and no terminal, so the text is the same on every machine: Click's widest help (80 columns
    # less its margin of 2), as a process whose stdout is no terminal prints it.
    env = {"TERMINAL_WIDTH": "100", "_TYPER_FORCE_DISABLE_TERMINAL": "1", "NO_COLOR": "1"}
    done = CliRunner().invoke(app, [*command, "--help"], env=env, terminal_width=78)
    assert done.exit_code == 0, done.output
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
