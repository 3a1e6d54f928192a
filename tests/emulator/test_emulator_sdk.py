"""Conformance with the official SDK (azure-communication-identity 1.5.0), over plain HTTP and over HTTPS."""

from __future__ import annotations

import base64
import json
from datetime import timedelta

import pytest
from azure.communication.identity import CommunicationIdentityClient, CommunicationUserIdentifier
from azure.communication.identity._shared.utils import create_access_token
from azure.core.credentials import AzureKeyCredential
from azure.core.exceptions import ClientAuthenticationError, HttpResponseError, ResourceNotFoundError
from helpers import admin_of
from hypothesis import given
from hypothesis import strategies as st
from wire import APP_ID, FOREIGN_ID, OID, entra_token, jwt_claims

from acsid_cli.emulator import DEFAULT_RESOURCE_ID
from acsid_cli.emulator.config import EmulatorConfig
from acsid_cli.emulator.process import run_emulator
from acsid_cli.emulator.server import start_in_thread
from acsid_cli.emulator.tokens import TokenMinter, new_private_key_pem


@pytest.fixture(scope="module", params=["http", "https"])
def sdk(request, tls_files):
    """(client, emulator): the SDK's own constructor over HTTP, from_connection_string over HTTPS."""
    if request.param == "http":
        with start_in_thread(EmulatorConfig(port=0)) as running:
            emulator = admin_of(running)
            yield CommunicationIdentityClient(emulator.endpoint, AzureKeyCredential(emulator.access_key)), emulator
    else:
        files = tls_files
        with run_emulator("--cert", files["cert"], "--key", files["key"], cafile=files["ca"]) as emulator:
            assert emulator.connection_string.startswith("endpoint=https://127.0.0.1:")
            client = CommunicationIdentityClient.from_connection_string(
                emulator.connection_string, connection_verify=files["ca"]
            )
            yield client, emulator


@pytest.fixture
def client(sdk):
    sdk[1].clear()
    return sdk[0]


@pytest.fixture
def emulator(sdk):
    return sdk[1]


def lifetime(token: str) -> int:
    claims = jwt_claims(token)
    seconds: int = claims["exp"] - claims["iat"]
    return seconds


def test_create_user(client, emulator):
    user = client.create_user()
    assert user.raw_id.startswith(f"8:acs:{DEFAULT_RESOURCE_ID}_")
    assert user.raw_id in [i["id"] for i in emulator.identities()]
    assert [(r["route"], r["status"]) for r in emulator.requests()] == [("create", 201)]


def test_create_user_and_token(client, emulator):
    user, token = client.create_user_and_token(["chat", "voip"])
    assert jwt_claims(token.token)["skypeid"] == user.raw_id[2:]
    assert token.expires_on.endswith(".0000000+00:00")  # 1.5.0 hands the service's string through
    assert lifetime(token.token) == 86400
    assert emulator.validate(token.token)["status"] == "valid"


def test_create_user_and_token_with_expiry(client):
    _, token = client.create_user_and_token(["chat"], token_expires_in=timedelta(hours=2))
    assert lifetime(token.token) == 7200


def test_get_token_with_and_without_expiry(client):
    user = client.create_user()
    assert lifetime(client.get_token(user, ["chat"]).token) == 86400
    token = client.get_token(user, ["chat.join", "voip"], token_expires_in=timedelta(minutes=60))
    assert lifetime(token.token) == 3600
    assert jwt_claims(token.token)["acsScope"] == "chat.join,voip"


def test_revoke_tokens(client, emulator):
    user = client.create_user()
    old = client.get_token(user, ["chat"]).token
    client.revoke_tokens(user)
    new = client.get_token(user, ["voip"]).token
    assert [emulator.validate(t)["status"] for t in (old, new)] == ["revoked", "valid"]


