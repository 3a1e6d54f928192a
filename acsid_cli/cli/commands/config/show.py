"""acsid config show: which connection is used, and where it comes from; never the key or a token."""

from __future__ import annotations

import typer

from acsid_cli.cli import keystore
from acsid_cli.cli import options as o
from acsid_cli.cli.invocation import Service, invocation, level_of

app = o.new_app()


@app.command("show", cls=o.Command, epilog=o.examples("acsid config show --profile prod -o json"))
def show(
    ctx: typer.Context,
    connection_string: o.ConnectionString = None,
    profile: o.Profile = None,
    endpoint: o.Endpoint = None,
    auth_mode: o.AuthMode = None,
    output: o.Output = None,
    query: o.Query = None,
    only_show_errors: o.OnlyShowErrors = False,
    verbose: o.Verbose = False,
    debug: o.Debug = False,
    subscription: o.HiddenSubscription = None,
) -> None:
    """Show the profile, endpoint and where the connection string comes from; the key stays hidden.

    Also lists the profiles stored in the keyring. With nothing configured it says so, and exits 0.
    """
    from acsid_cli.cli.invocation import NothingConfigured

    run = invocation(ctx).start(level_of(only_show_errors, verbose, debug), subscription).results(output, query)
    run.using(Service(connection_string, profile, endpoint, auth_mode))
    shown: dict[str, object] = {"profile": profile or o.DEFAULT_PROFILE}
    try:
        resolved = run.resolve()
        shown |= {"endpoint": resolved.endpoint, "source": resolved.source, "authMode": resolved.auth_mode}
        if resolved.connection:
            shown |= {"accessKey": f"hidden ({resolved.connection.fingerprint})", "credential": None}
        else:  # ask for a token, to say which credential answers; the token itself is never shown
            shown |= {"accessKey": None, "credential": run.entra().credential_name}
    except NothingConfigured as nothing:
        shown |= {"endpoint": None, "source": None, "authMode": None, "accessKey": None, "credential": None}
        run.out.warning(f"{nothing.message}; {nothing.hint}")
    try:
        shown["profiles"] = keystore.profiles()
    except keystore.KeystoreUnavailable:
        shown["profiles"] = []
    run.out.result(shown)
