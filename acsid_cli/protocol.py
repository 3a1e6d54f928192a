"""Facts of the ACS Identity service, read by the client, the CLI's input checks and the emulator alike.

Standard library only. Sources: the REST specs, the official SDKs and recorded service answers;
the few items nobody has observed are marked [assumption] and documented in docs/emulator.md.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass

# --- API versions ------------------------------------------------------------------------------

DEFAULT_API_VERSION = "2023-10-01"  # what the official Python SDK 1.5.0, and so az, sends
PREVIEW_API_VERSION = "2025-03-02-preview"  # adds GET /identities/{id}, customId and lastTokenIssuedAt
API_VERSIONS = (
    "2021-03-07",
    "2021-10-31-preview",
    "2022-06-01",
    "2022-10-01",
    "2023-08-01",
    DEFAULT_API_VERSION,
    PREVIEW_API_VERSION,
    "2025-06-30",
)
API_VERSION_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}(-preview\d*)?")


def _since(version: str, date: str) -> bool:
    return version[:10] >= date


CUSTOM_EXPIRY_SINCE = "2022-10-01"


def has_custom_expiry(version: str) -> bool:
    """expiresInMinutes on create and issue."""
    return _since(version, CUSTOM_EXPIRY_SINCE)


def has_identity_details(version: str) -> bool:
    """GET /identities/{id}, customId on create, lastTokenIssuedAt."""
    return version == PREVIEW_API_VERSION


TEAMS_EXTENSION_API_VERSION = "2025-06-30"  # the newest GA; communication-common pins Teams Extension calls at it
ENTRA_USERS_API_VERSION = PREVIEW_API_VERSION  # communication-common pins Entra ID user calls at it


def has_teams_extension(version: str) -> bool:
    """The Teams Extension exchange and assignments (2025-06-30, and 2025-03-02-preview before it)."""
    return version in (TEAMS_EXTENSION_API_VERSION, PREVIEW_API_VERSION)


def has_entra_users(version: str) -> bool:
    """The Entra ID user exchange and assignments: 2025-03-02-preview only."""
    return version == ENTRA_USERS_API_VERSION


def has_teams_exchange(version: str) -> bool:
    return _since(version, "2021-10-31")


def teams_exchange_checks_ids(version: str) -> bool:
    """From 2022-06-01 the exchange requires appId and userId and checks them against the Entra token."""
    return _since(version, "2022-06-01")


# --- scopes, lifetimes, identifiers ------------------------------------------------------------

BASE_SCOPES = ("chat", "voip")
JOIN_SCOPES = ("chat.join", "chat.join.limited", "voip.join")  # from 2023-10-01
SCOPES = BASE_SCOPES + JOIN_SCOPES


def scopes_of(version: str) -> tuple[str, ...]:
    return SCOPES if _since(version, "2023-10-01") else BASE_SCOPES


MIN_TOKEN_MINUTES = 60
MAX_TOKEN_MINUTES = 1440
DEFAULT_TOKEN_MINUTES = 1440

CUSTOM_ID_MAX_LENGTH = 256
USER_ID_MAX_LENGTH = 256  # [assumption] the service publishes no bound; customId's is 256
# Communication users of ACS in the public and government clouds: the ids these commands act on.
ACS_USER_ID = re.compile(r"8:(acs|dod-acs|gcch-acs|spool):[!-~]+")
# The form this service mints: 8:acs:<resource id>_<suffix>; the resource id decides ownership.
OWN_USER_ID = re.compile(r"8:acs:([0-9a-fA-F-]{36})_.+", re.DOTALL)
GUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_G = GUID.pattern
# The identities of the 2025 exchanges (spec examples): a Teams Extension user, 8:acs:<resource>_<tenant>_<object>,
# and an Entra ID user, 8:acs:<resource>_wf_<tenant>_<object>. Groups: resource, tenant, object id.
TEAMS_EXTENSION_USER_ID = re.compile(rf"8:acs:({_G})_({_G})_({_G})")
ENTRA_USER_ID = re.compile(rf"8:acs:({_G})_wf_({_G})_({_G})")
TEAMS_USER_ID = re.compile(r"8:(orgid|dod|gcch|teamsvisitor):.+", re.DOTALL)  # a Teams user's, from the exchange


def identity_kind(raw_id: str) -> str:
    """What an identity is, in the SDKs' words where they have one: communicationUser (of an ACS resource),
    teamsExtensionUser, entraUser (an Entra ID user of the 2025 preview), microsoftTeamsUser, or unknown."""
    if ENTRA_USER_ID.fullmatch(raw_id):
        return "entraUser"
    if TEAMS_EXTENSION_USER_ID.fullmatch(raw_id):
        return "teamsExtensionUser"
    if ACS_USER_ID.fullmatch(raw_id):
        return "communicationUser"
    return "microsoftTeamsUser" if TEAMS_USER_ID.fullmatch(raw_id) else "unknown"


# --- operations and their limits ---------------------------------------------------------------

RATE_WINDOW_SECONDS = 30.0  # the service counts requests per resource in sliding 30-second windows
# acsid's emulator says on every answer whether it enforces the limits: "off" (it does not, so clients
# may go at full speed) or "on" (`--throttle`, the service's pace). The service sends no such header.
THROTTLE_HEADER = "x-acsid-emulator-throttle"
THROTTLE_OFF = "off"
THROTTLE_ON = "on"


@dataclass(frozen=True)
class Operation:
    name: str
    method: str
    path: str  # with {id} (or {tenantId}, {objectId}) for the percent-encoded path parameters
    limit: int  # requests per RATE_WINDOW_SECONDS per resource ("Service limits")
    versions: tuple[str, ...] = ()  # the only API versions that have it, the first the one to send; (): all
    user_bearer: bool = False  # authenticated by the user's own Entra token, not by the resource's credential

    @property
    def version(self) -> str:
        """The API version to send when the caller chose none."""
        return self.versions[0] if self.versions else DEFAULT_API_VERSION

    def offered_in(self, version: str) -> bool:
        return not self.versions or version in self.versions


CREATE = Operation("create", "POST", "/identities", 1000)
GET = Operation("get", "GET", "/identities/{id}", 1000, (PREVIEW_API_VERSION,))  # [assumption] limit: create's
DELETE = Operation("delete", "DELETE", "/identities/{id}", 500)
REVOKE = Operation("revoke", "POST", "/identities/{id}/:revokeAccessTokens", 500)
ISSUE = Operation("issue", "POST", "/identities/{id}/:issueAccessToken", 1000)
EXCHANGE = Operation("exchange", "POST", "/teamsUser/:exchangeAccessToken", 500)
IDENTITY_OPERATIONS = (CREATE, GET, DELETE, REVOKE, ISSUE, EXCHANGE)

# The 2025 surface (§14 of the reference): Teams Extension users and Entra ID users, each with an exchange of the
# user's own Entra token and the assignments that allow it. [assumption] No limits are published: an exchange's.
_TEAMS_EXTENSION = (TEAMS_EXTENSION_API_VERSION, PREVIEW_API_VERSION)
_ENTRA = (ENTRA_USERS_API_VERSION,)
_TEAMS_EXTENSION_ASSIGNMENT = "/access/teamsExtension/tenants/{tenantId}/assignments/{objectId}"
TEAMS_EXTENSION_EXCHANGE = Operation(
    "teams-extension-exchange",
    "POST",
    "/access/teamsExtension/:exchangeAccessToken",
    500,
    _TEAMS_EXTENSION,
    user_bearer=True,
)
TEAMS_EXTENSION_GET = Operation(
    "teams-extension-assignment-get", "GET", _TEAMS_EXTENSION_ASSIGNMENT, 500, _TEAMS_EXTENSION
)
TEAMS_EXTENSION_PUT = Operation(
    "teams-extension-assignment-put", "PUT", _TEAMS_EXTENSION_ASSIGNMENT, 500, _TEAMS_EXTENSION
)
TEAMS_EXTENSION_DELETE = Operation(
    "teams-extension-assignment-delete", "DELETE", _TEAMS_EXTENSION_ASSIGNMENT, 500, _TEAMS_EXTENSION
)
ENTRA_EXCHANGE = Operation(
    "entra-exchange", "POST", "/access/entra/:exchangeAccessToken", 500, _ENTRA, user_bearer=True
)
ENTRA_LIST = Operation("entra-assignments-list", "GET", "/access/entra/assignments", 500, _ENTRA)
ENTRA_PATCH = Operation("entra-assignments-patch", "PATCH", "/access/entra/assignments", 500, _ENTRA)
ENTRA_GET = Operation("entra-assignment-get", "GET", "/access/entra/assignments/{objectId}", 500, _ENTRA)
ENTRA_PUT = Operation("entra-assignment-put", "PUT", "/access/entra/assignments/{objectId}", 500, _ENTRA)
ENTRA_DELETE = Operation("entra-assignment-delete", "DELETE", "/access/entra/assignments/{objectId}", 500, _ENTRA)
ACCESS_OPERATIONS = (
    TEAMS_EXTENSION_EXCHANGE,
    TEAMS_EXTENSION_GET,
    TEAMS_EXTENSION_PUT,
    TEAMS_EXTENSION_DELETE,
    ENTRA_EXCHANGE,
    ENTRA_LIST,
    ENTRA_PATCH,
    ENTRA_GET,
    ENTRA_PUT,
    ENTRA_DELETE,
)
# Every operation of the service, by name: the client paces by it, the emulator serves them all.
SERVICE_OPERATIONS = {op.name: op for op in (*IDENTITY_OPERATIONS, *ACCESS_OPERATIONS)}
OPERATIONS = SERVICE_OPERATIONS

# Who may exchange: a Teams Extension assignment names a user or a resource account of a tenant; an Entra one a
# user, a group (its members) or a whole tenant. MERGE_PATCH is the content type of PATCH /access/entra/assignments.
TEAMS_EXTENSION_PRINCIPAL_TYPES = ("user", "resourceAccount")
ENTRA_PRINCIPAL_TYPES = ("user", "group", "tenant")
MERGE_PATCH = "application/merge-patch+json"

# --- errors the service answers with ------------------------------------------------------------

DENIED = "Denied"
IDENTITY_NOT_OWNED = "IdentityNotOwned"
IDENTITY_NOT_FOUND = "IdentityNotFound"  # [assumption] never recorded
VALIDATION_ERROR = "ValidationError"
UNSUPPORTED_API_VERSION = "UnsupportedApiVersion"
API_VERSION_UNSPECIFIED = "ApiVersionUnspecified"
INVALID_ACCESS_TOKEN = "InvalidAccessToken"
TOO_MANY_REQUESTS = "TooManyRequests"  # [assumption] no 429 body was ever recorded
MULTIPLE_IDENTITIES_FOR_CUSTOM_ID = "MultipleIdentitiesForCustomId"  # after racing creates; its status unknown
ASSIGNMENT_NOT_FOUND = "AssignmentNotFound"  # [assumption] the 2025 operations publish no error codes
FORBIDDEN = "Forbidden"  # [assumption] an exchange by a user no assignment covers

# --- authentication and the conventions of Azure tools ------------------------------------------

# Plain http carries keys and tokens in clear text: acsid uses it only to loopback, or to a host whose
# connection string says UseDevelopmentEmulator=true (the convention of Azure's Service Bus emulator).
DEVELOPMENT_EMULATOR_SETTING = "UseDevelopmentEmulator"


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


ENTRA_AUDIENCE = "https://communication.azure.com"
ENTRA_SCOPE = ENTRA_AUDIENCE + "/.default"
# The users' own Entra tokens of the 2025 exchanges carry scopes under these prefixes (communication-common
# checks them): Teams Extension under the Teams audience, Entra ID users under ACS's clients/.
TEAMS_EXTENSION_SCOPE_PREFIX = "https://auth.msft.communication.azure.com/"
ENTRA_USERS_SCOPE_PREFIX = ENTRA_AUDIENCE + "/clients/"
# The Entra API permissions of ACS's clients/ audience, and the ACS scopes an Entra ID user's token gets for each.
ENTRA_PERMISSION_SCOPES = {
    "Chat": "chat",
    "Chat.Join": "chat.join",
    "Chat.Join.Limited": "chat.join.limited",
    "VoIP": "voip",
    "VoIP.Join": "voip.join",
}
CONNECTION_STRING_ENV = "AZURE_COMMUNICATION_CONNECTION_STRING"
ENDPOINT_ENV = "AZURE_COMMUNICATION_ENDPOINT"

# --- access tokens (JWT claims) -----------------------------------------------------------------

ACS_USER_SCP = 1792
TEAMS_USER_SCP = 1024
