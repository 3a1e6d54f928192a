"""acsid emulator: run a local ACS Identity service.

Only typer and the emulator's constants are imported here: the CLI's start-up must not pay for the server.
"""

from __future__ import annotations

import re
from typing import Annotated

import typer

from acsid_cli import protocol
from acsid_cli.cli.errors import UsageError
from acsid_cli.cli.invocation import invocation
from acsid_cli.cli.options import command
from acsid_cli.emulator import DEFAULT_PORT, DEFAULT_RESOURCE_ID

ACCESS_KEY_ENV = "ACSID_EMULATOR_ACCESS_KEY"


def register(app: typer.Typer) -> None:
    app.command("emulator", cls=command())(emulator)


def emulator(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="TCP port; 0 picks a free one.")] = DEFAULT_PORT,
    access_key: Annotated[
        str | None,
        typer.Option(
            envvar=ACCESS_KEY_ENV,
            show_envvar=True,
            help="Base64 access key clients sign with. Default: the well-known emulator key.",
            show_default=False,
        ),
    ] = None,
    secondary_key: Annotated[
        str | None,
        typer.Option(
            help="A second accepted key. Default: the well-known secondary key, unless --access-key is set.",
            show_default=False,
        ),
    ] = None,
    resource_id: Annotated[
        str | None,
        typer.Option(help=f"Resource GUID in identity ids and tokens. Default: {DEFAULT_RESOURCE_ID}."),
    ] = None,
    cert: Annotated[str | None, typer.Option(help="PEM certificate (chain): serve HTTPS. Needs --key.")] = None,
    key: Annotated[str | None, typer.Option(help="PEM private key of --cert.")] = None,
    self_signed: Annotated[
        bool,
        typer.Option(
            "--self-signed",
            help="Serve HTTPS with a certificate from a CA made for this run; print how clients trust it.",
        ),
    ] = False,
    ca_file: Annotated[
        str | None,
        typer.Option(help="With --self-signed: where to write the CA's certificate. Default: a temporary file.",
                     show_default=False),
    ] = None,
    state: Annotated[
        str | None,
        typer.Option(help="SQLite file that keeps identities and tokens across restarts. Default: in memory."),
    ] = None,
    max_clock_skew: Annotated[
        int, typer.Option(min=0, help="Minutes x-ms-date may differ from the emulator's clock; 0: no check.")
    ] = 15,
    throttle: Annotated[
        str | None,
        typer.Option(
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
        typer.Option(min=0, max=65535, help=f"The web console's TCP port; 0 picks a free one. Default: "
                     f"{DEFAULT_PORT + 1} beside the default --port, else a free one.", show_default=False),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only the connection string.")] = False,
) -> None:
    """Run a local ACS Identity service that verifies signatures and mints tokens like Azure's.

    Prints the connection string as the first line on stdout, then serves until Ctrl-C or SIGTERM.
    The web console's address, with the admin token, goes to stderr: "console: http://...".

    \b
    Example:
      acsid emulator --port 0
    """
    import dataclasses
    import errno
    import os
    import signal
    import tempfile
    import threading
    from pathlib import Path

    from acsid_cli.emulator import DEFAULT_ACCESS_KEY, DEFAULT_SECONDARY_KEY
    from acsid_cli.emulator.config import EmulatorConfig
    from acsid_cli.emulator.server import WILDCARD_HOSTS, reachable_address, start_in_thread
    from acsid_cli.emulator.store import StateError
    from acsid_cli.emulator.throttle import SERVICE_LIMITS
    from acsid_cli.emulator.tls import self_signed as make_ca

    out = invocation(ctx).out
    if access_key == "":  # Click reads an empty variable as unset: the public key would silently stand in
        raise UsageError("--access-key is empty: give a base64 key, or leave it out for the well-known key")
    if os.environ.get(ACCESS_KEY_ENV) == "" and access_key is None:
        raise UsageError(f"{ACCESS_KEY_ENV} is empty: set it to a base64 key, or unset it for the well-known key")
    if throttle not in (None, "service"):
        raise UsageError(f"--throttle takes 'service', not '{throttle}'")
    if self_signed and (cert or key):
        raise UsageError("--self-signed makes its own certificate: it does not go with --cert and --key")
    # The admin API's token: fresh for each run, unless whoever starts it chose one (run_emulator does).
    admin_token = os.environ.get("ACSID_EMULATOR_ADMIN_TOKEN")
    if admin_token is not None and not admin_token.strip():
        raise UsageError("ACSID_EMULATOR_ADMIN_TOKEN is empty: set it to a secret, or unset it for a fresh one")
    folder = tempfile.TemporaryDirectory(prefix="acsid-emulator-")
    ca = None
    if self_signed:
        names = [reachable_address() if host in WILDCARD_HOSTS else host]
        try:
            ca = make_ca(Path(folder.name), names, ca_file)
        except OSError as e:
            raise UsageError(f"cannot write the CA to {ca_file}: {e.strerror}") from None
        cert, key = ca.cert_file, ca.key_file
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
        )
        if admin_token:
            config = dataclasses.replace(config, admin_token=admin_token)
        running = start_in_thread(config)
    except (ValueError, StateError) as e:
        raise UsageError(_with_flags(str(e))) from None
    except OSError as e:
        hint = "--port 0 picks a free port" if e.errno == errno.EADDRINUSE else None
        raise UsageError(f"cannot listen on {host}:{port}: {e.strerror or e}", hint) from None
    console_address = None
    if console:
        from acsid_cli.emulator.console import app as web_console

        at = console_port_of(port, console_port)
        try:
            console_address = web_console.address(web_console.serve(running, at), config.admin_token)
        except OSError as e:
            running.stop()
            hint = "--console-port 0 picks a free port; --no-console serves none"
            raise UsageError(f"cannot listen on {host}:{at} for the console: {e.strerror or e}", hint) from None

    stop = threading.Event()
    for signal_number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signal_number, lambda *_: stop.set())
    out.line(running.connection_string)  # the one line scripts and fixtures read
    if not quiet:
        where = f"state: {state}" if state else "state: memory"
        out.info(f"acsid emulator: listening on {running.endpoint} (resource {running.emulator.resource_id}, {where})")
        if running.server.local_endpoint != running.endpoint:
            out.info(f"acsid emulator: on this machine also {running.server.local_endpoint}")
        if ca is not None:
            path = ca.ca_file
            out.info(f"acsid emulator: HTTPS with a certificate of a CA made for this run; clients trust {path}:")
            out.info(f"  export REQUESTS_CA_BUNDLE={path} SSL_CERT_FILE={path}  # Python: requests, azure-core")
            out.info(f"  export NODE_EXTRA_CA_CERTS={path}  # Node.js")
        if console_address:
            out.info(f"console: {console_address}")
    stop.wait()
    running.stop()
    folder.cleanup()
    if not quiet:
        out.info("acsid emulator: stopped")


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
