"""Fixtures of the CLI's tests: an emulator whose delayed answers wait at a gate the test opens."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from children import Gate
from helpers import admin_of

from acsid_cli.emulator.app import Emulator
from acsid_cli.emulator.config import EmulatorConfig
from acsid_cli.emulator.process import EmulatorAdmin
from acsid_cli.emulator.server import start_in_thread


@pytest.fixture(scope="session")
def gated_server() -> Iterator[tuple[object, Gate]]:
    gate = Gate()
    with start_in_thread(emulator=Emulator(EmulatorConfig(port=0), sleep=gate)) as running:
        yield running, gate
        gate.open()


@pytest.fixture
def gated(gated_server) -> Iterator[tuple[EmulatorAdmin, Gate]]:
    """(admin, gate): an emulator whose answers delayed by a fault (delayMs) wait at the gate, until
    gate.open() or the test's end. Faults and the log are cleared; identities of other tests remain."""
    running, gate = gated_server
    admin = admin_of(running)
    admin.clear()
    gate.close()
    yield admin, gate
    gate.open()
    admin.clear()
