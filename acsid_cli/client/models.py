"""What the operations return: small frozen records of the service's answers."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AccessToken:
    token: str = ""
    expires_on: str = ""  # the service's string, unchanged (7 fractional digits and +00:00), as az prints it

    def __repr__(self) -> str:  # a token is a credential: keep it out of logs and tracebacks
        return f"AccessToken(token=<{len(self.token)} characters>, expires_on={self.expires_on!r})"


@dataclass(frozen=True)
class Identity:
    id: str
    custom_id: str | None = None  # 2025-03-02-preview
    last_token_issued_at: str | None = None  # 2025-03-02-preview


@dataclass(frozen=True)
class CreatedIdentity:
    identity: Identity
    token: AccessToken | None = None  # present when scopes were asked for
    existed: bool = False  # a customId that already had an identity: 200 instead of 201
