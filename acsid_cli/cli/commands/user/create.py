"""acsid user create: a new identity; with --count, that many; with --custom-id, your user's own identity."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from acsid_cli.cli import options as o
from acsid_cli.cli.inputs import CUSTOM, api_version_for, check_api_version, targets
from acsid_cli.cli.invocation import Service, invocation, level_of
from acsid_cli.cli.output import user_json

if TYPE_CHECKING:
    from acsid_cli.client.rest import IdentityClient

app = o.new_app()


@app.command(
    "create",
    cls=o.Command,
    epilog=o.examples(
        "acsid user create -o tsv --query rawId",
        "acsid user create --custom-id alice@contoso.com",
        "acsid user create --count 1000 -o jsonl > identities.jsonl",
    ),
)
def create(
    ctx: typer.Context,
    count: o.Count = None,
    custom_id: o.CustomIds = None,
    connection_string: o.ConnectionString = None,
    profile: o.Profile = None,
    endpoint: o.Endpoint = None,
    auth_mode: o.AuthMode = None,
    api_version: o.ApiVersion = None,
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
    """Create a new ACS identity; with --count, that many; with --custom-id, get or create the user's identity."""
    run = invocation(ctx).start(level_of(only_show_errors, verbose, debug), subscription).results(output, query)
    run.using(Service(connection_string, profile, endpoint, auth_mode, api_version, timeout), parallel, rate)
    chosen = targets(count=count, custom_ids=custom_id)
    version = api_version_for(api_version, "--custom-id") if chosen.kind == CUSTOM else check_api_version(api_version)

    def work(client: IdentityClient, target: object) -> dict[str, object]:
        custom = chosen.checked(target)
        identity = client.create_user(custom_id=custom).identity
        return user_json(identity.id) if custom is None else {**user_json(identity.id), "customId": identity.custom_id}

    run.act(chosen, work, verb="created", api_version=version)
