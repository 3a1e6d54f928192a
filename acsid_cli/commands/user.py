"""acsid user create|delete"""

from __future__ import annotations

import typer

from acsid_cli.inputs import check_user_id, confirm
from acsid_cli.options import Common, UserOption, YesOption, with_common_options

app = typer.Typer(help="Create and delete ACS identities.", no_args_is_help=True)


@app.command("create", epilog="Example: acsid user create -o tsv --query rawId")
@with_common_options
def create(*, common: Common) -> None:
    """Create a new ACS identity."""
    out = common.out()
    user_id = common.client().create_user()["identity"]["id"]
    out.result({"properties": {"id": user_id}, "rawId": user_id})


@app.command("delete", epilog='Example: acsid user delete --user "8:acs:..." --yes')
@with_common_options
def delete(user: UserOption, yes: YesOption = False, *, common: Common) -> None:
    """Delete an ACS identity, revoke all its tokens and delete its data."""
    out = common.out()
    user = check_user_id(user)
    client = common.client()
    confirm(f"Delete identity {user} and revoke all its tokens?", yes)
    client.delete_user(user)
    out.success(f"Deleted {user}")
