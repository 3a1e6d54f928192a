"""acsid emulator --self-signed: HTTPS with one flag, from one development CA per user, and the lines that tell
clients what to trust; nothing left behind by kill -9."""

import http.client
import json
import os
import re
import signal
import socket
import ssl
import stat
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from azure.communication.identity import CommunicationIdentityClient

from acsid_cli.emulator.process import EMULATOR_COMMAND

START_LINES = 7  # on stderr: listening, admin token, console, HTTPS and its two export lines, `eval ...`


def start(data: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    """`acsid emulator --port 0 --self-signed ...` as a process whose per-user folder is data/acsid."""
    return subprocess.Popen(
        [sys.executable, *EMULATOR_COMMAND, "--port", "0", "--self-signed", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "XDG_DATA_HOME": str(data), **(env or {})},
    )


@pytest.fixture(scope="module")
def self_signed(tmp_path_factory):
    """(connection string, CA file, stderr lines, data dir) of `acsid emulator --self-signed` running."""
    data = tmp_path_factory.mktemp("data")
    ca_file = tmp_path_factory.mktemp("ca") / "emulator-ca.pem"
    process = start(data, "--ca-file", str(ca_file))
    assert process.stdout is not None
    assert process.stderr is not None
    connection_string = process.stdout.readline().strip()
    lines = [process.stderr.readline().rstrip("\n") for _ in range(START_LINES)]
    yield connection_string, str(ca_file), lines, data
    process.terminate()
    process.communicate(timeout=10)


def test_it_says_what_each_ecosystem_needs(self_signed):
    connection_string, ca_file, lines, data = self_signed
    bundle = data / "acsid" / "ca" / "bundle.pem"
    assert connection_string.startswith("endpoint=https://127.0.0.1:")
    assert lines[3:] == [
        f"acsid emulator: HTTPS with a certificate of acsid's development CA; clients trust {ca_file}:",
        f"  export REQUESTS_CA_BUNDLE={bundle} SSL_CERT_FILE={bundle}  # Python (requests, azure-core)",
        f"  export NODE_EXTRA_CA_CERTS={ca_file}  # Node.js",
        'acsid emulator: eval "$(acsid emulator env)" sets all of it in a shell',
    ]


def test_the_sdk_trusts_it_through_the_printed_variable(self_signed, monkeypatch):
    connection_string, _, lines, _ = self_signed
    export = re.search(r"export (REQUESTS_CA_BUNDLE)=(\S+)", lines[4])
    assert export, lines[4]
    variable, value = export.groups()
    monkeypatch.setenv(variable, value)
    client = CommunicationIdentityClient.from_connection_string(connection_string)  # always HTTPS
    user, token = client.create_user_and_token(["chat"])
    assert user.raw_id.startswith("8:acs:")
    assert token.token.count(".") == 2


def test_a_plain_tls_client_verifies_it_against_the_written_ca(self_signed):
    connection_string, ca_file, _, data = self_signed
    endpoint = urlsplit(connection_string.split(";")[0].removeprefix("endpoint="))
    assert Path(ca_file).read_bytes() == (data / "acsid" / "ca" / "ca.pem").read_bytes()
    for host in ("127.0.0.1", "localhost"):
        conn = http.client.HTTPSConnection(host, endpoint.port, context=ssl.create_default_context(cafile=ca_file))
        conn.request("GET", "/emulator/health")
        assert json.loads(conn.getresponse().read())["status"] == "ok"
        conn.close()


def test_an_untrusted_client_fails(self_signed):
    connection_string, _, _, _ = self_signed
    endpoint = urlsplit(connection_string.split(";")[0].removeprefix("endpoint="))
    conn = http.client.HTTPSConnection("127.0.0.1", endpoint.port, context=ssl.create_default_context())
    with pytest.raises(ssl.SSLCertVerificationError):
        conn.request("GET", "/emulator/health")


def test_self_signed_and_own_files_do_not_mix():
    from helpers import acsid

    result = acsid("emulator", "--port", "0", "--self-signed", "--cert", "c.pem", "--key", "k.pem")
    assert (result.exit_code, result.stderr) == (
        2,
        "error: --self-signed makes its own certificate: it does not go with --cert and --key\n",
    )


def files(folder: Path) -> dict[str, int]:
    """Every file and folder under folder, relative, with its permission bits."""
    return {str(path.relative_to(folder)): stat.S_IMODE(path.stat().st_mode) for path in sorted(folder.rglob("*"))}


def test_one_ca_per_user_reused_by_every_start_and_nothing_left_by_kill_9(tmp_path):
    """Like mkcert's: made once in a 0700 folder, its key 0600. A killed emulator leaves no temporary folder or
    key behind, and its announcement is removed by the next start: nothing accumulates."""
    data, scratch = tmp_path / "data", tmp_path / "tmp"
    scratch.mkdir()
    certificates = []
    for _ in range(3):
        process = start(data, env={"TMPDIR": str(scratch)})
        assert process.stdout is not None
        endpoint = urlsplit(process.stdout.readline().strip().split(";")[0].removeprefix("endpoint="))
        with socket.create_connection(("127.0.0.1", endpoint.port)) as raw:
            context = ssl.create_default_context(cafile=data / "acsid" / "ca" / "ca.pem")
            with context.wrap_socket(raw, server_hostname="127.0.0.1") as tls:
                certificates.append(tls.getpeercert(binary_form=True))
        process.send_signal(signal.SIGKILL)
        process.communicate(timeout=10)
    assert certificates[0] == certificates[1] == certificates[2]  # the same CA, and its server certificate reused
    assert list(scratch.iterdir()) == []
    (server,) = (name for name in files(data / "acsid" / "ca") if name.startswith("server-"))
    alive = files(data / "acsid")
    assert alive == {
        "ca": 0o700,
        "ca/bundle.pem": 0o600,
        "ca/ca-key.pem": 0o600,
        "ca/ca.pem": 0o600,
        f"ca/{server}": 0o600,
        "emulators": 0o700,
        f"emulators/{process.pid}.json": 0o600,  # the last one's: it was killed too
    }
    process = start(data, "--quiet", env={"TMPDIR": str(scratch)})
    assert process.stdout is not None
    assert process.stdout.readline().startswith("endpoint=https://")
    assert files(data / "acsid" / "emulators") == {f"{process.pid}.json": 0o600}  # the dead one's is gone
    process.terminate()
    assert process.communicate(timeout=10) == ("", "")
    assert files(data / "acsid" / "emulators") == {}
    assert list(scratch.iterdir()) == []


def test_two_starts_at_once_on_a_new_folder_make_one_ca(tmp_path, monkeypatch):
    """The second start runs while the first makes its CA: the first one's is dropped, and both use the other."""
    from acsid_cli.emulator import devca, tls

    make_ca = tls.new_ca
    others: list[devca.DevelopmentCA] = []
    meanwhile = iter([True])

    def slow_ca(owner: str) -> bytes:
        pem = make_ca(owner)
        if next(meanwhile, False):
            others.append(devca.development_ca(tmp_path / "ca"))
        return pem

    monkeypatch.setattr(tls, "new_ca", slow_ca)
    first = devca.development_ca(tmp_path / "ca")
    assert first.pem == others[0].pem
    assert first.ca_file.read_bytes() == tls.certificate_pem(first.pem)
    assert sorted(path.name for path in (tmp_path / "ca").iterdir()) == ["bundle.pem", "ca-key.pem", "ca.pem"]
