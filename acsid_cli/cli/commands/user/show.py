"""acsid user show: an identity's id, custom id and when it last got a token."""

from __future__ import annotations

import typer

from acsid_cli.cli import options as o
from acsid_cli.cli.inputs import api_version_for, one_user
from acsid_cli.cli.invocation import Service, invocation, level_of

app = o.new_app()


@app.command("show", cls=o.Command, epilog=o.examples('acsid user show --user "8:acs:..."'))
def show(
    ctx: typer.Context,
    user: o.Users,
    connection_string: o.ConnectionString = None,
    profile: o.Profile = None,
    endpoint: o.Endpoint = None,
    auth_mode: o.AuthMode = None,
    api_version: o.ApiVersionPreview = None,
    timeout: o.Timeout = None,
    output: o.Output = None,
    query: o.Query = None,
    only_show_errors: o.OnlyShowErrors = False,
    verbose: o.Verbose = False,
    debug: o.Debug = False,
    subscription: o.Subscription = None,
) -> None:
    """Show an identity: its id, custom id and when it last got a token (API 2025-03-02-preview)."""
    run = invocation(ctx).start(level_of(only_show_errors, verbose, debug), subscription).results(output, query)
    run.using(Service(connection_string, profile, endpoint, auth_mode, api_version, timeout))
    user_id = one_user(user)
    identity = run.client(api_version=api_version_for(api_version, "user show")).get_user(user_id)
    run.out.result(
        {"customId": identity.custom_id, "id": identity.id, "lastTokenIssuedAt": identity.last_token_issued_at}
    )
