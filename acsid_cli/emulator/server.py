"""The emulator's server: the address it binds and announces, and running it from a thread of this process.

One event loop serves every connection (a thousand idle ones cost next to nothing); the answers are worked out
on a few worker threads, so a slow one (an injected delay) holds up no other connection. Other apps (a
function Request -> Answer) can be served on ports of their own, with the same limits: RunningServer.serve.
"""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

from acsid_cli import protocol
from acsid_cli.emulator import tls
from acsid_cli.emulator.app import Emulator
from acsid_cli.emulator.config import EmulatorConfig
from acsid_cli.emulator.listener import WILDCARD_HOSTS, Listener, reachable_address
from acsid_cli.emulator.site import App, Site

__all__ = ["WILDCARD_HOSTS", "EmulatorServer", "RunningServer", "reachable_address", "start_in_thread"]
WORKERS = 32  # answers worked out at once; the rest wait their turn (a bulk run sends 8 at once)
_STOP_TIMEOUT = 10.0


class EmulatorServer:
    stopping = False  # set once stopping: a request still in flight then may fail quietly

    def __init__(self, emulator: Emulator) -> None:
        """Binds and loads the certificate; raises OSError or ValueError."""
        self.emulator = emulator
        config = emulator.config
        self.tls = tls.context(config.cert_file, config.key_file) if config.cert_file and config.key_file else None
        self.executor = ThreadPoolExecutor(WORKERS, thread_name_prefix="acsid-emulator-worker")
        self.listeners: list[Listener] = []
        self.listener = self.listen(emulator.handle, config.host, config.port)

    def listen(self, app: App, host: str, port: int) -> Listener:
        """A listener of app on host:port, with the emulator's limits and TLS; raises OSError."""
        site = Site(app, self.emulator.config.limits, "https" if self.tls else "http", self.executor, self._stopping)
        listener = Listener(site, host, port, self.tls)
        self.listeners.append(listener)
        return listener

    def _stopping(self) -> bool:
        return self.stopping

    @property
    def endpoint(self) -> str:
        """Where clients reach it: on all interfaces, the address other machines use, not a loopback one."""
        return self.listener.endpoint

    @property
    def local_endpoint(self) -> str:
        """Where clients on this machine reach it."""
        return self.listener.local_endpoint

    @property
    def connection_string(self) -> str:
        """With plain http to an address beyond loopback, it says UseDevelopmentEmulator=true, the convention
        of Azure's Service Bus and Event Hubs emulators, which acsid honours."""
        text = f"endpoint={self.endpoint}/;accesskey={self.emulator.config.access_key}"
        if self.tls is None and not protocol.is_loopback(urlsplit(self.endpoint).hostname or ""):
            text += f";{protocol.DEVELOPMENT_EMULATOR_SETTING}=true"
        return text


class RunningServer:
    """An emulator serving from a background thread of this process; stop() it, or use it as a context."""

    def __init__(self, server: EmulatorServer) -> None:
        self.server = server
        self.emulator = server.emulator
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="acsid-emulator", daemon=True)
        self._thread.start()
        for listener in server.listeners:
            self._loop.call_soon_threadsafe(listener.start)

    @property
    def endpoint(self) -> str:
        return self.server.endpoint

    @property
    def connection_string(self) -> str:
        return self.server.connection_string

    def serve(self, app: App, host: str | None = None, port: int = 0) -> Listener:
        """Serve another app on a port of its own (the emulator's host by default), with the same limits and TLS,
        until stop(); its .endpoint and .local_endpoint say where. Raises OSError."""
        listener = self.server.listen(app, self.emulator.config.host if host is None else host, port)
        self._loop.call_soon_threadsafe(listener.start)
        return listener

    def stop(self) -> None:
        self.server.stopping = True
        closing = asyncio.run_coroutine_threadsafe(self._close_listeners(), self._loop)
        closing.result(_STOP_TIMEOUT)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join()
        self._loop.close()
        self.server.executor.shutdown(wait=False, cancel_futures=True)
        self.server.emulator.close()

    async def _close_listeners(self) -> None:
        for listener in self.server.listeners:
            await listener.close()

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
