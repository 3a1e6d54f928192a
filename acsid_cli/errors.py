"""The one exception family of acsid. The CLI boundary turns each into `error: ...` and an exit code."""

from __future__ import annotations


class AcsidError(Exception):
    """Something the user should read; `hint` is an optional next step."""

    exit_code = 1

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class UsageError(AcsidError):
    """Bad input, caught before any request is sent."""

    exit_code = 2


class NotFoundError(AcsidError):
    exit_code = 3


class NetworkError(AcsidError):
    """The request did not get a usable answer (connection, TLS, timeout, unreadable body)."""


class Cancelled(AcsidError):
    """The user declined a confirmation."""


class ServiceError(AcsidError):
    """An error answer from the service, with everything it told us."""

    def __init__(
        self,
        status: int,
        code: str | None,
        message: str,
        *,
        target: str | None = None,
        request_id: str | None = None,
        operation: str = "",
        hint: str | None = None,
    ) -> None:
        self.status = status
        self.code = code
        self.service_message = message
        self.target = target
        self.request_id = request_id
        self.operation = operation
        parts = [f"HTTP {status}"]
        if code:
            parts.append(code)
        text = " ".join(parts) + f": {message}"
        if target:
            text += f" (target: {target})"
        super().__init__(text, hint)
        if status == 404:
            self.exit_code = NotFoundError.exit_code
