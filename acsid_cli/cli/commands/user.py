"""acsid user create|delete"""

from __future__ import annotations

import typer

from acsid_cli.cli.commands.common import Change, CountOption, UsersOption, YesOption, change_identities, user_json
from acsid_cli.cli.invocation import invocation
from acsid_cli.cli.options import BULK, CONNECTION, OUTPUT, SERVICE, command, group

app = group("Create and delete ACS identities.")

CREATE_EXAMPLES = """\b
Examples:
  acsid user create -o tsv --query rawId
  acsid user create --count 1000 -o jsonl > identities.jsonl"""
DELETE_EXAMPLES = """\b
Examples:
  acsid user delete --user "8:acs:..." --yes
  acsid user delete --user - --yes < identities.jsonl"""
DELETE = Change("Delete identity {} and revoke all its tokens?", "Delete {} identities and revoke all their tokens?",
                lambda client, user: client.delete_user(user), done="Deleted {}", verb="deleted")


@app.command("create", cls=command(CONNECTION, SERVICE, OUTPUT, BULK), epilog=CREATE_EXAMPLES)
def create(ctx: typer.Context, count: CountOption = None) -> None:
    """Create a new ACS identity; with --count, that many."""
    run = invocation(ctx)
    if count is None:
        run.out.result(user_json(run.client().create_user().identity.id))
        return
    from acsid_cli.cli import bulk

    bulk.run(run, range(1, count + 1), lambda client, _: user_json(client.create_user().identity.id),
             verb="created", total=count)


@app.command("delete", cls=command(CONNECTION, SERVICE, OUTPUT, BULK), epilog=DELETE_EXAMPLES)
def delete(ctx: typer.Context, user: UsersOption, yes: YesOption = False) -> None:
    """Delete an ACS identity, revoke all its tokens and delete its data."""
    change_identities(ctx, user, yes, DELETE)
