"""The emulator as a process: state that survives `kill -9` and a restart, clean stops on signals."""

from __future__ import annotations

import signal

import pytest
from helpers import emulator_process
from wire import PREVIEW, Wire, identity_path, jwt_header

from acsid_cli.emulator import DEFAULT_ACCESS_KEY
from acsid_cli.emulator.process import EmulatorError, run_emulator

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
        first.process.send_signal(signal.SIGKILL)
        assert first.process.wait() == -signal.SIGKILL

    with run_emulator("--state", state) as second:
        assert second.identities() == identities
        statuses = [second.validate(t)["status"] for t in (valid, before_revocation, after_revocation, of_deleted)]
        assert statuses == ["valid", "revoked", "valid", "deleted"]  # needs the same RSA key as before
        wire = Wire(second.endpoint)
        assert jwt_header(wire.issue(kept, ["chat"], expiresInMinutes=60))["kid"] == jwt_header(valid)["kid"]
        again = wire.create(PREVIEW, customId="carol")
        assert (again.status, again.json["identity"]["id"]) == (200, carol)
        assert wire.new_identity().split("_")[1].startswith("00000005-")  # the counter went on


def test_a_state_file_keeps_its_resource(tmp_path):
    state = str(tmp_path / "acs.db")
    with run_emulator("--state", state):
        pass
    refused = pytest.raises(EmulatorError, match="error: the state file belongs to resource .*--resource-id")
    with refused, run_emulator("--state", state, "--resource-id", OTHER_RESOURCE):
        pass


@pytest.mark.parametrize("signal_number", [signal.SIGTERM, signal.SIGINT])
def test_signals_stop_it_cleanly(signal_number):
    process = emulator_process()
    connection_string = process.stdout.readline().strip()
    process.send_signal(signal_number)
    stdout, stderr = process.communicate(timeout=10)
    assert process.returncode == 0
    assert connection_string.startswith("endpoint=http://127.0.0.1:")
    assert connection_string.endswith(f"/;accesskey={DEFAULT_ACCESS_KEY}")
    assert stdout == ""  # the connection string is the only line on stdout
    port = connection_string.split(":")[2].split("/")[0]
    assert stderr.splitlines() == [
        f"acsid emulator: listening on http://127.0.0.1:{port} "
        "(resource ac51dac5-1d00-4e00-8000-00000000e0e0, state: memory)",
        "acsid emulator: stopped",
    ]
