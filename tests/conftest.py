"""Shared fixtures: a clean environment, a real file-backed keyring, and one emulator per test session."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator

import keyring
import pytest
import trustme
from helpers import admin_of
from hypothesis import settings
from keyrings.alt.file import PlaintextKeyring
from wire import entra_token

from acsid_cli import protocol
from acsid_cli.emulator.config import EmulatorConfig
from acsid_cli.emulator.process import EmulatorAdmin
from acsid_cli.emulator.server import start_in_thread

pytest_plugins = ["pytester"]  # to run users' test files against our pytest plugin

# Property tests draw the same examples on every run and every machine: a failure is found again, never by chance.
settings.register_profile("acsid", derandomize=True, max_examples=50, deadline=None)
settings.load_profile("acsid")

ENV_VARS = (
    "AZURE_COMMUNICATION_CONNECTION_STRING",
    "AZURE_COMMUNICATION_ENDPOINT",
    "AZURE_CONFIG_DIR",
    "AZURE_TOKEN_CREDENTIALS",
    "ACSID_OUTPUT",
    "ACSID_PROFILE",
    "ACSID_FORCE_TTY",
    "NO_COLOR",
    "REQUESTS_CA_BUNDLE",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The runs of a user's pytest first: the longest tests, and mostly waiting (on the SDK's retries), so on two
    workers (make test) that time overlaps the other's tests instead of being what the whole run waits for last."""
    items.sort(key=lambda item: "pytester" not in getattr(item, "fixturenames", ()))


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    """No test sees the developer's credentials, keyring, az config or output preferences."""
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyrings.alt.file.PlaintextKeyring")
    monkeypatch.setenv("TERMINAL_WIDTH", "100")
    monkeypatch.setenv("COLUMNS", "100")
    keyring.set_keyring(PlaintextKeyring())  # a real keyring, in this test's own folder


@pytest.fixture(scope="session")
def emulator_server():
    """An emulator serving from a thread of the test process, for the whole session."""
    with start_in_thread(EmulatorConfig(port=0)) as running:
        yield running


@pytest.fixture
def emulator(emulator_server) -> Iterator[EmulatorAdmin]:
    """The shared emulator, reached through its admin API, with faults and the request log cleared."""
    admin = admin_of(emulator_server)
    admin.clear()
    yield admin
    admin.clear()


@pytest.fixture
def conn_env(emulator: EmulatorAdmin, monkeypatch: pytest.MonkeyPatch) -> EmulatorAdmin:
    monkeypatch.setenv("AZURE_COMMUNICATION_CONNECTION_STRING", emulator.connection_string)
    return emulator


@pytest.fixture(scope="session")
def tls_files(tmp_path_factory) -> dict[str, str]:
    """A test CA and a certificate for 127.0.0.1 and localhost: paths of ca.pem, cert.pem (chain), key.pem."""
    folder = tmp_path_factory.mktemp("tls")
    ca = trustme.CA()
    leaf = ca.issue_cert("127.0.0.1", "localhost")
    paths = {name: str(folder / f"{name}.pem") for name in ("ca", "cert", "key")}
    ca.cert_pem.write_to_path(paths["ca"])
    leaf.private_key_pem.write_to_path(paths["key"])
    with open(paths["cert"], "wb") as chain:
        chain.write(b"".join(blob.bytes() for blob in leaf.cert_chain_pems))
    return paths


@pytest.fixture(scope="session")
def https_server(tls_files):
    """A second emulator, serving HTTPS with the test CA's certificate."""
    config = EmulatorConfig(port=0, cert_file=tls_files["cert"], key_file=tls_files["key"])
    with start_in_thread(config) as running:
        yield running


@pytest.fixture
def https_emulator(https_server, tls_files) -> EmulatorAdmin:
    admin = admin_of(https_server, cafile=tls_files["ca"])
    admin.clear()
    return admin


@pytest.fixture
def entra(tmp_path, monkeypatch):
    """Microsoft Entra ID with no network: azure-identity's AzureCliCredential asks a stub `az`, whose token the
    emulator accepts (aud is ACS's). `entra.bearer` is that token; `entra.calls()` what az was asked."""
    token = entra_token(aud=protocol.ENTRA_AUDIENCE)
    calls = tmp_path / "az-calls"
    stub = tmp_path / "bin" / "az"
    stub.parent.mkdir()
    stub.write_text(
        f"#!{sys.executable}\n"
        "import json, sys, time\n"
        f"open({str(calls)!r}, 'a').write(' '.join(sys.argv[1:]) + '\\n')\n"
        f"print(json.dumps({{'accessToken': {token!r}, 'expires_on': int(time.time()) + 3600, "
        "'expiresOn': '2099-01-01 00:00:00.000000', 'tokenType': 'Bearer'}))\n"
    )
    stub.chmod(0o755)
    monkeypatch.setenv("PATH", f"{stub.parent}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("AZURE_TOKEN_CREDENTIALS", "AzureCliCredential")  # as a user would choose it

    class Entra:
        bearer = token

        @staticmethod
        def calls() -> list[str]:
            return calls.read_text().splitlines() if calls.exists() else []

    return Entra
