"""The service's error catalogue: each answer's status, code and exact message (reference §6).

Messages marked [assumption] were never recorded from the real service; docs/emulator.md lists them.
"""

from __future__ import annotations

from typing import Any

from acsid_cli import protocol

DENIED_MESSAGE = "Denied by the resource provider."
CONTENT_HASH_DIFFERS = "Request 'x-ms-content-sha256' differs from generated content hash."


def error_body(code: str, message: str, target: str | None = None) -> dict[str, Any]:
    """{"error": {"code", "message", "target"?}}, the service's error shape."""
    error: dict[str, Any] = {"code": code, "message": message}
    if target:
        error["target"] = target
    return {"error": error}


class ApiError(Exception):
    """An error answer; raise it anywhere in an operation."""

    def __init__(
        self, status: int, code: str, message: str, target: str | None = None, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.body = error_body(code, message, target)
        self.headers = headers or {}


REASON_HEADER = "x-acsid-emulator-reason"  # why a request was refused, which the service never says


def denied(message: str = DENIED_MESSAGE, reason: str | None = None) -> ApiError:
    return ApiError(401, protocol.DENIED, message, headers={REASON_HEADER: reason} if reason else None)


def not_owned() -> ApiError:
    return ApiError(401, protocol.IDENTITY_NOT_OWNED, "Provided identity doesn't belong to the resource.")


def not_found(identity_id: str) -> ApiError:
    return ApiError(404, protocol.IDENTITY_NOT_FOUND, f"Identity '{identity_id}' was not found.")  # [assumption]


def invalid(message: str, target: str) -> ApiError:
    return ApiError(400, protocol.VALIDATION_ERROR, message, target)


def api_version_unspecified() -> ApiError:
    return ApiError(400, protocol.API_VERSION_UNSPECIFIED, "An API version is required, but was not specified.")


def unsupported_api_version(uri: str, version: str) -> ApiError:
    return ApiError(
        400,
        protocol.UNSUPPORTED_API_VERSION,
        f"The HTTP resource that matches the request URI '{uri}' does not support the API version '{version}'.",
    )


def invalid_access_token(reason: str | None = None) -> ApiError:
    headers = {REASON_HEADER: reason} if reason else None
    return ApiError(401, protocol.INVALID_ACCESS_TOKEN, "Provided access token is not valid.", headers=headers)


def multiple_identities(custom_id: str) -> ApiError:  # [assumption] the status; the code is the service's
    message = f"More than one identity has the customId '{custom_id}'."
    return ApiError(409, protocol.MULTIPLE_IDENTITIES_FOR_CUSTOM_ID, message)


def assignment_not_found(object_id: str, tenant_id: str | None = None) -> ApiError:  # [assumption]
    where = f" in tenant '{tenant_id}'" if tenant_id else ""
    return ApiError(404, protocol.ASSIGNMENT_NOT_FOUND, f"No assignment for object '{object_id}'{where} was found.")


def not_assigned(message: str) -> ApiError:  # [assumption]
    return ApiError(403, protocol.FORBIDDEN, message)


def no_route(method: str, path: str) -> ApiError:
    return ApiError(404, "NotFound", f"No operation matches '{method} {path}'.")  # [assumption]


def too_many_requests(operation: str, limit: int, window: float, wait: int) -> ApiError:  # [assumption]
    message = (
        f"Rate limit exceeded for operation '{operation}': {limit} requests per {window:g} seconds. "
        f"Retry after {wait} seconds."
    )
    return ApiError(429, protocol.TOO_MANY_REQUESTS, message, headers={"Retry-After": str(wait)})


# --- the emulator's own endpoints (/emulator/), which the service does not have -------------------


def no_admin_endpoint(method: str, path: str) -> ApiError:
    return ApiError(404, "NotFound", f"No emulator endpoint matches '{method} {path}'.")


def bad_admin_request(message: str) -> ApiError:
    return ApiError(400, "InvalidRequest", message)


ADMIN_REALM = 'Bearer realm="acsid-emulator"'


def admin_token_required() -> ApiError:
    message = "The /emulator/ endpoints need 'Authorization: Bearer <admin token>', with this run's admin token."
    return ApiError(401, "AdminTokenRequired", message, headers={"WWW-Authenticate": ADMIN_REALM})


def host_not_allowed() -> ApiError:
    message = (
        "The Host header does not name this emulator's address: the /emulator/ endpoints answer only requests "
        "addressed to it (a name that merely resolves to it may be a DNS-rebinding web page)."
    )
    return ApiError(403, "HostNotAllowed", message)


def origin_not_allowed() -> ApiError:
    message = "The /emulator/ endpoints do not answer web pages of other origins."
    return ApiError(403, "OriginNotAllowed", message)
