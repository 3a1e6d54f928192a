"""acsid token get-for-teams-user: a Teams user's Microsoft Entra token exchanged for an ACS access token."""

from __future__ import annotations

from typing import Annotated

import typer

from acsid_cli import protocol
from acsid_cli.cli import options as o
from acsid_cli.cli.inputs import check_guid
from acsid_cli.cli.invocation import Service, invocation, level_of
from acsid_cli.cli.output import UsageError, token_json
from acsid_cli.cli.stdin import read_secret

app = o.new_app()


@app.command(
    "get-for-teams-user",
    cls=o.Command,
    epilog=o.examples(
        "export AAD_TOKEN=$(az account get-access-token ... --query accessToken -o tsv)",
        'echo "$AAD_TOKEN" | acsid token get-for-teams-user --aad-token - --client <app id> --aad-user <object id>',
    ),
)
def get_for_teams_user(
    ctx: typer.Context,
    aad_token: Annotated[
        str,
        typer.Option(
            metavar="TOKEN",
            show_default=False,
            help="Microsoft Entra access token of a Teams user; '-' reads it from stdin, off argv.",
        ),
    ],
    client_id: Annotated[
        str,
        typer.Option(
            "--client",
            metavar="GUID",
            show_default=False,
            help="Client (application) ID of the Entra application: the token's appid.",
        ),
    ],
    aad_user: Annotated[
        str, typer.Option(metavar="GUID", show_default=False, help="Object ID of the Teams user: the token's oid.")
    ],
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
    """Exchange a Teams user's Entra token for an ACS access token with the same expiry."""
    run = invocation(ctx).start(level_of(only_show_errors, verbose, debug), subscription).results(output, query)
    run.using(Service(connection_string, profile, endpoint, auth_mode, api_version, timeout))
    client_id = check_guid("--client", client_id)
    aad_user = check_guid("--aad-user", aad_user)
    if aad_token == "-" and connection_string == "-":
        raise UsageError(
            "--aad-token and --connection-string cannot both read stdin",
            hint=f"set {protocol.CONNECTION_STRING_ENV} or use the keyring",
        )
    aad_token = read_secret("--aad-token", aad_token)
    token = run.client().exchange_teams_token(aad_token, client_id, aad_user)
    run.out.result(token_json(None, token.token, token.expires_on))