def test_delete_user(client, emulator):
    user = client.create_user()
    token = client.get_token(user, ["chat"]).token
    client.delete_user(user)
    assert emulator.validate(token)["status"] == "deleted"
    with pytest.raises(ResourceNotFoundError) as caught:
        client.get_token(user, ["chat"])
    assert caught.value.status_code == 404
    assert caught.value.error is not None
    assert caught.value.error.code == "IdentityNotFound"


def test_get_token_for_teams_user(client):
    aad = entra_token()
    token = client.get_token_for_teams_user(aad, APP_ID, OID)
    claims = jwt_claims(token.token)
    assert (claims["skypeid"], claims["scp"], claims["exp"]) == (f"orgid:{OID}", 1024, jwt_claims(aad)["exp"])


def test_expiry_out_of_range_is_a_validation_error(client):
    user = client.create_user()
    with pytest.raises(HttpResponseError) as caught:
        client.get_token(user, ["chat"], token_expires_in=timedelta(minutes=59))
    error = caught.value
    assert error.status_code == 400
    assert error.error is not None
    assert (error.error.code, error.error.target) == ("ValidationError", "ExpiresInMinutes")
    assert error.error.message == (
        "ExpiresInMinutes value 59 is invalid. Value must be within the [60, 1440] interval."
    )


def test_foreign_identity_is_not_owned(client):
    with pytest.raises(ClientAuthenticationError) as caught:
        client.revoke_tokens(CommunicationUserIdentifier(FOREIGN_ID))
    assert caught.value.status_code == 401
    assert caught.value.error is not None
    assert caught.value.error.code == "IdentityNotOwned"


def test_wrong_key_is_denied(client, emulator, tls_files):
    wrong = base64.b64encode(b"w" * 64).decode()
    impostor = CommunicationIdentityClient(
        emulator.endpoint, AzureKeyCredential(wrong), connection_verify=tls_files["ca"]
    )
    with pytest.raises(ClientAuthenticationError) as caught:
        impostor.create_user()
    assert caught.value.status_code == 401
    assert caught.value.error is not None
    assert (caught.value.error.code, caught.value.error.message) == ("Denied", "Denied by the resource provider.")


def test_sdk_retries_an_injected_503_and_resigns(client, emulator):
    emulator.inject("create", status=503)
    client.create_user()
    assert [(r["route"], r["status"]) for r in emulator.requests()] == [("create", 503), ("create", 201)]


def test_sdk_retries_a_post_that_carries_retry_after(client, emulator):
    user = client.create_user()
    emulator.clear()
    emulator.inject("issue", status=429, retryAfter="0")
    client.get_token(user, ["chat"])
    assert [r["status"] for r in emulator.requests()] == [429, 200]


# --- the token format the SDK decodes --------------------------------------------------------------------------

_MINTER = TokenMinter(new_private_key_pem(), DEFAULT_RESOURCE_ID)


def test_sdk_helper_reads_the_expiry_of_our_tokens():
    minted = _MINTER.acs_token(f"8:acs:{DEFAULT_RESOURCE_ID}_00000001-0000-0000-0000-003a0d000000", ["chat"], 60, 1e9)
    assert create_access_token(minted.token).expires_on == minted.exp == 1_000_000_000 + 3600


@given(
    st.dictionaries(
        st.sampled_from(["tid", "uti", "appid", "name"]), st.text(alphabet=st.characters(codec="utf-8")), max_size=4
    ),
    st.text(min_size=1),
)
def test_any_claim_text_survives_the_sdks_standard_base64_decoding(extra, oid):
    entra = {"iat": 1_700_000_000, "exp": 1_700_003_600, "oid": oid, **extra}
    minted = _MINTER.teams_token(entra)
    payload = minted.token.split(".")[1]
    # What the SDK does: the standard alphabet, which would drop '-' and '_' silently.
    assert json.loads(base64.b64decode(payload + "==")) == jwt_claims(minted.token)
    assert create_access_token(minted.token).expires_on == 1_700_003_600
