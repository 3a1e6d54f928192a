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
    path: str  # with {id} for the percent-encoded identity id
    limit: int  # requests per RATE_WINDOW_SECONDS per resource ("Service limits")


CREATE = Operation("create", "POST", "/identities", 1000)
GET = Operation("get", "GET", "/identities/{id}", 1000)  # [assumption] not listed; taken as create's
DELETE = Operation("delete", "DELETE", "/identities/{id}", 500)
REVOKE = Operation("revoke", "POST", "/identities/{id}/:revokeAccessTokens", 500)
ISSUE = Operation("issue", "POST", "/identities/{id}/:issueAccessToken", 1000)
EXCHANGE = Operation("exchange", "POST", "/teamsUser/:exchangeAccessToken", 500)
OPERATIONS = {op.name: op for op in (CREATE, GET, DELETE, REVOKE, ISSUE, EXCHANGE)}

# --- errors the service answers with ------------------------------------------------------------

DENIED = "Denied"
IDENTITY_NOT_OWNED = "IdentityNotOwned"
IDENTITY_NOT_FOUND = "IdentityNotFound"  # [assumption] never recorded
VALIDATION_ERROR = "ValidationError"
UNSUPPORTED_API_VERSION = "UnsupportedApiVersion"
API_VERSION_UNSPECIFIED = "ApiVersionUnspecified"
INVALID_ACCESS_TOKEN = "InvalidAccessToken"
TOO_MANY_REQUESTS = "TooManyRequests"  # [assumption] no 429 body was ever recorded

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
CONNECTION_STRING_ENV = "AZURE_COMMUNICATION_CONNECTION_STRING"
ENDPOINT_ENV = "AZURE_COMMUNICATION_ENDPOINT"

# --- access tokens (JWT claims) -----------------------------------------------------------------

ACS_USER_SCP = 1792
TEAMS_USER_SCP = 1024
