"""Clients of the emulator's connection layer on raw sockets: half-sent requests, answers read to the end."""

from __future__ import annotations

import contextlib
import select
import socket
import time
from collections.abc import Callable, Iterator
from urllib.parse import urlsplit

import pytest

# The head of a request that never ends: the blank line after the headers is not sent.
HALF_SENT = b"POST /identities?api-version=2023-10-01 HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n"


def health_check(endpoint: str) -> bytes:
    """GET /emulator/health, addressed to the emulator by its own address (the admin API refuses other Hosts)."""
    return f"GET /emulator/health HTTP/1.1\r\nHost: {urlsplit(endpoint).netloc}\r\n\r\n".encode()


def until(condition: Callable[[], object], timeout: float = 10.0) -> bool:
    """Whether condition() came true before the deadline (checked every few milliseconds)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.005)
    return True


def connect(endpoint: str, timeout: float = 10.0) -> socket.socket:
    parts = urlsplit(endpoint)
    return socket.create_connection((parts.hostname, parts.port), timeout=timeout)


def read_to_end(client: socket.socket) -> bytes:
    """Everything the emulator sends until it closes the connection (a reset counts as a close)."""
    chunks = []
    while True:
        try:
            chunk = client.recv(65536)
        except ConnectionResetError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks)


def exchange(endpoint: str, request: bytes) -> bytes:
    """Send bytes as they are, and read until the emulator closes the connection."""
    with connect(endpoint) as client:
        client.sendall(request)
        return read_to_end(client)


def status_of(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/1.1 ") else 0


@contextlib.contextmanager
def open_files_limit(wanted: int) -> Iterator[None]:
    """Raise this process's soft limit on open files to `wanted` (within the hard limit) for the block."""
    resource = pytest.importorskip("resource")
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < wanted:
        pytest.skip(f"needs {wanted} open files; the hard limit is {hard}")
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, wanted), hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


@contextlib.contextmanager
def half_sent_requests(endpoint: str, count: int) -> Iterator[list[socket.socket]]:
    """count connections, each with a request whose head never ends."""
    clients: list[socket.socket] = []
    try:
        for _ in range(count):
            clients.append(connect(endpoint))
            clients[-1].sendall(HALF_SENT)
        yield clients
    finally:
        for client in clients:
            client.close()


def still_open(client: socket.socket) -> bool:
    """Whether the emulator has neither closed the connection nor answered on it (checked without waiting)."""
    return not readable(client, 0)


def readable(client: socket.socket, timeout: float) -> bool:
    """Whether an answer, or the end of the connection, comes within timeout seconds."""
    poll = select.poll()  # not select.select: descriptors beyond 1024
    poll.register(client, select.POLLIN)
    return bool(poll.poll(timeout * 1000))
