"""The pytest plugin, as another project uses it: its test files run by pytester, with the official SDK; and
every Python example of the plugin's docstring and of docs/emulator.md, run as it is written."""

import re
import textwrap
from pathlib import Path

import pytest

import acsid_cli.testing.pytest_plugin as plugin

DOCS = Path(__file__).resolve().parents[2] / "docs" / "emulator.md"

SDK_TESTS = """
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
"""

FAULT_TESTS = """
from azure.communication.identity import CommunicationIdentityClient
from azure.core.credentials import AzureKeyCredential


def test_the_sdk_retries_an_injected_503(acs_emulator):
    client = CommunicationIdentityClient(acs_emulator.endpoint, AzureKeyCredential(acs_emulator.access_key))
    acs_emulator.clear()
    with acs_emulator.fault("create", status=503, times=2, retry_after=0):
        client.create_user()
    assert [entry["status"] for entry in acs_emulator.requests()] == [503, 503, 201]
    assert acs_emulator.faults() == []
"""

HTTPS_TESTS = """
from azure.communication.identity import CommunicationIdentityClient


def test_from_connection_string_over_https(acs_connection_string, acs_emulator):
    assert acs_emulator.endpoint.startswith("https://127.0.0.1:")
    user = CommunicationIdentityClient.from_connection_string(acs_connection_string).create_user()
    assert user.raw_id.startswith("8:acs:")
"""


@pytest.fixture
def the_environment_of_a_user(pytester, monkeypatch):
    monkeypatch.delenv("AZURE_COMMUNICATION_CONNECTION_STRING", raising=False)
    # Nor the other plugins of our venv, which a user's project need not have: hypothesis's imports all of
    # hypothesis as each run ends (most of the CPU of a run), xdist and pytest-mock cost 0.1 s more. (Set after
    # pytester, which clears PYTEST_ADDOPTS.)
    monkeypatch.setenv("PYTEST_ADDOPTS", "-p no:hypothesispytest -p no:xdist -p no:pytest_mock")


def test_a_users_tests_with_the_sdk_and_both_fixtures(pytester, the_environment_of_a_user):
    pytester.makepyfile(test_with_sdk=SDK_TESTS)
    result = pytester.runpytest_subprocess()
    result.assert_outcomes(passed=4)


def test_a_users_fault_injection_sees_the_sdks_retry(pytester, the_environment_of_a_user):
    pytester.makepyfile(test_faults=FAULT_TESTS)
    result = pytester.runpytest_subprocess()
    result.assert_outcomes(passed=1)


PLAIN_HTTP_TESTS = """
from azure.communication.identity import CommunicationIdentityClient
from azure.core.credentials import AzureKeyCredential


def test_plain_http(acs_emulator):
    assert acs_emulator.endpoint.startswith("http://127.0.0.1:") and acs_emulator.cafile is None
    client = CommunicationIdentityClient(acs_emulator.endpoint, AzureKeyCredential(acs_emulator.access_key))
    assert client.create_user().raw_id in [identity["id"] for identity in acs_emulator.identities()]
"""


def test_a_new_users_first_tests_pass_with_no_settings(pytester, the_environment_of_a_user):
    """No ini file, no conftest: from_connection_string (always HTTPS) and a client built from acs_emulator
    alone, which runs first, before any acs_connection_string could make the CA trusted."""
    pytester.makepyfile(
        test_a_emulator_alone="""
from azure.communication.identity import CommunicationIdentityClient
from azure.core.credentials import AzureKeyCredential


def test_sign_up(acs_emulator):
    client = CommunicationIdentityClient(acs_emulator.endpoint, AzureKeyCredential(acs_emulator.access_key))
    user, token = client.create_user_and_token(["chat"])
    assert acs_emulator.validate(token.token)["status"] == "valid"
""",
        test_b_connection_string="""
from azure.communication.identity import CommunicationIdentityClient


def test_from_connection_string(acs_connection_string):
    user = CommunicationIdentityClient.from_connection_string(acs_connection_string).create_user()
    assert user.raw_id.startswith("8:acs:")
""",
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=2)


def test_plain_http_is_one_ini_option_away(pytester, the_environment_of_a_user):
    pytester.makeini("[pytest]\nacs_emulator_https = false\n")
    pytester.makepyfile(test_http=PLAIN_HTTP_TESTS)
    result = pytester.runpytest_subprocess()
    result.assert_outcomes(passed=1)


def test_the_cas_a_session_trusted_before_stay_trusted(pytester, the_environment_of_a_user, tls_files, monkeypatch):
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", tls_files["ca"])
    pytester.makepyfile(
        test_trust=f"""
import os
from pathlib import Path


def test_both(acs_emulator):
    bundle = Path(os.environ["REQUESTS_CA_BUNDLE"]).read_text()
    assert Path({tls_files["ca"]!r}).read_text() in bundle
    assert Path(acs_emulator.cafile).read_text() in bundle
"""
    )
    result = pytester.runpytest_subprocess()
    result.assert_outcomes(passed=1)


def docstring_example() -> str:
    """The indented block of the plugin's docstring."""
    assert plugin.__doc__ is not None
    block = re.search(r"\n\n((?:    .*\n|\n)+)", plugin.__doc__)
    assert block, plugin.__doc__
    return textwrap.dedent(block.group(1))


def docs_examples() -> list[str]:
    return re.findall(r"```python\n(.*?)```", DOCS.read_text(), flags=re.S)


def test_the_pytest_examples_of_the_docstring_and_the_docs_run_as_written(pytester, the_environment_of_a_user):
    docstring = docstring_example()
    assert "def test_sign_up(acs_emulator)" in docstring
    assert "from_connection_string(acs_connection_string)" in docstring
    (docs,) = [example for example in docs_examples() if "\ndef test_" in example]
    pytester.makepyfile(test_docstring=docstring, test_docs=docs)
    result = pytester.runpytest_subprocess()
    result.assert_outcomes(passed=docstring.count("\ndef test_") + docs.count("\ndef test_"))


@pytest.mark.parametrize("number", range(3))
def test_the_other_python_examples_of_the_docs_run_as_written_as_scripts(pytester, number):
    scripts = [example for example in docs_examples() if "\ndef test_" not in example]
    assert len(scripts) == 3  # a new example needs a case here
    result = pytester.runpython(pytester.makepyfile(example=scripts[number]))
    assert result.ret == 0, result.stderr.str()


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
