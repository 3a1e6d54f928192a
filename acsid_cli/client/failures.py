"""What went wrong, in words: a request that got no answer, or an error answer, as acsid's errors."""

from __future__ import annotations

from typing import Any

import requests

from acsid_cli.client import retry
from acsid_cli.client.errors import ServiceError, TlsError, TransportError


class Failed(Exception):
    """An attempt without an answer; maybe_sent when the service may have seen the request."""

    def __init__(self, reason: str, maybe_sent: bool, kind: type[TransportError] = TransportError) -> None:
        super().__init__(reason)
        self.reason, self.maybe_sent, self.kind = reason, maybe_sent, kind


def failed(exc: requests.exceptions.RequestException, endpoint: str, timeout: tuple[float, float]) -> Failed:
    if isinstance(exc, requests.exceptions.SSLError):
        return Failed(f"TLS with {endpoint} failed: {_reason(exc)}", maybe_sent=False, kind=TlsError)
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return Failed(f"connecting to {endpoint} timed out after {timeout[0]:g} s", maybe_sent=False)
    if isinstance(exc, requests.exceptions.ReadTimeout):
        return Failed(f"no answer from {endpoint} within {timeout[1]:g} s", maybe_sent=True)
    if isinstance(exc, requests.exceptions.ConnectionError):
        if _never_connected(exc):
            return Failed(f"cannot connect to {endpoint} ({_reason(exc)})", maybe_sent=False)
        return Failed(f"the connection to {endpoint} broke ({_reason(exc)})", maybe_sent=True)
    return Failed(f"the answer from {endpoint} was cut off", maybe_sent=True)


def service_error(response: requests.Response, retry_after: float | None, **context: Any) -> ServiceError:
    code = target = message = None
    try:
        error = response.json().get("error")
        if isinstance(error, dict):
            code, message, target = error.get("code"), error.get("message"), error.get("target")
    except (ValueError, AttributeError):
        message = f"the answer is not JSON ({content_type(response)})"
    return ServiceError(
        response.status_code,
        str(code) if code else None,
        str(message or response.reason or "no error message"),
        target=str(target) if target else None,
        retry_after=retry_after,
        maybe_processed=retry.maybe_processed(response.status_code, retry_after),
        **context,
    )


def content_type(response: requests.Response) -> str:
    return response.headers.get("Content-Type", "no content type").split(";")[0]


def _never_connected(exc: Exception) -> bool:
    import urllib3.exceptions

    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    return isinstance(reason, (urllib3.exceptions.NewConnectionError, urllib3.exceptions.ConnectTimeoutError))


def _reason(exc: BaseException) -> str:
    """The innermost cause in words ("Connection refused"), never a nest of Python reprs."""
    cause, seen = exc, set()
    while id(cause) not in seen:
        seen.add(id(cause))
        if isinstance(cause, OSError) and cause.strerror:
            return str(cause.strerror)
        nested = [getattr(cause, "reason", None), *cause.args, cause.__cause__, cause.__context__]
        inner = next((e for e in nested if isinstance(e, BaseException)), None)
        if inner is None:
            break
        cause = inner
    text = next((arg for arg in cause.args if isinstance(arg, str)), "")
    return text.rsplit(": ", 1)[-1] or type(cause).__name__
