"""acsid emulator env: the variables a shell or CI step needs to reach the running emulator, read from the file
it announces itself in (emulator/runtime.py), never from its stderr."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from acsid_cli import protocol
from acsid_cli.cli import options as o
from acsid_cli.cli.invocation import invocation, level_of
from acsid_cli.cli.output import NotFound, UsageError
from acsid_cli.emulator import ADMIN_TOKEN_ENV

if TYPE_CHECKING:
    from acsid_cli.emulator.runtime import Announcement

ENDPOINT_ENV = "ACSID_EMULATOR_ENDPOINT"
_FORMATS = ("sh", "dotenv")
_POLL_SECONDS = 0.05
EXAMPLES = o.examples(
    "acsid emulator --port 0 --self-signed --quiet > /dev/null &", 'eval "$(acsid emulator env --wait 30)"'
)


def env(
    ctx: typer.Context,
    port: Annotated[
        int | None,
        typer.Option(
            metavar="PORT", min=1, max=65535, help="The emulator on this port, when several run.", show_default=False
        ),
    ] = None,
    wait: Annotated[
        float,
        typer.Option(
            metavar="SECONDS", min=0, max=600, help="Seconds to wait for one to start (right after `acsid emulator &`)."
        ),
    ] = 0,
    format: Annotated[
        str,
        typer.Option(
            "--format",
            metavar="sh|dotenv",
            help="sh: export lines for eval; dotenv: NAME=value lines (GitHub's $GITHUB_ENV, docker --env-file).",
        ),
    ] = "sh",
    only_show_errors: o.OnlyShowErrors = False,
    verbose: o.Verbose = False,
    debug: o.Debug = False,
    subscription: o.HiddenSubscription = None,
) -> None:
    """Print the environment that reaches the running emulator: connection string, endpoint, admin token and,
    under --self-signed, the CA variables of Python (requests, azure-core), curl and Node.js.
    """
    import shlex
    import time

    from acsid_cli.emulator import runtime

    if format not in _FORMATS:
        raise UsageError(f"--format takes sh or dotenv, not '{format}'")
    deadline = time.monotonic() + wait
    while True:
        found = [one for one in runtime.running() if port is None or one.port == port]
        if found or time.monotonic() >= deadline:
            break
        time.sleep(_POLL_SECONDS)
    which = f" on port {port}" if port else ""
    if not found:
        raise NotFound(f"no acsid emulator{which} is running for this user", hint="start one: acsid emulator &")
    if len(found) > 1:
        ports = ", ".join(str(one.port) for one in found)
        raise UsageError(f"{len(found)} acsid emulators are running (ports {ports})", hint="choose one with --port")
    out = invocation(ctx).start(level_of(only_show_errors, verbose, debug), subscription).out
    for name, value in variables(found[0]).items():
        out.line(f"export {name}={shlex.quote(value)}" if format == "sh" else f"{name}={value}")


def variables(announced: Announcement) -> dict[str, str]:
    names = {
        protocol.CONNECTION_STRING_ENV: announced.connection_string,
        ENDPOINT_ENV: announced.endpoint,
        ADMIN_TOKEN_ENV: announced.admin_token,
    }
    if announced.bundle_file and announced.ca_file:
        # These replace the usual CAs, so they name a bundle of the usual ones and the emulator's.
        for name in ("REQUESTS_CA_BUNDLE", "SSL_CERT_FILE", "CURL_CA_BUNDLE"):
            names[name] = announced.bundle_file
        names["NODE_EXTRA_CA_CERTS"] = announced.ca_file  # Node adds this one to its own
    return names
