"""The root of the acsid app and its one error boundary."""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Sequence
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from acsid_cli import __version__, protocol
from acsid_cli.cli import signals
from acsid_cli.cli.commands import assignment, config, emulator, exchange, token, user
from acsid_cli.cli.errors import EXIT_INTERRUPTED, explain, interrupted
from acsid_cli.cli.invocation import Invocation, invocation
from acsid_cli.cli.options import CONNECTION, OUTPUT, SERVICE, command, group
from acsid_cli.cli.output import Level, use_utf8


class AcsidGroup(TyperGroup):
    """Turns every failure into `error: ...`, at most one `hint: ...`, and az's exit codes."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        use_utf8()
        argv = _utf8_argv(list(sys.argv[1:] if args is None else args))
        run = extra.pop("obj", None) or Invocation()  # tests may bring their own, with a fake clock
        with signals.handled():  # still in place while an error is told: a second signal cannot cut it
            try:
                code = super().main(argv, "acsid", complete_var, False, windows_expand_args, obj=run, **extra)
                if code == EXIT_INTERRUPTED:  # Typer turns a KeyboardInterrupt into Exit(130) and says nothing
                    code = _interrupted(run)
            except BaseException as exc:  # noqa: BLE001 - this is the boundary: everything ends here
                code = _exit_code(exc, run)
        if not standalone_mode:
            return code
        sys.exit(code or 0)


def _utf8_argv(args: list[str]) -> list[str]:
    """argv as the UTF-8 it was typed in, whatever the locale: the C locale decodes it as ASCII, with escapes."""
    if sys.getfilesystemencoding().replace("-", "").lower() == "utf8":
        return args
    return [os.fsencode(arg).decode("utf-8", "surrogateescape") for arg in args]


def _interrupted(run: Invocation) -> int:
    problem = interrupted(signals.received() or signal.SIGINT, run.sent)
    run.out.error(problem.message, problem.hint)
    return problem.exit_code


def _exit_code(exc: BaseException, run: Invocation) -> int:
    from typer._click.exceptions import ClickException, NoArgsIsHelpError

    out = run.out
    if isinstance(exc, (signals.Signalled, KeyboardInterrupt, typer.Abort)):
        return _interrupted(run)
    if isinstance(exc, BrokenPipeError):  # `acsid ... | head`: the reader left, which is not our failure
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - keeps the interpreter's final flush quiet
        return 1
    if isinstance(exc, typer.Exit):
        return exc.exit_code
    if isinstance(exc, NoArgsIsHelpError):
        exc.show()
        return 0
    if isinstance(exc, ClickException):
        context = getattr(exc, "ctx", None)
        out.error(exc.format_message(), hint=f"see '{context.command_path if context else 'acsid'} --help'")
        return exc.exit_code
    problem = explain(exc)
    if problem is not None:
        out.error(problem.message, problem.hint)
        return problem.exit_code
    if out.level >= Level.DEBUG or not isinstance(exc, Exception):
        raise exc
    out.error(f"unexpected {type(exc).__name__}: {exc}", hint="run again with --debug for the full traceback")
    return 1


def _version(ctx: typer.Context, value: bool) -> None:
    if value:
        invocation(ctx).out.line(f"acsid {__version__}")
        raise typer.Exit()


app = group(
    "Azure Communication Services identities from the command line: az-compatible, with a local emulator.",
    cls=AcsidGroup,
    epilog=f"Example: export {protocol.CONNECTION_STRING_ENV}=...; acsid token issue --scope chat voip",
    pretty_exceptions_show_locals=False,  # locals hold keys and tokens
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(user.app, name="user")
app.add_typer(token.app, name="token")
app.add_typer(assignment.app, name="assignment")
app.add_typer(config.app, name="config")
emulator.register(app)
token.app.command("get-for-teams-extension-user", cls=command(CONNECTION, SERVICE, OUTPUT),
                  epilog=exchange.TEAMS_EXTENSION_EXAMPLE)(exchange.get_for_teams_extension_user)
token.app.command("get-for-entra-user", cls=command(CONNECTION, SERVICE, OUTPUT),
                  epilog=exchange.ENTRA_EXAMPLE)(exchange.get_for_entra_user)
# az's hidden, deprecated twin of `token issue`; one-liners written against it keep working.
app.command("issue-access-token", hidden=True, cls=command(CONNECTION, SERVICE, OUTPUT, greedy=("--scope",)))(
    token.issue_access_token
)


@app.callback()
def root(
    version: Annotated[
        bool | None, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = None,
) -> None:
    """Azure Communication Services identities from the command line."""
