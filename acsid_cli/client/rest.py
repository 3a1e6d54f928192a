"""The ACS Identity REST client: one method per operation, typed results, acsid's errors.

    client = IdentityClient.from_connection_string(text)
    created = client.create_user(scopes=["chat"])
    print(created.identity.id, created.token.expires_on)

With Microsoft Entra ID: IdentityClient(endpoint, BearerAuth(DefaultAzureCredential())) (auth.py).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import requests
import requests.auth

from acsid_cli import protocol
from acsid_cli.client import connection
from acsid_cli.client.auth import HmacAuth
from acsid_cli.client.errors import BadAnswer, TokenMissing
from acsid_cli.client.failures import content_type
from acsid_cli.client.models import AccessToken, CreatedIdentity, Identity
from acsid_cli.client.transport import DEFAULT_TIMEOUT, Call, Pacer, Transport


class IdentityClient:
    def __init__(
        self,
        endpoint: str,
        auth: requests.auth.AuthBase,
        *,
        api_version: str = protocol.DEFAULT_API_VERSION,
        timeout: float | tuple[float, float] | None = None,
        sleep: Callable[[float], None] | None = None,
        pacer: Pacer | None = None,
        connections: int = 1,
    ) -> None:
        """`endpoint` as connection.check_endpoint returns it; `auth` one of auth.py's.

        timeout: seconds to connect and for each answer (one number for both; None: 10 and 30 s).
        sleep: how to wait between attempts (tests pass a fake clock's).
        `pacer` and `connections` are for many calls from many threads at once (see bulk.py).
        """
        options: dict[str, Any] = {} if sleep is None else {"sleep": sleep}
        if timeout is None:
            timeout = DEFAULT_TIMEOUT
        elif not isinstance(timeout, tuple):
            timeout = (timeout, timeout)
        self._transport = Transport(endpoint, auth, api_version, timeout, pacer=pacer, connections=connections,
                                    **options)

    @classmethod
    def from_connection_string(cls, text: str, **options: Any) -> IdentityClient:
        """The client for `endpoint=https://...;accesskey=...`; raises ConnectionStringError, without the key."""
        return cls.from_connection(connection.parse(text), **options)

    @classmethod
    def from_connection(cls, parsed: connection.Connection, **options: Any) -> IdentityClient:
        """The client for a connection string already parsed (connection.parse), signed with its access key."""
        return cls(parsed.endpoint, HmacAuth(parsed.key), **options)

    def create_user(
        self, scopes: list[str] | None = None, expires_in: int | None = None, custom_id: str | None = None
    ) -> CreatedIdentity:
        """A new identity, with a token when scopes are given; with custom_id, the identity that has it if any."""
        body: dict[str, Any] = {}
        if custom_id is not None:
            body["customId"] = custom_id
        if scopes:
            body["createTokenWithScopes"] = scopes
            if expires_in is not None:
                body["expiresInMinutes"] = expires_in
        # Repeating a create makes a second identity, unless a customId names the one to return.
        call = self._call(protocol.CREATE, body=body or None, safe_to_repeat=custom_id is not None)
        response = self._send(call)
        data = _json(response, call)
        identity = _identity(data.get("identity"), response, call, "identity.")
        token = None
        if scopes:
            try:
                token = _token(data.get("accessToken"), response, call, "accessToken.")
            except BadAnswer as exc:  # the identity exists now: never lose it
                raise TokenMissing(exc.status, exc.message, identity.id, **_context(call, response)) from None
        return CreatedIdentity(identity, token, existed=response.status_code == 200)

    def get_user(self, user_id: str) -> Identity:
        call = self._call(protocol.GET, user_id, json_body=False)
        response = self._send(call)
        return _identity(_json(response, call), response, call)

    def delete_user(self, user_id: str) -> None:
        self._transport.send(self._call(protocol.DELETE, user_id, json_body=False, gone_is_success=True))

    def revoke_tokens(self, user_id: str) -> None:
        self._send(self._call(protocol.REVOKE, user_id, json_body=False))

    def issue_token(self, user_id: str, scopes: list[str], expires_in: int | None = None) -> AccessToken:
        body: dict[str, Any] = {"scopes": scopes}
        if expires_in is not None:
            body["expiresInMinutes"] = expires_in
        call = self._call(protocol.ISSUE, user_id, body=body)
        response = self._send(call)
        return _token(_json(response, call), response, call)

    def exchange_teams_token(self, aad_token: str, app_id: str, user_id: str) -> AccessToken:
        call = self._call(protocol.EXCHANGE, body={"token": aad_token, "appId": app_id, "userId": user_id})
        response = self._send(call)
        return _token(_json(response, call), response, call)

    def close(self) -> None:
        self._transport.close()

    def _call(
        self, operation: protocol.Operation, user_id: str = "", body: dict[str, Any] | None = None, **flags: bool
    ) -> Call:
        # The SDK percent-encodes the id's colons; messages show it as people wrote it.
        path = operation.path.replace("{id}", quote(user_id, safe=""))
        request_line = f"{operation.method} {operation.path.replace('{id}', user_id)}"
        data = b"" if body is None else json.dumps(body).encode("utf-8")  # the SDK's separators
        return Call(operation, path, request_line, data, **flags)

    def _send(self, call: Call) -> requests.Response:
        response = self._transport.send(call)
        assert response is not None, "only a delete may answer None, and delete_user does not read it"
        return response


def _context(call: Call, response: requests.Response) -> dict[str, Any]:
    request_id = response.request.headers.get("x-ms-client-request-id")
    # A success status with an answer we cannot read: the service did act (a create did create).
    return {"operation": call.operation.name, "request_line": call.request_line, "request_id": request_id,
            "maybe_processed": response.ok}


def _json(response: requests.Response, call: Call) -> dict[str, Any]:
    try:
        data = response.json()
    except ValueError:
        reason = f"the service's answer is not JSON ({content_type(response)})"
        raise BadAnswer(response.status_code, reason, **_context(call, response)) from None
    if not isinstance(data, dict):
        raise BadAnswer(response.status_code, "the service's answer is not a JSON object", **_context(call, response))
    return data


def _text(data: Any, key: str, response: requests.Response, call: Call, prefix: str = "") -> str:
    value = data.get(key) if isinstance(data, dict) else None
    if not isinstance(value, str) or not value:
        raise BadAnswer(response.status_code, f"the service's answer has no {prefix}{key}", **_context(call, response))
    return value


def _optional(data: dict[str, Any], key: str) -> str | None:
    value = data.get(key)
    return value if isinstance(value, str) else None


def _identity(data: Any, response: requests.Response, call: Call, prefix: str = "") -> Identity:
    identity_id = _text(data, "id", response, call, prefix)
    assert isinstance(data, dict)
    return Identity(identity_id, _optional(data, "customId"), _optional(data, "lastTokenIssuedAt"))


def _token(data: Any, response: requests.Response, call: Call, prefix: str = "") -> AccessToken:
    return AccessToken(_text(data, "token", response, call, prefix), _text(data, "expiresOn", response, call, prefix))
