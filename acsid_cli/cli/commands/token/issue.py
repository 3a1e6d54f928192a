"""acsid token issue: an access token for an identity; without --user, a new identity with it; many in a bulk run."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from acsid_cli import protocol
from acsid_cli.cli import options as o
from acsid_cli.cli.commands import Command, common, examples, new_app
from acsid_cli.cli.inputs import (
    api_version_for,
    check_api_version,
    check_custom_id,
    check_expiry,
    check_user_id,
    one_user,
    parse_scopes,
)
from acsid_cli.cli.invocation import Invocation, Service, invocation, level_of
from acsid_cli.cli.stdin import lines_of, user_ids

if TYPE_CHECKING:
    from acsid_cli.client.rest import IdentityClient

app = new_app()

Scopes = Annotated[
    list[str],
    typer.Option(
        "--scope",
        metavar="SCOPE",
        show_default=False,
        autocompletion=lambda: list(protocol.SCOPES),
        help=f"{', '.join(protocol.SCOPES)}. Several: --scope chat voip, as in az; or chat,voip; or --scope again.",
    ),
]
ExpiresIn = Annotated[
    int | None,
    typer.Option(
        metavar="MINUTES",
        parser=o.whole,
        show_default=False,
        help=f"Token lifetime, {protocol.MIN_TOKEN_MINUTES} to {protocol.MAX_TOKEN_MINUTES}. "
        f"Default: {protocol.DEFAULT_TOKEN_MINUTES}.",
    ),
]


@app.command(
    "issue",
    cls=Command,
    epilog=examples(
        "acsid token issue --scope chat voip",
        'acsid token issue --scope chat --user "8:acs:..." --expires-in 60 -o tsv --query token',
        "acsid user create --count 100 -o jsonl | acsid token issue --scope chat --user - -o jsonl",
    ),
)
def issue(
    ctx: typer.Context,
    scope: Scopes,
    user: o.OptionalUsers = None,
    expires_in: ExpiresIn = None,
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
    """Issue an access token for an identity; without --user, create the identity too, in one request."""
    run = invocation(ctx).start(level_of(only_show_errors, verbose, debug), subscription).results(output, query)
    run.using(Service(connection_string, profile, endpoint, auth_mode, api_version, timeout), parallel, rate)
    issue_token(run, scope, user, expires_in, count=count, custom_id=custom_id)


def issue_token(
    run: Invocation,
    scope: list[str],
    user: list[str] | None,
    expires_in: int | None,
    count: int | None = None,
    custom_id: list[str] | None = None,
    user_option: str = "--user",
) -> None:
    scopes = parse_scopes(scope)
    common.check_one_source(count, user, custom_id)
    given_version = run.service.api_version
    version = api_version_for(given_version, "--custom-id") if custom_id else check_api_version(given_version)
    if expires_in is not None:
        check_expiry(expires_in, version)

    def issue_for(client: IdentityClient, value: str) -> dict[str, object]:
        user_id = check_user_id(value, user_option)
        token = client.issue_token(user_id, scopes, expires_in)
        return common.token_json(user_id, token.token, token.expires_on)

    def create_with(client: IdentityClient, custom: str | None) -> dict[str, object]:
        created = client.create_user(scopes, expires_in, None if custom is None else check_custom_id(custom))
        assert created.token is not None, "a create with scopes returns a token or raises"
        return common.token_json(created.identity.id, created.token.token, created.token.expires_on)

    if count is None and not common.is_bulk(user) and not common.is_bulk(custom_id):
        client = run.client(api_version=version)
        one = one_user(user, user_option) if user else None
        run.out.result(issue_for(client, one) if one else create_with(client, custom_id[0] if custom_id else None))
        return
    from acsid_cli.cli import bulk

    if count is not None:
        bulk.run(
            run,
            range(1, count + 1),
            lambda client, _: create_with(client, None),
            verb="issued",
            total=count,
            api_version=version,
            creates=True,
        )
    elif custom_id:
        bulk.run(
            run,
            lines_of(custom_id, "--custom-id"),
            create_with,
            verb="issued",
            total=common.count_of(custom_id),
            api_version=version,
            creates=True,
        )
    else:
        assert user is not None
        bulk.run(run, user_ids(user), issue_for, verb="issued", total=common.count_of(user), api_version=version)
