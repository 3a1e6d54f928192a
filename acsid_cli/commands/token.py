"""acsid token issue|revoke|get-for-teams-user"""

from __future__ import annotations

from typing import Annotated

import typer

from acsid_cli.errors import UsageError
from acsid_cli.inputs import SCOPES, check_expiry, check_guid, check_user_id, confirm, parse_scopes, read_secret
from acsid_cli.options import Common, UserOption, YesOption, with_common_options

app = typer.Typer(help="Issue, revoke and exchange access tokens.", no_args_is_help=True)

ScopeOption = Annotated[
    list[str],
    typer.Option(
        "--scope",
        help=f"Scopes of the token: {', '.join(SCOPES)}. As in az, --scope chat voip; also --scope chat,voip "
        "or --scope chat --scope voip.",
        show_default=False,
    ),
]
# Typer options take one value each; the words after `--scope chat` land here, which is how
# az's `--scope chat voip` keeps working.
MoreScopes = Annotated[list[str] | None, typer.Argument(hidden=True, show_default=False, metavar="SCOPE")]
ExpiresInOption = Annotated[
    int | None,
    typer.Option(
        help="Token lifetime in minutes, 60 to 1440. Default: the service's 1440.",
        show_default=False,
    ),
]


@app.command(
    "issue",
    epilog="Examples: acsid token issue --scope chat voip   ·   "
    'acsid token issue --scope chat --user "8:acs:..." --expires-in 60 -o tsv --query token',
)
@with_common_options
def issue(
    scope: ScopeOption,
    more_scopes: MoreScopes = None,
    user: Annotated[str | None, typer.Option("--user", help="ACS identifier; without it a new identity is "
                                                "created along with the token.", show_default=False)] = None,
    expires_in: ExpiresInOption = None,
    *,
    common: Common,
) -> None:
    """Issue an access token for an identity; without --user, create the identity too, in one request."""
    out = common.out()
    scopes = parse_scopes([*scope, *(more_scopes or [])])
    if expires_in is not None:
        check_expiry(expires_in)
    if user is not None:
        user = check_user_id(user)
    client = common.client()
    if user is None:
        created = client.create_user(scopes, expires_in)
        user, token = created["identity"]["id"], created["accessToken"]
    else:
        token = client.issue_token(user, scopes, expires_in)
    out.result({"expires_on": token["expiresOn"], "token": token["token"], "user_id": user})


@app.command("revoke", epilog='Example: acsid token revoke --user "8:acs:..." --yes')
@with_common_options
def revoke(user: UserOption, yes: YesOption = False, *, common: Common) -> None:
    """Revoke all access tokens of an identity."""
    out = common.out()
    user = check_user_id(user)
    client = common.client()
    confirm(f"Revoke all tokens of {user}?", yes)
    client.revoke_tokens(user)
    out.success(f"Revoked the tokens of {user}")


@app.command(
    "get-for-teams-user",
    epilog='Example: az account get-access-token ... --query accessToken -o tsv | '
    "acsid token get-for-teams-user --aad-token - --client <app id> --aad-user <object id>",
)
@with_common_options
def get_for_teams_user(
    aad_token: Annotated[str, typer.Option(help="Microsoft Entra access token of a Teams user; '-' reads it from "
                                           "stdin, keeping it off argv.", show_default=False)],
    client_id: Annotated[str, typer.Option("--client", help="Client (application) ID of the Entra application, "
                                           "checked against the token's appid claim.", show_default=False)],
    aad_user: Annotated[str, typer.Option(help="Object ID of the Teams user, checked against the token's oid "
                                          "claim.", show_default=False)],
    *,
    common: Common,
) -> None:
    """Exchange a Teams user's Entra token for an ACS access token with the same expiry."""
    out = common.out()
    client_id = check_guid("--client", client_id)
    aad_user = check_guid("--aad-user", aad_user)
    if aad_token == "-" and common.connection_string == "-":
        raise UsageError("--aad-token and --connection-string cannot both read stdin",
                         hint="set AZURE_COMMUNICATION_CONNECTION_STRING or use the keyring")
    aad_token = read_secret("--aad-token", aad_token)
    token = common.client().exchange_teams_token(aad_token, client_id, aad_user)
    out.result({"expires_on": token["expiresOn"], "token": token["token"]})

