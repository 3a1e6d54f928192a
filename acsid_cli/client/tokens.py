"""Reading ACS access tokens: the claims a JWT carries, decoded, not verified (that needs the service's keys).

Works on tokens of the service, of the emulator and of the Teams exchange: the claims are the same.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from acsid_cli import jwt, protocol
from acsid_cli.client.errors import AcsError

TIME_CLAIMS = ("exp", "iat", "nbf")  # seconds since the epoch
LATEST_TIME = 253402300799  # 9999-12-31T23:59:59Z: the last second a date can show
MAX_DEPTH = 32  # claims nested deeper are no access token's; deeper still would exhaust the stack
MAX_TOKEN_LENGTH = 64 * 1024  # ACS tokens are about 1 KB, Entra tokens a few KB


class MalformedToken(AcsError, ValueError):
    """Not a JWT, or one without the claims of an access token."""


@dataclass(frozen=True)
class TokenClaims:
    claims: dict[str, Any]

    @property
    def identity(self) -> str | None:
        """The identity the token is for: 8: and the skypeid claim (8:acs:... or, for Teams users, 8:orgid:...);
        a Teams Extension user's is 8:acs:<resource>_<tenant>_<object>, an Entra ID user's 8:acs:<resource>_wf_..."""
        skype_id = self.claims.get("skypeid")
        return f"8:{skype_id}" if isinstance(skype_id, str) else None

    @property
    def identity_kind(self) -> str | None:
        """protocol.identity_kind of the identity: communicationUser, teamsExtensionUser, entraUser, ..."""
        identity = self.identity
        return None if identity is None else protocol.identity_kind(identity)

    @property
    def scopes(self) -> list[str]:
        scopes = self.claims.get("acsScope")
        return [scope for scope in scopes.split(",") if scope] if isinstance(scopes, str) else []

    @property
    def issued_at(self) -> float | None:
        iat = self.claims.get("iat")
        return None if iat is None else float(iat)

    @property
    def expires_at(self) -> float:
        return float(self.claims["exp"])


def read(token: str) -> TokenClaims:
    """The claims of a token; MalformedToken unless it is a JWT whose time claims are dates a clock can reach.

    Fails closed: an exp of NaN, Infinity, 1e20 or "soon" would otherwise pass every expiry check.
    """
    if len(token) > MAX_TOKEN_LENGTH:
        raise MalformedToken(f"it is {len(token):,} characters long; tokens have at most {MAX_TOKEN_LENGTH:,}")
    try:
        claims = jwt.payload(token.strip())
    except jwt.NotAJwt as exc:
        raise MalformedToken(str(exc)) from None
    if not isinstance(claims, dict) or "exp" not in claims:
        raise MalformedToken("it has no expiry (exp claim)")
    if _depth(claims) > MAX_DEPTH:
        raise MalformedToken(f"its claims are nested more than {MAX_DEPTH} deep")
    for name in TIME_CLAIMS:
        if name in claims and not _is_time(claims[name]):
            raise MalformedToken(f"its {name} claim is not a time: seconds since 1970, a finite number up to year 9999")
    return TokenClaims(claims)


def _is_time(value: Any) -> bool:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    return math.isfinite(value) and 0 <= value <= LATEST_TIME


def _depth(value: Any) -> int:
    """How deeply JSON containers nest in value (a scalar: 0), without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        current, level = stack.pop()
        children = current.values() if isinstance(current, dict) else current if isinstance(current, list) else None
        if children is None:
            continue
        deepest = max(deepest, level)
        if level <= MAX_DEPTH:  # past the limit the answer is known
            stack.extend((child, level + 1) for child in children)
    return deepest
