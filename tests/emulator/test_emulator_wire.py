"""The emulator's HTTP/1.1 wire: lengths, methods, keep-alive across a stop, clients that vanish, its own bugs."""

from __future__ import annotations

import json
import socket
import struct
import threading

import pytest
import requests
from helpers import admin_of
from raw import connect, read_to_end, until
from wire import VERSION, Wire, error

from acsid_cli.emulator.app import Emulator
from acsid_cli.emulator.config import EmulatorConfig
from acsid_cli.emulator.limits import Limits
from acsid_cli.emulator.messages import Answer, Request
from acsid_cli.emulator.server import start_in_thread


def raw_exchange(wire: Wire, request: bytes) -> bytes:
    """Send bytes as they are, and read until the emulator closes the connection."""
    host, port = wire.host.split(":")
    with socket.create_connection((host, int(port)), timeout=5) as raw:
        raw.sendall(request)
        return raw.makefile("rb").read()


def test_chunked_bodies_are_refused(wire):
    request = (
        f"POST /identities?api-version={VERSION} HTTP/1.1\r\nHost: {wire.host}\r\n"
        "Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n"
    )
    answer = raw_exchange(wire, request.encode())
    assert answer.startswith(b"HTTP/1.1 411 Length Required\r\n")
    assert b"\r\nConnection: close\r\n" in answer


@pytest.mark.parametrize("length", ["abc", "-1", "\N{SUPERSCRIPT TWO}"])  # "²".isdigit(), but no int
def test_a_content_length_that_is_no_number_is_refused(wire, length):
    request = f"POST /identities?api-version={VERSION} HTTP/1.1\r\nHost: {wire.host}\r\nContent-Length: {length}\r\n"
    request += "\r\n"
    assert raw_exchange(wire, request.encode("latin-1")).startswith(b"HTTP/1.1 400 Bad Request\r\n")  # 411 before #14


@pytest.mark.parametrize("method", ["HEAD", "OPTIONS", "GET"])
def test_every_method_reaches_the_route_table(wire, method):
    reply = wire.request(method, f"/identities?api-version={VERSION}")
    expected = json.dumps(error("NotFound", f"No operation matches '{method} /identities'."), separators=(",", ":"))
    assert (reply.status, reply.headers["Content-Length"]) == (404, str(len(expected)))
    assert reply.body == (b"" if method == "HEAD" else expected.encode())


def test_a_stopped_emulator_answers_nothing_on_a_kept_alive_connection():
    with start_in_thread(EmulatorConfig(port=0)) as running:
        session = requests.Session()
        assert session.get(f"{running.endpoint}/emulator/health").status_code == 200  # the connection stays open
    with pytest.raises(requests.ConnectionError):
        session.get(f"{running.endpoint}/emulator/health", timeout=5)


def test_a_bug_of_the_emulator_is_a_500_the_client_can_show(wire, mocker, caplog):
    mocker.patch("acsid_cli.emulator.operations.IdentityService.create", side_effect=KeyError("oops"))
    reply = wire.request("POST", f"/identities?api-version={VERSION}")
    assert (reply.status, reply.json) == (
        500,
        error("EmulatorBug", "The acsid emulator failed; its log has the traceback."),
    )
    assert "KeyError: 'oops'" in caplog.text
    assert wire.request("GET", "/emulator/health", signed=False).status == 200  # and it goes on serving


def test_reset_forgets_the_throttles_counts_too():
    with start_in_thread(EmulatorConfig(port=0, throttle={"create": 2})) as running:
        wire, admin = Wire(running.endpoint), admin_of(running)
        statuses = [wire.request("POST", f"/identities?api-version={VERSION}").status for _ in range(3)]
        admin.reset()
        statuses.append(wire.request("POST", f"/identities?api-version={VERSION}").status)
    assert statuses == [201, 201, 429, 201]


