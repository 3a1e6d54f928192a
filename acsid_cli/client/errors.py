"""Everything the client raises: one family, rooted at AcsError, with what a caller needs to explain it."""

from __future__ import annotations

from typing import Any


class AcsError(Exception):
    """Base of the client's errors; str() is one sentence for people, never holding a secret."""


class ConnectionStringError(AcsError, ValueError):
    """The connection string cannot be used; the message says why without repeating the key."""


class RequestError(AcsError):
    """A request that did not succeed.

    operation: the protocol operation's name, e.g. "delete"
    request_line: what was sent, e.g. "DELETE /identities/8:acs:..."
    request_id: the x-ms-client-request-id of the last attempt, which the service logs too
    maybe_processed: the service may have acted on it although no success came back
    """

    def __init__(
        self,
        message: str,
        *,
        operation: str,
        request_line: str,
        request_id: str | None = None,
        attempts: int = 1,
        maybe_processed: bool = False,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.operation = operation
        self.request_line = request_line
        self.request_id = request_id
        self.attempts = attempts
        self.maybe_processed = maybe_processed


class ServiceError(RequestError):
    """The service answered with an error status: its code, message and target, as sent."""

    def __init__(
        self,
        status: int,
        code: str | None,
        message: str,
        *,
        target: str | None = None,
        retry_after: float | None = None,
        **context: Any,
    ) -> None:
        super().__init__(message, **context)
        self.status = status
        self.code = code
        self.target = target
        self.retry_after = retry_after


class TransportError(RequestError):
    """No usable answer: the connection failed, broke or timed out."""

    worth_retrying = True  # another attempt may get through


class TlsError(TransportError):
    """The TLS handshake failed, usually because the server's certificate is not trusted."""

    worth_retrying = False


class PlainHttpServer(TransportError):
    """An https:// endpoint whose server answered in plain http: it speaks no TLS on that port."""

    worth_retrying = False


class BadAnswer(TransportError):
    """An answer came, but not the one the protocol promises (not JSON, or a field missing)."""

    def __init__(self, status: int, message: str, **context: Any) -> None:
        super().__init__(message, **context)
        self.status = status


class TokenMissing(BadAnswer):
    """The identity was created, but the answer lacks its token: the identity must not be lost."""

    def __init__(self, status: int, message: str, identity_id: str, **context: Any) -> None:
        super().__init__(status, message, **context)
        self.identity_id = identity_id


class CredentialError(AcsError):
    """Microsoft Entra ID sign-in failed or is not available."""
