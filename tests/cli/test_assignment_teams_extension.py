"""acsid assignment teams-extension show|set|delete, one assignment at a time: the request sent, what is
printed, the exit code; bad input refused before anything is sent; the service's errors as az's exit codes.

A recording loopback server answers as the reference has the service answer (tests/data/acs-2025-surface.json).
"""

from __future__ import annotations

import json

import pytest
from helpers import acsid
from recorder import recording
from wire import APP_ID, OID, TENANT

from acsid_cli import protocol

PATH = f"/access/teamsExtension/tenants/{TENANT}/assignments/{OID}"
TARGET = f"{PATH}?api-version=2025-06-30"
STORED = {"objectId": OID, "tenantId": TENANT, "principalType": "user", "clientIds": [APP_ID]}
SHOWN = {"clientIds": [APP_ID], "objectId": OID, "principalType": "user", "tenantId": TENANT}
GUID_LIKE = "must be a GUID like 00000000-0000-0000-0000-000000000000"


@pytest.fixture
def service(monkeypatch):
    with recording() as recorder:
        monkeypatch.setenv(protocol.CONNECTION_STRING_ENV, recorder.connection_string)
        yield recorder


def te(*args: str, input: str | None = None):
    return acsid("assignment", "teams-extension", *args, input=input)


def test_set_creates_and_prints_the_assignment(service):
    service.answer(201, STORED)
    result = te("set", "--tenant", TENANT, "--object", OID, "--principal-type", "user", "--client", APP_ID)
    assert (result.exit_code, result.json, result.stderr) == (0, SHOWN, "")
    [sent] = service.received
    assert (sent.method, sent.target, json.loads(sent.body)) == (
        "PUT",
        TARGET,
        {"principalType": "user", "clientIds": [APP_ID]},
    )
    assert sent.signed_correctly


def test_set_tells_a_person_whether_it_created_or_replaced(service, monkeypatch):
    monkeypatch.setenv("ACSID_FORCE_TTY", "1")
    service.answer(201, STORED).answer(200, STORED)
    argv = ("set", "--tenant", TENANT, "--object", OID, "--principal-type", "user", "-o", "none")
    assert te(*argv).stderr == f"✓ Created the Teams Extension assignment of {OID}\n"
    assert te(*argv).stderr == f"✓ Replaced the Teams Extension assignment of {OID}\n"
    assert [r.body for r in service.received] == [b'{"principalType": "user"}'] * 2  # no --client: none sent


def test_show_prints_absent_client_ids_as_null(service):
    service.answer(200, {"objectId": OID, "tenantId": TENANT, "principalType": "resourceAccount"})
    result = te("show", "--tenant", TENANT, "--object", OID, "-o", "json")
    assert (result.exit_code, result.json) == (0, {**SHOWN, "clientIds": None, "principalType": "resourceAccount"})
    assert [(r.method, r.target, r.body) for r in service.received] == [("GET", TARGET, b"")]


def test_delete_asks_for_yes_and_says_nothing_to_scripts(service):
    refused = te("delete", "--tenant", TENANT, "--object", OID)
    assert (refused.exit_code, refused.stderr) == (
        2,
        "error: --yes is required when not running interactively\nhint: add --yes (or -y)\n",
    )
    assert service.received == []
    service.answer(204)
    done = te("delete", "--tenant", TENANT, "--object", OID, "--yes")
    assert (done.exit_code, done.stdout, done.stderr) == (0, "", "")
    assert [(r.method, r.target) for r in service.received] == [("DELETE", TARGET)]


@pytest.mark.parametrize(
    ("argv", "error"),
    [
        (["show", "--tenant", "contoso", "--object", OID], f"--tenant {GUID_LIKE}"),
        (["show", "--tenant", TENANT, "--object", "alice@contoso.com"], f"--object {GUID_LIKE}"),
        (
            ["show", "--object", OID],
            "--tenant is required: a Teams Extension assignment is named by its tenant and object",
        ),
        (["set", "--tenant", TENANT, "--object", OID], "--principal-type is required: one of user, resourceAccount"),
        (
            ["set", "--tenant", TENANT, "--object", OID, "--principal-type", "group"],
            "--principal-type 'group' is not one of user, resourceAccount",
        ),
        (
            ["set", "--tenant", TENANT, "--object", OID, "--principal-type", "user", "--client", f"{APP_ID},x"],
            f"--client {GUID_LIKE}",
        ),
        (["delete", "--tenant", TENANT, "--object", f"{OID}\x1b[2J", "--yes"], f"--object {GUID_LIKE}"),
        (
            ["show", "--tenant", TENANT, "--object", OID, "--api-version", "2023-10-01"],
            "acsid assignment teams-extension show needs API version 2025-06-30 or 2025-03-02-preview, not 2023-10-01\n"
            "hint: leave out --api-version and acsid picks it",
        ),
        (
            ["show", "--tenant", TENANT, "--object", "-", "--object", "-"],
            "--object - was given more than once; standard input is read once",
        ),
    ],
)
def test_bad_input_is_refused_before_anything_is_sent(service, argv, error):
    result = te(*argv)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", f"error: {error}\n")
    assert service.received == []


def test_an_unknown_assignment_is_exit_3(service):
    service.answer(404, {"error": {"code": "AssignmentNotFound", "message": "The assignment was not found."}})
    result = te("show", "--tenant", TENANT, "--object", OID)
    assert (result.exit_code, result.stdout, result.error) == (
        3,
        "",
        f"error: HTTP 404 AssignmentNotFound: The assignment was not found. (GET {PATH}, request id <id>)\n",
    )


def test_a_bad_body_names_its_target(service):
    service.answer(
        400, {"error": {"code": "ValidationError", "message": "Invalid principal type.", "target": "principalType"}}
    )
    result = te("set", "--tenant", TENANT, "--object", OID, "--principal-type", "resourceAccount")
    assert (result.exit_code, result.error) == (
        1,
        f"error: HTTP 400 ValidationError: Invalid principal type. (PUT {PATH}, target principalType, "
        "request id <id>)\n",
    )


def test_a_version_acsid_does_not_know_goes_to_the_service(service):
    message = (
        f"The HTTP resource that matches the request URI '{service.endpoint}{PATH}' does not support the "
        "API version '2026-07-22'."
    )
    service.answer(400, {"error": {"code": protocol.UNSUPPORTED_API_VERSION, "message": message}})
    result = te("show", "--tenant", TENANT, "--object", OID, "--api-version", "2026-07-22")
    assert result.exit_code == 1
    assert result.error == (
        f"error: HTTP 400 UnsupportedApiVersion: {message} (GET {PATH}, request id <id>)\n"
        "hint: pick another --api-version, or leave it out for the one acsid picks\n"
    )
    assert service.received[0].target == f"{PATH}?api-version=2026-07-22"
