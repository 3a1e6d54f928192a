"""Authentication as requests auth objects: each request is signed as it is prepared, every retry afresh."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from typing import Any

import requests
import requests.auth

from acsid_cli import protocol, signing
from acsid_cli.client.errors import CredentialError

TOKEN_CREDENTIALS_ENV = "AZURE_TOKEN_CREDENTIALS"  # azure-identity's: one credential's name, or dev or prod


class HmacAuth(requests.auth.AuthBase):
    """The access-key scheme: HMAC-SHA256 over the method, the path as sent, the date, the host and the body."""

    def __init__(self, key: bytes) -> None:
        self._key = key

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        body = request.body or b""
        if isinstance(body, str):
            body = body.encode("utf-8")
        assert request.method, "requests prepares it before auth"
        assert request.url, "requests prepares it before auth"
        request.headers.update(
            signing.sign(request.method, request.path_url, signing.host_of(request.url), body, self._key)
        )
        return request

    def __repr__(self) -> str:
        return "HmacAuth(key=<hidden>)"


class BearerAuth(requests.auth.AuthBase):
    """Microsoft Entra ID: `Authorization: Bearer <token>` for the ACS audience.

    One token for the life of the client, shared by every thread of a bulk run, and fetched again a
    few minutes before it expires. The credential is any azure-identity credential.
    """

    REFRESH_BEFORE = 300.0  # seconds before expiry

    def __init__(self, credential: Any, scope: str = protocol.ENTRA_SCOPE, clock: Callable[[], float] = time.time):
        self._credential = credential
        self._scope = scope
        self._clock = clock
        self._lock = threading.Lock()
        self._token: Any = None

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers["Authorization"] = f"Bearer {self.token()}"
        return request

    def token(self) -> str:
        with self._lock:
            if self._token is None or self._token.expires_on - self._clock() < self.REFRESH_BEFORE:
                self._token = _get_token(self._credential, self._scope)
            return str(self._token.token)

    @property
    def credential_name(self) -> str:
        """The credential that answers: for DefaultAzureCredential, the one AZURE_TOKEN_CREDENTIALS names.

        azure-identity says which link of its chain answered only in a private attribute, so without that
        setting (or with 'dev' or 'prod', which name a chain) the answer is the chain's own name.
        """
        name = type(self._credential).__name__
        chosen = os.environ.get(TOKEN_CREDENTIALS_ENV, "").strip().lower()
        if name != "DefaultAzureCredential" or chosen in ("", "dev", "prod"):
            return name
        import azure.identity

        return next((known for known in azure.identity.__all__ if known.lower() == chosen), name)

    def __repr__(self) -> str:
        return f"BearerAuth(credential={type(self._credential).__name__})"


class UserToken(requests.auth.AuthBase):
    """A user's own Microsoft Entra token, as the 2025 exchanges take it: `Authorization: Bearer <token>`.

    The caller holds the token (acsid never fetches it): it is sent as given, and never shown.
    """

    def __init__(self, token: str) -> None:
        self._token = token

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers["Authorization"] = f"Bearer {self._token}"
        return request

    def __repr__(self) -> str:
        return "UserToken(token=<hidden>)"


def default_credential() -> Any:
    """azure-identity's DefaultAzureCredential: environment, workload identity, managed identity, az login, ..."""
    try:
        from azure.identity import DefaultAzureCredential
    except ImportError:
        raise CredentialError(
            "signing in with Microsoft Entra ID needs azure-identity in acsid's environment: "
            "pip install azure-identity (with pipx: pipx inject acsid azure-identity)"
        ) from None
    return DefaultAzureCredential()


def _get_token(credential: Any, scope: str) -> Any:
    try:
        return credential.get_token(scope)
    except Exception as exc:  # azure-identity raises ClientAuthenticationError and its kin, with long texts
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise CredentialError(f"Microsoft Entra ID sign-in failed: {first}") from None
