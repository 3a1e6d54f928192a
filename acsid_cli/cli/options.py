"""How a command is declared: its one-command Typer app, how its --help reads, and the options more than one
command takes, each declared once as an `Annotated` alias; a command lists those it takes in its signature.

A command lives in a module of its own (`commands/user/create.py`: its options, checks and run), which the
app imports only when that command runs: start-up pays for one command, not for all of them.

Only Typer's public API. Values are converted by our own parsers, not by the types Typer infers, so the
messages are the same on every Typer version (0.29 reworded them when it moved to pydantic), and every
option names its metavar, so --help reads the same too.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Annotated, Any

import typer
from typer.core import TyperCommand, TyperGroup

from acsid_cli import protocol
from acsid_cli.cli.output import FORMATS

GLOBAL = "Global options"  # az's "Global Arguments": the help shows them in one group of their own

# --- a command's app and its help -------------------------------------------------------------------------------


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


# --- converters: Click's own wording, so scripts and tests see one message whatever Typer does ----------------


def number(
    kind: type[int] | type[float], low: float | None = None, high: float | None = None
) -> Callable[[str], float]:
    """A parser of an int or float option within [low, high]."""
    if low is not None and high is not None:
        bounds = f"{low:g}<=x<={high:g}"
    else:
        bounds = f"x>={low:g}" if low is not None else f"x<={high:g}"

    def parse(text: str) -> float:
        try:
            value = kind(text)
        except ValueError:
            raise typer.BadParameter(f"{text!r} is not a valid {kind.__name__}.") from None
        if (low is not None and value < low) or (high is not None and value > high):
            raise typer.BadParameter(f"{value} is not in the range {bounds}.")
        return value

    return parse


def whole(text: str) -> int:
    """A parser of an int option without bounds (those that depend on other options are checked later)."""
    try:
        return int(text)
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not a valid int.") from None


def choice(values: Sequence[str]) -> Callable[[str], str]:
    def parse(text: str) -> str:
        if text not in values:
            raise typer.BadParameter(f"{text!r} is not one of {', '.join(map(repr, values))}.")
        return text

    return parse


# --- az's global options ----------------------------------------------------------------------------------------

Output = Annotated[
    str | None,
    typer.Option(
        "--output",
        "-o",
        metavar="FORMAT",
        parser=choice(FORMATS),
        autocompletion=lambda: list(FORMATS),
        help=f"{', '.join(FORMATS)}. Default: $ACSID_OUTPUT, else table on a terminal, else json.",
        show_default=False,
        rich_help_panel=GLOBAL,
    ),
]
Query = Annotated[
    str | None,
    typer.Option(metavar="JMESPATH", help="JMESPath query of the result, as in az.", rich_help_panel=GLOBAL),
]
OnlyShowErrors = Annotated[
    bool, typer.Option("--only-show-errors", help="Only show errors, no warnings.", rich_help_panel=GLOBAL)
]
Verbose = Annotated[bool, typer.Option("--verbose", help="A line per request.", rich_help_panel=GLOBAL)]
Debug = Annotated[
    bool, typer.Option("--debug", help="Headers and timings too (secrets masked).", rich_help_panel=GLOBAL)
]
_SUBSCRIPTION_HELP = "Ignored, as the connection string names the resource."
Subscription = Annotated[
    str | None, typer.Option(metavar="ID", help=_SUBSCRIPTION_HELP, show_default=False, rich_help_panel=GLOBAL)
]
# az takes --subscription everywhere; where nothing reaches the service it is accepted and not advertised.
HiddenSubscription = Annotated[str | None, typer.Option("--subscription", hidden=True)]

# --- where requests go ------------------------------------------------------------------------------------------

ConnectionString = Annotated[
    str | None,
    typer.Option(
        metavar="TEXT",
        show_default=False,
        help=f"'-' reads it from stdin: argv is visible to other users. Default: ${protocol.CONNECTION_STRING_ENV},"
        " the keyring, az's config.",
    ),
]
DEFAULT_PROFILE = "default"  # the keyring entry used when no profile is named
Profile = Annotated[
    str | None,
    typer.Option(
        metavar="NAME",
        envvar="ACSID_PROFILE",
        show_envvar=True,
        show_default=False,
        help=f"Keyring profile. Default: {DEFAULT_PROFILE}.",
    ),
]
Endpoint = Annotated[
    str | None,
    typer.Option(
        metavar="URL",
        show_default=False,
        help=f"The endpoint for --auth-mode login. Default: ${protocol.ENDPOINT_ENV}.",
    ),
]
AuthMode = Annotated[
    str | None,
    typer.Option(
        metavar="key|login",
        parser=choice(("key", "login")),
        autocompletion=lambda: ["key", "login"],
        show_default=False,
        help="key: the access key; login: Microsoft Entra ID. Default: key if there is one.",
    ),
]
ApiVersion = Annotated[
    str | None,
    typer.Option(
        metavar="VERSION", show_default=False, help=f"Service API version. Default: {protocol.DEFAULT_API_VERSION}."
    ),
]
# The commands of operations that older versions lack say the default they send (protocol.Operation.version).
ApiVersionTeamsExtension = Annotated[
    str | None,
    typer.Option(
        metavar="VERSION",
        show_default=False,
        help=f"Service API version. Default: {protocol.TEAMS_EXTENSION_API_VERSION}.",
    ),
]
ApiVersionPreview = Annotated[
    str | None,
    typer.Option(
        metavar="VERSION", show_default=False, help=f"Service API version. Default: {protocol.PREVIEW_API_VERSION}."
    ),
]
Timeout = Annotated[
    float | None,
    typer.Option(
        metavar="SECONDS",
        parser=number(float, low=0.1),
        show_default=False,
        help="Seconds to connect, and to wait for each answer. Default: 10, 30.",
    ),
]

# --- identities and bulk runs -----------------------------------------------------------------------------------

_USERS_HELP = "ACS identifier, 8:acs:... Repeat it, or '-' reads ids (or acsid's JSON) from stdin: a bulk run."
Users = Annotated[list[str], typer.Option("--user", metavar="ID", help=_USERS_HELP, show_default=False)]
OptionalUsers = Annotated[list[str] | None, typer.Option("--user", metavar="ID", help=_USERS_HELP, show_default=False)]
Yes = Annotated[bool, typer.Option("--yes", "-y", help="Do not prompt for confirmation.")]
Count = Annotated[
    int | None,
    typer.Option(metavar="N", parser=number(int, low=1), show_default=False, help="How many: a bulk run."),
]
CustomIds = Annotated[
    list[str] | None,
    typer.Option(
        metavar="ID",
        show_default=False,
        help=f"Your id for the user (API {protocol.PREVIEW_API_VERSION}): the same one always gets the same "
        "identity. Repeat it, or '-' reads them from stdin: a bulk run.",
    ),
]
DEFAULT_PARALLEL = 8  # workers of a bulk run; more does not help against the emulator on 2 cores (make bench)
Parallel = Annotated[
    int,
    typer.Option(
        metavar="N",
        parser=number(int, low=1, high=64),
        show_default=False,
        help=f"Requests at once in a bulk run. Default: {DEFAULT_PARALLEL}.",
    ),
]
Rate = Annotated[
    float | None,
    typer.Option(
        metavar="N",
        parser=number(float, low=0),
        show_default=False,
        help="Requests per second in a bulk run; 0: no limit. Default: the service's limits.",
    ),
]
