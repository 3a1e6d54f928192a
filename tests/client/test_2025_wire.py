"""The 2025 operations on the wire: the exact requests the client sends (as the specs declare them, the
exchanges byte for byte as communication-common sends them) and the typed results of their answers.

A recording loopback server stands in for the service (tests/data/acs-2025-surface.json holds the facts);
the emulator's own tests prove it answers the same way.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from recorder import recording
from wire import entra_token

from acsid_cli import protocol
from acsid_cli.client.errors import ServiceError
from acsid_cli.client.models import (
    AccessToken,
    Assignment,
    AssignmentPut,
    CreatedIdentity,
    Identity,
    IdentityAccessToken,
)
from acsid_cli.client.rest import IdentityClient

SURFACE = json.loads((Path(__file__).parents[1] / "data" / "acs-2025-surface.json").read_text())
OPS = SURFACE["operations"]
TENANT, OBJECT, CLIENT = SURFACE["tenant_id"], SURFACE["object_id"], SURFACE["client_id"]
USER_TOKEN = entra_token(aud=protocol.TEAMS_EXTENSION_SCOPE_PREFIX.rstrip("/"))


def assignment_of(answer: dict[str, Any]) -> Assignment:
    ids = answer.get("clientIds")
    return Assignment(
        answer["objectId"], answer["tenantId"], answer["principalType"], None if ids is None else tuple(ids)
    )


def exchanged(answer: dict[str, Any]) -> IdentityAccessToken:
    token = answer["accessToken"]
    return IdentityAccessToken(Identity(answer["identity"]["id"]), AccessToken(token["token"], token["expiresOn"]))


# Each operation: what the client is asked, and the typed result the example answer gives.
CASES: dict[str, tuple[Callable[[IdentityClient], Any], Callable[[Any], Any]]] = {
    "teams-extension-exchange": (lambda c: c.teams_extension.exchange_token(USER_TOKEN), exchanged),
    "teams-extension-assignment-put": (
        lambda c: c.teams_extension.set_assignment(TENANT, OBJECT, "user", [CLIENT]),
        lambda answer: AssignmentPut(assignment_of(answer), created=True),
    ),
    "teams-extension-assignment-get": (lambda c: c.teams_extension.get_assignment(TENANT, OBJECT), assignment_of),
    "teams-extension-assignment-delete": (
        lambda c: c.teams_extension.delete_assignment(TENANT, OBJECT),
        lambda answer: None,
    ),
    "entra-exchange": (lambda c: c.entra.exchange_token(USER_TOKEN), exchanged),
    "entra-assignments-list": (
        lambda c: list(c.entra.list_assignments()),
        lambda answer: [assignment_of(a) for a in answer["value"]],
    ),
    "entra-assignments-patch": (
        lambda c: c.entra.update_assignments(put=[Assignment(OBJECT, TENANT, "user", (CLIENT,))], delete=[TENANT]),
        lambda answer: tuple(assignment_of(a) for a in answer["value"]),
    ),
    "entra-assignment-put": (
        lambda c: c.entra.set_assignment(OBJECT, TENANT, "user", [CLIENT]),
        lambda answer: AssignmentPut(assignment_of(answer), created=False),
    ),
    "entra-assignment-get": (lambda c: c.entra.get_assignment(OBJECT), assignment_of),
    "entra-assignment-delete": (lambda c: c.entra.delete_assignment(OBJECT), lambda answer: None),
}


def test_every_operation_of_the_reference_is_covered_and_is_protocols():
    assert sorted(CASES) == sorted(OPS) == sorted(op.name for op in protocol.ACCESS_OPERATIONS)
    for op in protocol.ACCESS_OPERATIONS:
        fact = OPS[op.name]
        assert fact["target"].startswith(op.path.split("{")[0])
        assert fact["method"] == op.method
        assert fact["target"].endswith(f"?api-version={op.version}")
        assert (fact["authorization"] == "user-bearer") == op.user_bearer


@pytest.mark.parametrize("name", sorted(OPS))
def test_the_request_sent_and_the_result_read(name):
    fact = OPS[name]
    act, expected = CASES[name]
    with recording() as service:
        service.answer(fact["status"], fact["answer"])
        client = IdentityClient.from_connection_string(service.connection_string)
        result = act(client)
        client.close()
    [sent] = service.received
    assert (sent.method, sent.target) == (fact["method"], fact["target"])
    assert sent.headers.get("content-type") == fact.get("content_type")
    assert sent.headers["accept"] == "application/json"
    if fact["authorization"] == "user-bearer":
        # The user's token alone: not the resource's key, not signed.
        assert sent.authorization == f"Bearer {USER_TOKEN}"
        assert "x-ms-content-sha256" not in sent.headers
        assert sent.body == fact["raw_body"].encode()
    else:
        assert sent.signed_correctly
    assert (json.loads(sent.body) if sent.body else None) == fact["body"]
    assert result == expected(fact["answer"])


def test_an_explicit_api_version_goes_with_every_operation():
    with recording() as service:
        service.answer(400, {"error": {"code": protocol.UNSUPPORTED_API_VERSION, "message": "no"}})
        client = IdentityClient.from_connection_string(service.connection_string, api_version="2023-10-01")
        with pytest.raises(ServiceError) as caught:
            client.teams_extension.get_assignment(TENANT, OBJECT)
    assert service.received[0].target.endswith("?api-version=2023-10-01")
    assert (caught.value.status, caught.value.code) == (400, protocol.UNSUPPORTED_API_VERSION)


def test_path_parameters_are_percent_encoded_and_messages_show_them_as_given():
    with recording() as service:
        client = IdentityClient.from_connection_string(service.connection_string)
        with pytest.raises(ServiceError) as caught:
            client.entra.get_assignment("a/b?c")
    assert service.received[0].target == "/access/entra/assignments/a%2Fb%3Fc?api-version=2025-03-02-preview"
    assert caught.value.request_line == "GET /access/entra/assignments/a/b?c"


def received_creates(service_answers: list[int]) -> list[CreatedIdentity]:
    identity = {"identity": {"id": "8:acs:x_1", "customId": "alice"}}
    with recording() as service:
        for status in service_answers:
            service.answer(status, identity)
        client = IdentityClient.from_connection_string(service.connection_string)
        created = [client.create_user(custom_id="alice") for _ in service_answers]
    assert [r.target for r in service.received] == ["/identities?api-version=2025-03-02-preview"] * len(created)
    return created


def test_a_create_by_custom_id_says_the_same_whatever_the_status():
    # The service answers 201 for a new and a known custom id alike; older emulators said 200 for a known one.
    # Neither tells the client whether the identity is new, so the result does not claim to know.
    first, again, old_emulator = received_creates([201, 201, 200])
    assert first == again == old_emulator == CreatedIdentity(Identity("8:acs:x_1", "alice"))
    assert list(CreatedIdentity._fields) == ["identity", "token"]


def test_the_user_token_never_shows_in_reprs_or_errors():
    with recording() as service:
        service.answer(
            401, {"error": {"code": protocol.INVALID_ACCESS_TOKEN, "message": "Provided access token is not valid."}}
        )
        client = IdentityClient.from_connection_string(service.connection_string)
        with pytest.raises(ServiceError) as caught:
            client.entra.exchange_token(USER_TOKEN)
    error = caught.value
    assert (error.status, error.code, error.request_line) == (
        401,
        protocol.INVALID_ACCESS_TOKEN,
        "POST /access/entra/:exchangeAccessToken",
    )
    assert USER_TOKEN not in f"{error} {error!r} {vars(error)}"


def test_without_a_chosen_version_each_operation_goes_at_its_own():
    with recording() as service:
        service.answer(201, {"identity": {"id": "8:acs:x_1"}})
        service.answer(200, {"id": "8:acs:x_1"})
        service.answer(200, OPS["teams-extension-assignment-get"]["answer"])
        client = IdentityClient.from_connection_string(service.connection_string)
        client.create_user()
        client.get_user("8:acs:x_1")
        client.teams_extension.get_assignment(TENANT, OBJECT)
    versions = [r.target.partition("?")[2] for r in service.received]
    assert versions == ["api-version=2023-10-01", "api-version=2025-03-02-preview", "api-version=2025-06-30"]
