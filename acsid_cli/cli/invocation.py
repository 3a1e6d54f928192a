"""One run of acsid: the output sink and the shared options' values, and the client built from them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import typer

from acsid_cli.cli.output import Output
from acsid_cli.client.pacing import Clock, SystemClock

if TYPE_CHECKING:
    from acsid_cli.cli.sources import Resolved
    from acsid_cli.cli.watch import Sent
    from acsid_cli.client.rest import IdentityClient
    from acsid_cli.client.transport import Pacer

DEFAULT_PARALLEL = 8  # workers of a bulk run; more does not help against the emulator on 2 cores (make bench)


@dataclass
class Invocation:
    out: Output = field(default_factory=Output)
    connection_string: str | None = None
    profile: str | None = None  # None: the default profile, not asked for by name
    endpoint: str | None = None
    auth_mode: str | None = None  # "key" or "login"; None: decided by what is configured
    api_version: str | None = None
    timeout: float | None = None
    subscription: str | None = None
    parallel: int = DEFAULT_PARALLEL
    rate: float | None = None  # requests per second in bulk runs; None: the documented limits; 0: no limit
    clock: Clock = field(default_factory=SystemClock)  # how the client waits; tests pass one they control
    sent: Sent | None = None  # the last request sent: what a signal may have cut short

    def resolve(self) -> Resolved:
        from acsid_cli.cli import sources

        resolved = sources.resolve(self.connection_string, self.profile, self.endpoint, self.auth_mode)
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
        from acsid_cli.client.auth import BearerAuth, default_credential

        api_version = api_version or check_api_version(self.api_version)
        if self.timeout is not None:
            check_timeout(self.timeout)
        resolved = self.resolve()
        options: dict[str, Any] = dict(api_version=api_version, timeout=self.timeout, sleep=self.clock.sleep,
                                       pacer=pacer, connections=connections, note=self._note)
        if resolved.connection:
            return WatchedClient.from_connection(resolved.connection, **options)
        auth = BearerAuth(default_credential())
        auth.token()
        return WatchedClient(resolved.endpoint, auth, **options)

    def _note(self, sent: Sent) -> None:
        self.sent = sent


def invocation(ctx: typer.Context) -> Invocation:
    """The invocation the app's boundary created for this run."""
    run = ctx.find_object(Invocation)
    assert run is not None, "commands run through the app, whose boundary creates the invocation"
    return run
