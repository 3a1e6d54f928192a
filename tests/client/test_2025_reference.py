"""The emulator answers the reference's requests as the reference says the service does: each request of
tests/data/acs-2025-surface.json, sent raw exactly as given (the exchanges as communication-common sends
them: body {}, the user's Entra token as Bearer), gets the status and the keys of the reference's answer."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from wire import Wire, entra_token

from acsid_cli import protocol

SURFACE = json.loads((Path(__file__).parents[1] / "data" / "acs-2025-surface.json").read_text())
OPS = SURFACE["operations"]
TENANT, OBJECT, CLIENT = SURFACE["tenant_id"], SURFACE["object_id"], SURFACE["client_id"]
AUDIENCES = {"teams-extension-exchange": protocol.TEAMS_EXTENSION_SCOPE_PREFIX.rstrip("/"),
             "entra-exchange": protocol.ENTRA_USERS_SCOPE_PREFIX.rstrip("/")}
# The order that makes each answer the reference's: a PUT creates (201), the Entra one then replaces (200).
ORDER = ["teams-extension-assignment-put", "teams-extension-assignment-get", "teams-extension-exchange",
         "teams-extension-assignment-delete", "entra-assignments-patch", "entra-assignment-put",
         "entra-assignment-get", "entra-assignments-list", "entra-exchange", "entra-assignment-delete"]


def keys(value: Any) -> Any:
    """The shape of a JSON value: its keys, nested; a list by the shape of its first item."""
    if isinstance(value, dict):
        return {key: keys(item) for key, item in value.items()}
    if isinstance(value, list):
        return [keys(value[0])] if value else []
    return type(value).__name__


def send(wire: Wire, name: str) -> Any:
    fact = OPS[name]
    body = fact.get("raw_body", "" if fact["body"] is None else json.dumps(fact["body"])).encode()
    headers = {"Content-Type": fact.get("content_type", "application/json")}
    if fact["authorization"] == "user-bearer":
        token = entra_token(oid=OBJECT, tid=TENANT, appid=CLIENT, aud=AUDIENCES[name], scp="VoIP")
        return wire.request(fact["method"], fact["target"], body, signed=False,
                            headers={**headers, "Authorization": f"Bearer {token}"})
    return wire.request(fact["method"], fact["target"], body, headers=headers)


def test_the_emulator_answers_the_references_requests_with_its_statuses_and_keys(emulator_server, emulator):
    wire = Wire(emulator_server.endpoint)
    for name in ("teams-extension-assignment-delete", "entra-assignment-delete"):  # a clean start: 204 or 404
        assert send(wire, name).status in (204, 404)
    for name in ORDER:
        fact, reply = OPS[name], send(wire, name)
        assert reply.status == fact["status"], (name, reply.body)
        if fact["answer"] is None:
            assert reply.body == b"", name
            continue
        answer = reply.json
        if name == "entra-assignments-list":  # other tests' assignments are there too
            answer = {"value": [a for a in answer["value"] if a["objectId"] == OBJECT]}
        assert keys(answer) == keys(fact["answer"]), name
        if name.endswith("exchange"):
            prefix = "_wf" if name.startswith("entra") else ""
            assert re.fullmatch(rf"8:acs:{emulator.resource_id}{prefix}_{TENANT}_{OBJECT}", answer["identity"]["id"])
        else:
            assert answer == fact["answer"] or name.endswith(("patch", "list")), name
    wire.reconnect()
