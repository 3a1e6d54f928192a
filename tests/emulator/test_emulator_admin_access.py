"""The admin API lets no one in where they don't belong (the model is Jupyter's): the request log keeps no
secret, every /emulator/ call but health needs the run's admin token, and neither a Host that is not the
emulator's address (DNS rebinding) nor a web page of another origin gets an answer."""

from __future__ import annotations

import base64
import hashlib
import json
import tracemalloc
from email.message import Message

import pytest
from helpers import acsid
from wire import VERSION, Wire, error

from acsid_cli import signing
from acsid_cli.emulator import DEFAULT_ACCESS_KEY, routes
from acsid_cli.emulator.app import Emulator
from acsid_cli.emulator.config import EmulatorConfig
from acsid_cli.emulator.messages import Request
from acsid_cli.emulator.process import EmulatorError, admin_call, run_emulator
from acsid_cli.emulator.requestlog import LIMIT_BYTES
from acsid_cli.emulator.server import start_in_thread

CREATE = f"/identities?api-version={VERSION}"
TOKEN_REQUIRED = error(
    "AdminTokenRequired",
    "The /emulator/ endpoints need 'Authorization: Bearer <admin token>', with this run's admin token.",
)
HOST_REFUSED = error(
    "HostNotAllowed",
    "The Host header does not name this emulator's address: the /emulator/ endpoints answer only requests "
    "addressed to it (a name that merely resolves to it may be a DNS-rebinding web page).",
)
ORIGIN_REFUSED = error("OriginNotAllowed", "The /emulator/ endpoints do not answer web pages of other origins.")
# One request to each admin route but health; {id}-free paths, bodies that would be accepted.
GUARDED = [
    (route.method if route.method != routes.ANY else "PATCH", route.pattern.replace("{path...}", "anything"))
    for route in routes.ROUTES
    if route.admin and not route.open
]


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def bare(emulator_server):
    """A connection to the session's emulator that sends no admin token unless told to."""
    wire = Wire(emulator_server.endpoint)
    yield wire
    wire.reconnect()


@pytest.fixture
def token(emulator_server) -> str:
    return str(emulator_server.emulator.config.admin_token)


def test_the_log_keeps_a_fingerprint_of_the_signature_which_cannot_be_replayed(wire, admin):
    before = len(admin.identities())
    date = signing.http_date()
    sent = signing.sign("POST", CREATE, wire.host, b"", base64.b64decode(DEFAULT_ACCESS_KEY), date=date)
    assert wire.request("POST", CREATE, signed=False, headers=sent).status == 201
    signature = sent["Authorization"].partition("Signature=")[2]
    [entry] = admin.requests()
    assert signature not in json.dumps(entry)
    assert "signature" not in entry
    assert entry["fingerprint"] == hashlib.sha256(signature.encode()).hexdigest()[:8]
    # Whatever the log holds, signed in the signature's place, is refused.
    for value in {str(v) for v in entry.values() if v is not None}:
        forged = {**sent, "Authorization": sent["Authorization"].replace(signature, value)}
        assert wire.request("POST", CREATE, signed=False, headers=forged).status == 401
    assert len(admin.identities()) == before + 1


@pytest.mark.parametrize(("method", "path"), GUARDED)
@pytest.mark.parametrize("authorization", [{}, bearer("wrong"), bearer(""), {"Authorization": "Basic YWRtaW4="}])
def test_an_admin_call_without_the_token_is_401(bare, admin, method, path, authorization):
    admin.inject("create", status=503)
    reply = bare.request(method, path, b'{"route": "issue"}', signed=False, headers=authorization)
    assert (reply.status, reply.json) == (401, TOKEN_REQUIRED)
    assert reply.headers["WWW-Authenticate"] == 'Bearer realm="acsid-emulator"'
    assert len(admin.faults()) == 1  # nothing was reset, cleared or added


