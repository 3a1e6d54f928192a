"""The emulator's server: the address it binds and announces, TLS handshakes, the connections it serves
(each in a thread of its own, with handler.Handler), and running it from a thread of this process."""

from __future__ import annotations

import contextlib
import socket
import socketserver
import sys
import threading
from http.server import ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from acsid_cli import protocol
from acsid_cli.emulator import tls
from acsid_cli.emulator.app import Emulator
from acsid_cli.emulator.config import EmulatorConfig
from acsid_cli.emulator.handler import Handler

_HANDSHAKE_TIMEOUT = 10.0
WILDCARD_HOSTS = ("0.0.0.0", "::", "")


class EmulatorServer(ThreadingHTTPServer):
    daemon_threads = True  # idle keep-alive connections must not hold up shutdown
    request_queue_size = 128
    stopping = False  # set once stopping: a request still in flight then may fail quietly

    def __init__(self, emulator: Emulator) -> None:
        """Binds and loads the certificate; raises OSError or ValueError."""
        self.emulator = emulator
        config = emulator.config
        if ":" in config.host:
            self.address_family = socket.AF_INET6
        self.tls = tls.context(config.cert_file, config.key_file) if config.cert_file and config.key_file else None
        self._open: set[socket.socket] = set()  # connections being served, to cut when stopping
        self._open_lock = threading.Lock()
        super().__init__((config.host, config.port), Handler)

    @property
    def endpoint(self) -> str:
        """Where clients reach it: on all interfaces, the address other machines use, not a loopback one."""
        host = self.emulator.config.host
        return self._url(reachable_address(self.address_family) if host in WILDCARD_HOSTS else host)

    @property
    def local_endpoint(self) -> str:
        """Where clients on this machine reach it."""
        host = self.emulator.config.host
        return self._url(("::1" if ":" in host else "127.0.0.1") if host in WILDCARD_HOSTS else host)

    def _url(self, host: str) -> str:
        return f"{'https' if self.tls else 'http'}://{f'[{host}]' if ':' in host else host}:{self.server_address[1]}"

    @property
    def connection_string(self) -> str:
        """With plain http to an address beyond loopback, it says UseDevelopmentEmulator=true, the convention
        of Azure's Service Bus and Event Hubs emulators, which acsid honours."""
        text = f"endpoint={self.endpoint}/;accesskey={self.emulator.config.access_key}"
        if self.tls is None and not protocol.is_loopback(urlsplit(self.endpoint).hostname or ""):
            text += f";{protocol.DEVELOPMENT_EMULATOR_SETTING}=true"
        return text

    def server_bind(self) -> None:
        # HTTPServer.server_bind would also resolve the host's FQDN, which we never use and may be slow.
        socketserver.TCPServer.server_bind(self)

    def finish_request(self, request: Any, client_address: Any) -> None:
        if self.tls is None:
            self._serve(request, client_address)
            return
        # The handshake runs here, in the connection's thread, so a slow client cannot stall accept().
        try:
            request.settimeout(_HANDSHAKE_TIMEOUT)
            tls_socket = self.tls.wrap_socket(request, server_side=True)
            tls_socket.settimeout(None)
        except OSError:
            return
        try:
            self._serve(tls_socket, client_address)
        finally:
            self.shutdown_request(tls_socket)

    def _serve(self, connection: socket.socket, client_address: Any) -> None:
        with self._open_lock:
            self._open.add(connection)
        try:
            super().finish_request(connection, client_address)
        finally:
            with self._open_lock:
                self._open.discard(connection)

    def cut_connections(self) -> None:
        """Ends every connection, idle keep-alive ones too: once stopped, nothing may answer on them."""
        with self._open_lock:
            connections = list(self._open)
        for connection in connections:
            with contextlib.suppress(OSError):  # already gone
                connection.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request: Any, client_address: Any) -> None:
        if self.stopping or isinstance(sys.exc_info()[1], OSError):
            return  # the client went away mid-request, or the state closed under it: nothing to report
        super().handle_error(request, client_address)


def reachable_address(family: int = socket.AF_INET) -> str:
    """The source address of the default route. A UDP connect() only picks the route: nothing is sent."""
    probe, loopback = (("2001:db8::1", 9), "::1") if family == socket.AF_INET6 else (("192.0.2.1", 9), "127.0.0.1")
    try:
        with socket.socket(family, socket.SOCK_DGRAM) as udp:
            udp.connect(probe)
            return str(udp.getsockname()[0])
    except OSError:  # no route anywhere: only this machine can reach it
        return loopback


class RunningServer:
    """An emulator serving from a background thread of this process; stop() it, or use it as a context."""

    def __init__(self, server: EmulatorServer) -> None:
        self.server = server
        self.emulator = server.emulator
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.1}, name="acsid-emulator", daemon=True
        )
        self._thread.start()

    @property
    def endpoint(self) -> str:
        return self.server.endpoint

    @property
    def connection_string(self) -> str:
        return self.server.connection_string

    def stop(self) -> None:
        self.server.stopping = True
        self.server.shutdown()
        self.server.cut_connections()
        self._thread.join()
        self.server.server_close()
        self.server.emulator.close()

    def __enter__(self) -> RunningServer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def start_in_thread(config: EmulatorConfig | None = None, emulator: Emulator | None = None) -> RunningServer:
    """Serve an emulator (made from config when not given) from a thread; raises OSError, ValueError, StateError."""
    emulator = emulator or Emulator(config or EmulatorConfig())
    try:
        return RunningServer(EmulatorServer(emulator))
    except BaseException:
        emulator.close()
        raise
