"""Assignments in bulk: object ids or JSON Lines on stdin (acsid's own output), every line accounted for, in
input order, each failure in its place; flags given apply to every line. A recording loopback server answers
each request from what it asked (an assignment stored is echoed back)."""

from __future__ import annotations

import json
from urllib.parse import unquote

import pytest
from helpers import FakeClock, acsid, json_lines
from recorder import Received, recording
from wire import APP_ID, OID, TENANT

from acsid_cli import protocol

OIDS = [f"00000000-0000-4000-8000-00000000000{n}" for n in range(1, 6)]
NEW_APP = "7b5c9a2e-8f4d-4c1b-9e3a-2d6f8a1c4b7e"


def echo(request: Received) -> tuple[int, object]:
    """The service as the specs have it: a PUT stores the body under the path's ids; DELETE 204; GET 404."""
    parts = [unquote(part) for part in request.target.partition("?")[0].split("/")]
    object_id = parts[-1]
    tenant = parts[4] if "teamsExtension" in parts else None
    if request.method == "PUT":
        stored = json.loads(request.body)
        return 201, {"objectId": object_id, "tenantId": tenant or stored.get("tenantId"), **stored}
    if request.method == "DELETE":
        return 204, None
    return 404, {"error": {"code": "AssignmentNotFound", "message": f"No assignment for {object_id}."}}


@pytest.fixture
def service(monkeypatch):
    with recording() as recorder:
        recorder.respond(echo)
        monkeypatch.setenv(protocol.CONNECTION_STRING_ENV, recorder.connection_string)
        yield recorder


def bulk(*args: str, input: str):
    return acsid("assignment", *args, "--rate", "0", "-o", "jsonl", input=input, clock=FakeClock())


def test_a_copy_of_the_list_with_another_app(service):
    listed = "".join(
        json.dumps({"clientIds": [APP_ID], "objectId": oid, "principalType": "user", "tenantId": TENANT}) + "\n"
        for oid in OIDS
    )
    result = bulk("entra", "set", "--object", "-", "--client", NEW_APP, input=listed)
    assert result.exit_code == 0, result.stderr
    assert json_lines(result.stdout) == [
        {"clientIds": [NEW_APP], "objectId": oid, "principalType": "user", "tenantId": TENANT} for oid in OIDS
    ]
    assert result.stderr == "5 set, 0 failed in 0.0 s\n"
    assert sorted(r.target for r in service.received) == sorted(
        f"/access/entra/assignments/{oid}?api-version=2025-03-02-preview" for oid in OIDS
    )
    assert all(r.signed_correctly for r in service.received)


def test_every_line_is_accounted_for_in_its_place(service):
    lines = [
        OIDS[0],  # an id: the tenant from --tenant
        json.dumps({"objectId": OIDS[1], "tenantId": OID}),  # its own tenant: but --tenant wins
        "",  # blank: skipped
        "not json",
        json.dumps({"input": OIDS[2], "error": {"message": "failed upstream"}}),  # reported upstream: skipped
        json.dumps({"objectId": OIDS[3], "principalType": "group"}),
        "{broken",
        json.dumps({"tenantId": TENANT}),
        OIDS[4],
    ]
    result = bulk(
        "teams-extension",
        "set",
        "--object",
        "-",
        "--tenant",
        TENANT,
        "--principal-type",
        "user",
        input="\n".join(lines) + "\n",
    )
    assert result.exit_code == 1
    stored = {"clientIds": None, "principalType": "user", "tenantId": TENANT}

    def failed(line: int, why: str, shown: str) -> dict[str, object]:
        """A failure in its place; what was on the line is shown only in part (it was no id)."""
        where = f"line {line} of standard input"
        return {"error": {"code": None, "message": f"{where}: {why}", "status": None}, "input": f"{where}: {shown}"}

    assert json_lines(result.stdout) == [
        {**stored, "objectId": OIDS[0]},
        {**stored, "objectId": OIDS[1]},
        failed(4, "the object id must be a GUID like 00000000-0000-0000-0000-000000000000", "not… (8 characters)"),
        {**stored, "objectId": OIDS[3]},  # --principal-type wins over the line's
        failed(7, "neither an object id nor an assignment's JSON", "… (7 characters)"),
        failed(8, "no objectId", f"… ({len(lines[7])} characters)"),
        {**stored, "objectId": OIDS[4]},
    ]
    assert result.stderr == "4 set, 3 failed in 0.0 s\n"
    assert len(service.received) == 4


def test_a_line_without_what_the_verb_needs_fails_in_place(service):
    lines = [
        json.dumps({"objectId": OIDS[0], "tenantId": TENANT}),
        OIDS[1],
        json.dumps({"objectId": OIDS[2], "tenantId": "contoso"}),
        json.dumps({"objectId": OIDS[3], "tenantId": TENANT, "principalType": "boss"}),
        json.dumps({"objectId": OIDS[4], "tenantId": TENANT, "clientIds": "all"}),
    ]
    result = bulk("teams-extension", "delete", "--object", "-", "--yes", input="\n".join(lines))
    messages = [entry.get("error", {}).get("message") for entry in json_lines(result.stdout)]
    assert messages == [
        None,
        "line 2 of standard input: no tenantId, and no --tenant",
        "line 3 of standard input: tenantId must be a GUID like 00000000-0000-0000-0000-000000000000",
        "line 4 of standard input: principalType 'boss' is not one of user, resourceAccount",
        "line 5 of standard input: clientIds must be a list of GUIDs",
    ]
    assert json_lines(result.stdout)[0] == {"deleted": True, "objectId": OIDS[0], "tenantId": TENANT}
    assert [r.method for r in service.received] == ["DELETE"]


def test_show_in_bulk_reports_each_unknown_one_in_its_place(service):
    result = bulk("entra", "show", "--object", OIDS[0], "--object", OIDS[1], input="")
    assert result.exit_code == 1
    assert [entry["error"]["status"] for entry in json_lines(result.stdout)] == [404, 404]
    assert result.stderr == "0 shown, 2 failed in 0.0 s\n"


def test_a_bulk_delete_asks_once_and_argv_is_checked_before_anything_is_sent(service):
    refused = bulk("entra", "delete", "--object", "-", input=OIDS[0] + "\n")
    assert (refused.exit_code, refused.stderr) == (
        2,
        "error: --yes is required when not running interactively\nhint: add --yes (or -y)\n",
    )
    bad = bulk("entra", "delete", "--object", OIDS[0], "--object", "oops", "--yes", input="")
    assert (bad.exit_code, bad.stderr) == (
        2,
        "error: --object must be a GUID like 00000000-0000-0000-0000-000000000000\n",
    )
    assert service.received == []
    done = bulk("entra", "delete", "--object", OIDS[0], "--object", OIDS[1], "--yes", input="")
    assert json_lines(done.stdout) == [{"deleted": True, "objectId": oid} for oid in OIDS[:2]]


def test_a_line_too_long_to_be_an_assignment_fails_in_its_place_unread(service):
    lines = [OIDS[0], "x" * 70_000, OIDS[1]]
    result = bulk("entra", "delete", "--object", "-", "--yes", input="\n".join(lines) + "\n")
    entries = json_lines(result.stdout)
    assert [entry.get("objectId") for entry in entries] == [OIDS[0], None, OIDS[1]]
    assert entries[1] == {
        "error": {"code": None, "message": "line 2 of standard input: longer than 65,536 characters", "status": None},
        "input": "line 2 of standard input: longer than 65,536 characters",
    }
