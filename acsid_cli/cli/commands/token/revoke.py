"""acsid token revoke: every access token of an identity; of many in a bulk run."""

from __future__ import annotations

import typer

from acsid_cli.cli import options as o
from acsid_cli.cli.commands.common import Change, change_identities
from acsid_cli.cli.invocation import Service, invocation, level_of

app = o.new_app()

REVOKE = Change(
    "Revoke all tokens of {}?",
    "Revoke all tokens of {} identities?",
    lambda client, user: client.revoke_tokens(user),
    done="Revoked the tokens of {}",
    verb="revoked",
)


@app.command(
    "revoke",
    cls=o.Command,
    epilog=o.examples(
        'acsid token revoke --user "8:acs:..." --yes', "acsid token revoke --user - --yes < identities.jsonl"
    ),
)
def revoke(
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
    """Revoke all access tokens of an identity."""
    run = invocation(ctx).start(level_of(only_show_errors, verbose, debug), subscription).results(output, query)
    run.using(Service(connection_string, profile, endpoint, auth_mode, api_version, timeout), parallel, rate)
    change_identities(run, user, yes, REVOKE)
