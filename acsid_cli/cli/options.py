"""Options shared by commands, declared once, in groups; each command names the groups it uses.

A shared option stores its value on the Invocation as it is parsed, so a command's function takes only
its own options, and --help shows each group in its own panel, like az's "Global Arguments".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import typer
from typer import _click as click
from typer._click.types import FloatRange, IntRange
from typer._types import TyperChoice
from typer.core import TyperCommand, TyperOption

from acsid_cli import protocol
from acsid_cli.cli import inputs
from acsid_cli.cli.invocation import Invocation
from acsid_cli.cli.output import Level
from acsid_cli.cli.render import FORMATS


@dataclass(frozen=True)
class Shared:
    decls: tuple[str, ...]
    help: str
    store: Callable[[Invocation, Any], None]
    type: Any = str
    envvar: str | None = None

    def build(self, panel: str) -> TyperOption:
        flag = self.type is bool

        def callback(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
            if value is not None and value is not False:
                self.store(ctx.find_object(Invocation) or Invocation(), value)
            return value

        return TyperOption(
            param_decls=list(self.decls),
            type=None if flag else self.type,
            is_flag=flag or None,
            default=False if flag else None,
            help=self.help,
            envvar=self.envvar,
            show_envvar=self.envvar is not None,
            callback=callback,
            expose_value=False,
            rich_help_panel=panel,
        )


@dataclass(frozen=True)
class Group:
    panel: str
    options: tuple[Shared, ...]


def _level(level: Level) -> Callable[[Invocation, Any], None]:
    def store(run: Invocation, _: Any) -> None:
        # --verbose and --debug win over --only-show-errors, in whichever order they come.
        if level > Level.NORMAL:
            run.out.level = max(run.out.level, level)
        elif run.out.level == Level.NORMAL:
            run.out.level = level

    return store


def _set(path: str) -> Callable[[Invocation, Any], None]:
    """Store the value at an attribute path of the invocation, such as "profile" or "out.format"."""
    *owners, name = path.split(".")

    def store(run: Invocation, value: Any) -> None:
        target: Any = run
        for owner in owners:
            target = getattr(target, owner)
        setattr(target, name, value)

    return store


_CONNECTION_STRING_HELP = (
    "Communication connection string; '-' reads it from stdin. Safer than argv (which other local users can see): "
    f"'-', {protocol.CONNECTION_STRING_ENV}, or 'acsid config set-connection-string'."
)
_SUBSCRIPTION_HELP = "Accepted as in az and ignored: identities belong to the resource of the connection string."
_TIMEOUT_HELP = "Seconds to wait to connect and for each answer. Default: 10 to connect, 30 to answer."

GLOBAL = Group("Global", (
    Shared(("--only-show-errors",), "Only show errors, suppressing warnings.", _level(Level.ERRORS), bool),
    Shared(("--verbose",), "Show what acsid does, a line per request.", _level(Level.VERBOSE), bool),
    Shared(("--debug",), "Show everything, headers too (secrets masked).", _level(Level.DEBUG), bool),
    Shared(("--subscription",), _SUBSCRIPTION_HELP, _set("subscription")),
))
OUTPUT = Group("Output", (
    Shared(("--output", "-o"), "Output format. Default: table on a terminal, else json (env ACSID_OUTPUT).",
           _set("out.format"), TyperChoice(FORMATS)),
    Shared(("--query",), "JMESPath query applied to the result, as in az.",
           lambda run, value: setattr(run.out, "query", inputs.check_query(value))),
))
CONNECTION = Group("Connection", (
    Shared(("--connection-string",), _CONNECTION_STRING_HELP, _set("connection_string")),
    Shared(("--profile",), "Keyring profile of the connection string. Default: default.", _set("profile"),
           envvar="ACSID_PROFILE"),
    Shared(("--endpoint",), f"Endpoint for --auth-mode login (env {protocol.ENDPOINT_ENV}), e.g. "
           "https://<resource>.communication.azure.com.", _set("endpoint")),
    Shared(("--auth-mode",), "key: sign with the connection string's access key; login: Microsoft Entra ID "
           "(azure-identity). Default: key with a connection string, login with only an endpoint.",
           _set("auth_mode"), TyperChoice(("key", "login"))),
))
BULK = Group("Bulk", (
    Shared(("--parallel",), "Requests at once in a bulk run. Default: 8.", _set("parallel"), IntRange(1, 64)),
    Shared(("--rate",), "Requests per second in a bulk run. Default: just under the service's limits; 0: no limit.",
           _set("rate"), FloatRange(min=0)),
))
SERVICE = Group("Connection", (
    Shared(("--api-version",), f"Service API version. Default: {protocol.DEFAULT_API_VERSION}.", _set("api_version")),
    Shared(("--timeout",), _TIMEOUT_HELP, _set("timeout"), FloatRange(min=0.1)),
))


class AcsidCommand(TyperCommand):
    """A command with the shared options of its groups; greedy options take az's `--scope chat voip`."""

    groups: tuple[Group, ...] = (GLOBAL,)
    greedy: tuple[str, ...] = ()

    def __init__(self, name: str | None, **kwargs: Any) -> None:
        shared = [option.build(group.panel) for group in self.groups for option in group.options]
        kwargs["params"] = [*(kwargs.get("params") or []), *shared]
        super().__init__(name, **kwargs)

    def make_parser(self, ctx: click.Context) -> Any:
        parser = super().make_parser(ctx)
        for decl in self.greedy:
            option = parser._long_opt.get(decl) or parser._short_opt.get(decl)
            assert option is not None, f"{decl} is one of this command's options"
            setattr(option, "process", _taking_following_words(option.process))  # noqa: B010
        return parser

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command's own options, then each shared group in a section of its own, as az's help does."""
        sections: dict[str, list[tuple[str, str]]] = {}
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is not None:
                sections.setdefault(getattr(param, "rich_help_panel", None) or "Options", []).append(record)
        for title, records in sections.items():
            with formatter.section(title):
                formatter.write_dl(records)

    def invoke(self, ctx: click.Context) -> Any:
        run = ctx.find_object(Invocation)
        if run is not None:
            if OUTPUT in self.groups:
                run.out.chosen_format()  # a bad ACSID_OUTPUT fails here, before anything is sent
            run.out.follow_logs("acsid_cli")
            if run.subscription:
                run.out.verbose("--subscription is ignored: identities belong to the connection string's resource")
        return super().invoke(ctx)


def _taking_following_words(process: Callable[[Any, Any], None]) -> Callable[[Any, Any], None]:
    """An option value, and every word after it up to the next option, as if each had its own flag."""

    def process_all(value: Any, state: Any) -> None:
        process(value, state)
        while state.rargs and not state.rargs[0].startswith("-"):
            process(state.rargs.pop(0), state)

    return process_all


def command(*groups: Group, greedy: tuple[str, ...] = ()) -> type[AcsidCommand]:
    """The command class for @app.command(cls=...): these groups' options plus the global ones."""
    return type("Command", (AcsidCommand,), {"groups": (*groups, GLOBAL), "greedy": greedy})


def group(help: str, **settings: Any) -> typer.Typer:
    """A command group. Help is Click's plain text: Typer's Rich help costs about 0.1 s of start-up."""
    return typer.Typer(help=help, no_args_is_help=True, rich_markup_mode=None, **settings)
