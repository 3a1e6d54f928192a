"""acsid token issue|revoke|get-for-teams-user"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from acsid_cli import protocol
from acsid_cli.cli.commands import common, inspect
from acsid_cli.cli.errors import UsageError
from acsid_cli.cli.inputs import (
    api_version_for,
    check_api_version,
    check_custom_id,
    check_expiry,
    check_guid,
    check_user_id,
    one_user,
    parse_scopes,
)
from acsid_cli.cli.invocation import invocation
from acsid_cli.cli.options import BULK, CONNECTION, OUTPUT, SERVICE, command, group
from acsid_cli.cli.stdin import lines_of, read_secret, user_ids

if TYPE_CHECKING:
    from acsid_cli.client.rest import IdentityClient

app = group("Issue, revoke, exchange and inspect access tokens.")

ScopeOption = Annotated[
    list[str],
    typer.Option(
        "--scope",
        help=f"Scopes of the token: {', '.join(protocol.SCOPES)}. As in az, --scope chat voip; also --scope chat,voip "
        "or --scope chat --scope voip.",
        show_default=False,
        autocompletion=lambda: list(protocol.SCOPES),
    ),
]
ExpiresInOption = Annotated[
    int | None,
    typer.Option(help=f"Token lifetime in minutes, {protocol.MIN_TOKEN_MINUTES} to {protocol.MAX_TOKEN_MINUTES}. "
                 f"Default: the service's {protocol.DEFAULT_TOKEN_MINUTES}.", show_default=False),
]


ISSUE_EXAMPLES = """\b
Examples:
  acsid token issue --scope chat voip
  acsid token issue --scope chat --user "8:acs:..." --expires-in 60 -o tsv --query token
  acsid user create --count 100 -o jsonl | acsid token issue --scope chat --user - -o jsonl"""
REVOKE = common.Change("Revoke all tokens of {}?", "Revoke all tokens of {} identities?",
                lambda client, user: client.revoke_tokens(user), done="Revoked the tokens of {}", verb="revoked")


@app.command("issue", cls=command(CONNECTION, SERVICE, OUTPUT, BULK, greedy=("--scope",)), epilog=ISSUE_EXAMPLES)
def issue(
    ctx: typer.Context,
    scope: ScopeOption,
    user: Annotated[
        list[str] | None,
        typer.Option(help="ACS identifier; without it a new identity is created with the token. Repeat it, or "
                     "give '-' to read ids (or acsid's JSON) from stdin, for a bulk run.", show_default=False),
    ] = None,
    expires_in: ExpiresInOption = None,
    count: common.CountOption = None,
    custom_id: common.CustomIdOption = None,
) -> None:
    """Issue an access token for an identity; without --user, create the identity too, in one request."""
    issue_token(ctx, scope, user, expires_in, count=count, custom_id=custom_id)


def issue_access_token(
    ctx: typer.Context,
    scope: Annotated[list[str], typer.Option("--scope", "-s", help="Scopes of the token.", show_default=False)],
    userid: Annotated[
        list[str] | None, typer.Option("--userid", "-u", help="ACS identifier.", show_default=False)
    ] = None,
) -> None:
    """Deprecated spelling of 'acsid token issue', kept because az still accepts it."""
    invocation(ctx).out.warning(
        "This command has been deprecated and will be removed in a future release. Use 'acsid token issue' instead."
    )
    issue_token(ctx, scope, userid, None, user_option="--userid")


def issue_token(
    ctx: typer.Context,
    scope: list[str],
    user: list[str] | None,
    expires_in: int | None,
    count: int | None = None,
    custom_id: list[str] | None = None,
    user_option: str = "--user",
) -> None:
    run = invocation(ctx)
    scopes = parse_scopes(scope)
    common.check_one_source(count, user, custom_id)
    version = api_version_for(run.api_version, "--custom-id") if custom_id else check_api_version(run.api_version)
    if expires_in is not None:
        check_expiry(expires_in, version)

    def issue_for(client: IdentityClient, value: str) -> dict[str, object]:
        user_id = check_user_id(value, user_option)
        token = client.issue_token(user_id, scopes, expires_in)
        return common.token_json(user_id, token.token, token.expires_on)

    def create_with(client: IdentityClient, custom: str | None) -> dict[str, object]:
        created = client.create_user(scopes, expires_in, None if custom is None else check_custom_id(custom))
        assert created.token is not None, "a create with scopes returns a token or raises"
        return common.token_json(created.identity.id, created.token.token, created.token.expires_on)

    if count is None and not common.is_bulk(user) and not common.is_bulk(custom_id):
        client = run.client(api_version=version)
        one = one_user(user, user_option) if user else None
        run.out.result(issue_for(client, one) if one else create_with(client, custom_id[0] if custom_id else None))
        return
    from acsid_cli.cli import bulk

    if count is not None:
        bulk.run(run, range(1, count + 1), lambda client, _: create_with(client, None), verb="issued", total=count,
                 api_version=version, creates=True)
    elif custom_id:
        bulk.run(run, lines_of(custom_id, "--custom-id"), create_with, verb="issued", total=common.count_of(custom_id),
                 api_version=version, creates=True)
    else:
        assert user is not None
        bulk.run(run, user_ids(user), issue_for, verb="issued", total=common.count_of(user), api_version=version)


REVOKE_EXAMPLES = """\b
Examples:
  acsid token revoke --user "8:acs:..." --yes
  acsid token revoke --user - --yes < identities.jsonl"""


@app.command("revoke", cls=command(CONNECTION, SERVICE, OUTPUT, BULK), epilog=REVOKE_EXAMPLES)
def revoke(ctx: typer.Context, user: common.UsersOption, yes: common.YesOption = False) -> None:
    """Revoke all access tokens of an identity."""
    common.change_identities(ctx, user, yes, REVOKE)


@app.command(
    "get-for-teams-user",
    cls=command(CONNECTION, SERVICE, OUTPUT),
    epilog="Example: az account get-access-token ... --query accessToken -o tsv | "
    "acsid token get-for-teams-user --aad-token - --client <app id> --aad-user <object id>",
)
def get_for_teams_user(
    ctx: typer.Context,
    aad_token: Annotated[
        str,
        typer.Option(help="Microsoft Entra access token of a Teams user; '-' reads it from stdin, keeping it off argv.",
                     show_default=False),
    ],
    client_id: Annotated[
        str,
        typer.Option("--client", help="Client (application) ID of the Entra application, checked against the "
                     "token's appid claim.", show_default=False),
    ],
    aad_user: Annotated[
        str,
        typer.Option(help="Object ID of the Teams user, checked against the token's oid claim.", show_default=False),
    ],
) -> None:
    """Exchange a Teams user's Entra token for an ACS access token with the same expiry."""
    run = invocation(ctx)
    client_id = check_guid("--client", client_id)
    aad_user = check_guid("--aad-user", aad_user)
    if aad_token == "-" and run.connection_string == "-":
        raise UsageError("--aad-token and --connection-string cannot both read stdin",
                         hint=f"set {protocol.CONNECTION_STRING_ENV} or use the keyring")
    aad_token = read_secret("--aad-token", aad_token)
    token = run.client().exchange_teams_token(aad_token, client_id, aad_user)
    run.out.result(common.token_json(None, token.token, token.expires_on))


app.command("inspect", cls=command(OUTPUT), epilog=inspect.EXAMPLES)(inspect.inspect)
