"""acsid config: the keyring side of connection strings, az's config file, and `config show`."""

import base64
import json
import re

import pytest
from helpers import acsid

PRIVATE_KEY = base64.b64encode(b"p" * 64).decode()


@pytest.fixture
def az_config(tmp_path, monkeypatch):
    """A connection string stored the az way: `az config set communication.connection_string=...`."""

    def store(connection_string: str) -> str:
        path = tmp_path / "azure" / "config"
        path.parent.mkdir(exist_ok=True)
        path.write_text(f"[core]\noutput = json\n\n[communication]\nconnection_string = {connection_string}\n")
        monkeypatch.setenv("AZURE_CONFIG_DIR", str(path.parent))
        return str(path)

    return store


def test_keyring_profiles(emulator):
    stored = acsid("config", "set-connection-string", "--profile", "ci", input=emulator.connection_string + "\n")
    assert (stored.exit_code, stored.stdout, stored.stderr) == (0, "", "")  # piped: the exit code says it all
    shown = acsid("config", "show", "--profile", "ci", "-o", "json")
    assert shown.json == {
        "accessKey": shown.json["accessKey"],
        "authMode": "key",
        "credential": None,
        "endpoint": emulator.endpoint,
        "profile": "ci",
        "profiles": ["ci"],
        "source": "keyring (profile 'ci')",
    }
    assert re.fullmatch(r"hidden \(sha256:[0-9a-f]{12}\)", shown.json["accessKey"])
    assert emulator.access_key not in shown.stdout + shown.stderr
    created = acsid("user", "create", "--profile", "ci")
    assert created.exit_code == 0, created.stderr
    assert acsid("config", "delete-connection-string", "--profile", "ci").exit_code == 0
    gone = acsid("config", "delete-connection-string", "--profile", "ci")
    assert (gone.exit_code, gone.stderr) == (3, "error: no connection string stored for profile 'ci'\n")


def test_a_profile_asked_for_by_name_wins_over_the_environment_or_is_an_error(emulator, monkeypatch):
    elsewhere = "endpoint=http://127.0.0.1:9/;accesskey=" + emulator.connection_string.split("accesskey=")[1]
    monkeypatch.setenv("AZURE_COMMUNICATION_CONNECTION_STRING", elsewhere)  # would fail, were it used
    missing = acsid("user", "create", "--profile", "nope")
    assert (missing.exit_code, missing.stderr) == (
        2,
        "error: no connection string stored for profile 'nope' (AZURE_COMMUNICATION_CONNECTION_STRING is set, "
        "but a profile asked for by name wins)\n"
        "hint: store one with 'acsid config set-connection-string --profile nope'\n",
    )
    acsid("config", "set-connection-string", "--profile", "ci", input=emulator.connection_string + "\n")
    shown = acsid("config", "show", "--profile", "ci", "-o", "tsv", "--query", "source")
    assert shown.stdout == "keyring (profile 'ci')\n"
    assert acsid("user", "create", "--profile", "ci").exit_code == 0
    assert acsid("config", "show", "-o", "tsv", "--query", "source").stdout == (
        "AZURE_COMMUNICATION_CONNECTION_STRING\n"
    )  # no profile asked for: the environment, as before


def test_a_profile_asked_for_by_name_must_exist(emulator, az_config, monkeypatch):
    az_config(emulator.connection_string)  # would answer, were the typo allowed to fall through
    for argv, env in ((["--profile", "prd"], {}), ([], {"ACSID_PROFILE": "prd"})):
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        result = acsid("user", "create", *argv)
        assert (result.exit_code, result.stderr) == (
            2,
            "error: no connection string stored for profile 'prd'\n"
            "hint: store one with 'acsid config set-connection-string --profile prd'\n",
        )
    assert emulator.requests() == []


def test_az_config_is_the_last_source(emulator, az_config, monkeypatch):
    path = az_config(emulator.connection_string)
    shown = acsid("config", "show", "-o", "json")
    assert (shown.json["source"], shown.json["endpoint"]) == (f"az config ({path})", emulator.endpoint)
    created = acsid("user", "create", "-o", "tsv", "--query", "rawId")
    assert created.exit_code == 0, created.stderr
    assert created.stdout.strip() in {i["id"] for i in emulator.identities()}
    acsid("config", "set-connection-string", input=emulator.connection_string)
    assert acsid("config", "show", "-o", "tsv", "--query", "source").stdout == "keyring (profile 'default')\n"
    monkeypatch.setenv("AZURE_COMMUNICATION_CONNECTION_STRING", emulator.connection_string)
    assert acsid("config", "show", "-o", "tsv", "--query", "source").stdout == "AZURE_COMMUNICATION_CONNECTION_STRING\n"


