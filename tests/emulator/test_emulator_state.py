"""The emulator as a process: state that survives `kill -9` and a restart, its files, clean stops on signals."""

from __future__ import annotations

import re
import signal
import stat

import pytest
from helpers import admin_of, emulator_process
from wire import PREVIEW, Wire, identity_path, jwt_header

from acsid_cli.emulator import DEFAULT_ACCESS_KEY, app
from acsid_cli.emulator.app import Emulator
from acsid_cli.emulator.config import EmulatorConfig
from acsid_cli.emulator.process import EmulatorError, run_emulator
from acsid_cli.emulator.server import start_in_thread
from acsid_cli.emulator.tokens import new_private_key_pem

OTHER_RESOURCE = "0f0f0f0f-1111-4222-8333-444444444444"


def test_acknowledged_state_survives_kill_9_and_restart(tmp_path):
    state = str(tmp_path / "acs.db")
    with run_emulator("--state", state) as first:
        wire = Wire(first.endpoint)
        kept, revoked, deleted = (wire.new_identity() for _ in range(3))
        carol = wire.create(PREVIEW, customId="carol").json["identity"]["id"]
        valid = wire.issue(kept, ["chat"])
        before_revocation = wire.issue(revoked, ["chat"])
        assert wire.request("POST", identity_path(revoked, ":revokeAccessTokens")).status == 204
        after_revocation = wire.issue(revoked, ["voip"])
        of_deleted = wire.issue(deleted, ["chat"])
        assert wire.request("DELETE", identity_path(deleted)).status == 204
        identities = first.identities()
        assert first.process is not None
        first.process.send_signal(signal.SIGKILL)
        assert first.process.wait() == -signal.SIGKILL

    with run_emulator("--state", state) as second:
        assert second.identities() == identities
        statuses = [second.validate(t)["status"] for t in (valid, before_revocation, after_revocation, of_deleted)]
        assert statuses == ["valid", "revoked", "valid", "deleted"]  # needs the same RSA key as before
        wire = Wire(second.endpoint)
        assert jwt_header(wire.issue(kept, ["chat"], expiresInMinutes=60))["kid"] == jwt_header(valid)["kid"]
        again = wire.create(PREVIEW, customId="carol")
        assert (again.status, again.json["identity"]["id"]) == (201, carol)
        assert wire.new_identity().split("_")[1].startswith("00000005-")  # the counter went on


def test_a_state_file_keeps_its_resource(tmp_path):
    state = str(tmp_path / "acs.db")
    with run_emulator("--state", state):
        pass
    refused = pytest.raises(EmulatorError, match=r"error: the state file belongs to resource .*--resource-id")
    with refused, run_emulator("--state", state, "--resource-id", OTHER_RESOURCE):
        pass


@pytest.mark.parametrize("signal_number", [signal.SIGTERM, signal.SIGINT])
def test_signals_stop_it_cleanly(signal_number):
    process = emulator_process()
    assert process.stdout is not None
    connection_string = process.stdout.readline().strip()
    process.send_signal(signal_number)
    stdout, stderr = process.communicate(timeout=10)
    assert process.returncode == 0
    assert connection_string.startswith("endpoint=http://127.0.0.1:")
    assert connection_string.endswith(f"/;accesskey={DEFAULT_ACCESS_KEY}")
    assert stdout == ""  # the connection string is the only line on stdout
    port = connection_string.split(":")[2].split("/")[0]
    lines = stderr.splitlines()
    token = re.fullmatch(
        r"acsid emulator: admin token (\S+) \(/emulator/ calls send it as Authorization: Bearer\)", lines[1]
    )
    assert token
    assert len(token[1]) >= 32
    assert re.fullmatch(rf"console: http://127\.0\.0\.1:\d+/#token={re.escape(token[1])}", lines[2]), lines[2]
    assert lines[:1] + lines[3:] == [
        f"acsid emulator: listening on http://127.0.0.1:{port} "
        "(resource ac51dac5-1d00-4e00-8000-00000000e0e0, state: memory)",
        'acsid emulator: eval "$(acsid emulator env)" sets all of it in a shell',
        "acsid emulator: stopped",
    ]


def test_a_new_state_file_and_its_journal_are_the_owners_alone(tmp_path):
    """It holds the RSA signing key: 0600, whatever the umask, for the database and SQLite's -wal and -shm."""
    (tmp_path / "state").mkdir()
    state = tmp_path / "state" / "acs.db"
    with run_emulator("--state", str(state)) as running:
        Wire(running.endpoint).new_identity()
        modes = {path.name: stat.S_IMODE(path.stat().st_mode) for path in state.parent.iterdir()}
    assert modes == {"acs.db": 0o600, "acs.db-wal": 0o600, "acs.db-shm": 0o600}


def test_two_emulators_starting_on_a_new_state_file_share_one_signing_key(tmp_path, monkeypatch):
    """The second start runs while the first makes its key (the slow part): the first must not overwrite it."""
    state = str(tmp_path / "acs.db")
    config = EmulatorConfig(port=0, state_file=state)
    others: list[Emulator] = []
    make_key = new_private_key_pem
    starting = iter([True])

    def slow_key() -> str:
        pem = make_key()
        if next(starting, False):
            others.append(Emulator(config))  # the other emulator, starting meanwhile
        return pem

    monkeypatch.setattr(app, "new_private_key_pem", slow_key)
    first = Emulator(config)
    second = others[0]
    wire_tokens = []
    for emulator in (first, second):
        with start_in_thread(emulator=emulator) as running:
            wire = Wire(running.endpoint)
            wire_tokens.append(wire.issue(wire.new_identity(), ["chat"]))
    with start_in_thread(config) as restarted:
        admin = admin_of(restarted)
        assert [admin.validate(token)["status"] for token in wire_tokens] == ["valid", "valid"]
