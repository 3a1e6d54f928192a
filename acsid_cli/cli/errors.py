"""How a failure is told: any error, or a signal, turned into the lines a user reads and an exit code.

The one translation, used by the app's boundary and by bulk runs for each failed item. A run loads it only
once something failed: the errors a command raises are output.py's.
"""

from __future__ import annotations

import signal
from dataclasses import dataclass
from typing import TYPE_CHECKING

from acsid_cli import protocol
from acsid_cli.cli.output import EXIT_ERROR, EXIT_NOT_FOUND, EXIT_USAGE, CliError
from acsid_cli.client import errors as client

if TYPE_CHECKING:
    from acsid_cli.client.transport import Call


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


def exit_code(signum: int) -> int:
    return 128 + signum


def signal_name(signum: int) -> str:
    """How a person would call it: Ctrl-C, SIGTERM, SIGHUP."""
    return "Ctrl-C" if signum == signal.SIGINT else signal.Signals(signum).name


def interruption(signum: int) -> str:
    """'interrupted', or 'interrupted by SIGTERM': how a message about a signal begins."""
    name = signal_name(signum)
    return "interrupted" if name == "Ctrl-C" else f"interrupted by {name}"


def interrupted(signum: int, sent: Call | None) -> Problem:
    """A command cut short by a signal: what may have happened, if something was sent."""
    message = interruption(signum)
    what, hint = _CUT_SHORT.get(sent.operation.name, (None, None)) if sent else (None, None)
    if sent and what:
        message += f" during {sent.request_line}; {what}"
    return Problem(message, hint, exit_code(signum))


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
