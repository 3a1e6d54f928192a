"""Where the connection string comes from, in the one resolver, and the source it reports."""

import base64

import pytest
from helpers import acsid

from acsid_cli.cli import invocation
from acsid_cli.cli.output import UsageError

KEY = base64.b64encode(b"not-a-real-key:only-for-acsid-tests").decode()


def test_resolution_order(monkeypatch):
    import keyring

    keyring.set_password("acsid", "default", f"endpoint=https://from-keyring.example;accesskey={KEY}")
    assert invocation.resolve(None, None).source == "keyring (profile 'default')"
    monkeypatch.setenv("AZURE_COMMUNICATION_CONNECTION_STRING", f"endpoint=https://from-env.example;accesskey={KEY}")
    resolved = invocation.resolve(None, None)
    assert (resolved.endpoint, resolved.source) == ("https://from-env.example", "AZURE_COMMUNICATION_CONNECTION_STRING")
    resolved = invocation.resolve(f"endpoint=https://from-flag.example;accesskey={KEY}", None)
    assert (resolved.endpoint, resolved.source) == ("https://from-flag.example", "--connection-string")


def test_missing_everywhere_names_all_three_ways():
    with pytest.raises(UsageError) as caught:
        invocation.resolve(None, None)
    assert caught.value.message == "no connection string"
    assert caught.value.hint == invocation.WAYS
    assert "--connection-string -" in invocation.WAYS
    assert "AZURE_COMMUNICATION_CONNECTION_STRING" in invocation.WAYS


def test_a_failing_keyring_is_a_usage_error(mocker):
    import keyring

    mocker.patch.object(keyring.get_keyring(), "get_password", side_effect=RuntimeError("dbus is gone"))
    with pytest.raises(UsageError, match="the OS keyring failed"):
        invocation.resolve(None, None)


# --- end to end, against the emulator ----------------------------------------------------------


def test_source_flag(emulator):
    result = acsid("user", "create", "--connection-string", emulator.connection_string)
    assert result.exit_code == 0, result.stderr


def test_source_flag_from_stdin(emulator):
    result = acsid("user", "create", "--connection-string", "-", input=emulator.connection_string + "\n")
    assert result.exit_code == 0, result.stderr


def test_flag_wins_over_env(emulator, monkeypatch):
    monkeypatch.setenv("AZURE_COMMUNICATION_CONNECTION_STRING", "endpoint=https://nowhere.invalid/;accesskey=YWJj")
    result = acsid("config", "show", "--connection-string", emulator.connection_string, "-o", "json")
    assert result.json["source"] == "--connection-string"
