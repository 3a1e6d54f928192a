"""Reading the service's answers into the client's records; an answer without what the protocol promises is a
BadAnswer that says which field is missing, with the request it answers."""

from __future__ import annotations

from typing import Any

import requests

from acsid_cli.client.errors import BadAnswer
from acsid_cli.client.failures import content_type
from acsid_cli.client.models import AccessToken, Assignment, Identity
from acsid_cli.client.transport import Call


def context(call: Call, response: requests.Response) -> dict[str, Any]:
    request_id = response.request.headers.get("x-ms-client-request-id")
    # A success status with an answer we cannot read: the service did act (a create did create).
    return {
        "operation": call.operation.name,
        "request_line": call.request_line,
        "request_id": request_id,
        "maybe_processed": response.ok,
    }


def bad(response: requests.Response, call: Call, reason: str) -> BadAnswer:
    return BadAnswer(response.status_code, reason, **context(call, response))


def json_object(response: requests.Response, call: Call) -> dict[str, Any]:
    try:
        data = response.json()
    except ValueError:
        raise bad(response, call, f"the service's answer is not JSON ({content_type(response)})") from None
    if not isinstance(data, dict):
        raise bad(response, call, "the service's answer is not a JSON object")
    return data


def text(data: Any, key: str, response: requests.Response, call: Call, prefix: str = "") -> str:
    value = data.get(key) if isinstance(data, dict) else None
    if not isinstance(value, str) or not value:
        raise bad(response, call, f"the service's answer has no {prefix}{key}")
    return value


def optional(data: dict[str, Any], key: str) -> str | None:
    value = data.get(key)
    return value if isinstance(value, str) else None


def identity(data: Any, response: requests.Response, call: Call, prefix: str = "") -> Identity:
    identity_id = text(data, "id", response, call, prefix)
    assert isinstance(data, dict)
    return Identity(identity_id, optional(data, "customId"), optional(data, "lastTokenIssuedAt"))


def token(data: Any, response: requests.Response, call: Call, prefix: str = "") -> AccessToken:
    return AccessToken(text(data, "token", response, call, prefix), text(data, "expiresOn", response, call, prefix))


def assignment(data: Any, response: requests.Response, call: Call, prefix: str = "") -> Assignment:
    """{objectId, tenantId, principalType, clientIds?}: a Teams Extension or an Entra assignment."""
    object_id, tenant_id, principal_type = (
        text(data, key, response, call, prefix) for key in ("objectId", "tenantId", "principalType")
    )
    assert isinstance(data, dict)
    client_ids = data.get("clientIds")
    if client_ids is not None and not (isinstance(client_ids, list) and all(isinstance(c, str) for c in client_ids)):
        raise bad(response, call, f"the service's answer has a {prefix}clientIds that is not a list of ids")
    return Assignment(object_id, tenant_id, principal_type, None if client_ids is None else tuple(client_ids))
