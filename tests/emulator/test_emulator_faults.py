"""Fault injection, as the wire shows it."""

from __future__ import annotations

import base64
import http.client
import socket

import pytest
from helpers import admin_of
from wire import (
    FOREIGN_ID,
    VERSION,
    Wire,
    error,
    identity_path,
    issue_target,
)

from acsid_cli import signing
from acsid_cli.emulator.app import Emulator
from acsid_cli.emulator.config import EmulatorConfig
from acsid_cli.emulator.process import EmulatorAdmin
from acsid_cli.emulator.server import start_in_thread


def identity_count(admin: EmulatorAdmin) -> int:
    return len(admin.identities())


def test_status_fault_answers_without_performing(wire, admin):
    admin.inject("create", status=429, retryAfter=2)
    count = identity_count(admin)
    reply = wire.request("POST", f"/identities?api-version={VERSION}", headers={"x-ms-client-request-id": "r1"})
    assert reply.status == 429
    assert reply.headers["Retry-After"] == "2"
    assert reply.json == error("InjectedFault", "Fault injected by the acsid emulator: status 429.")
    assert reply.headers["x-ms-client-request-id"] == "r1"
    assert identity_count(admin) == count
    assert wire.request("POST", f"/identities?api-version={VERSION}").status == 201  # count defaults to 1
    log = admin.requests()
    assert [(e["route"], e["status"], e["clientRequestId"]) for e in log] == [
        ("create", 429, "r1"),
        ("create", 201, None),
    ]
    assert log[0]["fault"]["status"] == 429
    assert log[1]["fault"] is None
    assert log[0]["method"] == "POST"
    assert log[0]["target"] == f"/identities?api-version={VERSION}"


def test_process_fault_performs_then_replaces_the_answer(wire, admin):
    admin.inject("create", status=503, process=True)
    count = identity_count(admin)
    assert wire.request("POST", f"/identities?api-version={VERSION}").status == 503
    assert identity_count(admin) == count + 1


def test_fault_can_answer_malformed_json_with_200(wire, admin):
    identity_id = wire.new_identity()
    admin.inject("issue", status=200, body="{not json")
    reply = wire.request("POST", issue_target(identity_id), {"scopes": ["chat"]})
    assert (reply.status, reply.body, reply.headers["Content-Type"]) == (200, b"{not json", "application/json")


def test_fault_body_and_content_type(wire, admin):
    admin.inject("revoke", status=502, body="<html>Bad Gateway</html>", contentType="text/html")
    reply = wire.request("POST", identity_path(wire.new_identity(), ":revokeAccessTokens"))
    assert (reply.status, reply.body, reply.headers["Content-Type"]) == (502, b"<html>Bad Gateway</html>", "text/html")


def test_count_and_any_route(wire, admin):
    admin.inject("*", status=500, count=2)
    identity_id = FOREIGN_ID
    assert wire.request("POST", f"/identities?api-version={VERSION}").status == 500
    assert wire.request("DELETE", identity_path(identity_id)).status == 500
    assert wire.request("DELETE", identity_path(identity_id)).status == 401
    assert admin.faults() == []


def test_drop_before_performs_nothing(wire, admin):
    admin.inject("create", drop="before")
    count = identity_count(admin)
    with pytest.raises(http.client.RemoteDisconnected):
        wire.request("POST", f"/identities?api-version={VERSION}")
    wire.reconnect()
    assert identity_count(admin) == count
    assert admin.requests()[-1]["status"] is None


def test_drop_after_loses_the_answer_of_a_performed_operation(wire, admin):
    identity_id = wire.new_identity()
    admin.inject("delete", drop="after")
    with pytest.raises(http.client.RemoteDisconnected):
        wire.request("DELETE", identity_path(identity_id))
    wire.reconnect()
    assert {i["id"]: i["deleted"] for i in admin.identities()}[identity_id] is True


def test_drop_mid_sends_half_the_body(wire, admin):
    admin.inject("create", drop="mid")
    count = identity_count(admin)
    conn = http.client.HTTPConnection(wire.host, timeout=5)
    target = f"/identities?api-version={VERSION}"
    conn.request("POST", target, b"", signing.sign("POST", target, wire.host, b"", base64.b64decode(wire.key)))
    response = conn.getresponse()
    assert response.status == 201
    with pytest.raises(http.client.IncompleteRead) as caught:
        response.read()
    assert 0 < len(caught.value.partial) < int(response.headers["Content-Length"])
    assert identity_count(admin) == count + 1
    assert admin.requests()[-1]["status"] is None


def test_delay_then_normal_answer():
    waits: list[float] = []
    with start_in_thread(emulator=Emulator(EmulatorConfig(port=0), sleep=waits.append)) as server:
        admin_of(server).inject("create", delayMs=300)
        assert Wire(server.endpoint).request("POST", f"/identities?api-version={VERSION}").status == 201
    assert waits == [0.3]


def test_faults_listing_and_clearing(wire, admin):
    rule = admin.inject("issue", status=429, count=3)
    assert rule == {
        "route": "issue",
        "count": 3,
        "status": 429,
        "retryAfter": None,
        "body": None,
        "contentType": None,
        "delayMs": 0,
        "drop": None,
        "process": False,
        "every": 1,
        "race": False,
    }
    assert admin._call("GET", "/emulator/faults") == {"value": [rule]}
    admin._call("DELETE", "/emulator/faults")
    assert admin.faults() == []


@pytest.mark.parametrize(
    "rule",
    [
        {"route": "rename"},
        {"route": "create", "status": 99},
        {"route": "create", "status": 100},  # not a final answer: a client would wait for the next one
        {"route": "create", "status": 600},
        {"route": "create", "status": 429, "retryAfter": "1\r\nSet-Cookie: x=1"},
        {"route": "create", "status": 200, "body": "{}", "contentType": "text/plain\nX-Injected: 1"},
        {"route": "create", "retryAfter": "\u20ac"},  # not latin-1: cannot go in a header
        {"route": "create", "drop": "sideways"},
        {"route": "create", "count": 0},
        {"route": "create", "colour": "red"},
        {"route": "create", "process": "yes"},
    ],
)
def test_invalid_faults_are_refused(wire, rule):
    reply = wire.request("POST", "/emulator/faults", rule, signed=False)
    assert reply.status == 400
    assert reply.json["error"]["code"] == "InvalidRequest"
    assert wire.request("GET", "/emulator/faults", signed=False).json == {"value": []}


def test_a_fault_body_nested_too_deep_is_refused(wire):
    reply = wire.request("POST", "/emulator/faults", b"[" * 60_000, signed=False)
    assert (reply.status, reply.json) == (400, error("InvalidRequest", "the body must be a JSON object"))


def test_emulator_endpoints_are_not_logged(wire, admin):
    wire.request("GET", "/emulator/health", signed=False)
    assert admin.requests() == []


def test_keep_alive_serves_many_requests_on_one_connection(wire):
    statuses = [wire.request("POST", f"/identities?api-version={VERSION}").status]
    first = wire.connection().sock
    statuses += [wire.request("POST", f"/identities?api-version={VERSION}").status for _ in range(19)]
    assert statuses == [201] * 20
    assert isinstance(first, socket.socket)
    assert wire.connection().sock is first
    assert first.fileno() != -1


def test_every_nth_request(wire, admin):
    admin.inject("create", status=503, every=3, count=2)
    statuses = [wire.request("POST", f"/identities?api-version={VERSION}").status for _ in range(8)]
    assert statuses == [201, 201, 503, 201, 201, 503, 201, 201]
    assert admin.faults() == []
