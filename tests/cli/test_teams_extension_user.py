"""acsid token get-for-teams-extension-user and get-for-entra-user: the user's own Entra token is the only
credential sent (Bearer; never the resource's key, never echoed), the answer is az's token JSON, and
`token inspect` tells the identity kinds apart. A recording loopback server answers as the reference has it."""

from __future__ import annotations

import pytest
from helpers import FakeClock, acsid
from recorder import recording
from wire import OID, TENANT, entra_token, jwt

from acsid_cli import protocol

RESOURCE = "2b236b8e-0c4d-4fd4-a0a8-5d5d8b6d8e41"
TEAMS_EXTENSION_ID = f"8:acs:{RESOURCE}_{TENANT}_{OID}"
ENTRA_ID = f"8:acs:{RESOURCE}_wf_{TENANT}_{OID}"
EXPIRES = "2025-07-10T21:39:39.3244584+00:00"
COMMANDS = {  # command: (target, identity it answers)
    "get-for-teams-extension-user": (
        "/access/teamsExtension/:exchangeAccessToken?api-version=2025-06-30",
        TEAMS_EXTENSION_ID,
    ),
    "get-for-entra-user": ("/access/entra/:exchangeAccessToken?api-version=2025-03-02-preview", ENTRA_ID),
}


def acs_token(identity: str) -> str:
    return jwt(
        {
            "skypeid": identity.removeprefix("8:"),
            "scp": protocol.ACS_USER_SCP,
            "iat": 1752183579,
            "exp": 1752183579 + 3600,
            "resourceId": RESOURCE,
            "acsScope": "voip",
        }
    )


@pytest.fixture
def service(monkeypatch):
    with recording() as recorder:
        monkeypatch.setenv(protocol.CONNECTION_STRING_ENV, recorder.connection_string)
        yield recorder


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_the_exchange_sends_only_the_users_token_and_prints_azs_json(service, command):
    target, identity = COMMANDS[command]
    user_token = entra_token()
    service.answer(
        200, {"identity": {"id": identity}, "accessToken": {"token": acs_token(identity), "expiresOn": EXPIRES}}
    )
    result = acsid("token", command, "--aad-token", "-", "--verbose", input=user_token + "\n")
    assert result.exit_code == 0, result.stderr
    assert result.json == {"expires_on": EXPIRES, "token": acs_token(identity), "user_id": identity}
    [sent] = service.received
    assert (sent.method, sent.target, sent.body, sent.headers["content-type"]) == (
        "POST",
        target,
        b"{}",
        "application/json",
    )
    assert sent.authorization == f"Bearer {user_token}"
    assert "x-ms-content-sha256" not in sent.headers  # the key signs nothing
    assert "x-ms-date" not in sent.headers
    assert user_token not in result.stderr
    assert "the exchange is authenticated by the user's Entra token alone" in result.stderr


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_refused_token_is_exit_1_and_never_echoed(service, command):
    user_token = entra_token(lifetime=-60)
    service.answer(
        401, {"error": {"code": protocol.INVALID_ACCESS_TOKEN, "message": "Provided access token is not valid."}}
    )
    result = acsid("token", command, "--aad-token", user_token, "--debug")
    path = COMMANDS[command][0].partition("?")[0]
    assert result.exit_code == 1
    assert result.error.splitlines()[-1] == (
        f"error: HTTP 401 InvalidAccessToken: Provided access token is not valid. (POST {path}, request id <id>)"
    )
    assert user_token not in result.stderr + result.stdout
    assert "Authorization: Bearer ***" in result.stderr


@pytest.mark.parametrize(
    ("argv", "stdin", "error"),
    [
        (["--aad-token", "-"], "", "--aad-token -: standard input was empty"),
        (["--aad-token", ""], None, "--aad-token is empty"),
        (
            ["--aad-token", "-", "--connection-string", "-"],
            "x",
            "--aad-token and --connection-string cannot both read "
            "stdin\nhint: set AZURE_COMMUNICATION_CONNECTION_STRING or AZURE_COMMUNICATION_ENDPOINT",
        ),
    ],
)
def test_bad_input_is_refused_before_anything_is_sent(service, argv, stdin, error):
    for command in COMMANDS:
        result = acsid("token", command, *argv, input=stdin)
        assert (result.exit_code, result.stdout, result.stderr) == (2, "", f"error: {error}\n")
    assert service.received == []


def test_an_api_version_without_the_exchange_is_refused(service):
    result = acsid("token", "get-for-entra-user", "--aad-token", "x", "--api-version", "2025-06-30")
    assert (result.exit_code, result.stderr) == (
        2,
        "error: acsid token get-for-entra-user needs API version 2025-03-02-preview, not 2025-06-30\n"
        "hint: leave out --api-version and acsid picks it\n",
    )
    assert service.received == []


def test_an_endpoint_alone_is_enough_and_acsid_signs_in_to_nothing(monkeypatch):
    with recording() as service:
        monkeypatch.setenv(protocol.ENDPOINT_ENV, service.endpoint)
        monkeypatch.setenv("AZURE_TOKEN_CREDENTIALS", "no credential of azure-identity may be asked")
        service.answer(200, {"identity": {"id": ENTRA_ID}, "accessToken": {"token": "t", "expiresOn": EXPIRES}})
        result = acsid("token", "get-for-entra-user", "--aad-token", "u")
    assert (result.exit_code, result.json["user_id"]) == (0, ENTRA_ID), result.stderr
    assert service.received[0].authorization == "Bearer u"


@pytest.mark.parametrize(
    ("identity", "kind"),
    [
        (TEAMS_EXTENSION_ID, "teamsExtensionUser"),
        (ENTRA_ID, "entraUser"),
        (f"8:acs:{RESOURCE}_00000005-14a2-493b-8a72-5a3a0d000081", "communicationUser"),
        (f"8:orgid:{OID}", "microsoftTeamsUser"),
    ],
)
def test_inspect_tells_the_identity_kinds_apart(identity, kind):
    result = acsid(
        "token",
        "inspect",
        "-",
        "-o",
        "tsv",
        "--query",
        "[identity, identityKind]",
        input=acs_token(identity),
        clock=FakeClock(1752183579),
    )
    assert (result.exit_code, result.stdout) == (0, f"{identity}\n{kind}\n")


@pytest.mark.parametrize(
    ("command", "default"),
    [
        (["token", "get-for-teams-extension-user"], protocol.TEAMS_EXTENSION_API_VERSION),
        (["assignment", "teams-extension", "set"], protocol.TEAMS_EXTENSION_API_VERSION),
        (["token", "get-for-entra-user"], protocol.PREVIEW_API_VERSION),
        (["assignment", "entra", "list"], protocol.PREVIEW_API_VERSION),
        (["user", "show"], protocol.PREVIEW_API_VERSION),
    ],
)
def test_help_names_the_api_version_the_command_sends(command, default):
    help_text = " ".join(acsid(*command, "--help").stdout.split())
    assert f"--api-version VERSION Service API version. Default: {default}." in help_text
