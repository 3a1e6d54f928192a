"""The client library on its own, as an app developer uses it: IdentityClient against the emulator, no CLI.

Every call goes over loopback to the session's emulator, which verifies signatures like Azure; what it
holds afterwards (its admin API) is the proof, and every failure is one of the client's typed errors.
"""

from __future__ import annotations

import base64
import socket

import pytest
from wire import APP_ID, FOREIGN_ID, OID, PREVIEW, entra_token, jwt_claims

from acsid_cli import protocol
from acsid_cli.client.errors import AcsError, ConnectionStringError, RequestError, ServiceError, TransportError
from acsid_cli.client.models import AccessToken, CreatedIdentity, Identity
from acsid_cli.client.rest import IdentityClient

WRONG_KEY = base64.b64encode(b"a key the emulator does not know").decode()


def no_wait(seconds: float) -> None:
    """Waits between attempts, which these tests need not sit through."""


@pytest.fixture
def client(emulator):
    client = IdentityClient.from_connection_string(emulator.connection_string, sleep=no_wait)
    yield client
    client.close()


def state_of(emulator, token: str) -> str:
    status: str = emulator.validate(token)["status"]
    return status


def test_create_issue_revoke_delete(client, emulator):
    created = client.create_user()
    assert isinstance(created, CreatedIdentity)
    assert created.token is None
    user = created.identity.id
    assert protocol.OWN_USER_ID.fullmatch(user)
    assert user in {identity["id"] for identity in emulator.identities()}

    token = client.issue_token(user, ["chat", "voip"], expires_in=60)
    assert isinstance(token, AccessToken)
    claims = jwt_claims(token.token)
    assert (claims["acsScope"], claims["exp"] - claims["iat"], claims["scp"]) == ("chat,voip", 3600, 1792)
    assert state_of(emulator, token.token) == "valid"

    assert client.revoke_tokens(user) is None
    assert state_of(emulator, token.token) == "revoked"

    assert client.delete_user(user) is None
    assert state_of(emulator, token.token) == "deleted"
    with pytest.raises(ServiceError) as caught:
        client.issue_token(user, ["chat"])
    assert (caught.value.status, caught.value.code) == (404, protocol.IDENTITY_NOT_FOUND)


def test_create_with_a_token(client, emulator):
    created = client.create_user(scopes=["voip"])
    assert created.token is not None
    assert jwt_claims(created.token.token)["skypeid"] == created.identity.id.removeprefix("8:")
    assert emulator.validate(created.token.token)["identity"] == created.identity.id


def test_show_and_custom_ids_on_the_preview_version(emulator):
    client = IdentityClient.from_connection_string(emulator.connection_string, api_version=PREVIEW)
    first = client.create_user(custom_id="library-test-alice")
    again = client.create_user(custom_id="library-test-alice")
    assert again.identity.id == first.identity.id  # the service answers 201 either way: nothing to tell them apart
    client.issue_token(first.identity.id, ["chat"])
    shown = client.get_user(first.identity.id)
    assert isinstance(shown, Identity)
    assert (shown.id, shown.custom_id) == (first.identity.id, "library-test-alice")
    assert shown.last_token_issued_at is not None
    client.close()


def test_teams_token_exchange(client):
    token = client.exchange_teams_token(entra_token(), APP_ID, OID)
    claims = jwt_claims(token.token)
    assert (claims["skypeid"], claims["scp"]) == (f"orgid:{OID}", protocol.TEAMS_USER_SCP)


def test_service_errors_are_typed(client, emulator):
    with pytest.raises(ServiceError) as caught:
        client.revoke_tokens(FOREIGN_ID)
    error = caught.value
    assert (error.status, error.code, error.operation, error.request_line) == (
        401,
        protocol.IDENTITY_NOT_OWNED,
        "revoke",
        f"POST /identities/{FOREIGN_ID}/:revokeAccessTokens",
    )
    assert error.request_id == emulator.requests()[-1]["clientRequestId"]
    assert not error.maybe_processed

    endpoint = emulator.endpoint
    stranger = IdentityClient.from_connection_string(f"endpoint={endpoint}/;accesskey={WRONG_KEY}")
    with pytest.raises(ServiceError) as caught:
        stranger.create_user()
    assert (caught.value.status, caught.value.code) == (401, protocol.DENIED)
    stranger.close()


def test_retries_are_counted_in_the_error(client, emulator):
    user = client.create_user().identity.id
    with emulator.fault("issue", status=503, times=4), pytest.raises(ServiceError) as caught:
        client.issue_token(user, ["chat"])
    assert (caught.value.status, caught.value.attempts, caught.value.maybe_processed) == (503, 4, True)
    with emulator.fault("issue", status=503, times=3):
        assert client.issue_token(user, ["chat"]).token  # the 4th attempt gets through


def test_a_lost_answer_to_a_create_is_not_repeated_and_says_so(client, emulator):
    before = len(emulator.identities())
    with emulator.fault("create", drop="after"), pytest.raises(TransportError) as caught:
        client.create_user()
    assert caught.value.maybe_processed
    assert caught.value.attempts == 1
    assert len(emulator.identities()) == before + 1  # it was created: only the answer was lost


def test_a_delete_whose_answer_was_lost_is_done_when_repeated(client, emulator):
    user = client.create_user().identity.id
    with emulator.fault("delete", drop="after"):
        assert client.delete_user(user) is None  # the 2nd attempt finds it gone: the 1st did delete it
    assert [(entry["route"], entry["status"]) for entry in emulator.requests()] == [
        ("create", 201),
        ("delete", None),
        ("delete", 404),
    ]
    assert next(i for i in emulator.identities() if i["id"] == user)["deleted"]


def test_a_closed_port_is_a_transport_error():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # bound, never listening: connections are refused
        client = IdentityClient.from_connection_string(
            f"endpoint=http://127.0.0.1:{port}/;accesskey={WRONG_KEY}", sleep=no_wait
        )
        with pytest.raises(TransportError) as caught:
            client.revoke_tokens(FOREIGN_ID)
    assert str(caught.value).startswith(f"cannot connect to http://127.0.0.1:{port} (")
    assert (caught.value.attempts, caught.value.maybe_processed) == (4, False)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "endpoint=https://x.example",
        f"endpoint=http://[garbage]/;accesskey={WRONG_KEY}",
        f"endpoint=https://x.example;accesskey={WRONG_KEY}x!",
    ],
)
def test_bad_connection_strings_never_reach_the_network(text):
    with pytest.raises(ConnectionStringError) as caught:
        IdentityClient.from_connection_string(text)
    assert WRONG_KEY not in str(caught.value)


def test_every_error_is_an_acs_error():
    assert issubclass(ConnectionStringError, AcsError)
    assert issubclass(TransportError, RequestError)


def test_on_send_hears_each_attempt_as_it_goes_out(emulator):
    heard: list[tuple[str, str]] = []
    client = IdentityClient.from_connection_string(
        emulator.connection_string,
        sleep=no_wait,
        on_send=lambda call: heard.append((call.operation.name, call.request_line)),
    )
    user = client.create_user().identity.id
    with emulator.fault("issue", status=503, times=1):
        client.issue_token(user, ["chat"])
    client.close()
    issue = ("issue", f"POST /identities/{user}/:issueAccessToken")
    assert heard == [("create", "POST /identities"), issue, issue]  # the retry is heard too
