"""acsid config set-connection-string: check a connection string and keep it in the OS keyring, never on argv."""

from __future__ import annotations

import sys

import typer

from acsid_cli import protocol, signing
from acsid_cli.cli import keystore, stdin
from acsid_cli.cli import options as o
from acsid_cli.cli.commands.config import ProfileName
from acsid_cli.cli.inputs import check_profile
from acsid_cli.cli.invocation import invocation, level_of
from acsid_cli.cli.output import UsageError, is_tty

app = o.new_app()


@app.command(
    "set-connection-string",
    cls=o.Command,
    epilog=o.examples("acsid config set-connection-string --profile prod < conn.txt"),
)
def set_connection_string(
    ctx: typer.Context,
    profile: ProfileName = o.DEFAULT_PROFILE,
    only_show_errors: o.OnlyShowErrors = False,
    verbose: o.Verbose = False,
    debug: o.Debug = False,
    subscription: o.HiddenSubscription = None,
) -> None:
    """Read a connection string from a hidden prompt (or stdin), check it, and store it in the keyring.

    It is never taken from argv, where other local users could read it.
    """
    from acsid_cli.client.connection import parse
    from acsid_cli.emulator import DEFAULT_ACCESS_KEY, DEFAULT_SECONDARY_KEY

    run = invocation(ctx).start(level_of(only_show_errors, verbose, debug), subscription)
    check_profile(profile)
    text = run.out.ask_secret("Connection string") if is_tty(sys.stdin) else stdin.one_line(sys.stdin)
    connection = parse(text)
    # The emulator's well-known keys are public: they may sit in a plain-text keyring, nothing else may.
    public = {signing.decode_key(key) for key in (DEFAULT_ACCESS_KEY, DEFAULT_SECONDARY_KEY)}
    try:
        if keystore.is_plaintext() and connection.key not in public:
            raise UsageError(
                "refusing to store an access key in a plain-text keyring",
                hint=f"install an OS keyring backend, or set {protocol.CONNECTION_STRING_ENV} in the environment",
            )
        keystore.set(profile, text.strip())
    except keystore.KeystoreUnavailable as exc:
        raise UsageError(
            f"cannot store the connection string: {exc}", hint=f"set {protocol.CONNECTION_STRING_ENV} instead"
        ) from None
    run.out.done(f"Stored the connection string for {connection.endpoint} in the keyring (profile '{profile}')")
