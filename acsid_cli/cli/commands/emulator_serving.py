"""Serving `acsid emulator`: the development CA's files under --self-signed, the web console, the announcement
(the file `acsid emulator env` reads, then the connection string and the lines for people), and a clean stop.

Imported only when the emulator runs: the CLI's start-up must not pay for it.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from acsid_cli.cli.output import Output, UsageError


@dataclass(frozen=True)
class Trust:
    """Under --self-signed: the certificate (and key) the server uses, and the files clients trust."""

    server_file: str
    ca_file: str
    bundle_file: str  # the usual CAs and the development CA


def development_trust(host: str, ca_file: str | None) -> Trust:
    from acsid_cli.emulator.devca import development_ca
    from acsid_cli.emulator.server import WILDCARD_HOSTS, reachable_address

    try:
        ca = development_ca()
        server_file = ca.server_file([reachable_address() if host in WILDCARD_HOSTS else host])
    except (OSError, ValueError) as e:
        raise UsageError(f"cannot use the development CA: {getattr(e, 'strerror', None) or e}") from None
    if ca_file is not None:
        try:
            Path(ca_file).write_bytes(ca.ca_file.read_bytes())
        except OSError as e:
            raise UsageError(f"cannot write the CA to {ca_file}: {e.strerror}") from None
    return Trust(str(server_file), ca_file or str(ca.ca_file), str(ca.bundle_file))


def start_console(running: Any, host: str, port: int) -> str:
    """Serves the web console on a port of its own; its address, with the admin token."""
    from acsid_cli.emulator.console import app as web_console

    try:
        return str(web_console.address(web_console.serve(running, port), running.emulator.config.admin_token))
    except OSError as e:
        running.stop()
        hint = "--console-port 0 picks a free port; --no-console serves none"
        raise UsageError(f"cannot listen on {host}:{port} for the console: {e.strerror or e}", hint) from None


def serve(
    out: Output, running: Any, trust: Trust | None, state: str | None, quiet: bool, console: str | None = None
) -> None:
    """Announces the emulator (the file `acsid emulator env` reads, then the connection string), serves until
    SIGINT or SIGTERM, and stops."""
    announced = None
    try:
        # The handler raises, as Ctrl-C does, rather than setting an Event: Event.set() in a handler deadlocks
        # when the signal lands while the main thread holds that Event's lock inside wait().
        for signal_number in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signal_number, _stop)
        announced = _announce(out, running, trust)
        if not quiet:  # first, so that all is said by the time a script has the connection string
            _tell_people(out, running, trust, state, console)
        out.line(running.connection_string)  # the one line scripts and fixtures read
        threading.Event().wait()  # until a signal
    except _Stop:
        pass
    finally:
        for signal_number in (signal.SIGINT, signal.SIGTERM):  # a second signal must not cut the stop short
            signal.signal(signal_number, signal.SIG_IGN)
        running.stop()
        if announced:
            with contextlib.suppress(FileNotFoundError):
                announced.unlink()
    if not quiet:
        out.info("acsid emulator: stopped")


class _Stop(Exception):
    """SIGINT or SIGTERM: stop serving."""


def _stop(signum: int, frame: Any) -> None:
    raise _Stop


def _announce(out: Output, running: Any, trust: Trust | None) -> Path | None:
    from acsid_cli.emulator import runtime

    announcement = runtime.Announcement(
        os.getpid(),
        running.connection_string,
        running.endpoint,
        running.emulator.config.admin_token,
        trust.ca_file if trust else None,
        trust.bundle_file if trust else None,
    )
    try:
        return runtime.announce(announcement)
    except OSError as e:  # a read-only home: the emulator still serves, only `env` cannot find it
        out.warning(f"cannot write to {runtime.folder()}: {e.strerror}; 'acsid emulator env' will not see this one")
        return None


def _tell_people(out: Output, running: Any, trust: Trust | None, state: str | None, console: str | None) -> None:
    where = f"state: {state}" if state else "state: memory"
    out.info(f"acsid emulator: listening on {running.endpoint} (resource {running.emulator.resource_id}, {where})")
    if running.server.local_endpoint != running.endpoint:
        out.info(f"acsid emulator: on this machine also {running.server.local_endpoint}")
    token = running.emulator.config.admin_token
    out.info(f"acsid emulator: admin token {token} (/emulator/ calls send it as Authorization: Bearer)")
    if console:
        out.info(f"console: {console}")
    if trust is not None:
        ca, bundle = trust.ca_file, trust.bundle_file
        out.info(f"acsid emulator: HTTPS with a certificate of acsid's development CA; clients trust {ca}:")
        out.info(f"  export REQUESTS_CA_BUNDLE={bundle} SSL_CERT_FILE={bundle}  # Python (requests, azure-core)")
        out.info(f"  export NODE_EXTRA_CA_CERTS={ca}  # Node.js")
    out.info('acsid emulator: eval "$(acsid emulator env)" sets all of it in a shell')