def test_az_config_in_the_home_folder(emulator, tmp_path):
    config = tmp_path / "home" / ".azure" / "config"  # HOME is tmp_path/home in every test
    config.parent.mkdir(parents=True)
    config.write_text(f"[communication]\nconnection_string = {emulator.connection_string}\n")
    assert acsid("config", "show", "-o", "tsv", "--query", "source").stdout == f"az config ({config})\n"


def test_show_with_nothing_configured_says_so(emulator):
    acsid("config", "set-connection-string", "--profile", "staging", input=emulator.connection_string)
    result = acsid("config", "show", "-o", "json")
    assert result.exit_code == 0
    assert result.json == {
        "accessKey": None,
        "authMode": None,
        "credential": None,
        "endpoint": None,
        "profile": "default",
        "profiles": ["staging"],
        "source": None,
    }
    assert result.stderr == (
        "warning: no connection string; pass --connection-string - (reads stdin), set "
        "AZURE_COMMUNICATION_CONNECTION_STRING, or store one with 'acsid config set-connection-string'\n"
    )
    quiet = acsid("config", "show", "-o", "none", "--only-show-errors")
    assert (quiet.exit_code, quiet.stdout, quiet.stderr) == (0, "", "")


def test_nothing_configured_is_an_error_for_the_commands_that_need_one():
    result = acsid("user", "create")
    assert (result.exit_code, result.stderr) == (
        2,
        "error: no connection string\n"
        "hint: pass --connection-string - (reads stdin), set AZURE_COMMUNICATION_CONNECTION_STRING, or store one "
        "with 'acsid config set-connection-string'\n",
    )


def test_a_plaintext_keyring_takes_only_the_emulators_public_key(emulator):
    private = emulator.connection_string.split("accesskey=")[0] + f"accesskey={PRIVATE_KEY}"
    refused = acsid("config", "set-connection-string", input=private)
    assert (refused.exit_code, refused.stderr) == (
        2,
        "error: refusing to store an access key in a plain-text keyring\n"
        "hint: install an OS keyring backend, or set AZURE_COMMUNICATION_CONNECTION_STRING in the environment\n",
    )
    import keyring

    assert keyring.get_password("acsid", "default") is None
    assert acsid("config", "set-connection-string", input=emulator.connection_string).exit_code == 0


def test_a_secure_keyring_takes_any_key(emulator, mocker):
    from acsid_cli.cli import keystore

    mocker.patch.object(keystore, "is_plaintext", return_value=False)  # the edge: no OS keyring in CI
    private = emulator.connection_string.split("accesskey=")[0] + f"accesskey={PRIVATE_KEY}"
    assert acsid("config", "set-connection-string", input=private).exit_code == 0
    shown = acsid("config", "show", "-o", "json")
    assert shown.json["source"] == "keyring (profile 'default')"
    assert PRIVATE_KEY not in shown.stdout


def test_notes_are_for_people(emulator, monkeypatch):
    monkeypatch.setenv("ACSID_FORCE_TTY", "1")
    stored = acsid("config", "set-connection-string", "--profile", "ci", input=emulator.connection_string + "\n")
    assert stored.stderr.endswith(
        f"✓ Stored the connection string for {emulator.endpoint} in the keyring (profile 'ci')\n"
    )
    assert emulator.access_key not in stored.stdout + stored.stderr


def test_profile_from_the_environment(emulator, monkeypatch):
    acsid("config", "set-connection-string", "--profile", "staging", input=emulator.connection_string)
    monkeypatch.setenv("ACSID_PROFILE", "staging")
    assert acsid("config", "show", "-o", "tsv", "--query", "source").stdout == "keyring (profile 'staging')\n"


def test_no_keyring_backend_is_a_clear_message():
    import keyring
    from keyring.backends import fail

    keyring.set_keyring(fail.Keyring())
    result = acsid("user", "create")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == (
        "error: no connection string: no OS keyring backend is available on this machine"
    )
    shown = acsid("config", "show", "-o", "json")
    assert (shown.exit_code, json.loads(shown.stdout)["profiles"]) == (0, [])


@pytest.mark.parametrize(("command", "absent"), [("set-connection-string", "--timeout"), ("show", "--api-version")])
def test_config_commands_show_only_their_options(command, absent):
    assert absent not in acsid("config", command, "--help").stdout
