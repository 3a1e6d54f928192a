"""What the commands share: az's option types and JSON shapes, and the flow of the destructive verbs."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated

import typer

from acsid_cli.cli.inputs import confirm, one_user
from acsid_cli.cli.invocation import invocation

if TYPE_CHECKING:  # the client's modules import requests, which --help and --version never need
    from acsid_cli.client.rest import IdentityClient

UserOption = Annotated[
    list[str], typer.Option("--user", help="ACS identifier, e.g. 8:acs:<resource>_<id>.", show_default=False)
]
YesOption = Annotated[bool, typer.Option("--yes", "-y", help="Do not prompt for confirmation.")]


def user_json(user_id: str) -> dict[str, object]:
    """az's shape of an identity: the SDK's CommunicationUserIdentifier as az serialises it."""
    return {"properties": {"id": user_id}, "rawId": user_id}


def token_json(user_id: str | None, token: str, expires_on: str) -> dict[str, object]:
    """az's shape of a token; the Teams exchange has no user_id."""
    shaped: dict[str, object] = {"expires_on": expires_on, "token": token}
    if user_id is not None:
        shaped["user_id"] = user_id
    return shaped


def change_identity(
    ctx: typer.Context,
    users: list[str],
    yes: bool,
    question: str,
    change: Callable[[IdentityClient, str], None],
    done: str,
) -> None:
    """Check the id, ask on a terminal (or require --yes), act, and tell a person; print nothing for scripts."""
    run = invocation(ctx)
    user = one_user(users)
    client = run.client()
    confirm(run.out, question.format(user), yes)
    change(client, user)
    run.out.done(done.format(user))
