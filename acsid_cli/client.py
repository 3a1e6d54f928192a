"""The ACS Identity REST client: one requests session, every attempt signed afresh, retried only where safe.

Methods return the service's JSON (already checked for the fields callers need) and never print;
failures raise ServiceError or NetworkError.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import requests

from acsid_cli import __version__, retry, signing
from acsid_cli.connection import Connection
from acsid_cli.errors import NetworkError, ServiceError

DEFAULT_API_VERSION = "2023-10-01"
DEFAULT_TIMEOUT = (10.0, 30.0)  # connect, read
MAYBE_CREATED = "the identity may or may not have been created"
TOKEN_FIELDS = (("token",), ("expiresOn",))
TOKEN_FIELDS_ON_CREATE = (("accessToken", "token"), ("accessToken", "expiresOn"))


@dataclass(frozen=True)
class Call:
    name: str  # for messages: "POST /identities"
    method: str
    path: str  # percent-encoded, without the query
    body: dict[str, Any] | None = None
    content_type: bool = True  # the SDK sends Content-Type on create even with no body
    safe_to_repeat: bool = True
    gone_is_success: bool = False  # a retried delete may find its own earlier success


class _NotSent(Exception):
    """The connection never opened: the server cannot have seen the request."""


class _Lost(Exception):
    """The request may have reached the server, but no complete answer came back."""


class IdentityClient:
    def __init__(
        self,
        connection: Connection,
        api_version: str = DEFAULT_API_VERSION,
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
        log: Callable[[str], None] | None = None,
    ) -> None:
        self.connection = connection
        self.api_version = api_version
        self.timeout = timeout
        self.log = log
        self.session = requests.Session()
        self.session.headers.update({"User-Agent": f"acsid/{__version__}", "Accept": "application/json"})

    # --- the operations -------------------------------------------------------------------------

    def create_user(self, scopes: list[str] | None = None, expires_in: int | None = None) -> dict[str, Any]:
        body = None
        if scopes:
            body = {"createTokenWithScopes": scopes}
            if expires_in is not None:
                body["expiresInMinutes"] = expires_in
        response = self._send(Call("create identity", "POST", "/identities", body, safe_to_repeat=False))
        result = self._json(response, ("identity", "id"))
        if scopes:
            try:
                self._json(response, *TOKEN_FIELDS_ON_CREATE)
            except NetworkError as exc:  # the identity exists now: never lose it
                user_id = result["identity"]["id"]
                raise NetworkError(
                    f"{exc.message}; identity {user_id} was created",
                    hint=f"issue its token with: acsid token issue --user {user_id} --scope ...",
                ) from None
        return result

    def delete_user(self, user_id: str) -> None:
        call = Call("delete identity", "DELETE", _identity_path(user_id), content_type=False, gone_is_success=True)
        self._send(call)

    def revoke_tokens(self, user_id: str) -> None:
        self._send(Call("revoke tokens", "POST", _identity_path(user_id, ":revokeAccessTokens"), content_type=False))

    def issue_token(self, user_id: str, scopes: list[str], expires_in: int | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {"scopes": scopes}
        if expires_in is not None:
            body["expiresInMinutes"] = expires_in
        response = self._send(Call("issue token", "POST", _identity_path(user_id, ":issueAccessToken"), body))
        return self._json(response, *TOKEN_FIELDS)

    def exchange_teams_token(self, aad_token: str, app_id: str, user_id: str) -> dict[str, Any]:
        body = {"token": aad_token, "appId": app_id, "userId": user_id}
        response = self._send(Call("exchange Teams token", "POST", "/teamsUser/:exchangeAccessToken", body))
        return self._json(response, *TOKEN_FIELDS)

    # --- one request, with retries --------------------------------------------------------------

    def _send(self, call: Call) -> requests.Response | None:
        """The successful response, or None when a retried delete found the identity already gone."""
        for attempt in range(1, retry.MAX_ATTEMPTS + 1):
            last = attempt == retry.MAX_ATTEMPTS
            try:
                response = self._attempt(call, attempt)
            except (_NotSent, _Lost) as exc:
                if isinstance(exc, _Lost) and not call.safe_to_repeat:
                    raise NetworkError(
                        f"{MAYBE_CREATED}: {exc}", hint="list or check your identities before creating another"
                    ) from None
                if last:
                    raise NetworkError(f"{call.name} failed after {attempt} attempts: {exc}") from None
                wait = retry.backoff(attempt)
            else:
                if response.ok:
                    return response
                if response.status_code == 404 and call.gone_is_success and attempt > 1:
                    self._debug("404 after an earlier attempt: the identity is gone, as asked")
                    return None
                retry_after = retry.retry_after_seconds(response.headers.get("Retry-After"))
                retryable = retry.status_is_retryable(
                    response.status_code, safe_to_repeat=call.safe_to_repeat, retry_after=retry_after
                )
                if last or not retryable:
                    raise self._error(call, response, attempt, maybe_processed=not retryable)
                wait = retry_after if retry_after is not None else retry.backoff(attempt)
            self._debug(f"retrying in {wait:.2f}s")
            time.sleep(wait)
        raise AssertionError("unreachable")

    def _attempt(self, call: Call, attempt: int) -> requests.Response:
        body = b"" if call.body is None else json.dumps(call.body).encode("utf-8")
        url = f"{self.connection.endpoint}{call.path}?api-version={quote(self.api_version, safe='')}"
        request_id = str(uuid.uuid1())
        headers = {"x-ms-client-request-id": request_id, "x-ms-return-client-request-id": "true"}
        if call.content_type:
            headers["Content-Type"] = "application/json"
        prepared = self.session.prepare_request(requests.Request(call.method, url, headers=headers, data=body))
        # Sign what is actually sent: the prepared path and body, with a fresh date on every attempt.
        prepared.headers.update(
            signing.sign(call.method, prepared.path_url, self.connection.host, body, self.connection.key)
        )
        if self.log:
            self._debug(f"→ {call.method} {url} (attempt {attempt}/{retry.MAX_ATTEMPTS}, request id {request_id})")
            self._debug(f"  headers: {_masked(prepared.headers)}; body {len(body)} bytes")
        started = time.monotonic()
        try:
            # send() skips what request() would read from the environment: proxies, REQUESTS_CA_BUNDLE.
            settings = self.session.merge_environment_settings(prepared.url, {}, None, None, None)
            response = self.session.send(prepared, timeout=self.timeout, allow_redirects=False, **settings)
        except requests.exceptions.SSLError as exc:
            raise NetworkError(
                f"TLS with {self.connection.endpoint} failed: {_reason(exc)}",
                hint="if this is a local emulator with its own certificate, set REQUESTS_CA_BUNDLE to its CA file",
            ) from None
        except requests.exceptions.ConnectTimeout:
            raise _NotSent(f"connecting to {self.connection.endpoint} timed out after {self.timeout[0]:g}s") from None
        except requests.exceptions.ReadTimeout:
            raise _Lost(f"no answer from {self.connection.endpoint} within {self.timeout[1]:g}s") from None
        except requests.exceptions.ConnectionError as exc:
            if _never_connected(exc):
                raise _NotSent(f"cannot connect to {self.connection.endpoint} ({_reason(exc)})") from None
            raise _Lost(f"the connection to {self.connection.endpoint} broke ({_reason(exc)})") from None
        except requests.exceptions.RequestException as exc:  # truncated or undecodable body
            raise _Lost(f"the answer from {self.connection.endpoint} was cut off ({_reason(exc)})") from None
        if self.log:
            elapsed = (time.monotonic() - started) * 1000
            self._debug(
                f"← {response.status_code} {response.reason} in {elapsed:.0f} ms ({len(response.content)} bytes)"
            )
        return response

    # --- reading answers ------------------------------------------------------------------------

    def _json(self, response: requests.Response | None, *required: tuple[str, ...]) -> dict[str, Any]:
        """The answer as a JSON object that has every `required` field (a path of keys to a string)."""
        assert response is not None
        try:
            data = response.json()
        except ValueError:
            raise NetworkError(
                f"HTTP {response.status_code}: the service's answer is not JSON ({_content_type(response)})"
            ) from None
        if not isinstance(data, dict):
            raise NetworkError(f"HTTP {response.status_code}: the service's answer is not a JSON object")
        for path in required:
            _require(data, response.status_code, *path)
        return data

    def _error(self, call: Call, response: requests.Response, attempts: int, maybe_processed: bool) -> ServiceError:
        code, message, target = None, None, None
        try:
            error = response.json().get("error")
            if isinstance(error, dict):
                code, message, target = error.get("code"), error.get("message"), error.get("target")
        except (ValueError, AttributeError):
            message = f"the answer is not JSON ({_content_type(response)})"
        message = str(message or response.reason or "no error message")
        tried = f" after {attempts} attempts" if attempts > 1 else ""
        hint = _HINTS.get(str(code)) or _HINTS.get(response.status_code)
        if not call.safe_to_repeat and maybe_processed and response.status_code in retry.RETRY_STATUSES:
            message = f"{message}; {MAYBE_CREATED}"
            hint = "list or check your identities before creating another"
        return ServiceError(
            response.status_code,
            code,
            message + tried,
            target=target,
            request_id=response.request.headers.get("x-ms-client-request-id"),
            operation=call.name,
            hint=hint,
        )

    def _debug(self, line: str) -> None:
        if self.log:
            self.log(line)


_HINTS: dict[Any, str] = {
    "Denied": "check that the access key belongs to this endpoint",
    "IdentityNotOwned": "the id belongs to another Communication Services resource",
    "UnsupportedApiVersion": "pick another --api-version (default 2023-10-01)",
    429: "the service is throttling; wait and try again",
}

_SECRET_HEADERS = ("authorization",)


def _masked(headers: Any) -> str:
    shown = {}
    for name, value in headers.items():
        if name.lower() in _SECRET_HEADERS:
            value = value.split("Signature=")[0] + "Signature=***"
        shown[name] = value
    return ", ".join(f"{k}: {v}" for k, v in shown.items())


def _identity_path(user_id: str, action: str = "") -> str:
    path = "/identities/" + quote(user_id, safe="")  # the SDK percent-encodes the ':' of the id
    return f"{path}/{action}" if action else path


def _require(data: dict[str, Any], status: int, *keys: str) -> str:
    value: Any = data
    for key in keys:
        value = value.get(key) if isinstance(value, dict) else None
    if not isinstance(value, str) or not value:
        raise NetworkError(f"HTTP {status}: the service's answer has no {'.'.join(keys)}")
    return value


def _content_type(response: requests.Response) -> str:
    return response.headers.get("Content-Type", "no content type").split(";")[0]


def _never_connected(exc: Exception) -> bool:
    import urllib3.exceptions

    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    return isinstance(reason, (urllib3.exceptions.NewConnectionError, urllib3.exceptions.ConnectTimeoutError))


def _reason(exc: BaseException) -> str:
    """The innermost OS-level cause, e.g. 'Connection refused', instead of urllib3's long repr."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, OSError) and seen.strerror:
            return seen.strerror
        nested = getattr(seen, "reason", None)
        if isinstance(nested, BaseException):
            seen = nested
            continue
        seen = seen.args[0] if seen.args and isinstance(seen.args[0], BaseException) else seen.__context__
    text = str(exc.args[-1] if exc.args else exc)
    return text.split(": ", 1)[-1][:200] if text else type(exc).__name__
