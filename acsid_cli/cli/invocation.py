"""One run of acsid: the output sink and the clock (which tests replace), and the client a command's options ask for."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import typer

from acsid_cli.cli.options import DEFAULT_PARALLEL
from acsid_cli.cli.output import Level, Output
from acsid_cli.client.pacing import Clock, SystemClock

if TYPE_CHECKING:
    from acsid_cli.cli.sources import Resolved
    from acsid_cli.cli.watch import Sent
    from acsid_cli.client.auth import BearerAuth
    from acsid_cli.client.rest import IdentityClient
    from acsid_cli.client.transport import Pacer


@dataclass(frozen=True)
class Service:
    """Where a command's requests go and how they are signed: its connection options, as given."""

    connection_string: str | None = None
    profile: str | None = None  # None: the default profile, not asked for by name
    endpoint: str | None = None
    auth_mode: str | None = None  # "key" or "login"; None: decided by what is configured
    api_version: str | None = None
    timeout: float | None = None


def level_of(only_show_errors: bool, verbose: bool, debug: bool) -> Level:
    """--debug and --verbose win over --only-show-errors, whatever their order."""
    if debug:
        return Level.DEBUG
    if verbose:
        return Level.VERBOSE
    return Level.ERRORS if only_show_errors else Level.NORMAL


@dataclass
class Invocation:
    out: Output = field(default_factory=Output)
    clock: Clock = field(default_factory=SystemClock)  # how the client waits; tests pass one they control
    sent: Sent | None = None  # the last request sent: what a signal may have cut short
    service: Service = field(default_factory=Service)
    parallel: int = DEFAULT_PARALLEL
    rate: float | None = None  # requests per second in bulk runs; None: the documented limits; 0: no limit

    def start(self, level: Level, subscription: str | None = None) -> Invocation:
        """The global options every command takes: how much to say, and az's --subscription, which changes nothing."""
        self.out.level = level
        self.out.follow_logs("acsid_cli")
        if subscription:
            self.out.verbose("--subscription is ignored: identities belong to the connection string's resource")
        return self

    def results(self, output: str | None, query: str | None) -> Invocation:
        """How results are printed: -o and --query, checked before anything is sent."""
        from acsid_cli.cli.inputs import check_query

        self.out.format = output
        self.out.query = None if query is None else check_query(query)
        self.out.chosen_format()  # a bad ACSID_OUTPUT fails here
        return self

    def using(self, service: Service, parallel: int = DEFAULT_PARALLEL, rate: float | None = None) -> Invocation:
        """The service a command talks to, and the pace of its bulk runs."""
        self.service, self.parallel, self.rate = service, parallel, rate
        return self

    def resolve(self) -> Resolved:
        from acsid_cli.cli import sources

        given = self.service
        resolved = sources.resolve(given.connection_string, given.profile, given.endpoint, given.auth_mode)
        how = "the access key" if resolved.key else "Microsoft Entra ID"
        self.out.verbose(f"connection from {resolved.source}: endpoint {resolved.endpoint}, signed with {how}")
        if resolved.connection and resolved.connection.plain_http_off_loopback:
            self.out.warning(f"plain http to {resolved.endpoint}, allowed by UseDevelopmentEmulator=true")
        return resolved

    def client(
        self, pacer: Pacer | None = None, api_version: str | None = None, connections: int = 1
    ) -> IdentityClient:
        """The client for the resolved connection; `api_version` when a feature decided it, else --api-version.

        `pacer` and `connections` are for bulk runs. With Microsoft Entra ID, the token is fetched here,
        once: a sign-in that fails says so before any request, not once per item.
        """
        from acsid_cli.cli.inputs import check_api_version, check_timeout
        from acsid_cli.cli.watch import WatchedClient

        api_version = api_version or check_api_version(self.service.api_version)
        if self.service.timeout is not None:
            check_timeout(self.service.timeout)
        resolved = self.resolve()
        options: dict[str, Any] = dict(
            api_version=api_version,
            timeout=self.service.timeout,
            sleep=self.clock.sleep,
            pacer=pacer,
            connections=connections,
            note=self._note,
        )
        if resolved.connection:
            return WatchedClient.from_connection(resolved.connection, **options)
        return WatchedClient(resolved.endpoint, self.entra(), **options)

    def entra(self) -> BearerAuth:
        """Microsoft Entra ID's auth, its token fetched now: a sign-in that fails says so before any request.
        azure-identity's own account of the credentials it tried shows under --verbose only."""
        from acsid_cli.cli.errors import UsageError
        from acsid_cli.client.auth import BearerAuth, default_credential
        from acsid_cli.client.errors import CredentialError

        self.out.quiet_logs("azure")
        try:
            credential = default_credential()
        except CredentialError as exc:  # azure-identity is not installed: something to install, nothing was sent
            raise UsageError(str(exc)) from None
        auth = BearerAuth(credential)
        auth.token()
        return auth

    def _note(self, sent: Sent) -> None:
        self.sent = sent


def invocation(ctx: typer.Context) -> Invocation:
    """The invocation the app's boundary created for this run."""
    run = ctx.find_object(Invocation)
    assert run is not None, "commands run through the app, whose boundary creates the invocation"
    return run
