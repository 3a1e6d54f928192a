"""`acsid emulator` as people run it: what it prints, its options, one-line start-up errors, the docs' recipe."""

from __future__ import annotations

import base64
import inspect
import json
import os
import re
import socket
import subprocess
import sys

import pytest
from helpers import acsid_process, emulator_process
from typer.testing import CliRunner
from wire import Wire

from acsid_cli.cli.app import app
from acsid_cli.cli.commands.emulator import emulator
from acsid_cli.emulator import DEFAULT_ACCESS_KEY, DEFAULT_PORT, DEFAULT_SECONDARY_KEY
from acsid_cli.emulator.process import run_emulator


def test_quiet_prints_only_the_connection_string():
    process = emulator_process("--quiet")
    assert process.stdout is not None
    assert process.stdout.readline().startswith("endpoint=")
    process.terminate()
    assert process.communicate(timeout=10) == ("", "")


def test_access_key_from_the_environment_replaces_both_well_known_keys():
    private = base64.b64encode(b"p" * 64).decode()
    with run_emulator(env={"ACSID_EMULATOR_ACCESS_KEY": private}) as running:
        assert running.access_key == private
        wire = Wire(running.endpoint, key=private)
        assert wire.request("POST", "/identities?api-version=2023-10-01").status == 201
        for well_known in (DEFAULT_ACCESS_KEY, DEFAULT_SECONDARY_KEY):
            assert wire.request("POST", "/identities?api-version=2023-10-01", key=well_known).status == 401


def test_readiness_line_never_shows_the_key():
    private = base64.b64encode(b"s" * 64).decode()
    process = emulator_process("--access-key", private)
    assert process.stdout is not None
    assert process.stdout.readline().strip().endswith(f";accesskey={private}")
    process.terminate()
    _, stderr = process.communicate(timeout=10)
    assert "listening on" in stderr
    assert private not in stderr


# --- option errors: one line, exit 2, nothing served -----------------------------------------------------------


@pytest.fixture
def busy_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield sock.getsockname()[1]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--cert", "c.pem"], "error: --cert and --key go together: give both to serve HTTPS"),
        (["--key", "k.pem"], "error: --cert and --key go together: give both to serve HTTPS"),
        (
            ["--cert", "/nonexistent/c.pem", "--key", "/nonexistent/k.pem"],
            "error: cannot read /nonexistent/c.pem: No such file or directory",
        ),
        (
            ["--access-key", "not base64!"],
            "error: --access-key must be base64, like the accesskey of a connection string",
        ),
        (["--secondary-key", "%%"], "error: --secondary-key must be base64, like the accesskey of a connection string"),
        (
            ["--resource-id", "contoso"],
            "error: --resource-id must be a GUID such as ac51dac5-1d00-4e00-8000-00000000e0e0",
        ),
        (["--throttle", "fast"], "error: --throttle takes 'service', not 'fast'"),
        (
            ["--state", "/nonexistent/acs.db"],
            "error: cannot use /nonexistent/acs.db as the state file: unable to open database file",
        ),
    ],
)
def test_bad_options_are_one_line_and_exit_2(args, message):
    result = CliRunner().invoke(app, ["emulator", "--port", "0", *args])
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", message + "\n")


def test_files_that_are_not_pem_are_refused(tmp_path):
    junk = tmp_path / "junk.pem"
    junk.write_text("not a certificate")
    result = CliRunner().invoke(app, ["emulator", "--port", "0", "--cert", str(junk), "--key", str(junk)])
    assert result.exit_code == 2
    assert result.stderr == f"error: {junk} and {junk} are not a PEM certificate and its key\n"


def test_port_in_use_is_one_line_and_a_hint(busy_port):
    result = CliRunner().invoke(app, ["emulator", "--port", str(busy_port)])
    assert (result.exit_code, result.stderr) == (
        2,
        f"error: cannot listen on 127.0.0.1:{busy_port}: Address already in use\nhint: --port 0 picks a free port\n",
    )


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (
            [],
            {"ACSID_EMULATOR_ACCESS_KEY": ""},
            "error: ACSID_EMULATOR_ACCESS_KEY is empty: set it to a base64 key, or unset it for the well-known key",
        ),
        (
            ["--access-key", ""],
            {},
            "error: --access-key is empty: give a base64 key, or leave it out for the well-known key",
        ),
    ],
)
def test_an_empty_access_key_is_refused_not_taken_for_the_public_one(args, env, message):
    result = acsid_process("emulator", "--port", "0", *args, env=env, timeout=20)  # a process: it must not serve
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", message + "\n")


