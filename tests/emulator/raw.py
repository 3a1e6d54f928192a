"""Clients of the emulator's connection layer on raw sockets: half-sent requests, answers read to the end."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable
from urllib.parse import urlsplit

# The head of a request that never ends: the blank line after the headers is not sent.
HALF_SENT = b"POST /identities?api-version=2023-10-01 HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n"


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
