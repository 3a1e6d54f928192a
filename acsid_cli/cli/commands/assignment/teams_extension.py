"""acsid assignment teams-extension show|set|delete: which Teams users and resource accounts of a tenant may
exchange their Entra token for an ACS identity (API 2025-06-30)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from acsid_cli import protocol
from acsid_cli.cli.commands.assignment import common
from acsid_cli.cli.commands.assignment.common import ClientsOption, Fields, Kind, ObjectsOption, TenantOption
from acsid_cli.cli.options import BULK, CONNECTION, OUTPUT, SERVICE, command, group

if TYPE_CHECKING:
    from acsid_cli.client.models import Assignment, AssignmentPut
    from acsid_cli.client.rest import IdentityClient

app = group("Who of a tenant may exchange their Entra token as a Teams Extension user (Teams Phone).")


def _get(client: IdentityClient, f: Fields) -> Assignment:
    assert f.tenant_id and f.object_id, "checked"
    return client.teams_extension.get_assignment(f.tenant_id, f.object_id)


def _put(client: IdentityClient, f: Fields) -> AssignmentPut:
    assert f.tenant_id and f.object_id and f.principal_type, "checked"
    return client.teams_extension.set_assignment(f.tenant_id, f.object_id, f.principal_type, f.client_ids)


def _delete(client: IdentityClient, f: Fields) -> None:
    assert f.tenant_id and f.object_id, "checked"
    client.teams_extension.delete_assignment(f.tenant_id, f.object_id)


KIND = Kind(
    "Teams Extension", "acsid assignment teams-extension", protocol.TEAMS_EXTENSION_PRINCIPAL_TYPES,
    tenant_names_it=True, clients_required=False,
    operations={"show": protocol.TEAMS_EXTENSION_GET, "set": protocol.TEAMS_EXTENSION_PUT,
                "delete": protocol.TEAMS_EXTENSION_DELETE},
    get=_get, put=_put, delete=_delete,
)
PrincipalTypeOption = Annotated[
    str | None,
    typer.Option(help=f"What the object is: {' or '.join(KIND.principal_types)}.", show_default=False,
                 autocompletion=lambda: list(KIND.principal_types)),
]
SHOW_EXAMPLES = """\b
Examples:
  acsid assignment teams-extension show --tenant <tenant id> --object <object id>
  acsid assignment teams-extension show --tenant <tenant id> --object - -o jsonl < object-ids.txt"""
SET_EXAMPLES = f"""\b
Examples:
  acsid assignment teams-extension set --tenant <tenant id> --object <object id> --principal-type user
  acsid assignment teams-extension set --tenant <tenant id> --object - --principal-type resourceAccount < ids.txt
{common.BULK_NOTE}"""
DELETE_EXAMPLES = """\b
Examples:
  acsid assignment teams-extension delete --tenant <tenant id> --object <object id> --yes
  acsid assignment teams-extension delete --object - --yes < assignments.jsonl"""


@app.command("show", cls=command(CONNECTION, SERVICE, OUTPUT, BULK), epilog=SHOW_EXAMPLES)
def show(ctx: typer.Context, object_ids: ObjectsOption, tenant: TenantOption = None) -> None:
    """Show the Teams Extension assignment of a user or resource account: its principal type and client ids."""
    common.show(ctx, KIND, object_ids, tenant)


@app.command("set", cls=command(CONNECTION, SERVICE, OUTPUT, BULK), epilog=SET_EXAMPLES)
def set_(
    ctx: typer.Context,
    object_ids: ObjectsOption,
    tenant: TenantOption = None,
    principal_type: PrincipalTypeOption = None,
    client: ClientsOption = None,
) -> None:
    """Create or replace the Teams Extension assignment of a user or resource account of a tenant."""
    common.set_(ctx, KIND, object_ids, tenant, principal_type, client)


@app.command("delete", cls=command(CONNECTION, SERVICE, OUTPUT, BULK), epilog=DELETE_EXAMPLES)
def delete(ctx: typer.Context, object_ids: ObjectsOption, tenant: TenantOption = None,
           yes: common.YesOption = False) -> None:
    """Delete the Teams Extension assignment of a user or resource account: it can exchange tokens no more."""
    common.delete(ctx, KIND, object_ids, tenant, yes)
