"""acsid user create|delete"""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from acsid_cli.cli.commands.common import (
    Change,
    CountOption,
    CustomIdOption,
    UsersOption,
    YesOption,
    change_identities,
    check_one_source,
    count_of,
    is_bulk,
    user_json,
)
from acsid_cli.cli.inputs import api_version_for, check_custom_id, one_user
from acsid_cli.cli.invocation import invocation
from acsid_cli.cli.options import BULK, CONNECTION, OUTPUT, SERVICE, command, group
from acsid_cli.cli.stdin import lines_of

if TYPE_CHECKING:
    from acsid_cli.client.rest import IdentityClient

app = group("Create and delete ACS identities.")

CREATE_EXAMPLES = """\b
Examples:
  acsid user create -o tsv --query rawId
  acsid user create --custom-id alice@contoso.com
  acsid user create --count 1000 -o jsonl > identities.jsonl"""
DELETE_EXAMPLES = """\b
Examples:
  acsid user delete --user "8:acs:..." --yes
  acsid user delete --user - --yes < identities.jsonl"""
DELETE = Change("Delete identity {} and revoke all its tokens?", "Delete {} identities and revoke all their tokens?",
                lambda client, user: client.delete_user(user), done="Deleted {}", verb="deleted")


@app.command("create", cls=command(CONNECTION, SERVICE, OUTPUT, BULK), epilog=CREATE_EXAMPLES)
def create(ctx: typer.Context, count: CountOption = None, custom_id: CustomIdOption = None) -> None:
    """Create a new ACS identity; with --count, that many; with --custom-id, get or create the user's identity."""
    run = invocation(ctx)
    check_one_source(count, None, custom_id)
    if custom_id:
        version = api_version_for(run.api_version, "--custom-id")

        def get_or_create(client: IdentityClient, value: str) -> dict[str, object]:
            identity = client.create_user(custom_id=check_custom_id(value)).identity
            return {**user_json(identity.id), "customId": identity.custom_id}

        if not is_bulk(custom_id):
            run.out.result(get_or_create(run.client(api_version=version), custom_id[0]))
            return
        from acsid_cli.cli import bulk

        bulk.run(run, lines_of(custom_id, "--custom-id"), get_or_create, verb="created", total=count_of(custom_id),
                 api_version=version, creates=True)
        return
    if count is None:
        run.out.result(user_json(run.client().create_user().identity.id))
        return
    from acsid_cli.cli import bulk

    bulk.run(run, range(1, count + 1), lambda client, _: user_json(client.create_user().identity.id),
             verb="created", total=count, creates=True)


@app.command("show", cls=command(CONNECTION, SERVICE, OUTPUT), epilog='Example: acsid user show --user "8:acs:..."')
def show(ctx: typer.Context, user: UsersOption) -> None:
    """Show an identity: its id, custom id and when it last got a token (API 2025-03-02-preview)."""
    run = invocation(ctx)
    user_id = one_user(user)
    identity = run.client(api_version=api_version_for(run.api_version, "user show")).get_user(user_id)
    shown = {"customId": identity.custom_id, "id": identity.id, "lastTokenIssuedAt": identity.last_token_issued_at}
    run.out.result(shown)


@app.command("delete", cls=command(CONNECTION, SERVICE, OUTPUT, BULK), epilog=DELETE_EXAMPLES)
def delete(ctx: typer.Context, user: UsersOption, yes: YesOption = False) -> None:
    """Delete an ACS identity, revoke all its tokens and delete its data."""
    change_identities(ctx, user, yes, DELETE)
