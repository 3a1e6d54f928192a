"""acsid emulator: run a local ACS Identity service; `acsid emulator env`: how a shell or CI step reaches it.

Only typer and the emulator's constants are imported here: the CLI's start-up must not pay for the server.
"""

from __future__ import annotations

import os
import re
from typing import Annotated

import typer

from acsid_cli import protocol
from acsid_cli.cli import options as o
from acsid_cli.cli.commands import emulator_env
from acsid_cli.cli.invocation import invocation, level_of
from acsid_cli.cli.output import UsageError
from acsid_cli.emulator import ADMIN_TOKEN_ENV, DEFAULT_PORT, DEFAULT_RESOURCE_ID

ACCESS_KEY_ENV = "ACSID_EMULATOR_ACCESS_KEY"


# `acsid emulator [OPTIONS]` serves; `acsid emulator env` is its one subcommand.
app = typer.Typer(cls=o.Group, rich_markup_mode=None, add_completion=False, subcommand_metavar="[env [OPTIONS]]")


@app.callback(
    invoke_without_command=True,
    epilog=o.examples(
        "acsid emulator --port 0",
        "acsid emulator --self-signed --quiet > /dev/null &",
        'eval "$(acsid emulator env --wait 30)"',
    ),
)
def emulator(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(metavar="HOST", help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[
        int, typer.Option(metavar="PORT", min=0, max=65535, help="TCP port; 0 picks a free one.")
    ] = DEFAULT_PORT,
    access_key: Annotated[
        str | None,
        typer.Option(
            metavar="KEY",
            envvar=ACCESS_KEY_ENV,
            show_envvar=True,
            help="Base64 access key clients sign with. Default: the well-known emulator key.",
            show_default=False,
        ),
    ] = None,
    secondary_key: Annotated[
        str | None,
        typer.Option(
            metavar="KEY",
            help="A second accepted key. Default: the well-known secondary key, unless --access-key is set.",
            show_default=False,
        ),
    ] = None,
    resource_id: Annotated[
        str | None,
        typer.Option(metavar="GUID", help=f"Resource GUID in identity ids and tokens. Default: {DEFAULT_RESOURCE_ID}."),
    ] = None,
    cert: Annotated[
        str | None, typer.Option(metavar="FILE", help="PEM certificate (chain): serve HTTPS. Needs --key.")
    ] = None,
    key: Annotated[str | None, typer.Option(metavar="FILE", help="PEM private key of --cert.")] = None,
    self_signed: Annotated[
        bool,
        typer.Option(
            "--self-signed",
            help="Serve HTTPS with a certificate of acsid's development CA (one per user, made once); "
            "print how clients trust it.",
        ),
    ] = False,
    ca_file: Annotated[
        str | None,
        typer.Option(
            metavar="FILE", show_default=False, help="With --self-signed: also copy the CA's certificate here."
        ),
    ] = None,
    state: Annotated[
        str | None,
        typer.Option(
            metavar="FILE", help="SQLite file that keeps identities and tokens across restarts. Default: in memory."
        ),
    ] = None,
    max_clock_skew: Annotated[
        int,
        typer.Option(
            metavar="MINUTES", min=0, help="Minutes x-ms-date may differ from the emulator's clock; 0: no check."
        ),
    ] = 15,
    throttle: Annotated[
        str | None,
        typer.Option(
            metavar="service",
            help=f"'service': answer 429 with Retry-After beyond the service's limits per "
            f"{protocol.RATE_WINDOW_SECONDS:g} s ({protocol.CREATE.limit} creates and token issues, "
            f"{protocol.DELETE.limit} deletes and revokes). Default: no limit.",
            show_default=False,
        ),
    ] = None,
    console: Annotated[
        bool, typer.Option("--console/--no-console", help="Serve the web console on a port of its own.")
    ] = True,
    console_port: Annotated[
        int | None,
        typer.Option(
            metavar="PORT",
            min=0,
            max=65535,
            help=f"The web console's TCP port; 0 picks a free one. Default: "
            f"{DEFAULT_PORT + 1} beside the default --port, else a free one.",
            show_default=False,
        ),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only the connection string.")] = False,
    only_show_errors: o.OnlyShowErrors = False,
    verbose: o.Verbose = False,
    debug: o.Debug = False,
    subscription: o.HiddenSubscription = None,
) -> None:
    """Run a local ACS Identity service that verifies signatures and mints tokens like Azure's.

    Prints the connection string as the first line on stdout, then serves until Ctrl-C or SIGTERM.
    The web console's address, with the admin token, goes to stderr: "console: http://...".
    `eval "$(acsid emulator env)"` sets a shell's connection string, admin token and CA variables.
    """
    if ctx.invoked_subcommand is not None:
        return
    out = invocation(ctx).start(level_of(only_show_errors, verbose, debug), subscription).out
    import errno
    import secrets

    from acsid_cli.cli.commands import emulator_serving as serving
    from acsid_cli.emulator import DEFAULT_ACCESS_KEY, DEFAULT_SECONDARY_KEY
    from acsid_cli.emulator.config import EmulatorConfig
    from acsid_cli.emulator.server import start_in_thread
    from acsid_cli.emulator.store import StateError
    from acsid_cli.emulator.throttle import SERVICE_LIMITS

    _check(access_key, throttle, self_signed, cert, key)
    admin_token = _admin_token()
    trust = serving.development_trust(host, ca_file) if self_signed else None
    if trust is not None:
        cert = key = trust.server_file
    try:
        config = EmulatorConfig(
            host=host,
            port=port,
            access_key=access_key or DEFAULT_ACCESS_KEY,
            # The well-known secondary key would undo a private primary key, so it only goes with the default.
            secondary_key=secondary_key or (None if access_key else DEFAULT_SECONDARY_KEY),
            resource_id=resource_id or DEFAULT_RESOURCE_ID,
            cert_file=cert,
            key_file=key,
            state_file=state,
            max_clock_skew_minutes=max_clock_skew,
            throttle=SERVICE_LIMITS if throttle else None,
            admin_token=admin_token or secrets.token_urlsafe(32),
        )
        running = start_in_thread(config)
    except (ValueError, StateError) as e:
        raise UsageError(_with_flags(str(e))) from None
    except OSError as e:
        hint = "--port 0 picks a free port" if e.errno == errno.EADDRINUSE else None
        raise UsageError(f"cannot listen on {host}:{port}: {e.strerror or e}", hint) from None
    console_address = serving.start_console(running, host, console_port_of(port, console_port)) if console else None
    serving.serve(out, running, trust, state, quiet, console_address)


def _check(access_key: str | None, throttle: str | None, self_signed: bool, cert: str | None, key: str | None) -> None:
    """Refuse the flags (and ACSID_EMULATOR_ACCESS_KEY) that cannot mean anything, before anything starts."""
    if access_key == "":  # Click reads an empty variable as unset: the public key would silently stand in
        raise UsageError("--access-key is empty: give a base64 key, or leave it out for the well-known key")
    if os.environ.get(ACCESS_KEY_ENV) == "" and access_key is None:
        raise UsageError(f"{ACCESS_KEY_ENV} is empty: set it to a base64 key, or unset it for the well-known key")
    if throttle not in (None, "service"):
        raise UsageError(f"--throttle takes 'service', not '{throttle}'")
    if self_signed and (cert or key):
        raise UsageError("--self-signed makes its own certificate: it does not go with --cert and --key")


def _admin_token() -> str | None:
    """The admin API's token when whoever starts the emulator chose one (run_emulator does), else None: a
    fresh one for each run."""
    from acsid_cli.emulator.config import ADMIN_TOKEN

    admin_token = os.environ.get(ADMIN_TOKEN_ENV)
    if admin_token is not None and not admin_token.strip():
        raise UsageError(f"{ADMIN_TOKEN_ENV} is empty: set it to a secret, or unset it for a fresh one")
    if admin_token is not None and not ADMIN_TOKEN.fullmatch(admin_token):
        raise UsageError(f"{ADMIN_TOKEN_ENV} must be 16 to 256 letters, digits and -._~+/=, or unset for a fresh one")
    return admin_token


def console_port_of(port: int, console_port: int | None) -> int:
    """--console-port, else 10051 beside the default --port, else a free one (0)."""
    if console_port is not None:
        return console_port
    return DEFAULT_PORT + 1 if port == DEFAULT_PORT else 0


# EmulatorConfig's errors name its fields (it is used from Python too); here the user typed flags.
# A name inside a path (/tmp/key_file.pem) is left alone.
_FLAGS = {
    "access_key": "--access-key",
    "secondary_key": "--secondary-key",
    "resource_id": "--resource-id",
    "cert_file": "--cert",
    "key_file": "--key",
}


def _with_flags(message: str) -> str:
    field = re.compile(r"(?<![\w/.-])(" + "|".join(_FLAGS) + r")(?![\w/.-])")
    return field.sub(lambda name: _FLAGS[name.group(1)], message)


app.command("env", cls=o.Command, epilog=emulator_env.EXAMPLES)(emulator_env.env)
