"""Who may call: HMAC-SHA256 signatures (the server half of acsid_cli.signing) and Entra bearer tokens.

A signature is checked on the request as received (raw target, raw body bytes, Host header), never on
a re-encoded copy, because that is what the client signed. A bearer token cannot be checked against
Entra's keys here: the emulator accepts a JWT whose audience is ACS's and which has not expired.

A refusal keeps the service's body, and says what failed through channels the service does not use:
the header x-acsid-emulator-reason, and (logged at INFO, shown by `acsid emulator --verbose`) the
string to sign the emulator expected. Never the key.
"""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from email.message import Message
from email.utils import mktime_tz, parsedate_tz
from typing import Any

from acsid_cli import protocol, signing
from acsid_cli.emulator.errors import CONTENT_HASH_DIFFERS, DENIED_MESSAGE
from acsid_cli.emulator.tokens import is_timestamp
from acsid_cli.jwt import decode_unverified

log = logging.getLogger("acsid_cli.emulator")

_HMAC = signing.SCHEME + " "
_BEARER = "Bearer "
# A signature must cover where the request goes, what it carries and when it was made,
# or it could be replayed elsewhere, with another body or forever.
_MUST_SIGN = frozenset({"host", "x-ms-content-sha256"})
_DATE_HEADERS = ("x-ms-date", "date")  # old SDKs signed Date instead of x-ms-date


@dataclass(frozen=True)
class Denial:
    reason: str  # for x-acsid-emulator-reason: a kind, then what exactly
    message: str = DENIED_MESSAGE  # the service's own words, for the body


class Verifier:
    def __init__(self, access_keys: Iterable[str], max_clock_skew_seconds: float) -> None:
        self._keys = [key for key in map(signing.decode_key, access_keys) if key is not None]
        self._max_skew = max_clock_skew_seconds

    def denial(self, method: str, target: str, headers: Message, body: bytes, now: float) -> Denial | None:
        """None when the caller may go on, else why not."""
        authorization = headers.get("Authorization", "")
        if authorization.startswith(_BEARER):
            return _bearer_denial(authorization[len(_BEARER) :], now)
        if not authorization:
            return Denial("missing-header: Authorization")
        if not authorization.startswith(_HMAC):
            return Denial(
                "malformed-authorization: expected 'HMAC-SHA256 SignedHeaders=...&Signature=...' or 'Bearer <token>'"
            )
        return self._hmac_denial(method, target, headers, body, now, authorization[len(_HMAC) :])

    def _hmac_denial(
        self, method: str, target: str, headers: Message, body: bytes, now: float, credential: str
    ) -> Denial | None:
        """denial() of an HMAC-SHA256 credential (the Authorization header after the scheme)."""
        # Split on the first '=' only: the signature's base64 padding is made of '='.
        fields = dict(part.partition("=")[::2] for part in credential.split("&"))
        signed_headers = fields.get("SignedHeaders", "").lower().split(";")
        claimed_signature = fields.get("Signature", "")
        if not fields.get("SignedHeaders") or not claimed_signature:
            return Denial("malformed-authorization: SignedHeaders and Signature are both required")
        claimed_hash = headers.get("x-ms-content-sha256")
        if claimed_hash is None:
            return Denial("missing-header: x-ms-content-sha256")
        body_hash = signing.content_hash(body)
        if claimed_hash != body_hash:
            return Denial(
                f"content-hash-differs: the body's is {body_hash}, x-ms-content-sha256 says {claimed_hash}",
                CONTENT_HASH_DIFFERS,
            )
        date_header = next((name for name in _DATE_HEADERS if name in signed_headers), None)
        if date_header is None or not _MUST_SIGN.issubset(signed_headers):
            return Denial(
                f"unsigned-header: SignedHeaders is {fields['SignedHeaders']}, and must name x-ms-date "
                "(or date), host and x-ms-content-sha256"
            )
        missing = [name for name in signed_headers if headers.get(name) is None]
        if missing:
            return Denial(f"missing-header: {missing[0]} is signed but not sent")
        skew = self._skew(headers[date_header], now)
        if skew is not None:
            return Denial(
                f"date-outside-skew: {date_header} is {skew}; at most {self._max_skew / 60:g} minutes "
                "from the emulator's clock"
            )
        to_sign = signing.string_to_sign(method, target, [headers[name] for name in signed_headers])
        if not any(self._matches(key, to_sign, claimed_signature) for key in self._keys):
            log.info("401 for %s %s: expected the string to sign %s", method, target, json.dumps(to_sign))
            return Denial(
                "signature-mismatch: signed with another key, or over another string than "
                "METHOD\\npath?query\\nx-ms-date;host;x-ms-content-sha256 as received "
                "(acsid emulator --verbose shows the one expected)"
            )
        return None

    def _skew(self, date: str, now: float) -> str | None:
        """None when the date is near enough to now, else how far it is, in words."""
        if not self._max_skew:
            return None
        parsed = parsedate_tz(date)
        if parsed is None:
            return "not an RFC 1123 date"
        try:
            distance = mktime_tz(parsed) - now
        except (OverflowError, ValueError):  # a date in the year 10**20 parses, but is no time
            return "not an RFC 1123 date"
        if abs(distance) <= self._max_skew:
            return None
        return f"{abs(distance) / 60:.0f} minutes {'ahead' if distance > 0 else 'behind'}"

    @staticmethod
    def _matches(key: bytes, to_sign: str, claimed: str) -> bool:
        return hmac.compare_digest(signing.signature(key, to_sign).encode(), claimed.encode("utf-8", "replace"))


