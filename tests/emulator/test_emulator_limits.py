"""Bounded memory (#14.10): a body over the limit is refused before it is read, a Content-Length that is no
single number is one 400 (never a traceback, never a second request read out of the first's body), and
heads are capped in bytes and in fields."""

from __future__ import annotations

from pathlib import Path

import pytest
from raw import connect, exchange, read_to_end, status_of

from acsid_cli.emulator.http1 import MAX_LENGTH_DIGITS
from acsid_cli.emulator.limits import MAX_CONNECTIONS_CEILING, Limits
from acsid_cli.emulator.listener import ACCEPT_PAUSE_FIRST, ACCEPT_PAUSE_MOST, BACKLOG
from acsid_cli.emulator.server import WORKERS

LIMIT = Limits().max_body_bytes
HEALTH = b"GET /emulator/health HTTP/1.1\r\nHost: x\r\n\r\n"


def post(length_headers: str, body: bytes = b"") -> bytes:
    """An unsigned create: once its body is read, the emulator answers 401."""
    head = f"POST /identities?api-version=2023-10-01 HTTP/1.1\r\nHost: x\r\n{length_headers}\r\n"
    return head.encode("latin-1") + body


def test_a_body_over_the_limit_is_refused_before_a_byte_of_it_is_sent(emulator_server):
    with connect(emulator_server.endpoint) as client:
        client.sendall(post("Content-Length: 100000000\r\n"))  # 100 MB announced, none sent
        answer = read_to_end(client)
    assert status_of(answer) == 413
    assert answer.endswith(b'"message":"The body is longer than the emulator\'s limit of 65536 bytes."}}')
    assert b"\r\nConnection: close\r\n" in answer


def test_a_client_that_asks_to_continue_hears_413_instead(emulator_server):
    with connect(emulator_server.endpoint) as client:
        client.sendall(post(f"Content-Length: {LIMIT + 1}\r\nExpect: 100-continue\r\n"))
        answer = read_to_end(client)
    assert status_of(answer) == 413  # and no "100 Continue" before it


def test_a_client_that_asks_to_continue_may_send_a_body_within_the_limit(emulator_server):
    body = b'{"route": "create"}'
    with connect(emulator_server.endpoint) as client:
        client.sendall(post(f"Content-Length: {len(body)}\r\nExpect: 100-continue\r\n"))
        assert client.recv(100) == b"HTTP/1.1 100 Continue\r\n\r\n"
        client.sendall(body)
        assert status_of(client.recv(65536)) == 401  # the body was read, and its signature checked


@pytest.mark.parametrize(("length", "status"), [(LIMIT, 401), (LIMIT + 1, 413)])
def test_the_limit_is_the_largest_body_read(emulator_server, length, status):
    request = post(f"Content-Length: {length}\r\nConnection: close\r\n", b"x" * length)
    assert status_of(exchange(emulator_server.endpoint, request)) == status


@pytest.mark.parametrize(
    "lengths",
    [
        "Content-Length: -1\r\n",
        "Content-Length: abc\r\n",
        "Content-Length: 1e3\r\n",
        "Content-Length: 0x10\r\n",
        "Content-Length: +5\r\n",
        "Content-Length: \r\n",
        "Content-Length: 5 5\r\n",
        "Content-Length: 5, 5\r\n",
        "Content-Length: \N{SUPERSCRIPT TWO}\r\n",
        "Content-Length: 99999999999999999999999999999999\r\n",
        "Content-Length: " + "9" * 5000 + "\r\n",  # int() of it would raise
        "Content-Length: 2\r\nContent-Length: 43\r\n",  # smuggling: which one frames the body?
        "Content-Length: 43\r\nContent-Length: 43\r\n",
        "Content-Length : 43\r\n",  # space before the colon: refused as a malformed header line
        "Content-Length:\t2\r\n 43\r\n",  # a folded line, likewise
    ],
)
def test_a_content_length_that_is_not_one_number_is_one_400(emulator_server, lengths, capfd):
    smuggled = b"{}" + HEALTH  # 2 bytes of body, then a second request in the 43 of the other length
    answer = exchange(emulator_server.endpoint, post(lengths, smuggled))
    assert status_of(answer) == 400
    assert answer.count(b"HTTP/1.1 ") == 1  # the connection closed after it: nothing else was read as a request
    message = answer.rpartition(b'"message":')[2]
    assert message in (b'"Content-Length must be one decimal number of bytes."}}', b'"A header line is malformed."}}')
    assert "Traceback" not in capfd.readouterr().err


