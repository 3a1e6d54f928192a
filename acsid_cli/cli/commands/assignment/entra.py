"""acsid assignment entra list|show|set|delete: which Entra ID users, groups and tenants may exchange their
Entra token for an ACS identity, and through which Entra apps (API 2025-03-02-preview)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from acsid_cli import protocol
from acsid_cli.cli.commands.assignment import common
from acsid_cli.cli.commands.assignment.common import ClientsOption, Fields, Kind, ObjectsOption, TenantOption
from acsid_cli.cli.inputs import operation_version
from acsid_cli.cli.invocation import invocation
from acsid_cli.cli.options import BULK, CONNECTION, OUTPUT, SERVICE, command, group

if TYPE_CHECKING:
    from acsid_cli.client.models import Assignment, AssignmentPut
    from acsid_cli.client.rest import IdentityClient

app = group("Who may exchange their Entra token as an Entra ID user, and through which Entra apps (preview).")


def _get(client: IdentityClient, f: Fields) -> Assignment:
    assert f.object_id, "checked"
    return client.entra.get_assignment(f.object_id)


def _put(client: IdentityClient, f: Fields) -> AssignmentPut:
    assert f.object_id and f.tenant_id and f.principal_type and f.client_ids, "checked"
    return client.entra.set_assignment(f.object_id, f.tenant_id, f.principal_type, f.client_ids)


def _delete(client: IdentityClient, f: Fields) -> None:
    assert f.object_id, "checked"
    client.entra.delete_assignment(f.object_id)


KIND = Kind(
    "Entra ID", "acsid assignment entra", protocol.ENTRA_PRINCIPAL_TYPES, tenant_names_it=False,
    clients_required=True,
    operations={"show": protocol.ENTRA_GET, "set": protocol.ENTRA_PUT, "delete": protocol.ENTRA_DELETE},
    get=_get, put=_put, delete=_delete,
)
PrincipalTypeOption = Annotated[
    str | None,
    typer.Option(help=f"What the object is: {', '.join(KIND.principal_types)} (for a tenant, the object id is the "
                 "tenant's).", show_default=False, autocompletion=lambda: list(KIND.principal_types)),
]
SET_EXAMPLES = f"""\b
Examples:
  acsid assignment entra set --object <object id> --tenant <tenant id> --principal-type user --client <app id>
  acsid assignment entra list -o jsonl | acsid assignment entra set --object - --client <app id>
{common.BULK_NOTE}"""


@app.command("list", cls=command(CONNECTION, SERVICE, OUTPUT), epilog="Example: acsid assignment entra list -o table")
def list_(ctx: typer.Context) -> None:
    """List the Entra ID assignments of the resource."""
    run = invocation(ctx)
    version = operation_version(run.api_version, protocol.ENTRA_LIST, f"{KIND.command} list")
    listed = run.client(api_version=version).entra.list_assignments()
    run.out.result([common.assignment_json(assignment) for assignment in listed])


@app.command("show", cls=command(CONNECTION, SERVICE, OUTPUT, BULK),
             epilog="Example: acsid assignment entra show --object <object id>")
def show(ctx: typer.Context, object_ids: ObjectsOption) -> None:
    """Show the Entra ID assignment of a user, group or tenant: its tenant, principal type and client ids."""
    common.show(ctx, KIND, object_ids, None)


@app.command("set", cls=command(CONNECTION, SERVICE, OUTPUT, BULK), epilog=SET_EXAMPLES)
def set_(
    ctx: typer.Context,
    object_ids: ObjectsOption,
    tenant: TenantOption = None,
    principal_type: PrincipalTypeOption = None,
    client: ClientsOption = None,
) -> None:
    """Create or replace the Entra ID assignment of a user, group or tenant: which apps' tokens it exchanges."""
    common.set_(ctx, KIND, object_ids, tenant, principal_type, client)


@app.command("delete", cls=command(CONNECTION, SERVICE, OUTPUT, BULK),
             epilog="Example: acsid assignment entra delete --object <object id> --yes")
def delete(ctx: typer.Context, object_ids: ObjectsOption, yes: common.YesOption = False) -> None:
    """Delete the Entra ID assignment of a user, group or tenant: its tokens are exchanged no more."""
    common.delete(ctx, KIND, object_ids, None, yes)