def test_a_client_that_resets_mid_request_is_not_a_traceback(capfd):
    with start_in_thread(EmulatorConfig(port=0)) as running:
        connections = running.server.listener.connections
        host, port = running.endpoint.rsplit("/", 1)[1].rsplit(":", 1)
        client = socket.create_connection((host, int(port)))
        client.sendall(b"POST /identities?api-version=2023-10-01 HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nabc")
        assert until(lambda: len(connections) == 1)  # the emulator holds it, waiting for the rest of the body
        client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # close with a reset
        client.close()
        assert until(lambda: not connections)  # the emulator is through with the connection
    assert "Traceback" not in capfd.readouterr().err


def test_an_answer_that_takes_its_time_holds_up_no_other_connection():
    entered, release = threading.Event(), threading.Event()

    def sleep(seconds: float) -> None:  # an injected delay that lasts until the test says so
        entered.set()
        assert release.wait(10)

    with start_in_thread(emulator=Emulator(EmulatorConfig(port=0), sleep=sleep)) as running:
        admin_of(running).inject("create", delayMs=60_000)
        create = ("POST", f"/identities?api-version={VERSION}")
        slow = threading.Thread(target=Wire(running.endpoint).request, args=create)
        slow.start()
        assert entered.wait(10)
        assert Wire(running.endpoint).request("GET", "/emulator/health", signed=False).status == 200
        release.set()
        slow.join(10)


def test_another_app_is_served_on_a_port_of_its_own_with_the_same_limits():
    def app(request: Request) -> Answer:
        text = f"{request.method} {request.target} {request.origin}"
        return Answer(200, raw=text.encode(), content_type="text/plain")

    with start_in_thread(EmulatorConfig(port=0, limits=Limits(max_body_bytes=10))) as running:
        other = running.serve(app)
        assert other.port != running.server.listener.port
        assert other.local_endpoint == f"http://127.0.0.1:{other.port}"
        reply = Wire(other.endpoint).request("GET", "/page?x=1", signed=False)
        assert (reply.status, reply.body) == (200, f"GET /page?x=1 http://127.0.0.1:{other.port}".encode())
        assert Wire(other.endpoint).request("POST", "/page", b"x" * 11, signed=False).status == 413
        session = requests.Session()
        assert session.get(f"{other.endpoint}/page").status_code == 200  # kept alive
    with pytest.raises(requests.ConnectionError):
        session.get(f"{other.endpoint}/page", timeout=5)  # the stop ended it too


def ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
        return True
    except OSError:
        return False


@pytest.mark.skipif(not ipv6_loopback(), reason="no IPv6 loopback here")
def test_ipv6_loopback():
    with start_in_thread(EmulatorConfig(host="::1", port=0)) as running:
        assert running.endpoint.startswith("http://[::1]:")
        assert Wire(running.endpoint).request("POST", f"/identities?api-version={VERSION}").status == 201


def test_a_tls_client_that_never_says_hello_is_dropped_and_stalls_no_one(tls_files):
    config = EmulatorConfig(
        port=0, cert_file=tls_files["cert"], key_file=tls_files["key"], limits=Limits(handshake_timeout=0.3)
    )
    with start_in_thread(config) as running, connect(running.endpoint, timeout=5) as silent:
        wire = Wire(running.endpoint, cafile=tls_files["ca"])
        assert wire.request("GET", "/emulator/health", signed=False).status == 200  # while the silent one waits
        assert read_to_end(silent) == b""  # its handshake ran out of time


def test_answers_go_out_at_once_on_https(https_server, tls_files):
    """Without TCP_NODELAY an answer written after TLS 1.3's session tickets waited for the client's delayed ACK:
    40 ms on most new HTTPS connections (asyncio sets it only on sockets it made itself)."""
    with requests.Session() as session:
        assert session.get(f"{https_server.endpoint}/emulator/health", verify=tls_files["ca"]).status_code == 200
        sockets = [
            connection.transport.get_extra_info("socket") for connection in https_server.server.listener.connections
        ]
        assert sockets, "the kept-alive connection is open"
        assert {sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) for sock in sockets} == {1}