def test_a_content_length_with_a_transfer_encoding_is_refused_as_chunked(emulator_server):
    answer = exchange(emulator_server.endpoint, post("Content-Length: 2\r\nTransfer-Encoding: chunked\r\n", b"{}"))
    assert answer.startswith(b"HTTP/1.1 411 Length Required\r\n")
    assert answer.count(b"HTTP/1.1 ") == 1


def test_a_head_over_16_kib_is_431(emulator_server):
    headers = "".join(f"X-Padding-{n}: {'a' * 400}\r\n" for n in range(45))  # 45 fields, 18 KiB
    answer = exchange(emulator_server.endpoint, f"GET /emulator/health HTTP/1.1\r\nHost: x\r\n{headers}\r\n".encode())
    assert answer.startswith(b"HTTP/1.1 431 Request Header Fields Too Large\r\n")
    assert b'"message":"Send at most 16384 bytes of headers."' in answer


def test_more_than_100_header_fields_are_431(emulator_server):
    headers = "".join(f"X-{n}: a\r\n" for n in range(101))
    answer = exchange(emulator_server.endpoint, f"GET /emulator/health HTTP/1.1\r\n{headers}\r\n".encode())
    assert answer.startswith(b"HTTP/1.1 431 Request Header Fields Too Large\r\n")


def test_a_request_line_over_16_kib_is_414(emulator_server):
    answer = exchange(emulator_server.endpoint, b"GET /" + b"a" * 17_000 + b" HTTP/1.1\r\n\r\n")
    assert status_of(answer) == 414
    assert b'"message":"Send a request line of at most 16384 bytes."' in answer


@pytest.mark.parametrize(
    ("request_line", "status"),
    [
        (b"GET /emulator/health HTTP/2.0", 505),
        (b"BREW /emulator/health HTTP/1.1", 501),
        (b"GET /emulator/health", 400),
        (b"GET  /emulator/health HTTP/1.1", 400),
        (b"GET /emulator/\x01health HTTP/1.1", 400),
        (b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 400),  # a TLS ClientHello sent to plain http
    ],
)
def test_a_request_line_that_is_not_http_1_1_is_refused_in_one_answer(emulator_server, request_line, status, capfd):
    answer = exchange(emulator_server.endpoint, request_line + b"\r\nHost: x\r\n\r\n")
    assert (status_of(answer), answer.count(b"HTTP/1.1 ")) == (status, 1)
    assert "Traceback" not in capfd.readouterr().err


def test_the_docs_state_the_limits_the_emulator_has():
    docs = (Path(__file__).parents[2] / "docs" / "emulator.md").read_text()
    section = " ".join(docs.split("\n## Limits\n")[1].split("\n## ")[0].split())  # line breaks are no facts
    limits = Limits()
    for fact in (
        f"| {limits.header_timeout:g} s from the request's first byte |",
        f"| {limits.body_timeout:g} s for the whole body",
        f"| {limits.idle_timeout:g} s (Node",
        f"| a new connection sends its first byte | {limits.header_timeout:g} s |",
        f"| TLS handshake | {limits.handshake_timeout:g} s |",
        f"at most {MAX_CONNECTIONS_CEILING:,}: {1024 // 2} with the common 1,024",
        f"listen backlog ({BACKLOG:,}",
        f"| {limits.max_body_bytes // 1024} KiB (",
        f"at most {MAX_LENGTH_DIGITS} of them",
        f"| {limits.max_head_bytes // 1024} KiB together (Node's default),",
        f"at most {limits.max_headers} header fields |",
        f"pauses ({ACCEPT_PAUSE_FIRST:g} s, doubling up to {ACCEPT_PAUSE_MOST:g} s)",
        f"up to {WORKERS} worker threads",
    ):
        assert fact in section
