"""acsid token get-for-teams-extension-user: a Teams Extension user's own Entra token exchanged for an ACS identity
and token."""

from __future__ import annotations

import typer

from acsid_cli import protocol
from acsid_cli.cli import options as o
from acsid_cli.cli.commands.token import exchange
from acsid_cli.cli.inputs import operation_version
from acsid_cli.cli.invocation import Service, invocation, level_of
from acsid_cli.cli.output import token_json

app = o.new_app()


@app.command(
    "get-for-teams-extension-user",
    cls=o.Command,
    epilog=o.examples(
        f"az account get-access-token --scope {protocol.TEAMS_EXTENSION_SCOPE_PREFIX}.default --query accessToken "
        "-o tsv |",
        "  acsid token get-for-teams-extension-user --aad-token -",
    ),
)
def get_for_teams_extension_user(
    ctx: typer.Context,
    aad_token: exchange.AadToken,
    connection_string: o.ConnectionString = None,
    profile: o.Profile = None,
    endpoint: o.Endpoint = None,
    auth_mode: o.AuthMode = None,
    api_version: o.ApiVersionTeamsExtension = None,
    timeout: o.Timeout = None,
    output: o.Output = None,
    query: o.Query = None,
    only_show_errors: o.OnlyShowErrors = False,
    verbose: o.Verbose = False,
    debug: o.Debug = False,
    subscription: o.Subscription = None,
) -> None:
    """Exchange a Teams Extension user's Entra token for an ACS identity and token with the same expiry.

    The user (or resource account) needs an assignment: acsid assignment teams-extension set.
    """
    run = invocation(ctx).start(level_of(only_show_errors, verbose, debug), subscription).results(output, query)
    run.using(Service(connection_string, profile, endpoint, auth_mode, api_version, timeout))
    version = operation_version(
        api_version, protocol.TEAMS_EXTENSION_EXCHANGE, "acsid token get-for-teams-extension-user"
    )
    token = exchange.user_token(run, aad_token)
    exchanged = exchange.client(run, token, version).teams_extension.exchange_token(token)
    run.out.result(token_json(exchanged.identity.id, exchanged.token.token, exchanged.token.expires_on))
