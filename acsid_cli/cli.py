"""The root of the acsid app and its one error boundary."""

from __future__ import annotations

import os
import sys
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from acsid_cli import __version__
from acsid_cli.commands import config, token, user
from acsid_cli.commands.emulator import emulator

EXIT_INTERRUPTED = 130


class AcsidGroup(TyperGroup):
    """Turns every failure into `error: ...`, at most one `hint: ...`, and az's exit codes."""

    def main(self, args: Any = None, prog_name: Any = None, **extra: Any) -> Any:
        from acsid_cli.errors import AcsidError
        from acsid_cli.output import error

        argv = list(sys.argv[1:] if args is None else args)
        standalone = extra.pop("standalone_mode", True)
        try:
            code = super().main(argv, prog_name or "acsid", standalone_mode=False, **extra)
            if code == EXIT_INTERRUPTED:  # Typer turns Ctrl-C into Exit(130) and says nothing
                error("interrupted")
        except AcsidError as exc:
            error(exc.message, exc.hint)
            code = exc.exit_code
        except (KeyboardInterrupt, typer.Abort):
            error("interrupted")
            code = EXIT_INTERRUPTED
        except BrokenPipeError:  # `acsid ... | head`: the reader left, which is not our failure
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - keeps the interpreter's final flush quiet
            code = 1
        except typer.Exit as exc:
            code = exc.exit_code
        except Exception as exc:
            code = _usage_or_crash(exc, argv)
        if not standalone:
            return code
        sys.exit(code or 0)


def _usage_or_crash(exc: Exception, argv: list[str]) -> int:
    """Click's usage errors become one line; anything else is a bug, shown in full only with --debug."""
    from typer._click.exceptions import ClickException, NoArgsIsHelpError

    from acsid_cli.output import error

    if isinstance(exc, NoArgsIsHelpError):
        exc.show()
        return 0
    if isinstance(exc, ClickException):
        context = getattr(exc, "ctx", None)
        command = context.command_path if context else "acsid"
        error(exc.format_message(), hint=f"see '{command} --help'")
        return exc.exit_code
    if "--debug" in argv:
        raise exc
    error(f"unexpected {type(exc).__name__}: {exc}", hint="run again with --debug for the full traceback")
    return 1


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"acsid {__version__}\n")
        raise typer.Exit()


app = typer.Typer(
    cls=AcsidGroup,
    help="Azure Communication Services identities from the command line: az-compatible, with a local emulator.",
    epilog="Example: export AZURE_COMMUNICATION_CONNECTION_STRING=...; acsid token issue --scope chat voip",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,  # locals hold keys and tokens
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(user.app, name="user")
app.add_typer(token.app, name="token")
app.add_typer(config.app, name="config")
app.command("emulator")(emulator)


@app.callback()
def root(
    version: Annotated[
        bool | None, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = None,
) -> None:
    """Azure Communication Services identities from the command line."""


def main() -> None:
    app()
