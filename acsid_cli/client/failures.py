"""What went wrong, in words: a request that got no answer, or an error answer, as acsid's errors."""

from __future__ import annotations

import ssl
from collections.abc import Callable
from typing import Any

import requests

from acsid_cli.client import retry
from acsid_cli.client.errors import PlainHttpServer, ServiceError, TlsError, TransportError

# What OpenSSL says when the bytes it gets back are no TLS record: before 3.2, and from 3.2 on.
_NOT_TLS = frozenset({"WRONG_VERSION_NUMBER", "RECORD_LAYER_FAILURE"})


def failed(
    exc: requests.exceptions.RequestException, endpoint: str, timeout: tuple[float, float], **context: Any
) -> TransportError:
    """The error for an attempt without an answer; maybe_processed when the service may have seen the request."""
    if isinstance(exc, requests.exceptions.SSLError):
        if _causes(exc, lambda e: isinstance(e, ssl.SSLError) and e.reason in _NOT_TLS):
            reason = f"{endpoint} answered in plain http, not TLS: the server does not speak https on that port"
            return PlainHttpServer(reason, **context)
        return TlsError(f"TLS with {endpoint} failed: {_reason(exc)}", **context)
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return TransportError(f"connecting to {endpoint} timed out after {timeout[0]:g} s", **context)
    if isinstance(exc, requests.exceptions.ReadTimeout):
        return TransportError(f"no answer from {endpoint} within {timeout[1]:g} s", maybe_processed=True, **context)
    if isinstance(exc, requests.exceptions.ConnectionError):
        if _never_connected(exc):
            return TransportError(f"cannot connect to {endpoint} ({_reason(exc)})", **context)
        return TransportError(f"the connection to {endpoint} broke ({_reason(exc)})", maybe_processed=True, **context)
    return TransportError(f"the answer from {endpoint} was cut off", maybe_processed=True, **context)


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


def _chain(exc: BaseException) -> list[BaseException]:
    """exc and what it wraps, outermost first: urllib3 nests the OSError in reasons and args, not only causes."""
    found: list[BaseException] = []
    cause: BaseException | None = exc
    while cause is not None and all(cause is not seen for seen in found):
        found.append(cause)
        nested = [getattr(cause, "reason", None), *cause.args, cause.__cause__, cause.__context__]
        cause = next((e for e in nested if isinstance(e, BaseException)), None)
    return found


def _causes(exc: BaseException, test: Callable[[BaseException], bool]) -> bool:
    return any(test(cause) for cause in _chain(exc))


def _reason(exc: BaseException) -> str:
    """The innermost cause in words ("Connection refused"), never a nest of Python reprs."""
    chain = _chain(exc)
    for cause in chain:
        if isinstance(cause, OSError) and cause.strerror:
            return str(cause.strerror)
    text = next((arg for arg in chain[-1].args if isinstance(arg, str)), "")
    return text.rsplit(": ", 1)[-1] or type(chain[-1]).__name__
