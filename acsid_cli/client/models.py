"""What the operations return: small immutable records of the service's answers.

Named tuples, as azure-core's AccessToken is: a tenth of a frozen dataclass's cost at import, which every
run of the command line pays.
"""

from __future__ import annotations

from typing import NamedTuple


class AccessToken(NamedTuple):
    token: str = ""
    expires_on: str = ""  # the service's string, unchanged (7 fractional digits and +00:00), as az prints it

    def __repr__(self) -> str:  # a token is a credential: keep it out of logs and tracebacks
        return f"AccessToken(token=<{len(self.token)} characters>, expires_on={self.expires_on!r})"


class Identity(NamedTuple):
    id: str
    custom_id: str | None = None  # 2025-03-02-preview
    last_token_issued_at: str | None = None  # 2025-03-02-preview


class CreatedIdentity(NamedTuple):
    """What a create answers. With a custom id the identity may be one the service made earlier: it answers
    201 either way, so the client cannot tell (compare with the ids you know)."""

    identity: Identity
    token: AccessToken | None = None  # present when scopes were asked for


class IdentityAccessToken(NamedTuple):
    """An identity and a token for it: what the Teams Extension and Entra ID exchanges answer."""

    identity: Identity
    token: AccessToken


class Assignment(NamedTuple):
    """Who may exchange their Entra token: a Teams Extension or an Entra ID assignment of the resource."""

    object_id: str  # the Entra object id of the user, resource account or group; a tenant's id for a tenant
    tenant_id: str
    principal_type: str  # protocol.TEAMS_EXTENSION_PRINCIPAL_TYPES or protocol.ENTRA_PRINCIPAL_TYPES
    client_ids: tuple[str, ...] | None = None  # Entra applications allowed; Teams Extension's may be absent


class AssignmentPut(NamedTuple):
    """What a PUT of an assignment answers: the assignment stored, and whether it is new (201) or replaced one (200)."""

    assignment: Assignment
    created: bool
