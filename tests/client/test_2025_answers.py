"""The 2025 operations when answers are odd: pages, empty answers, answers that break the protocol, retries."""

from __future__ import annotations

import pytest
from recorder import recording
from wire import OID, TENANT, entra_token

from acsid_cli import protocol
from acsid_cli.client.errors import BadAnswer, ServiceError
from acsid_cli.client.models import Assignment, AssignmentPut
from acsid_cli.client.rest import IdentityClient

LIST = "/access/entra/assignments?api-version=2025-03-02-preview"


def no_wait(seconds: float) -> None:
    """Waits between attempts, which these tests need not sit through."""


def entra(object_id: str, principal_type: str = "user") -> dict[str, object]:
    return {"objectId": object_id, "tenantId": TENANT, "principalType": principal_type, "clientIds": []}


@pytest.fixture
def service():
    with recording() as recorder:
        yield recorder


@pytest.fixture
def client(service):
    client = IdentityClient.from_connection_string(service.connection_string, sleep=no_wait)
    yield client
    client.close()


def test_the_list_follows_next_links_of_the_same_endpoint(service, client):
    service.answer(
        200,
        {
            "value": [entra("a")],
            "nextLink": f"{service.endpoint}/access/entra/assignments?api-version=2025-03-02-preview&$skipToken=p%202",
        },
    )
    relative = "/access/entra/assignments?$skipToken=3"
    service.answer(200, {"value": [entra("b"), entra("c", "group")], "nextLink": relative})
    service.answer(200, {"value": []})
    listed = [a.object_id for a in client.entra.list_assignments()]
    assert listed == ["a", "b", "c"]
    assert [r.target for r in service.received] == [LIST, f"{LIST}&$skipToken=p%202", f"{LIST}&$skipToken=3"]
    assert all(r.signed_correctly for r in service.received)


@pytest.mark.parametrize(
    ("link", "why"),
    [
        ("https://elsewhere.example/access/entra/assignments", "a nextLink to another host"),
        ("/access/entra/assignments", "a nextLink to the page it is"),
        (42, "a nextLink to another host"),
    ],
)
def test_a_next_link_that_would_leak_the_credential_or_loop_is_refused(service, client, link, why):
    service.answer(200, {"value": [entra("a")], "nextLink": link})
    pages = client.entra.list_assignments()
    assert next(pages).object_id == "a"
    with pytest.raises(BadAnswer) as caught:
        next(pages)
    assert caught.value.message == f"the service's answer has {why}"
    assert len(service.received) == 1


@pytest.mark.parametrize(
    ("answer", "why"),
    [
        ({"objectId": OID, "tenantId": TENANT}, "no principalType"),
        (
            {"objectId": OID, "tenantId": TENANT, "principalType": "user", "clientIds": "x"},
            "a clientIds that is not a list of ids",
        ),
        ([], "is not a JSON object"),
    ],
)
def test_an_assignment_answer_without_its_fields_is_a_bad_answer(service, client, answer, why):
    service.answer(200, answer)
    with pytest.raises(BadAnswer) as caught:
        client.teams_extension.get_assignment(TENANT, OID)
    assert caught.value.message.endswith(why)
    assert caught.value.request_line == f"GET /access/teamsExtension/tenants/{TENANT}/assignments/{OID}"


def test_an_exchange_answer_without_a_token_names_the_field(service, client):
    service.answer(200, {"identity": {"id": "8:acs:x"}})
    with pytest.raises(BadAnswer) as caught:
        client.teams_extension.exchange_token(entra_token())
    assert caught.value.message == "the service's answer has no accessToken.token"


def test_put_says_whether_it_created_or_replaced(service, client):
    stored = {"objectId": OID, "tenantId": TENANT, "principalType": "resourceAccount"}
    service.answer(201, stored).answer(200, stored)
    first = client.teams_extension.set_assignment(TENANT, OID, "resourceAccount")
    again = client.teams_extension.set_assignment(TENANT, OID, "resourceAccount")
    assert (first.created, again.created) == (True, False)
    assert again == AssignmentPut(Assignment(OID, TENANT, "resourceAccount"), created=False)
    assert service.received[0].body == b'{"principalType": "resourceAccount"}'  # no clientIds: left out


def test_a_patch_answered_204_lists_nothing_and_one_id_cannot_be_both(service, client):
    service.answer(204)
    assert client.entra.update_assignments(delete=["a", "b"]) == ()
    assert service.received[0].body == b'{"a": null, "b": null}'
    assert service.received[0].headers["content-type"] == protocol.MERGE_PATCH
    with pytest.raises(ValueError, match="a is both to store and to delete"):
        client.entra.update_assignments(put=[Assignment("a", TENANT, "user", ())], delete=["a"])
    assert len(service.received) == 1


def test_puts_and_exchanges_are_retried_with_their_credential_each_time(service, client):
    token = entra_token()
    service.answer(503).answer(200, entra(OID))
    service.answer(503).answer(200, {"identity": {"id": "8:acs:x"}, "accessToken": {"token": "t", "expiresOn": "e"}})
    client.entra.set_assignment(OID, TENANT, "user", [])
    assert client.entra.exchange_token(token).token.token == "t"
    puts, exchanges = service.received[:2], service.received[2:]
    assert [r.method for r in service.received] == ["PUT", "PUT", "POST", "POST"]
    assert all(r.signed_correctly for r in puts)
    assert puts[0].headers["x-ms-date"]
    assert [r.authorization for r in exchanges] == [f"Bearer {token}"] * 2


def test_a_delete_whose_answer_was_lost_is_done_when_repeated_and_an_unknown_one_is_404(service, client):
    service.answer(503).answer(404, {"error": {"code": "AssignmentNotFound", "message": "gone"}})
    assert client.entra.delete_assignment(OID) is None  # the 2nd attempt finds it gone: the 1st may have done it
    service.answer(404, {"error": {"code": "AssignmentNotFound", "message": "No assignment.", "target": "objectId"}})
    with pytest.raises(ServiceError) as caught:
        client.teams_extension.delete_assignment(TENANT, OID)
    assert (caught.value.status, caught.value.target) == (404, "objectId")
