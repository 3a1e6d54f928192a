"""acsid token issue: an access token for an identity; without --user, a new identity with it; many in a bulk run."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated

import typer

from acsid_cli import protocol
from acsid_cli.cli import options as o
from acsid_cli.cli.inputs import (
    CUSTOM,
    USER,
    Targets,
    api_version_for,
    check_api_version,
    check_expiry,
    parse_scopes,
    targets,
)
from acsid_cli.cli.invocation import Invocation, Service, invocation, level_of
from acsid_cli.cli.output import token_json

if TYPE_CHECKING:
    from acsid_cli.client.rest import IdentityClient

app = o.new_app()

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
    cls=o.Command,
    epilog=o.examples(
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
    issue_run(run, checked(scope, user, expires_in, count, custom_id, api_version))


@dataclass(frozen=True)
class Issue:
    """What `token issue` was asked to do, every part checked; nothing has been sent."""

    scopes: list[str]
    expires_in: int | None
    targets: Targets  # existing identities, or new ones (by custom id or not)
    api_version: str


def checked(
    scope: list[str],
    user: list[str] | None,
    expires_in: int | None,
    count: int | None,
    custom_id: list[str] | None,
    api_version: str | None,
    user_option: str = "--user",
) -> Issue:
    chosen = targets(count=count, users=user, custom_ids=custom_id, user_option=user_option)
    version = api_version_for(api_version, "--custom-id") if chosen.kind == CUSTOM else check_api_version(api_version)
    if expires_in is not None:
        check_expiry(expires_in, version)
    return Issue(parse_scopes(scope, version), expires_in, chosen, version)


def issue_run(run: Invocation, issue: Issue) -> None:
    """A token for each identity asked for; a new identity gets its token in the same request."""

    def work(client: IdentityClient, target: object) -> dict[str, object]:
        value = issue.targets.checked(target)
        if issue.targets.kind == USER:
            assert value is not None, "an identity by its id"
            token = client.issue_token(value, issue.scopes, issue.expires_in)
            return token_json(value, token.token, token.expires_on)
        created = client.create_user(issue.scopes, issue.expires_in, value)
        assert created.token is not None, "a create with scopes returns a token or raises"
        return token_json(created.identity.id, created.token.token, created.token.expires_on)

    run.act(issue.targets, work, verb="issued", api_version=issue.api_version)