def test_health_needs_no_token_and_the_token_opens_the_rest(bare, token):
    assert bare.request("GET", "/emulator/health", signed=False).status == 200
    assert bare.request("GET", "/emulator/faults", signed=False, headers=bearer(token)).status == 200


@pytest.mark.parametrize(
    "host",
    [
        "evil.example:{port}",
        "127.0.0.1.nip.io:{port}",
        "127.0.0.1:{other}",
        "127.0.0.1",
        "localhost",
        "",
        "x@127.0.0.1:{port}",
        "127.0.0.1:{port}/x",
        "[::1",
    ],
)
def test_a_host_that_is_not_the_emulators_address_is_refused(bare, token, host):
    port = int(bare.host.rpartition(":")[2])
    sent = host.format(port=port, other=port + 1)
    for path, authorization in (("/emulator/health", {}), ("/emulator/requests", bearer(token))):
        reply = bare.request("GET", path, signed=False, headers={"Host": sent, **authorization})
        assert (reply.status, reply.json) == (403, HOST_REFUSED), (path, sent)


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "LocalHost:{port}", "[::1]:{port}"])
def test_the_loopback_names_of_its_address_are_its_own(bare, token, host):
    sent = host.format(port=bare.host.rpartition(":")[2])
    reply = bare.request("GET", "/emulator/requests", signed=False, headers={"Host": sent, **bearer(token)})
    assert reply.status == 200


def test_the_services_routes_answer_any_host_their_signature_covers(bare):
    """SDKs send the Host of the name they were given (a container's, an alias): the HMAC key guards these."""
    named = {"Host": "acs-emulator:10050"}
    assert bare.request("POST", CREATE, sign_host="acs-emulator:10050", headers=named).status == 201