def test_an_admin_token_too_weak_or_unsafe_in_a_header_is_refused():
    for token in ("short", "a token with spaces in it", "x" * 257):
        result = acsid_process("emulator", "--port", "0", env={"ACSID_EMULATOR_ADMIN_TOKEN": token}, timeout=20)
        assert (result.exit_code, result.stdout) == (2, "")
        assert result.stderr == (
            "error: ACSID_EMULATOR_ADMIN_TOKEN must be 16 to 256 letters, digits and -._~+/=, "
            "or unset for a fresh one\n"
        )


def test_default_port_is_the_documented_one():
    assert inspect.signature(emulator).parameters["port"].default == DEFAULT_PORT == 10050


def test_the_cli_loads_no_server_code_until_the_emulator_runs():
    code = (
        "import sys, acsid_cli.cli.app\n"
        "print(sorted(m for m in sys.modules if m.startswith(('acsid_cli.emulator', 'crypt'))))"
    )
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"  # the app imports a command's module only when that command runs


def test_on_all_interfaces_it_prints_an_endpoint_other_machines_reach():
    from urllib.parse import urlsplit

    from acsid_cli.emulator.config import EmulatorConfig
    from acsid_cli.emulator.server import start_in_thread

    with start_in_thread(EmulatorConfig(host="0.0.0.0", port=0)) as running:
        host = urlsplit(running.endpoint).hostname
        routed = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            routed.connect(("192.0.2.1", 9))  # picks the default route's source address; sends nothing
            expected = routed.getsockname()[0]
        except OSError:
            expected = "127.0.0.1"  # a machine without a route: only this machine can reach it
        finally:
            routed.close()
        assert host == expected
        assert host != "0.0.0.0"
        assert running.server.local_endpoint == f"http://127.0.0.1:{urlsplit(running.endpoint).port}"
        assert Wire(running.endpoint).request("POST", "/identities?api-version=2023-10-01").status == 201


def test_verbose_shows_the_string_to_sign_it_expected_and_never_the_key():
    process = emulator_process("--verbose")
    assert process.stdout is not None
    connection_string = process.stdout.readline().strip()
    endpoint = connection_string.split(";")[0].removeprefix("endpoint=").rstrip("/")
    wrong = base64.b64encode(b"w" * 64).decode()
    assert Wire(endpoint, key=wrong).request("POST", "/identities?api-version=2023-10-01").status == 401
    process.terminate()
    _, stderr = process.communicate(timeout=10)
    host = endpoint.removeprefix("http://")
    line = next(line for line in stderr.splitlines() if line.startswith("info: 401 for "))
    date = r"\w{3}, \d\d \w{3} \d{4} [\d:]{8} GMT"
    assert re.fullmatch(
        r"info: 401 for POST /identities\?api-version=2023-10-01: expected the string to sign "
        rf'"POST\\n/identities\?api-version=2023-10-01\\n{date};{re.escape(host)};'
        r'47DEQpj8HBSa\+/TImW\+5JCeuQeRkm5NMpJWZG3hSuFU="',
        line,
    ), line
    assert DEFAULT_ACCESS_KEY not in stderr
    assert DEFAULT_SECONDARY_KEY not in stderr
    assert wrong not in stderr


def test_the_curl_and_openssl_recipe_of_the_docs(emulator_server):
    """The block under `<!-- recipe: signed-curl -->` in docs/emulator.md, run as it is written."""
    import shutil
    from pathlib import Path

    if not (shutil.which("curl") and shutil.which("openssl")):
        if os.environ.get("ACSID_REQUIRE_SHELLS"):
            pytest.fail("curl and openssl are needed, and CI installs them")
        pytest.skip("curl or openssl is not installed")
    docs = (Path(__file__).resolve().parents[2] / "docs" / "emulator.md").read_text()
    recipe = docs.split("<!-- recipe: signed-curl -->\n```sh\n", 1)[1].split("\n```", 1)[0]
    env = {**os.environ, "ENDPOINT": emulator_server.endpoint}
    done = subprocess.run(["bash", "-eu", "-c", recipe], capture_output=True, text=True, env=env, timeout=30)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("HTTP/1.1 201 Created\n")  # curl's headers, newlines made universal
    created = json.loads(done.stdout.split("\n\n", 1)[1])
    assert created["identity"]["id"] in {entry.id for entry in emulator_server.emulator.store.identities()}
    assert created["accessToken"]["token"].count(".") == 2
