"""pytest fixtures for your own tests: acsid's ACS Identity emulator, running on a free port.

Installed with acsid (entry point pytest11), so these fixtures are there in any test suite:

    from azure.communication.identity import CommunicationIdentityClient
    from azure.core.credentials import AzureKeyCredential

    def test_sign_up(acs_emulator):
        client = CommunicationIdentityClient(acs_emulator.endpoint, AzureKeyCredential(acs_emulator.access_key))
        with acs_emulator.fault("create", status=503, times=2, retry_after=0):
            user = client.create_user()                    # the SDK retries, and the third try creates it
        assert user.raw_id in [i["id"] for i in acs_emulator.identities()]

    def test_config(acs_connection_string):             # also in AZURE_COMMUNICATION_CONNECTION_STRING
        ...

    @pytest.mark.acs_emulator_reset                      # starts with no identities, faults or log
    def test_counts(acs_emulator): ...

`acs_emulator` is session-wide and serves plain http; with `acs_emulator_https = true` in the ini file
it serves HTTPS with a CA made for the run (`acs_emulator.cafile`), which `acs_connection_string`
adds to what requests trusts, so `from_connection_string` works too. Only pytest is imported here:
the emulator starts when a test first asks for it.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from acsid_cli.protocol import CONNECTION_STRING_ENV  # standard library only: pytest is still all it needs

RESET = "acs_emulator_reset"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini("acs_emulator_https", "serve the acs_emulator fixture over HTTPS", type="bool", default=False)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", f"{RESET}: start the test with an empty ACS emulator")


@pytest.fixture(scope="session")
def acs_emulator(pytestconfig: pytest.Config) -> Iterator[Any]:
    """The emulator, with .connection_string, .endpoint, .access_key, .resource_id, .cafile and its admin
    calls: identities(), requests(), validate(token), inject(...), fault(...), clear(), reset()."""
    from acsid_cli.emulator.config import EmulatorConfig
    from acsid_cli.emulator.process import RunningEmulator
    from acsid_cli.emulator.server import start_in_thread
    from acsid_cli.emulator.tls import self_signed

    with tempfile.TemporaryDirectory(prefix="acs-emulator-") as folder:
        config, cafile = EmulatorConfig(port=0), None
        if pytestconfig.getini("acs_emulator_https"):
            ca = self_signed(Path(folder), [])
            config, cafile = EmulatorConfig(port=0, cert_file=ca.cert_file, key_file=ca.key_file), ca.ca_file
        with start_in_thread(config) as running:
            yield RunningEmulator(
                running.connection_string,
                running.emulator.resource_id,
                cafile=cafile,
                admin_token=running.emulator.config.admin_token,
            )


@pytest.fixture
def acs_connection_string(acs_emulator: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    """The emulator's connection string, also in AZURE_COMMUNICATION_CONNECTION_STRING for the test."""
    monkeypatch.setenv(CONNECTION_STRING_ENV, acs_emulator.connection_string)
    if acs_emulator.cafile:  # requests trusts one bundle: the usual CAs, and the emulator's
        import certifi

        bundle = tmp_path / "ca-bundle.pem"
        bundle.write_text(Path(certifi.where()).read_text() + Path(acs_emulator.cafile).read_text())
        for name in ("REQUESTS_CA_BUNDLE", "SSL_CERT_FILE"):
            monkeypatch.setenv(name, str(bundle))
    return str(acs_emulator.connection_string)


@pytest.fixture(autouse=True)
def _acs_emulator_reset_when_asked(request: pytest.FixtureRequest) -> None:
    if request.node.get_closest_marker(RESET):
        request.getfixturevalue("acs_emulator").reset()

