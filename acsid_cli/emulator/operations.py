"""The ACS Identity operations over the emulator's state: the service's rules, with no HTTP.

Each operation takes plain values (ids, scopes, minutes, the time) that responses.py has read from a
request, returns plain values (an Identity, a MintedToken), and raises the catalogue's errors.
"""

from __future__ import annotations

import copy
import secrets
from dataclasses import dataclass
from typing import Any

from acsid_cli import protocol
from acsid_cli.emulator import errors
from acsid_cli.emulator.store import DuplicateCustomId, Identity, Store
from acsid_cli.emulator.tokens import MintedToken, TokenMinter, iso8601, token_hash


@dataclass(frozen=True)
class Created:
    identity: Identity
    new: bool  # False: customId named an identity that already existed
    token: MintedToken | None


@dataclass(frozen=True)
class TokenStatus:
    """What the emulator knows of a token: "valid", "expired", "revoked", "deleted" or "unknown"."""

    status: str
    identity: str | None = None
    expires_on: str | None = None


class IdentityService:
    """One ACS resource: its identities and the tokens it issued."""

    def __init__(self, store: Store, minter: TokenMinter, resource_id: str) -> None:
        self._store = store
        self._minter = minter
        self._resource_id = resource_id
        self._racing = False

    def owned(self, identity_id: str) -> str:
        """The id, when it is one this resource could have made: 8:acs:<this resource>_...; else 401."""
        match = protocol.OWN_USER_ID.fullmatch(identity_id)
        if not match or match.group(1).lower() != self._resource_id:
            raise errors.not_owned()
        return identity_id

    def racing(self) -> IdentityService:
        """This service as the real one is when creates with one customId race (it is not atomic): each create
        makes a new identity, even for a customId that has one. Later creates with it answer 409."""
        twin = copy.copy(self)
        twin._racing = True
        return twin

    def create(self, custom_id: str | None, scopes: list[str], minutes: int, now: float) -> Created:
        """A new identity, or the live one holding custom_id (atomically); with a token when scopes are given."""
        try:
            identity, new = self._store.create_identity(custom_id, now, self._new_id, duplicate=self._racing)
        except DuplicateCustomId:
            raise errors.multiple_identities(custom_id or "") from None
        token = self._mint(identity.id, scopes, minutes, now) if scopes else None
        if token:
            identity.last_token_issued_at = now
        return Created(identity, new, token)

    def get(self, identity_id: str) -> Identity:
        return self._live(identity_id)

    def delete(self, identity_id: str, now: float) -> None:
        if not self._store.delete_identity(identity_id, now):
            raise errors.not_found(identity_id)

    def revoke(self, identity_id: str, now: float) -> None:
        """Every token issued to the identity before now stops being valid."""
        if not self._store.revoke_tokens(identity_id, now):
            raise errors.not_found(identity_id)

    def issue(self, identity_id: str, scopes: list[str], minutes: int, now: float) -> MintedToken:
        self._live(identity_id)
        return self._mint(identity_id, scopes, minutes, now)

    def exchange(self, entra: dict[str, Any], now: float) -> MintedToken:
        """A Teams user's ACS token for the claims of their (already checked) Entra token."""
        minted = self._minter.teams_token(entra)
        self._store.record_token(token_hash(minted.token), f"8:orgid:{entra['oid']}", now)
        return minted

    # --- what the /emulator/ endpoints report ------------------------------------------------------

    def identities(self) -> list[Identity]:
        """Every identity with its history, deleted ones too, oldest first."""
        return self._store.identities()

    def token_status(self, token: str, now: float) -> TokenStatus:
        claims = self._minter.verified_claims(token)
        issued = self._store.issued_token(token_hash(token)) if claims else None
        if claims is None or issued is None:
            return TokenStatus("unknown")
        identity = self._store.identity(issued.identity_id)  # None for Teams users
        if identity and identity.deleted_at is not None:
            status = "deleted"
        elif identity and identity.revoked_before is not None and issued.issued_at < identity.revoked_before:
            status = "revoked"
        elif claims["exp"] <= now:
            status = "expired"
        else:
            status = "valid"
        return TokenStatus(status, issued.identity_id, iso8601(claims["exp"]))

    def _live(self, identity_id: str) -> Identity:
        identity = self._store.identity(identity_id)
        if identity is None or identity.deleted_at is not None:
            raise errors.not_found(identity_id)
        return identity

    def _mint(self, identity_id: str, scopes: list[str], minutes: int, now: float) -> MintedToken:
        minted = self._minter.acs_token(identity_id, scopes, minutes, now)
        self._store.record_token(token_hash(minted.token), identity_id, now)
        return minted

    def _new_id(self, counter: int) -> str:
        # The service's shape: a per-resource counter first, "3a0d00" in the last group.
        r = secrets.token_hex(9)
        return f"8:acs:{self._resource_id}_{counter:08x}-{r[0:4]}-{r[4:8]}-{r[8:12]}-{r[12:14]}3a0d00{r[14:18]}"
