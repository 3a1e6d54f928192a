"""Options every networked command shares, declared once and handed to commands as one `Common` value."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from acsid_cli.client import IdentityClient
    from acsid_cli.connection import Connection
    from acsid_cli.output import Output

DEFAULT_API_VERSION = "2023-10-01"  # what the SDK 1.5.0, and so az, sends
CONNECTION = "Connection"
OUTPUT = "Output"


class OutputFormat(str, Enum):
    json = "json"
    jsonc = "jsonc"
    table = "table"
    tsv = "tsv"
    none = "none"


ConnectionStringOption = Annotated[
    str | None,
    typer.Option(
        "--connection-string",
        help="Communication connection string; '-' reads it from stdin. Safer than argv (which other local "
        "users can see): '-', AZURE_COMMUNICATION_CONNECTION_STRING, or 'acsid config set-connection-string'.",
        show_default=False,
        rich_help_panel=CONNECTION,
    ),
]
ProfileOption = Annotated[
    str,
    typer.Option(
        envvar="ACSID_PROFILE", help="Keyring profile to read the connection string from.", rich_help_panel=CONNECTION
    ),
]
ApiVersionOption = Annotated[str, typer.Option(help="Service API version.", rich_help_panel=CONNECTION)]
TimeoutOption = Annotated[
    float | None,
    typer.Option(
        help="Seconds to wait to connect and for each answer. Default: 10 to connect, 30 to answer.",
        min=0.1,
        show_default=False,
        rich_help_panel=CONNECTION,
    ),
]
OutputOption = Annotated[
    OutputFormat | None,
    typer.Option(
        "--output",
        "-o",
        help="Output format. Default: table on a terminal, else json (env ACSID_OUTPUT).",
        show_default=False,
        rich_help_panel=OUTPUT,
    ),
]
QueryOption = Annotated[
    str | None,
    typer.Option(help="JMESPath query applied to the result, as in az.", show_default=False, rich_help_panel=OUTPUT),
]
DebugOption = Annotated[
    bool, typer.Option("--debug", help="Log requests to stderr (secrets masked).", rich_help_panel=OUTPUT)
]
UserOption = Annotated[
    str, typer.Option("--user", help="ACS identifier, e.g. 8:acs:<resource>_<id>.", show_default=False)
]
YesOption = Annotated[bool, typer.Option("--yes", "-y", help="Do not prompt for confirmation.")]


@dataclass
class Common:
    connection_string: str | None = None
    profile: str = "default"
    api_version: str = DEFAULT_API_VERSION
    output: OutputFormat | None = None
    query: str | None = None
    debug: bool = False
    timeout: float | None = None
    source: str | None = None  # where the connection string came from, once resolved
    _out: Output | None = field(default=None, repr=False)

    def out(self) -> Output:
        """The output sink; building it checks -o and --query before anything is sent."""
        if self._out is None:
            from acsid_cli.output import Output

            self._out = Output(self.output.value if self.output else None, self.query, self.debug)
        return self._out

    def connection(self) -> Connection:
        from acsid_cli import connection
        from acsid_cli.inputs import check_profile

        check_profile(self.profile)
        conn, self.source = connection.resolve(self.connection_string, self.profile)
        self.out().debug(f"connection string from {self.source}: endpoint {conn.endpoint}")
        return conn

    def client(self) -> IdentityClient:
        from acsid_cli.client import DEFAULT_TIMEOUT, IdentityClient
        from acsid_cli.inputs import check_api_version

        check_api_version(self.api_version)
        out = self.out()
        timeout = DEFAULT_TIMEOUT if self.timeout is None else (self.timeout, self.timeout)
        log = out.debug if self.debug else None
        return IdentityClient(self.connection(), self.api_version, timeout, log)


_COMMON_PARAMETERS = [
    inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation)
    for name, annotation, default in [
        ("connection_string", ConnectionStringOption, None),
        ("profile", ProfileOption, "default"),
        ("api_version", ApiVersionOption, DEFAULT_API_VERSION),
        ("timeout", TimeoutOption, None),
        ("output", OutputOption, None),
        ("query", QueryOption, None),
        ("debug", DebugOption, False),
    ]
]


def with_common_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Give a command the shared options; it receives them as the keyword argument `common`."""
    signature = inspect.signature(command, eval_str=True)  # modules use `from __future__ import annotations`
    own = [p for p in signature.parameters.values() if p.name != "common"]
    names = [p.name for p in _COMMON_PARAMETERS]

    @functools.wraps(command)
    def wrapper(**kwargs: Any) -> Any:
        common = Common(**{name: kwargs.pop(name) for name in names})
        return command(common=common, **kwargs)

    parameters = own + _COMMON_PARAMETERS
    wrapper.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
    wrapper.__annotations__ = {p.name: p.annotation for p in parameters}
    return wrapper
