"""The emulator answers the 2025 operations as the REST specs' examples do (tests/data/acs-2025-surface.json,
the facts the client's wire tests send): each example's request, exactly, gets its status and its answer
(its keys; its values where they do not depend on time). The exchanges are sent byte for byte as
communication-common's EntraTokenCredential sends them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from wire import Wire, entra_token

from acsid_cli import protocol
from acsid_cli.emulator.config import EmulatorConfig
from acsid_cli.emulator.server import start_in_thread

SURFACE = json.loads((Path(__file__).parents[1] / "data" / "acs-2025-surface.json").read_text())
OPS = SURFACE["operations"]
TENANT, OBJECT, CLIENT = SURFACE["tenant_id"], SURFACE["object_id"], SURFACE["client_id"]
AUDIENCES = {
    "teams-extension-exchange": protocol.TEAMS_EXTENSION_SCOPE_PREFIX.rstrip("/"),
    "entra-exchange": protocol.ENTRA_USERS_SCOPE_PREFIX.rstrip("/"),
}


@pytest.fixture(scope="module")
def wire():
    """An emulator of the examples' resource, so their ids are its ids."""
    with start_in_thread(EmulatorConfig(port=0, resource_id=SURFACE["resource_id"])) as running:
        yield Wire(running.endpoint)


def send(wire: Wire, name: str) -> Any:
    """The example's request; its answer, checked against the example's status and shape."""
    op = OPS[name]
    body = op["body"]
    if op["authorization"] == "user-bearer":
        token = entra_token(app_id=CLIENT, oid=OBJECT, tid=TENANT, aud=AUDIENCES[name], scp="VoIP")
        headers = {"Authorization": f"Bearer {token}", "Content-Type": op["content_type"]}
        reply = wire.request(op["method"], op["target"], op["raw_body"].encode(), signed=False, headers=headers)
    else:
        raw = b"" if body is None else json.dumps(body).encode()
        headers = {"Content-Type": op["content_type"]} if "content_type" in op else {}
        reply = wire.request(op["method"], op["target"], raw, headers=headers)
    assert reply.status == op["status"], (name, reply.body)
    if op["answer"] is None:
        assert reply.body == b""
        return None
    assert _shape(reply.json) == _shape(op["answer"]), name
    return reply.json


def _shape(value: Any) -> Any:
    """The keys, nested; lists by their items' shapes."""
    if isinstance(value, dict):
        return {key: _shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_shape(item) for item in value]
    return type(value).__name__


def test_teams_extension_as_the_spec_examples_answer(wire):
    assert send(wire, "teams-extension-assignment-put") == OPS["teams-extension-assignment-put"]["answer"]
    assert send(wire, "teams-extension-assignment-get") == OPS["teams-extension-assignment-get"]["answer"]
    exchanged = send(wire, "teams-extension-exchange")
    assert exchanged["identity"] == OPS["teams-extension-exchange"]["answer"]["identity"]
    send(wire, "teams-extension-assignment-delete")


def test_entra_users_as_the_spec_examples_answer(wire):
    assert send(wire, "entra-assignments-patch") == OPS["entra-assignments-patch"]["answer"]
    assert send(wire, "entra-assignment-put") == OPS["entra-assignment-put"]["answer"]  # 200: it replaced one
    assert send(wire, "entra-assignment-get") == OPS["entra-assignment-get"]["answer"]
    exchanged = send(wire, "entra-exchange")
    assert exchanged["identity"] == OPS["entra-exchange"]["answer"]["identity"]
    group = OPS["entra-assignments-list"]["answer"]["value"][0]
    wire.request("PUT", OPS["entra-assignment-put"]["target"], {k: v for k, v in group.items() if k != "objectId"})
    assert send(wire, "entra-assignments-list") == OPS["entra-assignments-list"]["answer"]
    send(wire, "entra-assignment-delete")
