"""One run of acsid: what the app's boundary hands each command.

The output sink and the clock (which tests replace); the signals that may cut the run short; the service
its options name, resolved in one place (below); the client for it; and the one way a command acts on its
targets: one identity, or a bulk run of many.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from acsid_cli import protocol
from acsid_cli.cli.inputs import Targets, check_profile
from acsid_cli.cli.options import DEFAULT_PARALLEL, DEFAULT_PROFILE
from acsid_cli.cli.output import Level, Output, UsageError
from acsid_cli.client.pacing import Clock, SystemClock

if TYPE_CHECKING:
    from acsid_cli.client.auth import BearerAuth
    from acsid_cli.client.connection import Connection
    from acsid_cli.client.rest import IdentityClient
    from acsid_cli.client.transport import Call, Pacer


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
    sent: Call | None = None  # the last request sent: what a signal may have cut short
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
        given = self.service
        resolved = resolve(given.connection_string, given.profile, given.endpoint, given.auth_mode)
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
        from acsid_cli.client.rest import IdentityClient

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
            on_send=self._note,
        )
        if resolved.connection:
            return IdentityClient.from_connection(resolved.connection, **options)
        return IdentityClient(resolved.endpoint, self.entra(), **options)

    def entra(self) -> BearerAuth:
        """Microsoft Entra ID's auth, its token fetched now: a sign-in that fails says so before any request.
        azure-identity's own account of the credentials it tried shows under --verbose only."""
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

    def act(
        self,
        chosen: Targets,
        work: Callable[[IdentityClient, Any], dict[str, object]],
        *,
        verb: str,
        api_version: str | None = None,
        ask: Callable[[], None] | None = None,
        quiet: bool = False,
    ) -> None:
        """work(client, target) for each target. One: its result printed (`quiet`: nothing, the exit code says it);
        many: a bulk run, an outcome per target in input order. `ask`, the confirmation of a destructive verb,
        comes once the connection is known to work out (one) or once before the run (many)."""
        if not chosen.bulk:
            client = self.client(api_version=api_version)
            if ask is not None:
                ask()
            result = work(client, next(iter(chosen)))
            if not quiet:
                self.out.result(result)
            return
        from acsid_cli.cli import bulk

        if ask is not None:
            ask()
        bulk.run(self, chosen, work, verb=verb, total=chosen.total, api_version=api_version, creates=chosen.creates)

    def _note(self, call: Call) -> None:
        self.sent = call


def invocation(ctx: typer.Context) -> Invocation:
    """The invocation the app's boundary created for this run."""
    run = ctx.find_object(Invocation)
    assert run is not None, "commands run through the app, whose boundary creates the invocation"
    return run


# --- signals: SIGINT, SIGTERM and SIGHUP, handled alike; the one place that decides what one does -------
#
# `timeout`, `docker stop`, Kubernetes and CI cancel buttons send SIGTERM; a closed terminal sends SIGHUP;
# each means what Ctrl-C means. By default the first signal interrupts the command where it is (Signalled,
# raised in the main thread) and the error boundary says what may have happened. A bulk run listens
# instead (`listening`): the first signal stops it, the second abandons what is in flight. Further
# signals never interrupt the way out. The exit code is 128 + the first signal: 130, 143 or 129.
#
# A signal that was ignored when acsid started (`nohup`, a background job of a script) stays ignored,
# as POSIX asks of programs that catch signals.


SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class Signalled(BaseException):
    """A signal interrupted the command; a BaseException, like KeyboardInterrupt, so no `except Exception` eats it."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


class _State:
    received: int | None = None  # the first signal of this command
    listener: Callable[[int], None] | None = None


_state = _State()


def received() -> int | None:
    """The first signal this command received, if any."""
    return _state.received


@contextmanager
def handled() -> Iterator[None]:
    """For the life of a command: our handler for the three signals, and what was there before put back after."""
    _state.received, _state.listener = None, None
    if threading.current_thread() is not threading.main_thread():  # only the main thread may set handlers
        yield
        return
    previous: dict[int, Any] = {}
    for signum in SIGNALS:
        if signal.getsignal(signum) != signal.SIG_IGN:
            previous[signum] = signal.signal(signum, _handle)
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


@contextmanager
def listening(listener: Callable[[int], None]) -> Iterator[None]:
    """While inside, a signal calls listener(signum) instead of interrupting; it must only set flags."""
    _state.listener = listener
    try:
        yield
    finally:
        _state.listener = None


def _handle(signum: int, frame: Any) -> None:
    first = _state.received is None
    if first:
        _state.received = signum
    if _state.listener is not None:
        _state.listener(signum)
    elif first:
        raise Signalled(signum)


# --- where the connection comes from: the one place that decides, and says which source won ------------
#
# A connection string, in order: --connection-string, AZURE_COMMUNICATION_CONNECTION_STRING, the profile's
# keyring entry, az's own config ([communication] connection_string in $AZURE_CONFIG_DIR/config, else
# ~/.azure/config). A profile asked for by name (--profile, ACSID_PROFILE) comes before the environment
# variable, and must exist: a typo never falls through to another source.
#
# Or an endpoint and Microsoft Entra ID: --endpoint or AZURE_COMMUNICATION_ENDPOINT with --auth-mode login.
# Without --auth-mode, a connection string means the key, and an endpoint alone means login.

KEY, LOGIN = "key", "login"
WAYS = (
    f"pass --connection-string - (reads stdin), set {protocol.CONNECTION_STRING_ENV}, "
    "or store one with 'acsid config set-connection-string'"
)


@dataclass(frozen=True)
class Resolved:
    endpoint: str
    source: str  # e.g. "--connection-string", "keyring (profile 'ci')", "AZURE_COMMUNICATION_ENDPOINT"
    key: bytes | None = field(default=None, repr=False)  # None: sign in with Microsoft Entra ID
    connection: Connection | None = None  # when a connection string gave it

    @property
    def auth_mode(self) -> str:
        return KEY if self.key else LOGIN


class NothingConfigured(UsageError):
    """No source holds a connection string or an endpoint."""


def resolve(
    flag: str | None, profile: str | None, endpoint: str | None = None, auth_mode: str | None = None
) -> Resolved:
    name = check_profile(profile or DEFAULT_PROFILE)
    given_endpoint = _endpoint(endpoint)
    if auth_mode == LOGIN and given_endpoint:
        return given_endpoint
    found = _connection_string(flag, profile, name, endpoint_given=given_endpoint is not None)
    if auth_mode == LOGIN:
        if found is None:
            hint = f"pass --endpoint or set {protocol.ENDPOINT_ENV}"
            raise UsageError("--auth-mode login needs an endpoint", hint=hint)
        return Resolved(found.endpoint, f"{found.source}, its endpoint only")
    if found is not None:
        if endpoint is not None:
            hint = "with a key, the endpoint is the connection string's"
            raise UsageError("--endpoint goes with --auth-mode login", hint=hint)
        return found
    if auth_mode != KEY and given_endpoint:
        return given_endpoint
    raise NothingConfigured("no connection string", WAYS)


def _endpoint(flag: str | None) -> Resolved | None:
    from acsid_cli.client.connection import check_endpoint  # and signing, which --help and --version never need

    if flag is not None:
        return Resolved(check_endpoint(flag), "--endpoint")
    from_env = os.environ.get(protocol.ENDPOINT_ENV)
    return Resolved(check_endpoint(from_env), protocol.ENDPOINT_ENV) if from_env else None


def _connection_string(flag: str | None, profile: str | None, name: str, endpoint_given: bool) -> Resolved | None:
    from acsid_cli.client.connection import parse

    if flag is not None:
        from acsid_cli.cli import stdin

        source = "--connection-string (stdin)" if flag == "-" else "--connection-string"
        return _resolved(parse(stdin.read_secret("--connection-string", flag)), source)
    from_env = os.environ.get(protocol.CONNECTION_STRING_ENV)
    if from_env and profile is None:  # a profile asked for by name wins over the environment
        return _resolved(parse(from_env), protocol.CONNECTION_STRING_ENV)
    from acsid_cli.cli import keystore  # only when no flag or variable gave one: the keyring costs start-up time

    try:
        stored = keystore.get(name)
        unavailable = None
    except keystore.KeystoreUnavailable as exc:
        stored, unavailable = None, exc
    if stored:
        return _resolved(parse(stored), f"keyring (profile '{name}')")
    if profile is not None:
        reason = f": {unavailable}" if unavailable else ""
        also = f" ({protocol.CONNECTION_STRING_ENV} is set, but a profile asked for by name wins)" if from_env else ""
        raise UsageError(
            f"no connection string stored for profile '{name}'{reason}{also}",
            hint=f"store one with 'acsid config set-connection-string --profile {name}'",
        )
    path = az_config_path()
    from_az = _read_az_config(path)
    if from_az:
        return _resolved(parse(from_az), f"az config ({path})")
    if unavailable and not endpoint_given:
        raise NothingConfigured(f"no connection string: {unavailable}", WAYS)
    return None


def _resolved(connection: Connection, source: str) -> Resolved:
    return Resolved(connection.endpoint, source, connection.key, connection)


def az_config_path() -> Path:
    folder = os.environ.get("AZURE_CONFIG_DIR") or os.path.join(os.path.expanduser("~"), ".azure")
    return Path(folder) / "config"


def _read_az_config(path: Path) -> str | None:
    """What `az config set communication.connection_string=...` stored, if anything."""
    import configparser  # only when no flag, variable or keyring entry gave one: it costs start-up time

    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(path, encoding="utf-8")
    except (configparser.Error, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read az's config file {path}: {type(exc).__name__}") from None
    return parser.get("communication", "connection_string", fallback=None) or None
