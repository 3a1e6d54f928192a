"""Entra ID users (API 2025-03-02-preview): a user's own Entra token exchanged for an ACS identity and token,
allowed by an assignment of the resource for the user, a group of theirs or their tenant, naming the
Entra applications (client ids) whose tokens it takes.

    token = client.entra.exchange_token(entra_token_of_the_user)
    client.entra.set_assignment(object_id, tenant_id, "user", [app_id])
    for assignment in client.entra.list_assignments(): ...
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any
from urllib.parse import urlsplit

from acsid_cli import protocol
from acsid_cli.client import answers
from acsid_cli.client.calls import Caller
from acsid_cli.client.models import Assignment, AssignmentPut, IdentityAccessToken
from acsid_cli.client.teams_extension import exchange
from acsid_cli.client.transport import Call

MAX_PAGES = 10_000  # a service that keeps sending next links is looping


class EntraUsers:
    def __init__(self, caller: Caller) -> None:
        self._caller = caller

    def exchange_token(self, aad_token: str) -> IdentityAccessToken:
        """The identity 8:acs:<resource>_wf_<tenant>_<object> and its token, which expires with the Entra token;
        its scopes are those of the Entra token's permissions (protocol.ENTRA_PERMISSION_SCOPES).

        Authenticated by the user's Entra token alone (scopes under ENTRA_USERS_SCOPE_PREFIX), not the
        client's credential.
        """
        return exchange(self._caller, protocol.ENTRA_EXCHANGE, aad_token)

    def list_assignments(self) -> Iterator[Assignment]:
        """Every assignment of the resource, page by page as they are read (the service's nextLink)."""
        call = self._caller.call(protocol.ENTRA_LIST, json_body=False)
        for _ in range(MAX_PAGES):
            response = self._caller.send(call)
            page = answers.json_object(response, call)
            values = page.get("value")
            if not isinstance(values, list):
                raise answers.bad(response, call, "the service's answer has no value list")
            yield from (answers.assignment(value, response, call, "value[].") for value in values)
            link = page.get("nextLink")
            if not link:
                return
            call = _next_page(call, link, self._caller.transport.endpoint, response)
        raise answers.bad(response, call, f"the service's answer has a next page after {MAX_PAGES:,}")

    def update_assignments(self, put: Iterable[Assignment] = (), delete: Iterable[str] = ()) -> tuple[Assignment, ...]:
        """One merge-patch of many: store each of `put`, delete each object id of `delete`; what the answer lists."""
        body: dict[str, Any] = {
            item.object_id: _request(item.tenant_id, item.principal_type, item.client_ids or ()) for item in put
        }
        for object_id in delete:
            if object_id in body:
                raise ValueError(f"{object_id} is both to store and to delete")
            body[object_id] = None
        call = self._caller.call(protocol.ENTRA_PATCH, body=body, content_type=protocol.MERGE_PATCH)
        response = self._caller.send(call)
        if response.status_code == 204:
            return ()
        values = answers.json_object(response, call).get("value")
        if not isinstance(values, list):
            raise answers.bad(response, call, "the service's answer has no value list")
        return tuple(answers.assignment(value, response, call, "value[].") for value in values)

    def get_assignment(self, object_id: str) -> Assignment:
        call = self._caller.call(protocol.ENTRA_GET, {"objectId": object_id}, json_body=False)
        response = self._caller.send(call)
        return answers.assignment(answers.json_object(response, call), response, call)

    def set_assignment(
        self, object_id: str, tenant_id: str, principal_type: str, client_ids: Sequence[str]
    ) -> AssignmentPut:
        """Create or replace: principal_type "user", "group" or "tenant"; every field is required."""
        body = _request(tenant_id, principal_type, client_ids)
        call = self._caller.call(protocol.ENTRA_PUT, {"objectId": object_id}, body)
        response = self._caller.send(call)
        stored = answers.assignment(answers.json_object(response, call), response, call)
        return AssignmentPut(stored, created=response.status_code == 201)

    def delete_assignment(self, object_id: str) -> None:
        call = self._caller.call(protocol.ENTRA_DELETE, {"objectId": object_id}, json_body=False, gone_is_success=True)
        self._caller.transport.send(call)


def _request(tenant_id: str, principal_type: str, client_ids: Sequence[str]) -> dict[str, Any]:
    return {"tenantId": tenant_id, "principalType": principal_type, "clientIds": list(client_ids)}


def _next_page(call: Call, link: Any, endpoint: str, response: Any) -> Call:
    """The call for a next link: only to the endpoint's own origin (it carries the credential), its query as given
    but for the api-version, which is ours."""
    parts = urlsplit(link) if isinstance(link, str) else None
    origin = urlsplit(endpoint)
    if parts is None or (parts.scheme, parts.netloc) not in (("", ""), (origin.scheme, origin.netloc)):
        raise answers.bad(response, call, "the service's answer has a nextLink to another host")
    path = parts.path or call.path
    query = "&".join(piece for piece in parts.query.split("&") if piece and not piece.startswith("api-version="))
    if path == call.path and query == call.query:
        raise answers.bad(response, call, "the service's answer has a nextLink to the page it is")
    return Call(call.operation, path, f"{call.operation.method} {path}", call.api_version, json_body=False, query=query)
