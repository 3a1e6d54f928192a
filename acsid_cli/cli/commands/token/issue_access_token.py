"""acsid issue-access-token: az's hidden, deprecated twin of `token issue`, for one-liners written against it."""

from __future__ import annotations

from typing import Annotated

import typer

from acsid_cli.cli import options as o
from acsid_cli.cli.commands.token.issue import checked, issue_run
from acsid_cli.cli.invocation import Service, invocation, level_of

app = o.new_app()


@app.command(
    "issue-access-token",
    cls=o.Command,
    hidden=True,
    epilog=o.examples(
        "acsid issue-access-token --scope chat voip --userid 8:acs:...  # acsid token issue, as az had it"
    ),
)
def issue_access_token(
    ctx: typer.Context,
    scope: Annotated[
        list[str], typer.Option("--scope", "-s", metavar="SCOPE", help="Scopes of the token.", show_default=False)
    ],
    userid: Annotated[
        list[str] | None, typer.Option("--userid", "-u", metavar="ID", help="ACS identifier.", show_default=False)
    ] = None,
    connection_string: o.ConnectionString = None,
    profile: o.Profile = None,
    endpoint: o.Endpoint = None,
    auth_mode: o.AuthMode = None,
    api_version: o.ApiVersion = None,
    timeout: o.Timeout = None,
    output: o.Output = None,
    query: o.Query = None,
    only_show_errors: o.OnlyShowErrors = False,
    verbose: o.Verbose = False,
    debug: o.Debug = False,
    subscription: o.Subscription = None,
) -> None:
    """Deprecated spelling of 'acsid token issue', kept because az still accepts it."""
    run = invocation(ctx).start(level_of(only_show_errors, verbose, debug), subscription).results(output, query)
    run.using(Service(connection_string, profile, endpoint, auth_mode, api_version, timeout))
    run.out.warning(
        "This command has been deprecated and will be removed in a future release. Use 'acsid token issue' instead."
    )
    issue_run(run, checked(scope, userid, None, None, None, api_version, user_option="--userid"))
