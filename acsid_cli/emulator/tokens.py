"""ACS access tokens: RS256 JWTs shaped like the service's, signed with the emulator's own RSA key.

The only module that imports `cryptography`. Clients never check the signature (they only read `exp`);
the emulator does, when asked whether a token is one of its own.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import json
from dataclasses import dataclass
from typing import Any, TypeGuard

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID

from acsid_cli.jwt import b64url_decode, decode_unverified
from acsid_cli.protocol import ACS_USER_SCP, TEAMS_USER_SCP

REGION = "amer"
LOCATION = "unitedstates"
# The service's Teams tokens claim an ACS iat 300 s after the Entra token's iat.
TEAMS_IAT_OFFSET = 300

# The SDK decodes the payload with the *standard* base64 alphabet, which silently skips the '-' and '_'
# of base64url. In ASCII JSON only these characters can produce them, so they are sent as \u escapes.
_BASE64URL_HAZARDS = str.maketrans({">": "\\u003e", "?": "\\u003f", "~": "\\u007e", "\x7f": "\\u007f"})


@dataclass(frozen=True)
class MintedToken:
    token: str
    expires_on: str
    exp: int


def iso8601(timestamp: float) -> str:
    """The service's date-time form: 7 fractional digits and an explicit +00:00."""
    moment = datetime.datetime.fromtimestamp(timestamp, datetime.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%f") + "0+00:00"


def token_hash(token: str) -> str:
    """How the state refers to a token without storing it."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def new_private_key_pem() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode("ascii")


def is_timestamp(value: Any) -> TypeGuard[float]:
    """A JWT time claim the emulator can compute and format with: seconds from 1970 to the end of year 9999
    (not NaN, not infinite, not a boolean)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value <= LAST_TIMESTAMP


LAST_TIMESTAMP = 253402300799  # 9999-12-31T23:59:59Z


class TokenMinter:
    """Mints and recognises this emulator's tokens: RS256 with its own RSA key."""

    def __init__(self, private_key_pem: str, resource_id: str) -> None:
        # The key is the emulator's own (made here, or read back from its owner-only state file): checking its
        # math again costs 35 ms of every start, as much as making it.
        key = serialization.load_pem_private_key(
            private_key_pem.encode("ascii"), password=None, unsafe_skip_rsa_key_validation=True
        )
        if not isinstance(key, rsa.RSAPrivateKey):
            raise ValueError("the emulator's signing key must be an RSA key")
        self._key = key
        self._public_key = key.public_key()
        self._resource_id = resource_id
        thumbprint = hashlib.sha1(_self_signed_cert_der(key)).digest()
        header = {"alg": "RS256", "kid": thumbprint.hex().upper(), "x5t": _b64url(thumbprint), "typ": "JWT"}
        self._header = _b64url_json(header)

    def acs_token(self, identity_id: str, scopes: list[str], minutes: int, now: float) -> MintedToken:
        return self.acs_token_until(identity_id, scopes, int(now) + minutes * 60, now)

    def acs_token_until(self, identity_id: str, scopes: list[str], exp: int, now: float) -> MintedToken:
        """An ACS user's token that expires at exp: the 2025 exchanges' follow the Entra token's."""
        issued = int(now)
        claims = {
            "skypeid": identity_id.removeprefix("8:"),
            "scp": ACS_USER_SCP,
            "csi": str(issued),
            "exp": exp,
            "rgn": REGION,
            "acsScope": ",".join(scopes),
            "resourceId": self._resource_id,
            "resourceLocation": LOCATION,
            "iat": issued,
        }
        return self._mint(claims, exp)

    def teams_token(self, entra: dict[str, Any]) -> MintedToken:
        """The token for a Teams user, from the claims of a checked Entra token: its lifetime, not ours."""
        entra_iat, exp = int(entra["iat"]), int(entra["exp"])
        claims: dict[str, Any] = {
            "skypeid": f"orgid:{entra['oid']}",
            "scp": TEAMS_USER_SCP,
            "csi": str(entra_iat),
            "exp": exp,
            "rgn": REGION,
        }
        if "tid" in entra:
            claims["tid"] = entra["tid"]
        claims.update(acsScope="voip,chat", resourceId=self._resource_id, aad_iat=str(entra_iat))
        for source, claim in (("uti", "aad_uti"), ("appid", "aad_appid")):
            if source in entra:
                claims[claim] = entra[source]
        claims["iat"] = entra_iat + TEAMS_IAT_OFFSET
        return self._mint(claims, exp)

    def verified_claims(self, token: str) -> dict[str, Any] | None:
        """The claims of a token this emulator signed, or None for anything else."""
        parts = token.split(".")
        if len(parts) != 3 or parts[0] != self._header:
            return None
        try:
            signature = b64url_decode(parts[2])
            self._public_key.verify(
                signature, f"{parts[0]}.{parts[1]}".encode("ascii"), padding.PKCS1v15(), hashes.SHA256()
            )
        except (ValueError, InvalidSignature):
            return None
        return decode_unverified(token)

    def _mint(self, claims: dict[str, Any], exp: int) -> MintedToken:
        signing_input = f"{self._header}.{_b64url_json(claims)}"
        signature = self._key.sign(signing_input.encode("ascii"), padding.PKCS1v15(), hashes.SHA256())
        return MintedToken(f"{signing_input}.{_b64url(signature)}", iso8601(exp), exp)


def _self_signed_cert_der(key: rsa.RSAPrivateKey) -> bytes:
    """A certificate built only from the key, so the kid stays the same across restarts.

    RSA PKCS#1 v1.5 signatures are deterministic and every other field is fixed.
    """
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "acsid emulator (token signing)")])
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(datetime.datetime(2025, 1, 1, tzinfo=datetime.timezone.utc))
        .not_valid_after(datetime.datetime(2125, 1, 1, tzinfo=datetime.timezone.utc))
        .sign(key, hashes.SHA256())
    )
    return cert.public_bytes(serialization.Encoding.DER)


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64url_json(value: dict[str, Any]) -> str:
    text = json.dumps(value, separators=(",", ":")).translate(_BASE64URL_HAZARDS)
    return _b64url(text.encode("ascii"))
