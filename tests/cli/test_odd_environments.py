"""Odd environments: a locale that is not UTF-8, the null keyring backend, timeouts that are no number of seconds."""

import json
import os
import re
import subprocess
import sys

import keyring
import pytest
from helpers import acsid
from keyring.backends import null

NAME = "zoë-müller@例え.jp"


def _c_locale() -> dict[str, str]:
    """The environment of a bare container or a cron job: the C locale, Python's UTF-8 mode off."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("LC_") and name not in ("LANG", "LANGUAGE", "PYTHONIOENCODING")
    }
    return {**env, "LANG": "C", "LC_ALL": "C", "PYTHONUTF8": "0"}


def _acsid_in_c_locale(*argv: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "acsid_cli", *argv], input=stdin, capture_output=True, env=_c_locale(), timeout=60
    )


def test_the_locale_is_really_not_utf8():
    probe = subprocess.run(
        [sys.executable, "-c", "import sys; print(sys.stdout.encoding)"],
        capture_output=True,
        env=_c_locale(),
        text=True,
    )
    assert probe.stdout.strip().lower() in ("ascii", "ansi_x3.4-1968")


def test_a_custom_id_from_argv_prints_in_any_locale(conn_env):
    done = _acsid_in_c_locale("user", "create", "--custom-id", NAME, "-o", "json")
    assert (done.returncode, done.stderr) == (0, b"")
    created = json.loads(done.stdout.decode("utf-8"))
    assert created["customId"] == NAME
    assert {i["id"]: i.get("customId") for i in conn_env.identities()}[created["rawId"]] == NAME


def test_custom_ids_from_stdin_are_stored_as_sent(conn_env):
    done = _acsid_in_c_locale(
        "user", "create", "--custom-id", "-", "-o", "jsonl", "--rate", "0", stdin=f"{NAME}\nélodie\n".encode()
    )
    assert done.returncode == 0, done.stderr
    created = [json.loads(line) for line in done.stdout.decode("utf-8").splitlines()]
    assert [record["customId"] for record in created] == [NAME, "élodie"]
    stored = {i["id"]: i.get("customId") for i in conn_env.identities()}
    assert [stored[record["rawId"]] for record in created] == [NAME, "élodie"]


def test_errors_in_any_locale_are_utf8_lines(conn_env):
    done = _acsid_in_c_locale("user", "create", "--custom-id", "-", "-o", "jsonl", stdin=b"\xff\xfebroken\n")
    assert done.returncode == 1
    assert re.fullmatch(r"0 created, 1 failed in [\d.]+ s\n", done.stderr.decode("utf-8"))
    record = json.loads(done.stdout.decode("utf-8"))
    assert record["input"] == "line 1 of standard input: … (8 characters)"  # never the undecodable bytes


def test_the_null_keyring_is_refused_like_a_plain_text_one(emulator):
    keyring.set_keyring(null.Keyring())
    result = acsid("config", "set-connection-string", input=emulator.connection_string + "\n")
    assert (result.exit_code, result.stderr) == (
        2,
        "error: cannot store the connection string: the keyring backend is keyring's null backend, "
        "which stores nothing\n"
        "hint: set AZURE_COMMUNICATION_CONNECTION_STRING instead\n",
    )


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "-1", "1e400"])
def test_a_timeout_that_is_no_number_of_seconds_is_a_usage_error(conn_env, value):
    result = acsid("user", "create", "--timeout", value)
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) in (1, 2)
    assert result.stderr.startswith("error: ")
    assert "unexpected" not in result.stderr
    assert "--timeout" in result.stderr
    assert conn_env.requests() == []


@pytest.mark.parametrize("value", ["nan", "inf"])
def test_a_rate_that_is_no_number_is_a_usage_error(conn_env, value):
    result = acsid("user", "create", "--count", "2", "--rate", value)
    assert (result.exit_code, result.stderr.splitlines()[0]) == (
        2,
        f"error: --rate {value} is not a number of requests per second",
    )
    assert conn_env.requests() == []
