"""acsid emulator --self-signed: HTTPS with one flag, and the lines that tell clients what to trust."""

import http.client
import json
import re
import ssl
import subprocess
import sys
from urllib.parse import urlsplit

import pytest
from azure.communication.identity import CommunicationIdentityClient


@pytest.fixture(scope="module")
def self_signed(tmp_path_factory):
    """(connection string, CA file, stderr lines) of `acsid emulator --self-signed` running as a process."""
    ca_file = tmp_path_factory.mktemp("ca") / "emulator-ca.pem"
    process = subprocess.Popen(
        [sys.executable, "-m", "acsid_cli", "emulator", "--port", "0", "--self-signed", "--ca-file", str(ca_file)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    connection_string = process.stdout.readline().strip()
    lines = [process.stderr.readline().rstrip("\n") for _ in range(4)]
    yield connection_string, str(ca_file), lines
    process.terminate()
    process.communicate(timeout=10)


def test_it_says_what_each_ecosystem_needs(self_signed):
    connection_string, ca_file, lines = self_signed
    assert connection_string.startswith("endpoint=https://127.0.0.1:")
    assert lines[1:] == [
        f"acsid emulator: HTTPS with a certificate of a CA made for this run; clients trust {ca_file}:",
        f"  export REQUESTS_CA_BUNDLE={ca_file} SSL_CERT_FILE={ca_file}  # Python: requests, azure-core",
        f"  export NODE_EXTRA_CA_CERTS={ca_file}  # Node.js",
    ]


def test_the_sdk_trusts_it_through_the_printed_variable(self_signed, monkeypatch):
    connection_string, _, lines = self_signed
    variable, value = re.search(r"export (REQUESTS_CA_BUNDLE)=(\S+)", lines[2]).groups()
    monkeypatch.setenv(variable, value)
    client = CommunicationIdentityClient.from_connection_string(connection_string)  # always HTTPS
    user, token = client.create_user_and_token(["chat"])
    assert user.raw_id.startswith("8:acs:") and token.token.count(".") == 2


def test_a_plain_tls_client_verifies_it_against_the_written_ca(self_signed):
    connection_string, ca_file, _ = self_signed
    endpoint = urlsplit(connection_string.split(";")[0].removeprefix("endpoint="))
    for host in ("127.0.0.1", "localhost"):
        conn = http.client.HTTPSConnection(host, endpoint.port, context=ssl.create_default_context(cafile=ca_file))
        conn.request("GET", "/emulator/health")
        assert json.loads(conn.getresponse().read())["status"] == "ok"
        conn.close()


def test_an_untrusted_client_fails(self_signed):
    connection_string, _, _ = self_signed
    endpoint = urlsplit(connection_string.split(";")[0].removeprefix("endpoint="))
    conn = http.client.HTTPSConnection("127.0.0.1", endpoint.port, context=ssl.create_default_context())
    with pytest.raises(ssl.SSLCertVerificationError):
        conn.request("GET", "/emulator/health")


def test_self_signed_and_own_files_do_not_mix():
    from helpers import acsid

    result = acsid("emulator", "--port", "0", "--self-signed", "--cert", "c.pem", "--key", "k.pem")
    assert (result.exit_code, result.stderr) == (
        2, "error: --self-signed makes its own certificate: it does not go with --cert and --key\n"
    )
