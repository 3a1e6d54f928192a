"""Who may call: HMAC-SHA256 signatures (the server half of acsid_cli.signing) and Entra bearer tokens.

A signature is checked on the request as received (raw target, raw body bytes, Host header), never on
a re-encoded copy, because that is what the client signed. A bearer token cannot be checked against
Entra's keys here: the emulator accepts a JWT whose audience is ACS's and which has not expired.
"""

from __future__ import annotations

import base64
import hmac
from collections.abc import Iterable
from email.message import Message
from email.utils import mktime_tz, parsedate_tz
from typing import Any

from acsid_cli import protocol, signing
from acsid_cli.emulator.errors import CONTENT_HASH_DIFFERS, DENIED_MESSAGE
from acsid_cli.emulator.tokens import decode_unverified

_PREFIX = signing.SCHEME + " "
_BEARER = "Bearer "
# A signature must cover where the request goes, what it carries and when it was made,
# or it could be replayed elsewhere, with another body or forever.
_MUST_SIGN = frozenset({"host", "x-ms-content-sha256"})
_DATE_HEADERS = ("x-ms-date", "date")  # old SDKs signed Date instead of x-ms-date


class HmacVerifier:
    def __init__(self, access_keys: Iterable[str], max_clock_skew_seconds: float) -> None:
        self._keys = [base64.b64decode(key) for key in access_keys]
        self._max_skew = max_clock_skew_seconds

    def denial(self, method: str, target: str, headers: Message, body: bytes, now: float) -> str | None:
        """None when the request is signed with one of our keys, else the message of the 401 Denied answer."""
        authorization = headers.get("Authorization", "")
        if authorization.startswith(_BEARER):
            return _bearer_denial(authorization[len(_BEARER) :], now)
        if not authorization.startswith(_PREFIX):
            return DENIED_MESSAGE
        # Split on the first '=' only: the signature's base64 padding is made of '='.
        fields = dict(part.partition("=")[::2] for part in authorization[len(_PREFIX) :].split("&"))
        signed_headers = fields.get("SignedHeaders", "").lower().split(";")
        claimed_signature = fields.get("Signature", "")
        claimed_hash = headers.get("x-ms-content-sha256")
        if claimed_hash is None or not claimed_signature:
            return DENIED_MESSAGE
        if claimed_hash != signing.content_hash(body):
            return CONTENT_HASH_DIFFERS
        date_header = next((name for name in _DATE_HEADERS if name in signed_headers), None)
        if date_header is None or not _MUST_SIGN.issubset(signed_headers):
            return DENIED_MESSAGE
        values = [headers.get(name) for name in signed_headers]
        present = [value for value in values if value is not None]
        if len(present) < len(values) or not self._is_fresh(headers[date_header], now):
            return DENIED_MESSAGE
        to_sign = signing.string_to_sign(method, target, present)
        if not any(self._matches(key, to_sign, claimed_signature) for key in self._keys):
            return DENIED_MESSAGE
        return None

    def _is_fresh(self, date: str, now: float) -> bool:
        if not self._max_skew:
            return True
        parsed = parsedate_tz(date)
        return parsed is not None and abs(now - mktime_tz(parsed)) <= self._max_skew

    @staticmethod
    def _matches(key: bytes, to_sign: str, claimed: str) -> bool:
        return hmac.compare_digest(signing.signature(key, to_sign).encode(), claimed.encode("utf-8", "replace"))


def _bearer_denial(token: str, now: float) -> str | None:
    """None for an unexpired JWT whose aud is ACS (https://communication.azure.com, with or without a slash)."""
    claims = decode_unverified(token.strip())
    audiences: Any = (claims or {}).get("aud")
    audiences = audiences if isinstance(audiences, list) else [audiences]
    expires = (claims or {}).get("exp")
    if (
        claims is None
        or protocol.ENTRA_AUDIENCE not in {str(aud).rstrip("/") for aud in audiences}
        or isinstance(expires, bool)
        or not isinstance(expires, (int, float))
        or expires <= now
    ):
        return DENIED_MESSAGE
    return None
