"""customId as the 2025-03-02-preview has it: a repeated one answers 201 with the existing identity, creates
with one customId are atomic, and the service's race (it is not atomic) is a fault a test can ask for."""

from __future__ import annotations

import threading
import uuid

import pytest
from wire import PREVIEW, Reply, Wire, error, identity_path

CREATE = f"/identities?api-version={PREVIEW}"
DEADLINE = 30.0  # for threads to meet and finish; never waited out when all is well


@pytest.fixture
def custom_id() -> str:
    return f"user-{uuid.uuid4().hex}"  # the session's emulator keeps its identities


def holders(admin, custom_id: str) -> list[str]:
    return [i["id"] for i in admin.identities() if i["customId"] == custom_id and not i["deleted"]]


def test_a_repeated_custom_id_answers_201_with_the_same_identity(wire, custom_id):
    first, again = (wire.request("POST", CREATE, {"customId": custom_id}) for _ in range(2))
    assert (first.status, again.status) == (201, 201)
    assert first.json == again.json == {"identity": {"id": first.json["identity"]["id"], "customId": custom_id}}


def test_ten_concurrent_creates_with_one_new_custom_id_make_one_identity(emulator_server, admin, custom_id):
    start = threading.Barrier(10, timeout=DEADLINE)
    replies: list[Reply] = []

    def create() -> None:
        wire = Wire(emulator_server.endpoint)
        start.wait()
        replies.append(wire.request("POST", CREATE, {"customId": custom_id}))
        wire.reconnect()

    threads = [threading.Thread(target=create) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(DEADLINE)
    assert [reply.status for reply in replies] == [201] * 10
    assert {reply.json["identity"]["id"] for reply in replies} == set(holders(admin, custom_id))
    assert len(holders(admin, custom_id)) == 1


def test_the_services_race_is_a_fault_duplicates_then_multiple_identities(wire, admin, custom_id):
    first = wire.request("POST", CREATE, {"customId": custom_id}).json["identity"]["id"]
    admin.inject("create", race=True)
    duplicate = wire.request("POST", CREATE, {"customId": custom_id})
    assert duplicate.status == 201
    assert duplicate.json["identity"]["id"] != first
    assert holders(admin, custom_id) == [first, duplicate.json["identity"]["id"]]
    later = wire.request("POST", CREATE, {"customId": custom_id})
    message = f"More than one identity has the customId '{custom_id}'."
    assert (later.status, later.json) == (409, error("MultipleIdentitiesForCustomId", message))
    wire.request("DELETE", identity_path(first))  # what a user's cleanup does: one holder is left
    again = wire.request("POST", CREATE, {"customId": custom_id})
    assert (again.status, again.json["identity"]["id"]) == (201, duplicate.json["identity"]["id"])


def test_race_is_a_fault_of_creates_only(wire):
    reply = wire.request("POST", "/emulator/faults", {"route": "issue", "race": True}, signed=False)
    assert (reply.status, reply.json) == (400, error("InvalidRequest", "race is a fault of the create route only"))
