"""acsid token inspect: what an access token says about itself, read offline, with no key."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Annotated

import typer

from acsid_cli.cli import options as o
from acsid_cli.cli.inputs import parse_duration
from acsid_cli.cli.invocation import invocation, level_of
from acsid_cli.cli.output import CliError, UsageError
from acsid_cli.cli.stdin import read_token

app = o.new_app()
NOT_VERIFIED = "not verified: the claims are read from the token; who signed it is not checked"


@app.command(
    "inspect",
    cls=o.Command,
    epilog=o.examples(
        "acsid token issue --scope chat | acsid token inspect -",
        "acsid token inspect - --check --min-remaining 10m < token.txt",
    ),
)
def inspect(
    ctx: typer.Context,
    token: Annotated[
        str, typer.Argument(metavar="TOKEN", help="The token, or - to read it (or acsid's JSON) from stdin.")
    ],
    check: Annotated[bool, typer.Option("--check", help="Print nothing; exit 1 when the token has expired.")] = False,
    min_remaining: Annotated[
        str | None,
        typer.Option(
            metavar="DURATION",
            show_default=False,
            help="Like --check, and exit 1 when less than this is left: 90s, 10m, 1h30m.",
        ),
    ] = None,
    output: o.Output = None,
    query: o.Query = None,
    only_show_errors: o.OnlyShowErrors = False,
    verbose: o.Verbose = False,
    debug: o.Debug = False,
    subscription: o.HiddenSubscription = None,
) -> None:
    """Show what an access token says: identity (and its kind), scopes, resource, when it was issued and expires.

    Offline, with no key. The signature is not verified, and never printed.
    """
    from acsid_cli.client.tokens import MalformedToken, read

    run = invocation(ctx).start(level_of(only_show_errors, verbose, debug), subscription).results(output, query)
    minimum = parse_duration(min_remaining, "--min-remaining") if min_remaining is not None else None
    try:
        claims = read(read_token(token))
    except MalformedToken as exc:
        raise UsageError(f"this is not an access token: {exc}") from None
    left = claims.expires_at - run.clock.time()
    if check or minimum is not None:
        if left <= 0:
            raise CliError(f"the token expired {words(-left)} ago")
        if minimum is not None and left < minimum:
            raise CliError(f"the token has {words(left)} left, less than {words(minimum)}")
        return
    run.out.result(
        {
            "claims": claims.claims,
            "expired": left <= 0,
            "expiresOn": _iso(claims.expires_at),
            "identity": claims.identity,
            "identityKind": claims.identity_kind,
            "issuedAt": None if claims.issued_at is None else _iso(claims.issued_at),
            "resourceId": claims.claims.get("resourceId"),
            "resourceLocation": claims.claims.get("resourceLocation"),
            "scopes": ",".join(claims.scopes),
            "signature": NOT_VERIFIED,
            "timeLeft": words(left) if left > 0 else f"none: expired {words(-left)} ago",
        }
    )


def words(seconds: float) -> str:
    """A span of time as people say it, to the two largest units: '23 hours 59 minutes', '45 seconds'."""
    seconds = int(seconds)
    units = [("day", 86400), ("hour", 3600), ("minute", 60), ("second", 1)]
    parts = []
    for name, size in units:
        count, seconds = divmod(seconds, size)
        if count:
            parts.append(f"{count} {name}{'s' if count != 1 else ''}")
    return " ".join(parts[:2]) or "0 seconds"


def _iso(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, timezone.utc).isoformat()
