"""acsid config set-connection-string|show|delete-connection-string: the keyring side of credentials."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from acsid_cli import protocol, signing
from acsid_cli.cli import keystore, stdin
from acsid_cli.cli.errors import NotFound, UsageError
from acsid_cli.cli.inputs import check_profile
from acsid_cli.cli.invocation import invocation
from acsid_cli.cli.options import CONNECTION, OUTPUT, command, group
from acsid_cli.cli.output import is_tty
from acsid_cli.emulator import DEFAULT_ACCESS_KEY, DEFAULT_SECONDARY_KEY

app = group("Store connection strings in the OS keyring and show which one is used.")

# The emulator's well-known keys are public: they may sit in a plain-text keyring, nothing else may.
_EMULATOR_KEYS = {signing.decode_key(key) for key in (DEFAULT_ACCESS_KEY, DEFAULT_SECONDARY_KEY)}

ProfileOption = Annotated[str, typer.Option(envvar="ACSID_PROFILE", help="Profile name (keyring entry).")]


@app.command(
    "set-connection-string",
    cls=command(),
    epilog="Example: acsid config set-connection-string --profile prod < conn.txt",
)
def set_connection_string(ctx: typer.Context, profile: ProfileOption = keystore.DEFAULT_PROFILE) -> None:
    """Read a connection string from a hidden prompt (or stdin), check it, and store it in the keyring.

    It is never taken from argv, where other local users could read it.
    """
    from acsid_cli.client.connection import parse

    run = invocation(ctx)
    check_profile(profile)
    text = run.out.ask_secret("Connection string") if is_tty(sys.stdin) else stdin.one_line(sys.stdin)
    connection = parse(text)
    try:
        if keystore.is_plaintext() and connection.key not in _EMULATOR_KEYS:
            raise UsageError(
                "refusing to store an access key in a plain-text keyring",
                hint=f"install an OS keyring backend, or set {protocol.CONNECTION_STRING_ENV} in the environment",
            )
        keystore.set(profile, text.strip())
    except keystore.KeystoreUnavailable as exc:
        raise UsageError(f"cannot store the connection string: {exc}",
                         hint=f"set {protocol.CONNECTION_STRING_ENV} instead") from None
    run.out.done(f"Stored the connection string for {connection.endpoint} in the keyring (profile '{profile}')")


@app.command("show", cls=command(CONNECTION, OUTPUT), epilog="Example: acsid config show --profile prod -o json")
def show(ctx: typer.Context) -> None:
    """Show the profile, endpoint and where the connection string comes from; the key stays hidden.

    Also lists the profiles stored in the keyring. With nothing configured it says so, and exits 0.
    """
    from acsid_cli.cli.sources import NothingConfigured
    from acsid_cli.client.auth import BearerAuth, default_credential

    run = invocation(ctx)
    shown: dict[str, object] = {"profile": run.profile or keystore.DEFAULT_PROFILE}
    try:
        resolved = run.resolve()
        shown |= {"endpoint": resolved.endpoint, "source": resolved.source, "authMode": resolved.auth_mode}
        if resolved.connection:
            shown |= {"accessKey": f"hidden ({resolved.connection.fingerprint})", "credential": None}
        else:  # ask for a token, to say which credential answers; the token itself is never shown
            auth = BearerAuth(default_credential())
            auth.token()
            shown |= {"accessKey": None, "credential": auth.credential_name}
    except NothingConfigured as nothing:
        shown |= {"endpoint": None, "source": None, "authMode": None, "accessKey": None, "credential": None}
        run.out.warning(f"{nothing.message}; {nothing.hint}")
    try:
        shown["profiles"] = keystore.profiles()
    except keystore.KeystoreUnavailable:
        shown["profiles"] = []
    run.out.result(shown)


@app.command(
    "delete-connection-string", cls=command(), epilog="Example: acsid config delete-connection-string --profile prod"
)
def delete_connection_string(ctx: typer.Context, profile: ProfileOption = keystore.DEFAULT_PROFILE) -> None:
    """Remove the connection string of a profile from the keyring."""
    run = invocation(ctx)
    check_profile(profile)
    try:
        removed = keystore.delete(profile)
    except keystore.KeystoreUnavailable as exc:
        raise UsageError(f"cannot reach the keyring: {exc}") from None
    if not removed:
        raise NotFound(f"no connection string stored for profile '{profile}'")
    run.out.done(f"Removed the connection string of profile '{profile}'")
