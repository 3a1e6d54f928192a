"""acsid user create|delete"""

from __future__ import annotations

import typer

from acsid_cli.cli.commands.common import UserOption, YesOption, change_identity, user_json
from acsid_cli.cli.invocation import invocation
from acsid_cli.cli.options import CONNECTION, OUTPUT, SERVICE, command, group

app = group("Create and delete ACS identities.")

@app.command(
    "create", cls=command(CONNECTION, SERVICE, OUTPUT), epilog="Example: acsid user create -o tsv --query rawId"
)
def create(ctx: typer.Context) -> None:
    """Create a new ACS identity."""
    run = invocation(ctx)
    created = run.client().create_user()
    run.out.result(user_json(created.identity.id))


@app.command(
    "delete", cls=command(CONNECTION, SERVICE, OUTPUT), epilog='Example: acsid user delete --user "8:acs:..." --yes'
)
def delete(ctx: typer.Context, user: UserOption, yes: YesOption = False) -> None:
    """Delete an ACS identity, revoke all its tokens and delete its data."""
    change_identity(
        ctx, user, yes, "Delete identity {} and revoke all its tokens?", lambda client, user: client.delete_user(user),
        "Deleted {}",
    )
