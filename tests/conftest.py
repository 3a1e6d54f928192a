"""Shared fixtures: a clean environment, a real file-backed keyring, and the emulator as a separate process."""

from __future__ import annotations

import keyring
import pytest
import trustme
from keyrings.alt.file import PlaintextKeyring

from acsid_cli.emulator.process import run_emulator

ENV_VARS = (
    "AZURE_COMMUNICATION_CONNECTION_STRING",
    "ACSID_OUTPUT",
    "ACSID_PROFILE",
    "ACSID_FORCE_TTY",
    "NO_COLOR",
    "REQUESTS_CA_BUNDLE",
)


@pytest.fixture(autouse=True)
def clean_env(monkeypatch, tmp_path):
    """No test sees the developer's credentials, keyring or output preferences."""
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyrings.alt.file.PlaintextKeyring")
    monkeypatch.setenv("TERMINAL_WIDTH", "100")
    monkeypatch.setenv("COLUMNS", "100")
    keyring.set_keyring(PlaintextKeyring())  # a real keyring, in this test's own folder


@pytest.fixture(scope="session")
def emulator_process():
    with run_emulator() as running:
        yield running


@pytest.fixture
def emulator(emulator_process):
    """The shared emulator with its faults and request log cleared."""
    emulator_process.clear()
    yield emulator_process
    emulator_process.clear()


@pytest.fixture
def conn_env(emulator, monkeypatch):
    monkeypatch.setenv("AZURE_COMMUNICATION_CONNECTION_STRING", emulator.connection_string)
    return emulator


@pytest.fixture(scope="session")
def tls_files(tmp_path_factory):
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
