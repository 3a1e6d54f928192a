"""A listening socket and the connections it accepted: at most the connection cap at once (the rest wait in the
listen backlog), TLS handshakes each in a task of its own, and a pause instead of a spin when the process runs
out of file descriptors."""

from __future__ import annotations

import asyncio
import errno
import logging
import socket
import ssl
from collections.abc import Callable, Coroutine
from typing import Any

from acsid_cli.emulator.connection import Connection
from acsid_cli.emulator.site import Site

log = logging.getLogger("acsid_cli.emulator")
BACKLOG = 1024  # the kernel holds this many connections not yet accepted (capped by net.core.somaxconn)
WILDCARD_HOSTS = ("0.0.0.0", "::", "")
_OUT_OF_RESOURCES = {errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM}
ACCEPT_PAUSE_FIRST, ACCEPT_PAUSE_MOST = 0.05, 1.0  # seconds; doubled at each failure in a row


class Listener:
    def __init__(self, site: Site, host: str, port: int, tls: ssl.SSLContext | None) -> None:
        """Binds and listens at once, so connections queue from now on; raises OSError."""
        self.site, self.host, self.tls = site, host, tls
        self.family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.socket = socket.socket(self.family, socket.SOCK_STREAM)
        try:
            self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            self.socket.bind((host, port))
            self.socket.listen(BACKLOG)
            self.socket.setblocking(False)
        except OSError:
            self.socket.close()
            raise
        self.port: int = self.socket.getsockname()[1]
        self.connections: set[Connection] = set()
        self.accept_failures = 0  # accept() calls that failed for want of file descriptors or memory
        self._tasks: set[asyncio.Task[None]] = set()

    async def serve(self) -> None:
        """The accept loop, until cancelled."""
        loop = asyncio.get_running_loop()
        slots = asyncio.Semaphore(self.site.limits.connection_cap())
        pause = ACCEPT_PAUSE_FIRST
        while True:
            await slots.acquire()
            try:
                client, _ = await loop.sock_accept(self.socket)
            except OSError as e:
                slots.release()
                if e.errno not in _OUT_OF_RESOURCES:
                    continue  # the client gave up before we accepted it: nothing to do
                self.accept_failures += 1
                if pause == ACCEPT_PAUSE_FIRST:
                    log.warning("acsid emulator: cannot accept connections (%s); retrying", e.strerror or e)
                await asyncio.sleep(pause)
                pause = min(pause * 2, ACCEPT_PAUSE_MOST)
                continue
            pause = ACCEPT_PAUSE_FIRST
            self._spawn(self._open(client, slots.release))

    async def _open(self, client: socket.socket, release: Callable[[], None]) -> None:
        """Serve an accepted socket; the handshake of HTTPS runs here, where a slow client stalls no one else."""
        loop = asyncio.get_running_loop()

        def closed(connection: Connection) -> None:
            self.connections.discard(connection)
            release()

        connection = Connection(self.site, closed)
        self.connections.add(connection)
        # Each answer goes out as soon as it is written. asyncio sets this only on sockets it made itself; without
        # it, an answer after TLS 1.3's session tickets waited for the client's delayed ACK: 40 ms on most new
        # HTTPS connections.
        client.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            timeout = self.site.limits.handshake_timeout if self.tls else None
            await loop.connect_accepted_socket(lambda: connection, client, ssl=self.tls, ssl_handshake_timeout=timeout)
        except (OSError, asyncio.TimeoutError, asyncio.CancelledError):  # a failed handshake, or stopping
            client.close()
            if not connection.made:
                closed(connection)

    def _spawn(self, coroutine: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def start(self) -> None:
        """Start accepting; call from the event loop's thread."""
        self._spawn(self.serve())

    async def close(self) -> None:
        """Stop accepting and end every connection, kept-alive ones too: once stopped, nothing may answer."""
        for task in list(self._tasks):
            task.cancel()
        for connection in list(self.connections):
            if connection.made:
                connection.abort()
        for _ in range(10):  # the tasks end, and the transports close, on the loop's next turns
            if not self.connections and not self._tasks:
                break
            await asyncio.sleep(0)
        self.socket.close()

    @property
    def endpoint(self) -> str:
        """Where clients reach it: on all interfaces, the address other machines use, not a loopback one."""
        return self._url(reachable_address(self.family) if self.host in WILDCARD_HOSTS else self.host)

    @property
    def local_endpoint(self) -> str:
        """Where clients on this machine reach it."""
        loopback = "::1" if self.family == socket.AF_INET6 else "127.0.0.1"
        return self._url(loopback if self.host in WILDCARD_HOSTS else self.host)

    def _url(self, host: str) -> str:
        return f"{self.site.scheme}://{f'[{host}]' if ':' in host else host}:{self.port}"


def reachable_address(family: int = socket.AF_INET) -> str:
    """The source address of the default route. A UDP connect() only picks the route: nothing is sent."""
    probe, loopback = (("2001:db8::1", 9), "::1") if family == socket.AF_INET6 else (("192.0.2.1", 9), "127.0.0.1")
    try:
        with socket.socket(family, socket.SOCK_DGRAM) as udp:
            udp.connect(probe)
            return str(udp.getsockname()[0])
    except OSError:  # no route anywhere: only this machine can reach it
        return loopback
