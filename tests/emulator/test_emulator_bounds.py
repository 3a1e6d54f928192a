"""The emulator is bounded by design (#14.9): clients that send slowly, or not at all, are cut on a clock;
connections are capped; a thousand slow clients cost no thread each and hold up no one; running out of file
descriptors pauses the accept loop instead of spinning it."""

from __future__ import annotations

import errno
import http.client
import os
import re
import socket
import threading
import time

import pytest
from raw import (
    connect,
    exchange,
    half_sent_requests,
    health_check,
    open_files_limit,
    read_to_end,
    readable,
    status_of,
    still_open,
    until,
)

from acsid_cli.emulator.config import EmulatorConfig
from acsid_cli.emulator.limits import Limits
from acsid_cli.emulator.listener import ACCEPT_PAUSE_FIRST
from acsid_cli.emulator.server import start_in_thread

SLOW_CLIENTS = 1000


@pytest.fixture(scope="module")
def impatient():
    """An emulator that gives clients a third of a second for each phase."""
    limits = Limits(header_timeout=0.3, body_timeout=0.3, idle_timeout=0.3)
    with start_in_thread(EmulatorConfig(port=0, limits=limits)) as running:
        yield running


def test_a_health_check_answers_at_once_while_a_thousand_slow_clients_are_connected():
    before = threading.active_count()
    with (
        open_files_limit(4 * SLOW_CLIENTS),  # this process holds both ends of each connection
        start_in_thread(EmulatorConfig(port=0)) as running,
        half_sent_requests(running.endpoint, SLOW_CLIENTS) as clients,
    ):
        assert until(lambda: len(running.server.listener.connections) == SLOW_CLIENTS)  # all accepted and waiting
        host, port = running.endpoint.rsplit("/", 1)[1].split(":")
        started = time.perf_counter()
        health = http.client.HTTPConnection(host, int(port), timeout=10)
        health.request("GET", "/emulator/health")
        status = health.getresponse().status
        elapsed = time.perf_counter() - started
        health.close()
        assert (status, elapsed < 0.5) == (200, True), f"{elapsed:.3f} s"
        assert all(still_open(client) for client in clients)  # held, neither dropped nor answered
        assert threading.active_count() - before <= 3  # the event loop and a worker or two: no thread per client


def test_a_thousand_half_sent_requests_are_cut_after_the_header_timeout(impatient):
    with open_files_limit(4 * SLOW_CLIENTS), half_sent_requests(impatient.endpoint, SLOW_CLIENTS) as clients:
        answers = [read_to_end(client) for client in clients]  # each ends: the emulator closed it
        assert until(lambda: not impatient.server.listener.connections)
    # A 408 each; or, for one whose bytes had not reached the event loop when its clock ran out (a loaded
    # machine), a close without a word, as for a connection that sent nothing.
    assert {status_of(answer) for answer in answers} <= {408, 0}
    timed_out = next(answer for answer in answers if answer)
    assert timed_out.endswith(b'{"error":{"code":"RequestTimeout","message":"The request did not arrive in time."}}')
    assert b"\r\nConnection: close\r\n" in timed_out


def test_a_head_trickled_byte_by_byte_is_cut_on_the_clock_of_the_whole_head(impatient):
    head = b"GET /emulator/health HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 200 + b"\r\n\r\n"
    with connect(impatient.endpoint) as client:
        sent = 0
        while sent < len(head) and not readable(client, 0.05):  # each byte resets no clock
            client.sendall(head[sent : sent + 1])
            sent += 1
        assert status_of(read_to_end(client)) == 408
    assert sent < len(head)


def test_a_body_that_stops_coming_is_cut_after_the_body_timeout(impatient):
    request = b'POST /emulator/faults HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n{"a"'
    assert status_of(exchange(impatient.endpoint, request)) == 408


def test_a_connection_that_sends_nothing_is_closed_without_a_word(impatient):
    with connect(impatient.endpoint) as client:
        assert read_to_end(client) == b""


def test_a_kept_alive_connection_closes_quietly_after_the_idle_timeout(impatient):
    with connect(impatient.endpoint) as client:
        client.sendall(health_check(impatient.endpoint))
        answer = http.client.HTTPResponse(client)
        answer.begin()
        assert (answer.status, answer.will_close) == (200, False)
        answer.read()
        assert read_to_end(client) == b""  # closed, and no 408 on a connection with no request on it


def test_connections_beyond_the_cap_wait_in_the_backlog_until_one_closes():
    with start_in_thread(EmulatorConfig(port=0, limits=Limits(max_connections=2))) as running:
        first, second = connect(running.endpoint), connect(running.endpoint)
        for client in (first, second):
            client.sendall(health_check(running.endpoint))
            assert client.recv(65536).startswith(b"HTTP/1.1 200 OK\r\n")
        waiting = connect(running.endpoint)  # the kernel completes it; the emulator does not accept it yet
        waiting.sendall(health_check(running.endpoint))
        first.sendall(health_check(running.endpoint))  # a round trip: the event loop has turned since the third came
        assert first.recv(65536).startswith(b"HTTP/1.1 200 OK\r\n")
        assert still_open(waiting)
        assert len(running.server.listener.connections) == 2
        first.close()
        assert waiting.recv(65536).startswith(b"HTTP/1.1 200 OK\r\n")
        second.close()
        waiting.close()


def _open_until_none_are_left(fillers: list[int]) -> None:
    """Opens /dev/null into fillers until the process may open no more (EMFILE)."""
    while True:
        fillers.append(os.open(os.devnull, os.O_RDONLY))


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="counts this process's descriptors in /proc")
def test_out_of_file_descriptors_the_accept_loop_pauses_instead_of_spinning_then_recovers(caplog):
    resource = pytest.importorskip("resource")
    with start_in_thread(EmulatorConfig(port=0)) as running:
        listener = running.server.listener
        host, port = running.endpoint.rsplit("/", 1)[1].split(":")
        client = socket.socket()  # its descriptor is taken before there are none left
        client.settimeout(10)
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        fillers: list[int] = []
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (max(map(int, os.listdir("/proc/self/fd"))) + 1, hard))
            with pytest.raises(OSError, match=re.escape(f"[Errno {errno.EMFILE}]")):
                _open_until_none_are_left(fillers)
            started = time.monotonic()
            client.connect((host, int(port)))  # accept() now fails with EMFILE
            assert until(lambda: listener.accept_failures >= 3)
            elapsed = time.monotonic() - started
        finally:
            for filler in fillers:
                os.close(filler)
            resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
        # Pauses of 0.05, then 0.1 s between the three failures; a spinning loop fails thousands of times a second.
        assert elapsed >= 2 * ACCEPT_PAUSE_FIRST
        assert listener.accept_failures <= 2 + elapsed / ACCEPT_PAUSE_FIRST
        client.sendall(health_check(running.endpoint))
        assert client.recv(65536).startswith(b"HTTP/1.1 200 OK\r\n")  # accepted once descriptors are free again
        client.close()
    assert caplog.text.count("cannot accept connections") == 1  # one line, not one per retry
