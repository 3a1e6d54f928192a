"""acsid user delete: an identity, its tokens and its data; many in a bulk run."""

from __future__ import annotations

import typer

from acsid_cli.cli import options as o
from acsid_cli.cli.commands.common import Change, change_identities
from acsid_cli.cli.invocation import Service, invocation, level_of

app = o.new_app()

DELETE = Change(
    "Delete identity {} and revoke all its tokens?",
    "Delete {} identities and revoke all their tokens?",
    lambda client, user: client.delete_user(user),
    done="Deleted {}",
    verb="deleted",
)


@app.command(
    "delete",
    cls=o.Command,
    epilog=o.examples(
        'acsid user delete --user "8:acs:..." --yes', "acsid user delete --user - --yes < identities.jsonl"
    ),
)
def delete(
    ctx: typer.Context,
    user: o.Users,
    yes: o.Yes = False,
    connection_string: o.ConnectionString = None,
    profile: o.Profile = None,
    endpoint: o.Endpoint = None,
    auth_mode: o.AuthMode = None,
    api_version: o.ApiVersion = None,
    timeout: o.Timeout = None,
    parallel: o.Parallel = o.DEFAULT_PARALLEL,
    rate: o.Rate = None,
    output: o.Output = None,
    query: o.Query = None,
    only_show_errors: o.OnlyShowErrors = False,
    verbose: o.Verbose = False,
    debug: o.Debug = False,
    subscription: o.Subscription = None,
) -> None:
    """Delete an ACS identity, revoke all its tokens and delete its data."""
    run = invocation(ctx).start(level_of(only_show_errors, verbose, debug), subscription).results(output, query)
    run.using(Service(connection_string, profile, endpoint, auth_mode, api_version, timeout), parallel, rate)
    change_identities(run, user, yes, DELETE)
