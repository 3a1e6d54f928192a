"""acsid token get-for-entra-user: an Entra ID user's own token exchanged for an ACS identity and token (preview)."""

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
    "get-for-entra-user",
    cls=o.Command,
    epilog=o.examples(
        f"az account get-access-token --scope {protocol.ENTRA_USERS_SCOPE_PREFIX}VoIP --query accessToken -o tsv |",
        "  acsid token get-for-entra-user --aad-token -",
    ),
)
def get_for_entra_user(
    ctx: typer.Context,
    aad_token: exchange.AadToken,
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
    """Exchange an Entra ID user's token for an ACS identity and token (preview): the same expiry, and the
    scopes of the token's permissions (Chat, Chat.Join, Chat.Join.Limited, VoIP, VoIP.Join).

    The user, a group of theirs or their tenant needs an assignment naming the token's app: acsid assignment entra set.
    """
    run = invocation(ctx).start(level_of(only_show_errors, verbose, debug), subscription).results(output, query)
    run.using(Service(connection_string, profile, endpoint, auth_mode, api_version, timeout))
    version = operation_version(api_version, protocol.ENTRA_EXCHANGE, "acsid token get-for-entra-user")
    token = exchange.user_token(run, aad_token)
    exchanged = exchange.client(run, token, version).entra.exchange_token(token)
    run.out.result(token_json(exchanged.identity.id, exchanged.token.token, exchanged.token.expires_on))
