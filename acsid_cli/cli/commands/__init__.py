"""What every command module declares itself with: its one-command Typer app, and how its --help reads.

A command lives in a module of its own (`user/create.py`: its options, checks and run), which the app
imports only when that command runs: start-up pays for one command, not for all of them.
"""

from __future__ import annotations

from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

from acsid_cli.cli.options import GLOBAL


def new_app(group_help: str | None = None, epilog: str | None = None) -> typer.Typer:
    """The Typer app of one command, or with `group_help` of a small group kept in one module. Click's plain help:
    Typer's Rich help costs about 70 ms of start-up. Shell completion is the root's to offer: no
    --install-completion of its own."""
    if group_help is None:
        return typer.Typer(add_completion=False, rich_markup_mode=None)
    return typer.Typer(
        add_completion=False, rich_markup_mode=None, help=group_help, epilog=epilog, no_args_is_help=True
    )


def examples(*lines: str) -> str:
    """An epilog of examples, each kept on its own line ('\\b' is Click's mark for a paragraph not to re-wrap)."""
    return "\b\n" + ("Example:" if len(lines) == 1 else "Examples:") + "".join(f"\n  {line}" for line in lines)


def _option_sections(command: Any, ctx: Any, formatter: Any) -> None:
    """Its arguments, its own options, then az's global ones in one short group."""
    sections: dict[str, list[tuple[str, str]]] = {"Arguments": [], "Options": [], GLOBAL: []}
    help_option = command.get_help_option(ctx)
    for param in command.get_params(ctx):
        if param.param_type_name == "argument":  # Typer's own record of it differs between versions
            name = param.metavar or (param.name or "").upper()
            sections["Arguments"].append((name, getattr(param, "help", None) or ""))
            continue
        record = param.get_help_record(ctx)
        if record is None:
            continue
        if param is help_option or getattr(param, "rich_help_panel", None) == GLOBAL:
            sections[GLOBAL].append(record)
        else:
            sections["Options"].append(record)
    for title, records in sections.items():
        if records:
            with formatter.section(title):
                formatter.write_dl(records)


class Command(TyperCommand):
    """A command whose --help lists its arguments, its own options, then az's global ones in one short group."""

    def format_options(self, ctx: Any, formatter: Any) -> None:
        _option_sections(self, ctx, formatter)


class Group(TyperGroup):
    """A command that has commands of its own too (`acsid emulator`, `acsid emulator env`): its --help reads as a
    command's, then lists them."""

    def format_options(self, ctx: Any, formatter: Any) -> None:
        _option_sections(self, ctx, formatter)
        self.format_commands(ctx, formatter)
