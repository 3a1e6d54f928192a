"""Fixtures of the emulator's own tests: raw signed HTTP to the session's emulator, and its admin API."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from helpers import admin_of
from wire import Wire

from acsid_cli.emulator.process import EmulatorAdmin


@pytest.fixture
def admin(emulator_server) -> Iterator[EmulatorAdmin]:
    emulator = admin_of(emulator_server)
    emulator.clear()
    yield emulator
    emulator.clear()  # no fault left pending for the next test


@pytest.fixture
def wire(emulator_server, admin):
    wire = Wire(emulator_server.endpoint, admin_token=emulator_server.emulator.config.admin_token)
    yield wire
    wire.reconnect()
