"""Request bodies, checked the way the service checks them, with its messages and targets."""

from __future__ import annotations

import json
from typing import Any

from acsid_cli import protocol
from acsid_cli.emulator import errors, messages
from acsid_cli.emulator.tokens import is_timestamp
from acsid_cli.jwt import decode_unverified


def json_object(body: bytes) -> dict[str, Any]:
    fields = messages.json_object(body)  # {} for none: the SDK's create_user() sends no body at all
    if fields is None:
        raise errors.invalid("The request body is not a valid JSON object.", "body")
    return fields


def scopes(version: str, value: Any) -> list[str]:
    allowed = protocol.scopes_of(version)
    if not isinstance(value, list):
        raise errors.invalid("Invalid scopes - Scopes must be a list of scope names.", "scopes")  # [assumption]
    for scope in value:
        if scope not in allowed:
            raise errors.invalid(  # [assumption]
                f"Invalid scopes - Scope {json.dumps(scope)} is not supported in API version {version}. "
                f"Supported scopes: {', '.join(allowed)}.",
                "scopes",
            )
    return value


def issue_scopes(version: str, fields: dict[str, Any]) -> list[str]:
    value = fields.get("scopes")
    if value is None:
        raise errors.invalid("Scopes: The Scopes field is required.", "Scopes")
    if value == []:
        raise errors.invalid("Invalid scopes - Scopes field is required.", "scopes")
    return scopes(version, value)


def minutes(version: str, fields: dict[str, Any]) -> int:
    value = fields.get("expiresInMinutes")
    if value is None or not protocol.has_custom_expiry(version):
        return protocol.DEFAULT_TOKEN_MINUTES  # older versions do not know the field
    low, high = protocol.MIN_TOKEN_MINUTES, protocol.MAX_TOKEN_MINUTES
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        shown = value if isinstance(value, str) else json.dumps(value)
        raise errors.invalid(
            f"ExpiresInMinutes value {shown} is invalid. Value must be within the [{low}, {high}] interval.",
            "ExpiresInMinutes",
        )
    return value


def custom_id(version: str, fields: dict[str, Any]) -> str | None:
    value = fields.get("customId")
    if value is None or not protocol.has_identity_details(version):
        return None  # other versions ignore the field
    if not isinstance(value, str) or not 1 <= len(value) <= protocol.CUSTOM_ID_MAX_LENGTH:
        raise errors.invalid(  # [assumption]
            f"CustomId must be a string of 1 to {protocol.CUSTOM_ID_MAX_LENGTH} characters.", "customId"
        )
    return value


def entra_claims(token: Any, now: float) -> dict[str, Any]:
    """The claims of an unexpired Entra token that names a user (its signature cannot be checked here)."""
    claims = decode_unverified(token) if isinstance(token, str) else None
    if (
        claims is None
        or not all(is_timestamp(claims.get(name)) for name in ("iat", "exp"))
        or claims["exp"] <= now
        or not isinstance(claims.get("oid"), str)
        or not claims["oid"]
    ):
        raise errors.invalid_access_token()
    return claims


def guid_field(value: Any, name: str, expected: Any, mismatch: str) -> None:
    """AppId and UserId of the Teams exchange: required, then a GUID, then the one the Entra token names."""
    if value is None or value == "":
        raise errors.invalid(f"{name}: The {name} field is required.", name)
    camel = name[0].lower() + name[1:]
    if not isinstance(value, str) or not protocol.GUID.fullmatch(value):
        raise errors.invalid(f"Provided {name} has invalid format.", camel)
    if not isinstance(expected, str) or value.lower() != expected.lower():
        raise errors.invalid(mismatch, camel)


# --- the 2025 assignments: [assumption] their messages follow the service's for the Teams exchange -------


def guid(value: Any, name: str) -> str:
    """A GUID in a path or a body: required ("TenantId: The TenantId field is required."), then a GUID."""
    if value is None or value == "":
        raise errors.invalid(f"{name}: The {name} field is required.", name)
    if not isinstance(value, str) or not protocol.GUID.fullmatch(value):
        raise errors.invalid(f"Provided {name} has invalid format.", name[0].lower() + name[1:])
    return value


def principal_type(fields: dict[str, Any], allowed: tuple[str, ...]) -> str:
    value = fields.get("principalType")
    if value is None or value == "":
        raise errors.invalid("PrincipalType: The PrincipalType field is required.", "PrincipalType")
    if value not in allowed:
        shown = json.dumps(value) if not isinstance(value, str) else f'"{value[:64]}"'
        raise errors.invalid(
            f"PrincipalType {shown} is invalid. Value must be one of: {', '.join(allowed)}.", "principalType"
        )
    return str(value)


def client_ids(fields: dict[str, Any], required: bool) -> list[str] | None:
    """Entra application ids: a list of GUIDs; Entra ID assignments need at least one."""
    value = fields.get("clientIds")
    if value is None or (required and value == []):
        if required:
            raise errors.invalid("ClientIds: The ClientIds field is required.", "ClientIds")
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) and protocol.GUID.fullmatch(v) for v in value):
        raise errors.invalid("Provided ClientIds has invalid format.", "clientIds")
    return value
