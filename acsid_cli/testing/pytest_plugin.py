"""pytest fixtures for your own tests: acsid's ACS Identity emulator, running on a free port.

Installed with acsid (entry point pytest11), so these fixtures are there in any test suite:

    import pytest
    from azure.communication.identity import CommunicationIdentityClient
    from azure.core.credentials import AzureKeyCredential


    def test_sign_up(acs_emulator):
        client = CommunicationIdentityClient(acs_emulator.endpoint, AzureKeyCredential(acs_emulator.access_key))
        with acs_emulator.fault("create", status=503, times=2, retry_after=0):
            user = client.create_user()                    # the SDK retries, and the third try creates it
        assert user.raw_id in [i["id"] for i in acs_emulator.identities()]


    def test_config(acs_connection_string):             # also in AZURE_COMMUNICATION_CONNECTION_STRING
        client = CommunicationIdentityClient.from_connection_string(acs_connection_string)
        assert client.create_user().raw_id.startswith("8:acs:")


    @pytest.mark.acs_emulator_reset                      # starts with no identities, faults or log
    def test_counts(acs_emulator):
        assert acs_emulator.identities() == []

`acs_emulator` is session-wide and serves HTTPS with a certificate of acsid's development CA (the one
`acsid emulator --self-signed` uses), which requests, azure-core and Python's ssl trust for the whole session
(REQUESTS_CA_BUNDLE and SSL_CERT_FILE name a bundle of the usual CAs and that one), so every SDK client works
as against Azure, `from_connection_string` too. `acs_emulator_https = false` in the ini file serves plain
http instead. Only pytest is imported here: the emulator starts when a test first asks for it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from acsid_cli.protocol import CONNECTION_STRING_ENV  # standard library only: pytest is still all it needs

RESET = "acs_emulator_reset"
TRUST_ENV = ("REQUESTS_CA_BUNDLE", "SSL_CERT_FILE")  # requests (so azure-core); Python's ssl (aiohttp, urllib)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini(
        "acs_emulator_https", "serve the acs_emulator fixture over HTTPS (false: plain http)", type="bool", default=True
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", f"{RESET}: start the test with an empty ACS emulator")


@pytest.fixture(scope="session")
def acs_emulator(pytestconfig: pytest.Config, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The emulator, with .connection_string, .endpoint, .access_key, .resource_id, .cafile, .admin_token and
    its admin calls: identities(), requests(), validate(token), inject(...), fault(...), clear(), reset()."""
    from acsid_cli.emulator.config import EmulatorConfig
    from acsid_cli.emulator.process import EmulatorAdmin
    from acsid_cli.emulator.server import start_in_thread

    with pytest.MonkeyPatch.context() as session_env:
        config, cafile = EmulatorConfig(port=0), None
        if pytestconfig.getini("acs_emulator_https"):
            server_file, cafile = _trust_development_ca(session_env, tmp_path_factory)
            config = EmulatorConfig(port=0, cert_file=server_file, key_file=server_file)
        with start_in_thread(config) as running:
            yield EmulatorAdmin(
                running.connection_string,
                running.emulator.resource_id,
                cafile=cafile,
                admin_token=running.emulator.config.admin_token,
            )


def _trust_development_ca(session_env: pytest.MonkeyPatch, tmp: pytest.TempPathFactory) -> tuple[str, str]:
    """The development CA's server certificate file and CA file; the CA trusted until the session ends, beside
    the CAs the session trusted before."""
    from acsid_cli.emulator.devca import development_ca

    try:
        ca = development_ca()
    except OSError:  # a home that cannot be written (some sandboxes): a CA for this session alone
        ca = development_ca(tmp.mktemp("acs-emulator-ca"))
    for name in TRUST_ENV:
        chosen = os.environ.get(name)
        bundle = ca.bundle_file
        if chosen and os.path.isfile(chosen):
            bundle = tmp.mktemp("acs-emulator-trust") / "bundle.pem"
            bundle.write_bytes(Path(chosen).read_bytes().rstrip(b"\n") + b"\n" + ca.ca_file.read_bytes())
        session_env.setenv(name, str(bundle))
    return str(ca.server_file([])), str(ca.ca_file)


@pytest.fixture
def acs_connection_string(acs_emulator: Any, monkeypatch: pytest.MonkeyPatch) -> str:
    """The emulator's connection string, also in AZURE_COMMUNICATION_CONNECTION_STRING for the test."""
    monkeypatch.setenv(CONNECTION_STRING_ENV, acs_emulator.connection_string)
    return str(acs_emulator.connection_string)


@pytest.fixture(autouse=True)
def _acs_emulator_reset_when_asked(request: pytest.FixtureRequest) -> None:
    if request.node.get_closest_marker(RESET):
        request.getfixturevalue("acs_emulator").reset()
