"""acsid config delete-connection-string: remove a profile's connection string from the OS keyring."""

from __future__ import annotations

import typer

from acsid_cli.cli import keystore
from acsid_cli.cli import options as o
from acsid_cli.cli.commands.config import ProfileName
from acsid_cli.cli.inputs import check_profile
from acsid_cli.cli.invocation import invocation, level_of
from acsid_cli.cli.output import NotFound, UsageError

app = o.new_app()


@app.command(
    "delete-connection-string",
    cls=o.Command,
    epilog=o.examples("acsid config delete-connection-string --profile prod"),
)
def delete_connection_string(
    ctx: typer.Context,
    profile: ProfileName = o.DEFAULT_PROFILE,
    only_show_errors: o.OnlyShowErrors = False,
    verbose: o.Verbose = False,
    debug: o.Debug = False,
    subscription: o.HiddenSubscription = None,
) -> None:
    """Remove the connection string of a profile from the keyring."""
    run = invocation(ctx).start(level_of(only_show_errors, verbose, debug), subscription)
    check_profile(profile)
    try:
        removed = keystore.delete(profile)
    except keystore.KeystoreUnavailable as exc:
        raise UsageError(f"cannot reach the keyring: {exc}") from None
    if not removed:
        raise NotFound(f"no connection string stored for profile '{profile}'")
    run.out.done(f"Removed the connection string of profile '{profile}'")
