"""The root of the acsid app: which commands there are, built only when used, and the one error boundary."""

from __future__ import annotations

import importlib
import os
import signal
import sys
from collections.abc import Mapping, Sequence
from typing import Annotated, Any, NamedTuple

import typer
import typer.main
from typer.core import TyperGroup

from acsid_cli import __version__, protocol
from acsid_cli.cli.invocation import Invocation, Signalled, handled, invocation, received
from acsid_cli.cli.options import examples
from acsid_cli.cli.output import EXIT_INTERRUPTED, Level, use_utf8


class Group(NamedTuple):
    help: str
    epilog: str
    commands: Mapping[str, str]  # name → its module in acsid_cli.cli.commands


# Every command, by the module that holds it; a run imports only the one it runs (`acsid --help` none of them).
COMMANDS: Mapping[str, Group | str] = {
    "user": Group(
        "Create, show and delete ACS identities.",
        examples("acsid user create -o tsv --query rawId", 'acsid user delete --user "8:acs:..." --yes'),
        {"create": "user.create", "show": "user.show", "delete": "user.delete"},
    ),
    "token": Group(
        "Issue, revoke, exchange and inspect access tokens.",
        examples("acsid token issue --scope chat voip", "acsid token issue --scope chat | acsid token inspect -"),
        {
            "issue": "token.issue",
            "revoke": "token.revoke",
            "get-for-teams-user": "token.get_for_teams_user",
            "get-for-teams-extension-user": "token.get_for_teams_extension_user",
            "get-for-entra-user": "token.get_for_entra_user",
            "inspect": "token.inspect",
        },
    ),
    "assignment": Group(
        "Assignments: who may exchange their Entra token for an ACS identity, as a Teams Extension or Entra ID user.",
        examples(
            "acsid assignment entra list -o table",
            "acsid assignment teams-extension show --tenant <tenant id> --object <object id>",
        ),
        {"teams-extension": "assignment.teams_extension", "entra": "assignment.entra"},
    ),
    "config": Group(
        "Store and delete connection strings in the OS keyring, and show which one is used.",
        examples("acsid config set-connection-string --profile prod < conn.txt", "acsid config show"),
        {
            "set-connection-string": "config.set_connection_string",
            "show": "config.show",
            "delete-connection-string": "config.delete_connection_string",
        },
    ),
    "emulator": "emulator",
    "issue-access-token": "token.issue_access_token",  # az's hidden, deprecated twin of `token issue`
}
HIDDEN = {"issue-access-token"}

# az's options that take several words (argparse's nargs='+'), by the command that has them.
GREEDY = {("token", "issue"): {"--scope"}, ("issue-access-token",): {"--scope", "-s"}}


def spread(argv: Sequence[str]) -> list[str]:
    """az's `--scope chat voip` as Typer reads it, `--scope chat --scope voip`: each word after the option's
    value, up to the next option, gets the option of its own."""
    words = list(argv)
    path = next((path for path in GREEDY if tuple(words[: len(path)]) == path), None)
    if path is None:
        return words
    spread_out, option, expecting_value = list(path), None, False
    for position, word in enumerate(words[len(path) :], len(path)):
        if word == "--":
            return spread_out + words[position:]
        if expecting_value:
            spread_out.append(word)
            expecting_value = False
            continue
        if option is not None and not word.startswith("-"):
            spread_out += [option, word]
            continue
        name = word.split("=", 1)[0]
        option = name if name in GREEDY[path] else None
        expecting_value = option is not None and "=" not in word
        spread_out.append(word)
    return spread_out


class LazyGroup(TyperGroup):
    """A group that imports and builds a command only when it is asked for."""

    commands_at: Mapping[str, Group | str] = {}

    def list_commands(self, ctx: Any) -> list[str]:
        return [name for name in self.commands_at if name not in HIDDEN]

    def get_command(self, ctx: Any, name: str) -> Any:
        entry = self.commands_at.get(name)
        if isinstance(entry, Group):
            group = LazyGroup(
                name=name, help=entry.help, epilog=entry.epilog, no_args_is_help=True, rich_markup_mode=None
            )
            group.commands_at = entry.commands
            return group
        if entry is None:
            return None
        return typer.main.get_command(importlib.import_module(f"acsid_cli.cli.commands.{entry}").app)


class AcsidGroup(LazyGroup):
    """The root: every failure ends here, as `error: ...`, at most one `hint: ...`, and az's exit codes."""

    commands_at = COMMANDS

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
        argv = spread(_utf8_argv(list(sys.argv[1:] if args is None else args)))
        run = extra.pop("obj", None) or Invocation()  # tests may bring their own, with a fake clock
        with handled():  # still in place while an error is told: a second signal cannot cut it
            try:
                code = super().main(argv, "acsid", complete_var, False, windows_expand_args, obj=run, **extra)
                if code == EXIT_INTERRUPTED:  # Typer turns a KeyboardInterrupt into Exit(130) and says nothing
                    code = _interrupted(run)
            except BaseException as exc:  # this is the boundary: everything ends here
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
    from acsid_cli.cli.errors import interrupted

    problem = interrupted(received() or signal.SIGINT, run.sent)
    run.out.error(problem.message, problem.hint)
    return problem.exit_code


def _exit_code(exc: BaseException, run: Invocation) -> int:
    """The exit code of a run that raised exc, once its error is told (errors.py: loaded only when one is)."""
    from acsid_cli.cli.errors import explain

    out = run.out
    if isinstance(exc, (Signalled, KeyboardInterrupt, typer.Abort)):
        return _interrupted(run)
    if isinstance(exc, BrokenPipeError):  # `acsid ... | head`: the reader left, which is not our failure
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - keeps the interpreter's final flush quiet
        return 1
    if isinstance(exc, typer.Exit):
        return exc.exit_code
    if isinstance(exc, typer.TyperException):  # Click's usage errors derive from it (Typer 0.28 and later)
        context = getattr(exc, "ctx", None)
        if type(exc).__name__ == "NoArgsIsHelpError":  # `acsid user`: its help, as if asked for
            exc.show()  # type: ignore[attr-defined]
            return 0
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


app = typer.Typer(
    cls=AcsidGroup,
    help="Azure Communication Services identities from the command line: az-compatible, with a local emulator.",
    epilog=examples(f"export {protocol.CONNECTION_STRING_ENV}=...", "acsid token issue --scope chat voip"),
    no_args_is_help=True,
    rich_markup_mode=None,  # Click's plain help: Typer's Rich help costs about 70 ms of start-up
    pretty_exceptions_show_locals=False,  # locals hold keys and tokens
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.callback()
def root(
    # A plain bool with a bool default: Typer 0.29 would convert anything else with pydantic, even for --help.
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """Azure Communication Services identities from the command line."""
