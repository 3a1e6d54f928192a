"""Raw HTTP to an emulator on a keep-alive connection, signed like the SDK signs; JWT and error-body helpers."""

from __future__ import annotations

import base64
import http.client
import json
import re
import ssl
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlsplit

from acsid_cli import signing
from acsid_cli.emulator import DEFAULT_ACCESS_KEY

VERSION = "2023-10-01"
PREVIEW = "2025-03-02-preview"
APP_ID = "1fd5118e-2576-4263-8130-9503064c837a"
OID = "0d2da0c5-e763-4a22-bb46-af82111cc7ae"
TENANT = "bc61f4fc-26d7-411e-91a9-4c14691dabdf"


@dataclass
class Reply:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Wire:
    """One keep-alive connection to an emulator, sending requests exactly as given."""

    endpoint: str
    key: str = DEFAULT_ACCESS_KEY
    cafile: str | None = None
    admin_token: str | None = field(default=None, repr=False)  # sent to /emulator/, as EmulatorAdmin does
    _conn: http.client.HTTPConnection | None = field(default=None, repr=False)

    @property
    def host(self) -> str:
        return urlsplit(self.endpoint).netloc

    def request(
        self,
        method: str,
        target: str,
        body: bytes | dict[str, Any] = b"",
        *,
        key: str | None = None,
        sign_host: str | None = None,
        date: str | None = None,
        headers: dict[str, str] | None = None,
        signed: bool = True,
        send_target: str | None = None,
    ) -> Reply:
        """Sign (method, target, body) and send it; send_target, if given, goes on the wire instead."""
        raw = json.dumps(body).encode() if isinstance(body, dict) else body
        sent = {"Content-Type": "application/json"}
        if signed:
            secret = base64.b64decode(key or self.key)
            sent |= signing.sign(method, target, sign_host or self.host, raw, secret, date=date)
        elif self.admin_token and target.startswith("/emulator/"):
            sent["Authorization"] = f"Bearer {self.admin_token}"
        sent |= headers or {}
        conn = self.connection()
        conn.request(method, send_target or target, raw, sent)
        response = conn.getresponse()
        return Reply(response.status, response.headers, response.read())

    def connection(self) -> http.client.HTTPConnection:
        if self._conn is None:
            if self.endpoint.startswith("https:"):
                context = ssl.create_default_context(cafile=self.cafile)
                self._conn = http.client.HTTPSConnection(self.host, context=context, timeout=10)
            else:
                self._conn = http.client.HTTPConnection(self.host, timeout=10)
        return self._conn

    def reconnect(self) -> None:
        """Forget the connection (after the emulator dropped it on purpose)."""
        if self._conn:
            self._conn.close()
        self._conn = None

    def create(self, version: str = VERSION, **fields: Any) -> Reply:
        reply = self.request("POST", f"/identities?api-version={version}", fields or b"")
        assert reply.status in (200, 201), reply.body
        return reply

    def new_identity(self) -> str:
        identity: str = self.create().json["identity"]["id"]
        return identity

    def issue(self, identity_id: str, scopes: list[str], version: str = VERSION, **fields: Any) -> str:
        reply = self.request(
            "POST", identity_path(identity_id, ":issueAccessToken", version), {"scopes": scopes, **fields}
        )
        assert reply.status == 200, reply.body
        token: str = reply.json["token"]
        return token


def identity_path(identity_id: str, action: str = "", version: str = VERSION, encode: bool = True) -> str:
    """/identities/{id}[/action]?api-version=..., the id percent-encoded like the sync SDK, or raw like aiohttp."""
    segment = quote(identity_id, safe="") if encode else identity_id
    suffix = f"/{action}" if action else ""
    return f"/identities/{segment}{suffix}?api-version={version}"


def jwt_claims(token: str) -> dict[str, Any]:
    payload = token.split(".")[1]
    claims: dict[str, Any] = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    return claims


def jwt_header(token: str) -> dict[str, Any]:
    header = token.split(".")[0]
    fields: dict[str, Any] = json.loads(base64.urlsafe_b64decode(header + "=" * (-len(header) % 4)))
    return fields


def jwt(claims: dict[str, Any]) -> str:
    """An RS256-shaped JWT with a signature nobody checks: the emulator reads Entra tokens' claims only."""

    def part(data: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    return f"{part({'alg': 'RS256', 'typ': 'JWT'})}.{part(claims)}.c2lnbmF0dXJl"


def entra_token(app_id: str = APP_ID, oid: str = OID, lifetime: int = 3600, **extra: Any) -> str:
    """An Entra-shaped token for a user, valid for `lifetime` seconds from now."""
    now = int(time.time())
    return jwt({"appid": app_id, "oid": oid, "tid": TENANT, "iat": now - 60, "exp": now + lifetime, **extra})


def iso_7(timestamp: float) -> str:
    """A time as the service writes it: seconds with seven zero decimals, in UTC."""
    return time.strftime("%Y-%m-%dT%H:%M:%S.0000000+00:00", time.gmtime(timestamp))


def error(code: str, message: str, target: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"code": code, "message": message}
    if target:
        body["target"] = target
    return {"error": body}


DENIED = error("Denied", "Denied by the resource provider.")
NOT_OWNED = error("IdentityNotOwned", "Provided identity doesn't belong to the resource.")
INVALID_ACCESS_TOKEN = error("InvalidAccessToken", "Provided access token is not valid.")
FOREIGN_ID = "8:acs:00000000-0000-0000-0000-000000000000_00000000-0000-0000-0000-000000000001"


def issue_target(identity_id: str, version: str = VERSION) -> str:
    return identity_path(identity_id, ":issueAccessToken", version)


ISO_7 = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}\+00:00")  # the service's date-time form
EXPIRES_59 = error(
    "ValidationError",
    "ExpiresInMinutes value 59 is invalid. Value must be within the [60, 1440] interval.",
    "ExpiresInMinutes",
)
