"""Shared fixtures: a clean environment, a real file-backed keyring, and one emulator per test session."""

from __future__ import annotations

from collections.abc import Iterator

import keyring
import pytest
import trustme
from keyrings.alt.file import PlaintextKeyring

from acsid_cli.emulator import DEFAULT_RESOURCE_ID
from acsid_cli.emulator.config import EmulatorConfig
from acsid_cli.emulator.process import RunningEmulator
from acsid_cli.emulator.server import start_in_thread

ENV_VARS = (
    "AZURE_COMMUNICATION_CONNECTION_STRING",
    "AZURE_COMMUNICATION_ENDPOINT",
    "AZURE_CONFIG_DIR",
    "ACSID_OUTPUT",
    "ACSID_PROFILE",
    "ACSID_FORCE_TTY",
    "NO_COLOR",
    "REQUESTS_CA_BUNDLE",
)


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
def emulator(emulator_server) -> Iterator[RunningEmulator]:
    """The shared emulator, reached through its admin API, with faults and the request log cleared."""
    admin = RunningEmulator(emulator_server.connection_string, DEFAULT_RESOURCE_ID)
    admin.clear()
    yield admin
    admin.clear()


@pytest.fixture
def conn_env(emulator: RunningEmulator, monkeypatch: pytest.MonkeyPatch) -> RunningEmulator:
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
def https_emulator(https_server, tls_files) -> RunningEmulator:
    admin = RunningEmulator(https_server.connection_string, DEFAULT_RESOURCE_ID, cafile=tls_files["ca"])
    admin.clear()
    return admin
