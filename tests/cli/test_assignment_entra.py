"""acsid assignment entra list|show|set|delete: the request sent, what is printed, exit codes; bad input
refused before anything is sent. A recording loopback server answers as the reference has the service answer."""

from __future__ import annotations

import json

import pytest
from helpers import acsid
from recorder import recording
from wire import APP_ID, OID, TENANT

from acsid_cli import protocol

PATH = f"/access/entra/assignments/{OID}"
TARGET = f"{PATH}?api-version=2025-03-02-preview"
STORED = {"objectId": OID, "tenantId": TENANT, "principalType": "group", "clientIds": [APP_ID]}
SHOWN = {"clientIds": [APP_ID], "objectId": OID, "principalType": "group", "tenantId": TENANT}
OTHER_APP = "7b5c9a2e-8f4d-4c1b-9e3a-2d6f8a1c4b7e"


@pytest.fixture
def service(monkeypatch):
    with recording() as recorder:
        monkeypatch.setenv(protocol.CONNECTION_STRING_ENV, recorder.connection_string)
        yield recorder


def entra(*args: str, input: str | None = None):
    return acsid("assignment", "entra", *args, input=input)


def test_set_sends_every_field(service):
    service.answer(201, STORED)
    result = entra(
        "set",
        "--object",
        OID,
        "--tenant",
        TENANT,
        "--principal-type",
        "group",
        "--client",
        f"{APP_ID},{OTHER_APP}",
        "--client",
        APP_ID.upper(),
    )
    assert (result.exit_code, result.json, result.stderr) == (0, SHOWN, "")
    [sent] = service.received
    assert (sent.method, sent.target, sent.headers["content-type"]) == ("PUT", TARGET, "application/json")
    assert json.loads(sent.body) == {"tenantId": TENANT, "principalType": "group", "clientIds": [APP_ID, OTHER_APP]}
    assert sent.signed_correctly


def test_list_reads_every_page(service):
    service.answer(200, {"value": [STORED], "nextLink": "/access/entra/assignments?$skipToken=2"})
    service.answer(200, {"value": [{**STORED, "objectId": TENANT, "principalType": "tenant"}]})
    result = entra("list", "-o", "tsv", "--query", "[].[objectId, principalType]")
    assert (result.exit_code, result.stdout) == (0, f"{OID}\tgroup\n{TENANT}\ttenant\n")
    assert [r.target for r in service.received] == [
        "/access/entra/assignments?api-version=2025-03-02-preview",
        "/access/entra/assignments?api-version=2025-03-02-preview&$skipToken=2",
    ]


def test_show_and_delete(service):
    service.answer(200, STORED).answer(204)
    assert entra("show", "--object", OID).json == SHOWN
    deleted = entra("delete", "--object", OID, "-y")
    assert (deleted.exit_code, deleted.stdout, deleted.stderr) == (0, "", "")
    assert [(r.method, r.target) for r in service.received] == [("GET", TARGET), ("DELETE", TARGET)]


@pytest.mark.parametrize(
    ("argv", "error"),
    [
        (["set", "--object", OID, "--principal-type", "user", "--client", APP_ID], "--tenant is required"),
        (
            ["set", "--object", OID, "--tenant", TENANT, "--principal-type", "user"],
            "--client is required: the Entra apps whose users' tokens may be exchanged",
        ),
        (
            ["set", "--object", OID, "--tenant", TENANT, "--principal-type", "resourceAccount", "--client", APP_ID],
            "--principal-type 'resourceAccount' is not one of user, group, tenant",
        ),
        (["show", "--object", "not-a-guid"], "--object must be a GUID like 00000000-0000-0000-0000-000000000000"),
        (
            ["list", "--api-version", "2025-06-30"],
            "acsid assignment entra list needs API version 2025-03-02-preview, not 2025-06-30\n"
            "hint: leave out --api-version and acsid picks it",
        ),
    ],
)
def test_bad_input_is_refused_before_anything_is_sent(service, argv, error):
    result = entra(*argv)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", f"error: {error}\n")
    assert service.received == []


def test_a_missing_assignment_is_exit_3_and_a_refused_token_is_exit_1(service):
    service.answer(
        404, {"error": {"code": "AssignmentNotFound", "message": "No such assignment.", "target": "objectId"}}
    )
    service.answer(401, {"error": {"code": protocol.DENIED, "message": "Denied by the resource provider."}})
    missing = entra("delete", "--object", OID, "--yes")
    assert (missing.exit_code, missing.error) == (
        3,
        f"error: HTTP 404 AssignmentNotFound: No such assignment. (DELETE {PATH}, target objectId, request id <id>)\n",
    )
    denied = entra("list")
    assert (denied.exit_code, denied.error) == (
        1,
        "error: HTTP 401 Denied: Denied by the resource provider. (GET /access/entra/assignments, request id "
        "<id>)\nhint: check that the access key belongs to this endpoint\n",
    )
