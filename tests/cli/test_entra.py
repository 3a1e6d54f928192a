"""Microsoft Entra ID instead of access keys, through azure-identity's real code path and no network.

azure-identity's AzureCliCredential runs `az account get-access-token`; a stub `az` on PATH answers it,
and AZURE_TOKEN_CREDENTIALS=AzureCliCredential tells DefaultAzureCredential to ask only that one, as
a user would configure it.
"""

import sys

import pytest
from helpers import FakeClock, acsid, acsid_process

from acsid_cli.cli.errors import SIGN_IN_HINT
from acsid_cli.emulator.requestlog import fingerprint


def test_login_end_to_end_over_https(entra, https_emulator, tls_files, monkeypatch):
    monkeypatch.setenv("AZURE_COMMUNICATION_ENDPOINT", https_emulator.endpoint)
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", tls_files["ca"])
    result = acsid("token", "issue", "--scope", "chat")
    assert result.exit_code == 0, result.stderr
    assert https_emulator.validate(result.json["token"])["status"] == "valid"
    seen = https_emulator.requests()
    # The log tells which token was used by its fingerprint, never the token itself.
    expected = [("create", "Bearer", fingerprint(entra.bearer))]
    assert [(entry["route"], entry["scheme"], entry["fingerprint"]) for entry in seen] == expected
    assert entra.calls() == ["account get-access-token --output json --resource https://communication.azure.com"]


def test_one_token_serves_a_whole_bulk_run(entra, emulator, monkeypatch):
    monkeypatch.setenv("AZURE_COMMUNICATION_ENDPOINT", emulator.endpoint)  # http, but loopback
    result = acsid("user", "create", "--count", "6", "--rate", "0", "-o", "none", clock=FakeClock())
    assert result.exit_code == 0, result.stderr
    assert [entry["scheme"] for entry in emulator.requests()] == ["Bearer"] * 6
    assert len(entra.calls()) == 1


def test_a_token_is_fetched_again_before_it_expires():
    from acsid_cli.client.auth import BearerAuth

    class Credential:
        def __init__(self):
            self.asked = 0

        def get_token(self, scope):
            self.asked += 1
            return type("AccessToken", (), {"token": f"t{self.asked}", "expires_on": now[0] + 3600})()

    now = [1_000_000.0]
    credential = Credential()
    auth = BearerAuth(credential, clock=lambda: now[0])
    assert [auth.token(), auth.token()] == ["t1", "t1"]
    now[0] += 3600 - BearerAuth.REFRESH_BEFORE + 1
    assert auth.token() == "t2"
    assert credential.asked == 2


def test_config_show_names_the_mode_and_the_credential_never_the_token(entra, emulator, monkeypatch):
    monkeypatch.setenv("AZURE_COMMUNICATION_ENDPOINT", emulator.endpoint)
    result = acsid("config", "show", "-o", "json")
    assert result.exit_code == 0, result.stderr
    assert {key: result.json[key] for key in ("authMode", "credential", "endpoint", "source", "accessKey")} == {
        "authMode": "login",
        "credential": "AzureCliCredential",
        "endpoint": emulator.endpoint,
        "source": "AZURE_COMMUNICATION_ENDPOINT",
        "accessKey": None,
    }
    assert entra.bearer not in result.stdout + result.stderr


def test_login_with_a_connection_strings_endpoint(entra, emulator, monkeypatch):
    monkeypatch.setenv("AZURE_COMMUNICATION_CONNECTION_STRING", emulator.connection_string)
    result = acsid("user", "create", "--auth-mode", "login", "--verbose", "-o", "none")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines()[0] == (
        "info: connection from AZURE_COMMUNICATION_CONNECTION_STRING, its endpoint only: "
        f"endpoint {emulator.endpoint}, signed with Microsoft Entra ID"
    )
    assert emulator.requests()[-1]["scheme"] == "Bearer"


def test_key_mode_is_unchanged_and_the_default_with_a_connection_string(entra, conn_env):
    assert acsid("user", "create", "-o", "none").exit_code == 0
    assert conn_env.requests()[-1]["scheme"] == "HMAC-SHA256"
    assert entra.calls() == []


def test_without_azure_identity_one_line_says_how_to_install_it(emulator, mocker, monkeypatch):
    mocker.patch.dict(sys.modules, {"azure.identity": None})  # as if the extra were not installed
    monkeypatch.setenv("AZURE_COMMUNICATION_ENDPOINT", emulator.endpoint)
    result = acsid("user", "create")
    assert (result.exit_code, result.stderr) == (
        2,  # nothing was sent, and there is something to install: README's exit codes
        "error: signing in with Microsoft Entra ID needs azure-identity in acsid's environment: "
        "pip install azure-identity (with pipx: pipx inject acsid azure-identity)\n",
    )
    assert emulator.requests() == []


@pytest.mark.parametrize("argv", [["--endpoint", "http://example.com"], ["--endpoint", "http://10.0.0.1:8080"]])
def test_bearer_over_plain_http_is_refused_off_loopback(argv):
    result = acsid("user", "create", *argv, "--auth-mode", "login")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: refusing plain http:// to ")


def test_a_failed_sign_in_is_one_line(emulator, monkeypatch, tmp_path):
    monkeypatch.setenv("AZURE_TOKEN_CREDENTIALS", "AzureCliCredential")
    monkeypatch.setenv("PATH", str(tmp_path))  # no az at all
    monkeypatch.setenv("AZURE_COMMUNICATION_ENDPOINT", emulator.endpoint)
    result = acsid("user", "create")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: Microsoft Entra ID sign-in failed: ")
    assert result.stderr.splitlines()[1:] == [f"hint: {SIGN_IN_HINT}"]


def test_azure_identitys_account_of_a_failed_sign_in_shows_under_verbose_only(emulator, tmp_path):
    """azure-identity logs every credential it tried (a dozen lines, through Python's last-resort handler):
    acsid says one error line and a hint, and shows that account with --verbose."""
    env = {
        "AZURE_TOKEN_CREDENTIALS": "dev",
        "PATH": str(tmp_path),  # developer tools only, and none installed
        "AZURE_COMMUNICATION_ENDPOINT": emulator.endpoint,
    }
    quiet = acsid_process("user", "create", env=env)
    assert (quiet.exit_code, quiet.stderr) == (
        1,
        (
            "error: Microsoft Entra ID sign-in failed: DefaultAzureCredential failed to retrieve a token from the "
            f"included credentials.\nhint: {SIGN_IN_HINT}\n"
        ),
    )
    verbose = acsid_process("user", "create", "--verbose", env=env).stderr.splitlines()
    assert "info: Attempted credentials:" in verbose
    assert any(line.startswith("info:   AzureCliCredential: ") for line in verbose)
    assert verbose[-2:] == quiet.stderr.splitlines()
    assert emulator.requests() == []
