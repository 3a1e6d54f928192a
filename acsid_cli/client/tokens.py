"""Reading ACS access tokens: the claims a JWT carries, decoded, not verified (that needs the service's keys).

Works on tokens of the service, of the emulator and of the Teams exchange: the claims are the same.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any

from acsid_cli.client.errors import AcsError


class MalformedToken(AcsError, ValueError):
    """Not a JWT, or one without the claims of an access token."""


@dataclass(frozen=True)
class TokenClaims:
    claims: dict[str, Any]

    @property
    def identity(self) -> str | None:
        """The identity the token is for: 8: and the skypeid claim (8:acs:... or, for Teams users, 8:orgid:...)."""
        skype_id = self.claims.get("skypeid")
        return f"8:{skype_id}" if isinstance(skype_id, str) else None

    @property
    def scopes(self) -> list[str]:
        scopes = self.claims.get("acsScope")
        return [scope for scope in scopes.split(",") if scope] if isinstance(scopes, str) else []

    @property
    def issued_at(self) -> float | None:
        return _number(self.claims.get("iat"))

    @property
    def expires_at(self) -> float:
        expires = _number(self.claims.get("exp"))
        assert expires is not None, "read() refuses a token without exp"
        return expires


def read(token: str) -> TokenClaims:
    parts = token.strip().split(".")
    if len(parts) != 3 or not all(parts[:2]):
        raise MalformedToken("it is not a JWT: a JWT is three base64url parts joined by dots")
    try:
        claims = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
    except (binascii.Error, ValueError):
        raise MalformedToken("its claims are not base64url-encoded JSON") from None
    if not isinstance(claims, dict) or _number(claims.get("exp")) is None:
        raise MalformedToken("it has no expiry (exp claim)")
    return TokenClaims(claims)


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None
