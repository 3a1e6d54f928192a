"""acsid assignment teams-extension show|set|delete: which Teams users and resource accounts of a tenant may
exchange their Entra token for an ACS identity (API 2025-06-30)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from acsid_cli import protocol
from acsid_cli.cli import options as o
from acsid_cli.cli.commands.assignment import common
from acsid_cli.cli.commands.assignment.common import ClientsOption, Fields, Kind, ObjectsOption, TenantOption
from acsid_cli.cli.invocation import Service, invocation, level_of

if TYPE_CHECKING:
    from acsid_cli.client.models import Assignment, AssignmentPut
    from acsid_cli.client.rest import IdentityClient

app = o.new_app(
    "Who of a tenant may exchange their Entra token as a Teams Extension user (Teams Phone).",
    o.examples(
        "acsid assignment teams-extension set --tenant <tenant id> --object <object id> --principal-type user",
        "acsid assignment teams-extension show --tenant <tenant id> --object <object id>",
    ),
)


def _get(client: IdentityClient, f: Fields) -> Assignment:
    assert f.tenant_id, "checked"
    assert f.object_id, "checked"
    return client.teams_extension.get_assignment(f.tenant_id, f.object_id)


def _put(client: IdentityClient, f: Fields) -> AssignmentPut:
    assert f.tenant_id, "checked"
    assert f.object_id, "checked"
    assert f.principal_type, "checked"
    return client.teams_extension.set_assignment(f.tenant_id, f.object_id, f.principal_type, f.client_ids)


def _delete(client: IdentityClient, f: Fields) -> None:
    assert f.tenant_id, "checked"
    assert f.object_id, "checked"
    client.teams_extension.delete_assignment(f.tenant_id, f.object_id)


KIND = Kind(
    "Teams Extension",
    "acsid assignment teams-extension",
    protocol.TEAMS_EXTENSION_PRINCIPAL_TYPES,
    tenant_names_it=True,
    clients_required=False,
    operations={
        "show": protocol.TEAMS_EXTENSION_GET,
        "set": protocol.TEAMS_EXTENSION_PUT,
        "delete": protocol.TEAMS_EXTENSION_DELETE,
    },
    get=_get,
    put=_put,
    delete=_delete,
)
PrincipalTypeOption = Annotated[
    str | None,
    typer.Option(
        metavar="TYPE",
        help=f"What the object is: {' or '.join(KIND.principal_types)}.",
        show_default=False,
        autocompletion=lambda: list(KIND.principal_types),
    ),
]
SHOW_EXAMPLES = o.examples(
    "acsid assignment teams-extension show --tenant <tenant id> --object <object id>",
    "acsid assignment teams-extension show --tenant <tenant id> --object - -o jsonl < object-ids.txt",
)
SET_EXAMPLES = o.examples(
    "acsid assignment teams-extension set --tenant <tenant id> --object <object id> --principal-type user",
    "acsid assignment teams-extension set --tenant <tenant id> --object - --principal-type resourceAccount < ids.txt",
)
DELETE_EXAMPLES = o.examples(
    "acsid assignment teams-extension delete --tenant <tenant id> --object <object id> --yes",
    "acsid assignment teams-extension delete --object - --yes < assignments.jsonl",
)


@app.command("show", cls=o.Command, epilog=SHOW_EXAMPLES)
def show(
    ctx: typer.Context,
    object_ids: ObjectsOption,
    tenant: TenantOption = None,
    connection_string: o.ConnectionString = None,
    profile: o.Profile = None,
    endpoint: o.Endpoint = None,
    auth_mode: o.AuthMode = None,
    api_version: o.ApiVersionTeamsExtension = None,
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
    """Show the Teams Extension assignment of a user or resource account: its principal type and client ids."""
    run = invocation(ctx).start(level_of(only_show_errors, verbose, debug), subscription).results(output, query)
    run.using(Service(connection_string, profile, endpoint, auth_mode, api_version, timeout), parallel, rate)
    common.show(run, KIND, object_ids, tenant)


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
    api_version: o.ApiVersionTeamsExtension = None,
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
    """Create or replace the Teams Extension assignment of a user or resource account of a tenant.

    In a bulk run --tenant, --principal-type and --client, when given, apply to every line.
    """
    run = invocation(ctx).start(level_of(only_show_errors, verbose, debug), subscription).results(output, query)
    run.using(Service(connection_string, profile, endpoint, auth_mode, api_version, timeout), parallel, rate)
    common.set_(run, KIND, object_ids, tenant, principal_type, client)


@app.command("delete", cls=o.Command, epilog=DELETE_EXAMPLES)
def delete(
    ctx: typer.Context,
    object_ids: ObjectsOption,
    tenant: TenantOption = None,
    yes: o.Yes = False,
    connection_string: o.ConnectionString = None,
    profile: o.Profile = None,
    endpoint: o.Endpoint = None,
    auth_mode: o.AuthMode = None,
    api_version: o.ApiVersionTeamsExtension = None,
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
    """Delete the Teams Extension assignment of a user or resource account: it can exchange tokens no more."""
    run = invocation(ctx).start(level_of(only_show_errors, verbose, debug), subscription).results(output, query)
    run.using(Service(connection_string, profile, endpoint, auth_mode, api_version, timeout), parallel, rate)
    common.delete(run, KIND, object_ids, tenant, yes)
