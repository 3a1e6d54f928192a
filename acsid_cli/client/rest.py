"""The ACS Identity REST client: one method per operation, typed results, acsid's errors.

    client = IdentityClient.from_connection_string(text)
    created = client.create_user(scopes=["chat"])
    print(created.identity.id, created.token.expires_on)

With Microsoft Entra ID: IdentityClient(endpoint, BearerAuth(DefaultAzureCredential())) (auth.py).
The 2025 operations are in groups of their own: client.teams_extension and client.entra (Entra ID users).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import requests.auth

from acsid_cli import protocol
from acsid_cli.client import answers, connection
from acsid_cli.client.auth import HmacAuth
from acsid_cli.client.calls import Caller
from acsid_cli.client.entra import EntraUsers
from acsid_cli.client.errors import BadAnswer, TokenMissing
from acsid_cli.client.models import AccessToken, CreatedIdentity, Identity
from acsid_cli.client.teams_extension import TeamsExtension
from acsid_cli.client.transport import DEFAULT_TIMEOUT, Call, Pacer, Transport


class IdentityClient:
    def __init__(
        self,
        endpoint: str,
        auth: requests.auth.AuthBase,
        *,
        api_version: str | None = None,
        timeout: float | tuple[float, float] | None = None,
        sleep: Callable[[float], None] | None = None,
        pacer: Pacer | None = None,
        connections: int = 1,
        on_send: Callable[[Call], None] | None = None,
    ) -> None:
        """`endpoint` as connection.check_endpoint returns it; `auth` one of auth.py's.

        api_version: sent with every operation; None: each operation's own (protocol.Operation.version):
        2023-10-01 (the SDK's) for the identity operations, 2025-03-02-preview for a custom id or a get,
        2025-06-30 for Teams Extension and 2025-03-02-preview for Entra ID users.
        timeout: seconds to connect and for each answer (one number for both; None: 10 and 30 s).
        sleep: how to wait between attempts (tests pass a fake clock's).
        `pacer` and `connections` are for many calls from many threads at once (see bulk.py).
        on_send: told of each request as it goes out (its operation and request line), so that a program
        cut short can say what may have happened.
        """
        options: dict[str, Any] = {} if sleep is None else {"sleep": sleep}
        if timeout is None:
            timeout = DEFAULT_TIMEOUT
        elif not isinstance(timeout, tuple):
            timeout = (timeout, timeout)
        self._transport = Transport(
            endpoint, auth, timeout, pacer=pacer, connections=connections, on_send=on_send, **options
        )
        self._caller = Caller(self._transport, api_version)
        self.teams_extension = TeamsExtension(self._caller)
        self.entra = EntraUsers(self._caller)

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
        version = self._caller.api_version or (protocol.PREVIEW_API_VERSION if custom_id is not None else None)
        # Repeating a create makes a second identity, unless a customId names the one to return.
        call = self._caller.call(
            protocol.CREATE, body=body or None, api_version=version, safe_to_repeat=custom_id is not None
        )
        response = self._caller.send(call)
        data = answers.json_object(response, call)
        identity = answers.identity(data.get("identity"), response, call, "identity.")
        token = None
        if scopes:
            try:
                token = answers.token(data.get("accessToken"), response, call, "accessToken.")
            except BadAnswer as exc:  # the identity exists now: never lose it
                raise TokenMissing(exc.status, exc.message, identity.id, **answers.context(call, response)) from None
        return CreatedIdentity(identity, token)

    def get_user(self, user_id: str) -> Identity:
        call = self._caller.call(protocol.GET, {"id": user_id}, json_body=False)
        response = self._caller.send(call)
        return answers.identity(answers.json_object(response, call), response, call)

    def delete_user(self, user_id: str) -> None:
        self._transport.send(self._caller.call(protocol.DELETE, {"id": user_id}, json_body=False, gone_is_success=True))

    def revoke_tokens(self, user_id: str) -> None:
        self._caller.send(self._caller.call(protocol.REVOKE, {"id": user_id}, json_body=False))

    def issue_token(self, user_id: str, scopes: list[str], expires_in: int | None = None) -> AccessToken:
        body: dict[str, Any] = {"scopes": scopes}
        if expires_in is not None:
            body["expiresInMinutes"] = expires_in
        call = self._caller.call(protocol.ISSUE, {"id": user_id}, body)
        response = self._caller.send(call)
        return answers.token(answers.json_object(response, call), response, call)

    def exchange_teams_token(self, aad_token: str, app_id: str, user_id: str) -> AccessToken:
        call = self._caller.call(protocol.EXCHANGE, body={"token": aad_token, "appId": app_id, "userId": user_id})
        response = self._caller.send(call)
        return answers.token(answers.json_object(response, call), response, call)

    def close(self) -> None:
        self._transport.close()
