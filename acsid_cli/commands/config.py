"""acsid config set-connection-string|show|delete-connection-string: the keyring side of credentials."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from acsid_cli.errors import NotFoundError, UsageError
from acsid_cli.inputs import check_profile
from acsid_cli.options import Common, with_common_options

app = typer.Typer(help="Store connection strings in the OS keyring and show which one is used.", no_args_is_help=True)

PROFILE = Annotated[str, typer.Option(envvar="ACSID_PROFILE", help="Profile name (keyring entry).")]


@app.command(
    "set-connection-string",
    epilog="Example: acsid config set-connection-string --profile prod < conn.txt",
)
def set_connection_string(profile: PROFILE = "default") -> None:
    """Read a connection string from a hidden prompt (or stdin), check it, and store it in the keyring.

    It is never taken from argv, where other local users could read it.
    """
    from acsid_cli import connection, keystore
    from acsid_cli.output import is_tty

    check_profile(profile)
    if is_tty(sys.stdin):
        text = typer.prompt("Connection string", hide_input=True, err=True)
    else:
        text = sys.stdin.readline()
    conn = connection.parse(text)
    try:
        keystore.set(profile, text.strip())
    except keystore.KeystoreUnavailable as exc:
        raise UsageError(f"cannot store the connection string: {exc}",
                         hint=f"set {connection.ENV_VAR} instead") from None
    sys.stderr.write(f"✓ Stored the connection string for {conn.endpoint} in the keyring (profile {profile!r})\n")


@app.command("show", epilog="Example: acsid config show --profile prod -o json")
@with_common_options
def show(*, common: Common) -> None:
    """Show the profile, endpoint and where the connection string comes from; the key stays hidden."""
    out = common.out()
    conn = common.connection()
    out.result({
        "profile": common.profile,
        "endpoint": conn.endpoint,
        "source": common.source,
        "accessKey": f"hidden ({conn.fingerprint})",
    })


@app.command("delete-connection-string", epilog="Example: acsid config delete-connection-string --profile prod")
def delete_connection_string(profile: PROFILE = "default") -> None:
    """Remove the connection string of a profile from the keyring."""
    from acsid_cli import keystore

    check_profile(profile)
    try:
        removed = keystore.delete(profile)
    except keystore.KeystoreUnavailable as exc:
        raise UsageError(f"cannot reach the keyring: {exc}") from None
    if not removed:
        raise NotFoundError(f"no connection string stored for profile {profile!r}")
    sys.stderr.write(f"✓ Removed the connection string of profile {profile!r}\n")
