"""The pytest plugin, as another project uses it: its test files run by pytester, with the official SDK."""

import pytest

SDK_TESTS = '''
import os

import pytest
from azure.communication.identity import CommunicationIdentityClient
from azure.core.credentials import AzureKeyCredential


@pytest.fixture
def client(acs_emulator):
    return CommunicationIdentityClient(acs_emulator.endpoint, AzureKeyCredential(acs_emulator.access_key))


def test_sign_up_a_user(client, acs_emulator):
    user, token = client.create_user_and_token(["chat"])
    assert user.raw_id in [identity["id"] for identity in acs_emulator.identities()]
    assert acs_emulator.validate(token.token)["status"] == "valid"


def test_connection_string(acs_connection_string, acs_emulator):
    assert os.environ["AZURE_COMMUNICATION_CONNECTION_STRING"] == acs_connection_string
    assert acs_connection_string.startswith(f"endpoint={acs_emulator.endpoint}/;accesskey=")


def test_the_environment_is_restored_after_the_test():
    assert "AZURE_COMMUNICATION_CONNECTION_STRING" not in os.environ


@pytest.mark.acs_emulator_reset
def test_reset_when_asked(client, acs_emulator):
    assert acs_emulator.identities() == [] and acs_emulator.requests() == []
    client.create_user()
    assert len(acs_emulator.identities()) == 1
'''

FAULT_TESTS = '''
from azure.communication.identity import CommunicationIdentityClient
from azure.core.credentials import AzureKeyCredential


def test_the_sdk_retries_an_injected_503(acs_emulator):
    client = CommunicationIdentityClient(acs_emulator.endpoint, AzureKeyCredential(acs_emulator.access_key))
    acs_emulator.clear()
    with acs_emulator.fault("create", status=503, times=2, retry_after=0):
        client.create_user()
    assert [entry["status"] for entry in acs_emulator.requests()] == [503, 503, 201]
    assert acs_emulator.faults() == []
'''

HTTPS_TESTS = '''
from azure.communication.identity import CommunicationIdentityClient


def test_from_connection_string_over_https(acs_connection_string, acs_emulator):
    assert acs_emulator.endpoint.startswith("https://127.0.0.1:")
    user = CommunicationIdentityClient.from_connection_string(acs_connection_string).create_user()
    assert user.raw_id.startswith("8:acs:")
'''


@pytest.fixture
def the_environment_of_a_user(monkeypatch):
    monkeypatch.delenv("AZURE_COMMUNICATION_CONNECTION_STRING", raising=False)


def test_a_users_tests_with_the_sdk_and_both_fixtures(pytester, the_environment_of_a_user):
    pytester.makepyfile(test_with_sdk=SDK_TESTS)
    result = pytester.runpytest_subprocess()
    result.assert_outcomes(passed=4)


def test_a_users_fault_injection_sees_the_sdks_retry(pytester, the_environment_of_a_user):
    pytester.makepyfile(test_faults=FAULT_TESTS)
    result = pytester.runpytest_subprocess()
    result.assert_outcomes(passed=1)


def test_https_from_the_ini_file(pytester, the_environment_of_a_user):
    pytester.makeini("[pytest]\nacs_emulator_https = true\n")
    pytester.makepyfile(test_https=HTTPS_TESTS)
    result = pytester.runpytest_subprocess()
    result.assert_outcomes(passed=1)


def test_the_plugin_imports_nothing_but_pytest_until_asked():
    import subprocess
    import sys

    code = (
        "import sys, acsid_cli.testing.pytest_plugin\n"
        "print(sorted(m for m in sys.modules if m.startswith(('acsid_cli.emulator', 'crypt', 'requests'))))"
    )
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"
