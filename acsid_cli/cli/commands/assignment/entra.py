"""acsid assignment entra list|show|set|delete: which Entra ID users, groups and tenants may exchange their
Entra token for an ACS identity, and through which Entra apps (API 2025-03-02-preview)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from acsid_cli import protocol
from acsid_cli.cli import options as o
from acsid_cli.cli.commands.assignment import common
from acsid_cli.cli.commands.assignment.common import ClientsOption, Fields, Kind, ObjectsOption, TenantOption
from acsid_cli.cli.inputs import operation_version
from acsid_cli.cli.invocation import Service, invocation, level_of

if TYPE_CHECKING:
    from acsid_cli.client.models import Assignment, AssignmentPut
    from acsid_cli.client.rest import IdentityClient

app = o.new_app(
    "Who may exchange their Entra token as an Entra ID user, and through which Entra apps (preview).",
    o.examples("acsid assignment entra list -o table", "acsid assignment entra show --object <object id>"),
)


def _get(client: IdentityClient, f: Fields) -> Assignment:
    assert f.object_id, "checked"
    return client.entra.get_assignment(f.object_id)


def _put(client: IdentityClient, f: Fields) -> AssignmentPut:
    assert f.object_id, "checked"
    assert f.tenant_id, "checked"
    assert f.principal_type, "checked"
    assert f.client_ids, "checked"
    return client.entra.set_assignment(f.object_id, f.tenant_id, f.principal_type, f.client_ids)


def _delete(client: IdentityClient, f: Fields) -> None:
    assert f.object_id, "checked"
    client.entra.delete_assignment(f.object_id)


KIND = Kind(
    "Entra ID",
    "acsid assignment entra",
    protocol.ENTRA_PRINCIPAL_TYPES,
    tenant_names_it=False,
    clients_required=True,
    operations={"show": protocol.ENTRA_GET, "set": protocol.ENTRA_PUT, "delete": protocol.ENTRA_DELETE},
    get=_get,
    put=_put,
    delete=_delete,
)
PrincipalTypeOption = Annotated[
    str | None,
    typer.Option(
        metavar="TYPE",
        show_default=False,
        autocompletion=lambda: list(KIND.principal_types),
        help=f"What the object is: {', '.join(KIND.principal_types)} (for a tenant, the object id is the tenant's).",
    ),
]
SET_EXAMPLES = o.examples(
    "acsid assignment entra set --object <object id> --tenant <tenant id> --principal-type user --client <app id>",
    "acsid assignment entra list -o jsonl | acsid assignment entra set --object - --client <app id>",
)


@app.command("list", cls=o.Command, epilog=o.examples("acsid assignment entra list -o table"))
def list_(
    ctx: typer.Context,
    connection_string: o.ConnectionString = None,
    profile: o.Profile = None,
    endpoint: o.Endpoint = None,
    auth_mode: o.AuthMode = None,
    api_version: o.ApiVersionPreview = None,
    timeout: o.Timeout = None,
    output: o.Output = None,
    query: o.Query = None,
    only_show_errors: o.OnlyShowErrors = False,
    verbose: o.Verbose = False,
    debug: o.Debug = False,
    subscription: o.Subscription = None,
) -> None:
    """List the Entra ID assignments of the resource."""
    run = invocation(ctx).start(level_of(only_show_errors, verbose, debug), subscription).results(output, query)
    run.using(Service(connection_string, profile, endpoint, auth_mode, api_version, timeout))
    version = operation_version(api_version, protocol.ENTRA_LIST, f"{KIND.command} list")
    listed = run.client(api_version=version).entra.list_assignments()
    run.out.result([common.assignment_json(assignment) for assignment in listed])


@app.command("show", cls=o.Command, epilog=o.examples("acsid assignment entra show --object <object id>"))
def show(
    ctx: typer.Context,
    object_ids: ObjectsOption,
    connection_string: o.ConnectionString = None,
    profile: o.Profile = None,
    endpoint: o.Endpoint = None,
    auth_mode: o.AuthMode = None,
    api_version: o.ApiVersionPreview = None,
    timeout: o.Timeout = None,
    parallel: o.Parallel = o.DEFAULT_PARALLEL,
    rate: o.Rate = None,
    output: o.Output = None,
    query: o.Query = None,
    only_show_errors: o.OnlyShowErrors = False,
    verbose: o.Verbose = False,
    debug: o.Debug = False,
    subscription: o.Subscription = None,
) -> None:
    """Show the Entra ID assignment of a user, group or tenant: its tenant, principal type and client ids."""
    run = invocation(ctx).start(level_of(only_show_errors, verbose, debug), subscription).results(output, query)
    run.using(Service(connection_string, profile, endpoint, auth_mode, api_version, timeout), parallel, rate)
    common.show(run, KIND, object_ids, None)


@app.command("set", cls=o.Command, epilog=SET_EXAMPLES)
def set_(
    ctx: typer.Context,
    object_ids: ObjectsOption,
    tenant: TenantOption = None,
    principal_type: PrincipalTypeOption = None,
    client: ClientsOption = None,
    connection_string: o.ConnectionString = None,
    profile: o.Profile = None,
    endpoint: o.Endpoint = None,
    auth_mode: o.AuthMode = None,
    api_version: o.ApiVersionPreview = None,
    timeout: o.Timeout = None,
    parallel: o.Parallel = o.DEFAULT_PARALLEL,
    rate: o.Rate = None,
    output: o.Output = None,
    query: o.Query = None,
    only_show_errors: o.OnlyShowErrors = False,
    verbose: o.Verbose = False,
    debug: o.Debug = False,
    subscription: o.Subscription = None,
) -> None:
    """Create or replace the Entra ID assignment of a user, group or tenant: which apps' tokens it exchanges.

    In a bulk run --tenant, --principal-type and --client, when given, apply to every line.
    """
    run = invocation(ctx).start(level_of(only_show_errors, verbose, debug), subscription).results(output, query)
    run.using(Service(connection_string, profile, endpoint, auth_mode, api_version, timeout), parallel, rate)
    common.set_(run, KIND, object_ids, tenant, principal_type, client)


@app.command("delete", cls=o.Command, epilog=o.examples("acsid assignment entra delete --object <object id> --yes"))
def delete(
    ctx: typer.Context,
    object_ids: ObjectsOption,
    yes: o.Yes = False,
    connection_string: o.ConnectionString = None,
    profile: o.Profile = None,
    endpoint: o.Endpoint = None,
    auth_mode: o.AuthMode = None,
    api_version: o.ApiVersionPreview = None,
    timeout: o.Timeout = None,
    parallel: o.Parallel = o.DEFAULT_PARALLEL,
    rate: o.Rate = None,
    output: o.Output = None,
    query: o.Query = None,
    only_show_errors: o.OnlyShowErrors = False,
    verbose: o.Verbose = False,
    debug: o.Debug = False,
    subscription: o.Subscription = None,
) -> None:
    """Delete the Entra ID assignment of a user, group or tenant: its tokens are exchanged no more."""
    run = invocation(ctx).start(level_of(only_show_errors, verbose, debug), subscription).results(output, query)
    run.using(Service(connection_string, profile, endpoint, auth_mode, api_version, timeout), parallel, rate)
    common.delete(run, KIND, object_ids, None, yes)
