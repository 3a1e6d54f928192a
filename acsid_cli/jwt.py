"""JSON Web Tokens read without checking their signature: the claims an ACS or Entra token carries.

The client reads its tokens' claims (`token inspect`), the emulator those of the Entra tokens it is
given and, after checking the signature itself, of its own. Standard library only.
"""

from __future__ import annotations

import base64
import json
from typing import Any


class NotAJwt(ValueError):
    """Not three base64url parts joined by dots, the second one JSON; str() says which."""


def payload(token: str) -> Any:
    """The decoded JSON of the token's claims part, whatever its type; NotAJwt when there is none."""
    parts = token.split(".")
    if len(parts) != 3 or not all(parts[:2]):
        raise NotAJwt("it is not a JWT: a JWT is three base64url parts joined by dots")
    try:
        return json.loads(b64url_decode(parts[1]))
    except (ValueError, RecursionError):  # binascii.Error and UnicodeDecodeError are ValueErrors; deep JSON
        raise NotAJwt("its claims are not base64url-encoded JSON") from None


def decode_unverified(token: str) -> dict[str, Any] | None:
    """The claims of a JWT as a JSON object, without checking its signature; None when it is not one."""
    try:
        claims = payload(token)
    except NotAJwt:
        return None
    return claims if isinstance(claims, dict) else None


def b64url_decode(part: str) -> bytes:
    """base64url without its padding, as JWTs write it."""
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