@pytest.mark.parametrize(
    "browser",
    [
        {"Origin": "http://evil.example"},
        {"Origin": "null"},
        {"Origin": "http://127.0.0.1:1"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site", "Sec-Fetch-Mode": "no-cors"},
    ],
)
def test_a_web_page_of_another_origin_cannot_reset_or_inject(bare, admin, token, browser):
    identity = Wire(bare.endpoint).new_identity()
    page = {"Content-Type": "text/plain", **browser}  # a "simple" request: the browser sends it without asking
    for path, body in (("/emulator/reset", b""), ("/emulator/faults", b'{"route": "create", "status": 500}')):
        for authorization in ({}, bearer(token)):
            reply = bare.request("POST", path, body, signed=False, headers={**page, **authorization})
            assert (reply.status, reply.json) == (403, ORIGIN_REFUSED)
    assert bare.request("GET", "/emulator/health", signed=False, headers=browser).status == 403
    assert identity in [i["id"] for i in admin.identities()]
    assert admin.faults() == []


def test_its_own_pages_origin_is_welcome(bare, token):
    own = {"Origin": bare.endpoint, "Sec-Fetch-Site": "same-origin", **bearer(token)}
    assert bare.request("POST", "/emulator/reset", signed=False, headers=own).status == 204


def admin_request(host: str, local: str | None, token: str | None = None, **headers: str) -> Request:
    message = Message()
    message["Host"] = host
    for name, value in {**headers, **(bearer(token) if token else {})}.items():
        message[name] = value
    return Request("GET", "/emulator/faults", message, b"", f"http://{host}", local)


def test_bound_to_every_interface_the_same_rules_hold():
    emulator = Emulator(EmulatorConfig(host="0.0.0.0", port=10050))
    token = emulator.config.admin_token
    try:
        # A connection that arrived at 10.1.2.3:10050, this machine's address on a network.
        assert emulator.handle(admin_request("10.1.2.3:10050", "10.1.2.3:10050", token)).status == 200
        assert emulator.handle(admin_request("10.1.2.3:10050", "10.1.2.3:10050")).status == 401
        for host in ("10.9.9.9:10050", "localhost:10050", "evil.example:10050", "10.1.2.3:10051"):
            assert emulator.handle(admin_request(host, "10.1.2.3:10050", token)).status == 403, host
        assert emulator.handle(admin_request("localhost:10050", "127.0.0.1:10050", token)).status == 200
        cross = admin_request("10.1.2.3:10050", "10.1.2.3:10050", token, Origin="http://10.1.2.3:8080")
        assert emulator.handle(cross).status == 403
        # Not told where a request arrived, it admits only loopback names.
        assert emulator.handle(admin_request("localhost:10050", None, token)).status == 200
        assert emulator.handle(admin_request("10.1.2.3:10050", None, token)).status == 403
    finally:
        emulator.close()


def test_bound_to_every_interface_it_answers_on_loopback_with_the_token():
    with start_in_thread(EmulatorConfig(host="0.0.0.0", port=0)) as running:
        wire = Wire(running.server.local_endpoint)
        token = bearer(running.emulator.config.admin_token)
        assert wire.request("GET", "/emulator/requests", signed=False, headers=token).status == 200
        assert wire.request("GET", "/emulator/requests", signed=False).status == 401
        elsewhere = {**token, "Host": "a.example"}
        assert wire.request("GET", "/emulator/requests", signed=False, headers=elsewhere).status == 403


def test_more_origins_can_be_let_in_such_as_a_consoles():
    emulator = Emulator(EmulatorConfig(port=10050))
    token = emulator.config.admin_token
    # A console on a port of its own that hands its requests on without saying where they arrived.
    console = admin_request("127.0.0.1:5555", None, token, Origin="http://127.0.0.1:5555")
    try:
        assert emulator.handle(console).status == 403
        arrived = admin_request("127.0.0.1:5555", "127.0.0.1:5555", token, Origin="http://127.0.0.1:5555")
        assert emulator.handle(arrived).status == 200  # one that says so is addressed to its own socket
        emulator.access.allow("http://127.0.0.1:5555")
        assert emulator.handle(console).status == 200
        assert emulator.handle(admin_request("acs-emulator:10050", "172.17.0.2:10050", token)).status == 403
        emulator.access.allow("http://acs-emulator:10050")  # the name a CI service container is reached by
        assert emulator.handle(admin_request("acs-emulator:10050", "172.17.0.2:10050", token)).status == 200
        with pytest.raises(ValueError, match="is not an origin"):
            emulator.access.allow("127.0.0.1:5555")
    finally:
        emulator.close()


def test_the_request_log_is_bounded_by_bytes():
    """1,000 requests with 32 KB headers (32 MB of them) leave the log within its limit."""
    emulator = Emulator(EmulatorConfig(port=10050))
    try:
        tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0]
        for n in range(1000):
            headers = Message()
            headers["Host"] = "127.0.0.1:10050"
            headers["x-ms-client-request-id"] = f"{n:06d}" + "x" * 32_000
            emulator.handle(Request("POST", CREATE, headers, b"", "http://127.0.0.1:10050"))
        kept = tracemalloc.get_traced_memory()[0] - before
        tracemalloc.stop()
        entries = emulator.log.entries()
        assert kept < LIMIT_BYTES * 1.25, f"{kept:,} bytes kept"
        assert 200 < len(entries) < 300
        assert entries[-1].client_request_id is not None
        assert entries[-1].client_request_id.startswith("000999")
    finally:
        emulator.close()


def test_a_child_emulator_takes_the_token_it_is_handed():
    with run_emulator() as emu:
        with pytest.raises(EmulatorError, match="HTTP 401"):
            admin_call(emu.endpoint, "GET", "/emulator/requests")
        assert emu.admin_token
        assert emu.requests() == []


def test_an_empty_admin_token_is_refused_not_taken_for_none():
    result = acsid("emulator", "--port", "0", env={"ACSID_EMULATOR_ADMIN_TOKEN": " "})
    assert (result.exit_code, result.stdout) == (2, "")
    message = "error: ACSID_EMULATOR_ADMIN_TOKEN is empty: set it to a secret, or unset it for a fresh one\n"
    assert result.stderr == message
