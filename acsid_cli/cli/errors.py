"""The CLI's own errors, and the one translation of any error into the lines a user reads and an exit code."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from acsid_cli import protocol
from acsid_cli.client import errors as client

if TYPE_CHECKING:
    from acsid_cli.cli.watch import Sent

EXIT_ERROR = 1
EXIT_USAGE = 2  # bad input: nothing was sent
EXIT_NOT_FOUND = 3
EXIT_INTERRUPTED = 130  # 128 + SIGINT; SIGTERM gives 143 and SIGHUP 129 (signals.exit_code)


class CliError(Exception):
    """Something the user should read; `hint` is an optional next step."""

    exit_code = EXIT_ERROR

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class UsageError(CliError):
    """Bad input, found before any request was sent."""

    exit_code = EXIT_USAGE


class NotFound(CliError):
    exit_code = EXIT_NOT_FOUND


class Cancelled(CliError):
    """The user declined a confirmation: nothing was sent (README's exit codes: 2)."""

    exit_code = EXIT_USAGE


class Interrupted(CliError):
    """Ctrl-C, SIGTERM or SIGHUP; the message says what was done before it."""

    def __init__(self, message: str, exit_code: int = EXIT_INTERRUPTED) -> None:
        super().__init__(message)
        self.exit_code = exit_code


@dataclass(frozen=True)
class Problem:
    message: str
    hint: str | None = None
    exit_code: int = EXIT_ERROR


MAYBE_CREATED = "the identity may or may not have been created"
# There is no list operation, so the honest advice after an ambiguous create is that repeating costs little.
MAYBE_CREATED_HINT = "running it again is safe: at worst one identity goes unused"
SIGN_IN_HINT = "--verbose shows what azure-identity tried; AZURE_TOKEN_CREDENTIALS picks a credential"
TLS_HINT = "if this is a local emulator with its own certificate, set REQUESTS_CA_BUNDLE to its CA file"
_HINTS = {
    protocol.DENIED: "check that the access key belongs to this endpoint",
    protocol.IDENTITY_NOT_OWNED: "the id belongs to another Communication Services resource",
    protocol.UNSUPPORTED_API_VERSION: "pick another --api-version, or leave it out for the one acsid picks",
}


# What a request cut short by a signal may have done, by operation; the others change nothing to act on.
_CUT_SHORT = {
    protocol.CREATE.name: (MAYBE_CREATED, MAYBE_CREATED_HINT),
    protocol.DELETE.name: ("the identity may or may not have been deleted", None),
    protocol.REVOKE.name: ("its tokens may or may not have been revoked", None),
}


def interrupted(signum: int, sent: Sent | None) -> Problem:
    """A command cut short by a signal: what may have happened, if something was sent."""
    from acsid_cli.cli import signals

    name = signals.name(signum)
    message = "interrupted" if name == "Ctrl-C" else f"interrupted by {name}"
    what, hint = _CUT_SHORT.get(sent.operation or "", (None, None)) if sent else (None, None)
    if sent and what:
        message += f" during {sent.request_line}; {what}"
    return Problem(message, hint, signals.exit_code(signum))


def explain(exc: BaseException) -> Problem | None:
    """What to tell the user about exc, or None when it is a bug of ours."""
    if isinstance(exc, CliError):
        return Problem(exc.message, exc.hint, exc.exit_code)
    if isinstance(exc, client.ConnectionStringError):
        from acsid_cli.client.connection import FORMAT

        return Problem(str(exc), f"the format is {FORMAT}", EXIT_USAGE)
    if isinstance(exc, client.TokenMissing):
        return Problem(
            f"HTTP {exc.status}: {exc.message}; identity {exc.identity_id} was created {where(exc)}",
            f"issue its token with: acsid token issue --user {exc.identity_id} --scope ...",
        )
    if isinstance(exc, client.ServiceError):
        head = f"HTTP {exc.status} {exc.code}" if exc.code else f"HTTP {exc.status}"
        hint = "the service is throttling; wait and try again" if exc.status == 429 else _HINTS.get(exc.code or "")
        code = EXIT_NOT_FOUND if exc.status == 404 else EXIT_ERROR
        return _maybe_created(Problem(f"{head}: {exc.message} {where(exc)}", hint, code), exc)
    if isinstance(exc, client.BadAnswer):
        return _maybe_created(Problem(f"HTTP {exc.status}: {exc.message} {where(exc)}"), exc)
    if isinstance(exc, client.RequestError):
        hint = TLS_HINT if isinstance(exc, client.TlsError) else None
        return _maybe_created(Problem(f"{exc.message} {where(exc)}", hint), exc)
    if isinstance(exc, client.CredentialError):
        return Problem(str(exc), SIGN_IN_HINT)
    if isinstance(exc, client.AcsError):
        return Problem(str(exc))
    return None


def maybe_created(exc: BaseException) -> bool:
    """Whether a failed request may have created an identity nobody has the id of."""
    return isinstance(exc, client.RequestError) and exc.operation == protocol.CREATE.name and exc.maybe_processed


def _maybe_created(problem: Problem, exc: client.RequestError) -> Problem:
    if maybe_created(exc):
        return Problem(f"{problem.message}; {MAYBE_CREATED}", MAYBE_CREATED_HINT, problem.exit_code)
    return problem


def where(exc: client.RequestError) -> str:
    """(request line, target, attempts, request id): what to quote to Azure support."""
    details = [exc.request_line]
    if isinstance(exc, client.ServiceError) and exc.target:
        details.append(f"target {exc.target}")
    if exc.attempts > 1:
        details.append(f"{exc.attempts} attempts")
    if exc.request_id and isinstance(exc, (client.ServiceError, client.BadAnswer)):  # the service saw these
        details.append(f"request id {exc.request_id}")
    return f"({', '.join(details)})"
