"""What the exchanges of a user's own Entra token share (get-for-teams-extension-user, get-for-entra-user): the token
read off argv, and a client whose only credential it is: the resource's key signs nothing."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from acsid_cli import protocol
from acsid_cli.cli.invocation import Invocation
from acsid_cli.cli.output import UsageError
from acsid_cli.cli.stdin import read_secret

if TYPE_CHECKING:
    from acsid_cli.client.rest import IdentityClient

AadToken = Annotated[
    str,
    typer.Option(
        metavar="TOKEN",
        show_default=False,
        help="The user's own Microsoft Entra access token; '-' reads it from stdin, off argv.",
    ),
]


def user_token(run: Invocation, aad_token: str) -> str:
    if aad_token == "-" and run.service.connection_string == "-":
        raise UsageError(
            "--aad-token and --connection-string cannot both read stdin",
            hint=f"set {protocol.CONNECTION_STRING_ENV} or {protocol.ENDPOINT_ENV}",
        )
    return read_secret("--aad-token", aad_token)


def client(run: Invocation, token: str, version: str) -> IdentityClient:
    """A client of the resolved endpoint whose only credential is the user's token: never the resource's key,
    and no sign-in of acsid's own."""
    from acsid_cli.client.auth import UserToken
    from acsid_cli.client.rest import IdentityClient

    endpoint = run.resolve().endpoint
    run.out.verbose("the exchange is authenticated by the user's Entra token alone")
    return IdentityClient(
        endpoint, UserToken(token), api_version=version, timeout=run.service.timeout, sleep=run.clock.sleep
    )
