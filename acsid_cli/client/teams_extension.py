"""Teams Extension users (API 2025-06-30): a Teams user's own Entra token exchanged for an ACS identity and
token, allowed by an assignment of the resource for the user (or resource account) in its tenant.

    token = client.teams_extension.exchange_token(entra_token_of_the_user)
    client.teams_extension.set_assignment(tenant_id, object_id, "user", client_ids=[app_id])
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from acsid_cli import protocol
from acsid_cli.client import answers
from acsid_cli.client.auth import UserToken
from acsid_cli.client.calls import Caller
from acsid_cli.client.models import Assignment, AssignmentPut, IdentityAccessToken


class TeamsExtension:
    def __init__(self, caller: Caller) -> None:
        self._caller = caller

    def exchange_token(self, aad_token: str) -> IdentityAccessToken:
        """The identity 8:acs:<resource>_<tenant>_<object> and its token, which expires with the Entra token.

        Authenticated by the user's Entra token alone (scopes under TEAMS_EXTENSION_SCOPE_PREFIX), not the
        client's credential; the body is empty JSON, as communication-common sends it.
        """
        return exchange(self._caller, protocol.TEAMS_EXTENSION_EXCHANGE, aad_token)

    def get_assignment(self, tenant_id: str, object_id: str) -> Assignment:
        call = self._caller.call(protocol.TEAMS_EXTENSION_GET, _ids(tenant_id, object_id), json_body=False)
        response = self._caller.send(call)
        return answers.assignment(answers.json_object(response, call), response, call)

    def set_assignment(
        self, tenant_id: str, object_id: str, principal_type: str, client_ids: Sequence[str] | None = None
    ) -> AssignmentPut:
        """Create or replace: principal_type "user" or "resourceAccount"; client_ids None leaves them out."""
        body: dict[str, Any] = {"principalType": principal_type}
        if client_ids is not None:
            body["clientIds"] = list(client_ids)
        call = self._caller.call(protocol.TEAMS_EXTENSION_PUT, _ids(tenant_id, object_id), body)
        response = self._caller.send(call)
        stored = answers.assignment(answers.json_object(response, call), response, call)
        return AssignmentPut(stored, created=response.status_code == 201)

    def delete_assignment(self, tenant_id: str, object_id: str) -> None:
        call = self._caller.call(
            protocol.TEAMS_EXTENSION_DELETE, _ids(tenant_id, object_id), json_body=False, gone_is_success=True
        )
        self._caller.transport.send(call)


def _ids(tenant_id: str, object_id: str) -> dict[str, str]:
    return {"tenantId": tenant_id, "objectId": object_id}


def exchange(caller: Caller, operation: protocol.Operation, aad_token: str) -> IdentityAccessToken:
    """POST {} with the user's token as Bearer: {identity: {id}, accessToken: {token, expiresOn}}."""
    call = caller.call(operation, body={}, auth=UserToken(aad_token))
    response = caller.send(call)
    data = answers.json_object(response, call)
    identity = answers.identity(data.get("identity"), response, call, "identity.")
    return IdentityAccessToken(identity, answers.token(data.get("accessToken"), response, call, "accessToken."))