def _bearer_denial(token: str, now: float) -> Denial | None:
    """None for an unexpired JWT whose aud is ACS (https://communication.azure.com, with or without a slash)."""
    claims = decode_unverified(token.strip())
    if claims is None:
        return Denial("bearer-not-a-jwt: the bearer token is not three base64url parts of JSON")
    audiences: Any = claims.get("aud")
    audiences = audiences if isinstance(audiences, list) else [audiences]
    if protocol.ENTRA_AUDIENCE not in {str(aud).rstrip("/") for aud in audiences}:
        return Denial(f"bearer-audience: the token's aud is not {protocol.ENTRA_AUDIENCE}")
    expires = claims.get("exp")
    if not is_timestamp(expires) or expires <= now:
        return Denial("bearer-expired: the token's exp has passed, or it has none")
    return None


def user_claims(headers: Message, audience: str, now: float) -> dict[str, Any] | Denial:
    """The claims of the user's own Entra token that the 2025 exchanges are called with (Bearer), when it is
    for `audience` (with or without a trailing slash), unexpired, and names its tenant and user (tid, oid)."""
    authorization = headers.get("Authorization", "")
    if not authorization.startswith(_BEARER):
        return Denial("bearer-missing: the exchange needs the user's Entra token as 'Authorization: Bearer <token>'")
    claims = decode_unverified(authorization[len(_BEARER) :].strip())
    if claims is None:
        return Denial("bearer-not-a-jwt: the bearer token is not three base64url parts of JSON")
    audiences: Any = claims.get("aud")
    audiences = audiences if isinstance(audiences, list) else [audiences]
    if audience not in {str(aud).rstrip("/") for aud in audiences}:
        return Denial(f"bearer-audience: the token's aud is not {audience}")
    expires = claims.get("exp")
    if not is_timestamp(expires) or expires <= now:
        return Denial("bearer-expired: the token's exp has passed, or it has none")
    if not all(isinstance(claims.get(name), str) and protocol.GUID.fullmatch(claims[name]) for name in ("tid", "oid")):
        return Denial("bearer-user: the token's tid and oid must name the user's tenant and object (GUIDs)")
    return claims
