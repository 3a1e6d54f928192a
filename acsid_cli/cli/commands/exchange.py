"""acsid token get-for-teams-extension-user|get-for-entra-user: a user's own Entra token exchanged for an ACS
identity and token. The user's token is the request's only credential: the resource's key signs nothing."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from acsid_cli import protocol
from acsid_cli.cli.commands.common import token_json
from acsid_cli.cli.errors import UsageError
from acsid_cli.cli.inputs import operation_version
from acsid_cli.cli.invocation import Invocation, invocation
from acsid_cli.cli.stdin import read_secret

if TYPE_CHECKING:
    from acsid_cli.client.rest import IdentityClient

AadTokenOption = Annotated[
    str,
    typer.Option(help="The user's own Microsoft Entra access token; '-' reads it from stdin, keeping it off argv.",
                 show_default=False),
]
TEAMS_EXTENSION_EXAMPLE = ("Example: az account get-access-token --scope "
                           f"{protocol.TEAMS_EXTENSION_SCOPE_PREFIX}.default --query accessToken -o tsv | "
                           "acsid token get-for-teams-extension-user --aad-token -")
ENTRA_EXAMPLE = ("Example: az account get-access-token --scope "
                 f"{protocol.ENTRA_USERS_SCOPE_PREFIX}VoIP --query accessToken -o tsv | "
                 "acsid token get-for-entra-user --aad-token -")


def get_for_teams_extension_user(ctx: typer.Context, aad_token: AadTokenOption) -> None:
    """Exchange a Teams Extension user's Entra token for an ACS identity and token with the same expiry.

    The user (or resource account) needs an assignment: acsid assignment teams-extension set.
    """
    run = invocation(ctx)
    version = operation_version(run.api_version, protocol.TEAMS_EXTENSION_EXCHANGE,
                                "acsid token get-for-teams-extension-user")
    token = _user_token(run, aad_token)
    exchanged = _client(run, token, version).teams_extension.exchange_token(token)
    run.out.result(token_json(exchanged.identity.id, exchanged.token.token, exchanged.token.expires_on))


def get_for_entra_user(ctx: typer.Context, aad_token: AadTokenOption) -> None:
    """Exchange an Entra ID user's token for an ACS identity and token (preview): the same expiry, and the
    scopes of the token's permissions (Chat, Chat.Join, Chat.Join.Limited, VoIP, VoIP.Join).

    The user, a group of theirs or their tenant needs an assignment naming the token's app: acsid assignment entra set.
    """
    run = invocation(ctx)
    version = operation_version(run.api_version, protocol.ENTRA_EXCHANGE, "acsid token get-for-entra-user")
    token = _user_token(run, aad_token)
    exchanged = _client(run, token, version).entra.exchange_token(token)
    run.out.result(token_json(exchanged.identity.id, exchanged.token.token, exchanged.token.expires_on))


def _user_token(run: Invocation, aad_token: str) -> str:
    if aad_token == "-" and run.connection_string == "-":
        raise UsageError("--aad-token and --connection-string cannot both read stdin",
                         hint=f"set {protocol.CONNECTION_STRING_ENV} or {protocol.ENDPOINT_ENV}")
    return read_secret("--aad-token", aad_token)


def _client(run: Invocation, token: str, version: str) -> IdentityClient:
    """A client of the resolved endpoint whose only credential is the user's token: never the resource's key,
    and no sign-in of acsid's own."""
    from acsid_cli.client.auth import UserToken
    from acsid_cli.client.rest import IdentityClient

    endpoint = run.resolve().endpoint
    run.out.verbose("the exchange is authenticated by the user's Entra token alone")
    return IdentityClient(endpoint, UserToken(token), api_version=version, timeout=run.timeout,
                          sleep=run.clock.sleep)
