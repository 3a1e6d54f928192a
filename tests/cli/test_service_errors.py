"""When the service says no, or cannot be reached: the error names the request and its id, so a user
can quote it to Azure support; exit 3 for what does not exist; one clear line for TLS."""

import base64
import re

from helpers import acsid
from wire import APP_ID, FOREIGN_ID, OID, entra_token


def new_user() -> str:
    result = acsid("user", "create", "-o", "tsv", "--query", "rawId")
    assert result.exit_code == 0, result.stderr
    return result.stdout.strip()


def test_service_errors_name_the_request_and_its_id(conn_env):
    other = "11111111-2222-3333-4444-555555555555"
    result = acsid(
        "token", "get-for-teams-user", "--aad-token", entra_token(APP_ID, OID), "--client", other, "--aad-user", OID
    )
    assert result.exit_code == 1
    assert result.error == (
        "error: HTTP 400 ValidationError: AAD application is not the expected one. "
        "(POST /teamsUser/:exchangeAccessToken, target appId, request id <id>)\n"
    )
    found = re.search(r"request id (\S+)\)", result.stderr)
    assert found, result.stderr
    request_id = found.group(1)
    assert request_id == conn_env.requests()[-1]["clientRequestId"]  # the id the service logged


def test_unknown_identity_is_exit_3(conn_env):
    user_id = new_user()
    assert acsid("user", "delete", "--user", user_id, "--yes").exit_code == 0
    result = acsid("token", "revoke", "--user", user_id, "--yes")
    assert result.exit_code == 3
    assert result.error == (
        f"error: HTTP 404 IdentityNotFound: Identity '{user_id}' was not found. "
        f"(POST /identities/{user_id}/:revokeAccessTokens, request id <id>)\n"
    )


def test_foreign_identity_is_a_clear_401(conn_env):
    result = acsid("token", "issue", "--scope", "chat", "--user", FOREIGN_ID)
    assert result.exit_code == 1
    assert result.error == (
        "error: HTTP 401 IdentityNotOwned: Provided identity doesn't belong to the resource. "
        f"(POST /identities/{FOREIGN_ID}/:issueAccessToken, request id <id>)\n"
        "hint: the id belongs to another Communication Services resource\n"
    )


def test_wrong_key_is_denied(emulator):
    wrong_key = base64.b64encode(b"x" * 64).decode()
    wrong = emulator.connection_string.split("accesskey=")[0] + "accesskey=" + wrong_key
    result = acsid("user", "create", "--connection-string", wrong)
    assert result.exit_code == 1
    assert result.error == (
        "error: HTTP 401 Denied: Denied by the resource provider. (POST /identities, request id <id>)\n"
        "hint: check that the access key belongs to this endpoint\n"
    )


def test_https_with_a_trusted_certificate(https_emulator, tls_files, monkeypatch):
    assert https_emulator.connection_string.startswith("endpoint=https://127.0.0.1:")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", tls_files["ca"])
    result = acsid("token", "issue", "--scope", "chat", "--connection-string", https_emulator.connection_string)
    assert result.exit_code == 0, result.stderr
    assert https_emulator.validate(result.json["token"])["status"] == "valid"


def test_https_with_an_untrusted_certificate_is_one_clear_error(https_emulator):
    result = acsid("user", "create", "--connection-string", https_emulator.connection_string)
    assert result.exit_code == 1
    first, hint = result.stderr.splitlines()
    assert first.startswith(f"error: TLS with {https_emulator.endpoint} failed: [SSL: CERTIFICATE_VERIFY_FAILED] ")
    assert first.endswith(" (POST /identities)")
    assert hint == "hint: if this is a local emulator with its own certificate, set REQUESTS_CA_BUNDLE to its CA file"
    assert https_emulator.requests() == []
