"""acsid token inspect: what a token says, offline, for tokens of the emulator, the service and Teams."""

import base64
import json
from pathlib import Path

import pytest
from helpers import FakeClock, acsid
from wire import APP_ID, OID, entra_token, jwt_claims

SERVICE_TOKEN = (Path(__file__).resolve().parents[1] / "data" / "service-token.jwt").read_text().strip()
ISSUED_AT = 1722933412  # the service token's iat; it expires a day later


def test_an_emulator_token(conn_env):
    issued = acsid("token", "issue", "--scope", "chat", "voip", "--expires-in", "60").json
    claims = jwt_claims(issued["token"])
    clock = FakeClock(claims["iat"] + 600)
    result = acsid("token", "inspect", issued["token"], "-o", "json", clock=clock)
    assert result.exit_code == 0, result.stderr
    assert result.json == {
        "claims": claims,
        "expired": False,
        "expiresOn": issued["expires_on"].replace(".0000000", ""),
        "identity": issued["user_id"],
        "identityKind": "communicationUser",
        "issuedAt": result.json["issuedAt"],
        "resourceId": conn_env.resource_id,
        "resourceLocation": "unitedstates",
        "scopes": "chat,voip",
        "signature": "not verified: the claims are read from the token; who signed it is not checked",
        "timeLeft": "50 minutes",
    }
    assert issued["token"].split(".")[2] not in result.stdout  # never the signature


def test_a_token_of_the_service_read_from_stdin_in_acsids_json():
    clock = FakeClock(ISSUED_AT + 86400 + 3 * 3600 + 5 * 60)
    for stdin in (SERVICE_TOKEN + "\n", json.dumps({"token": SERVICE_TOKEN, "user_id": "x"}, indent=2)):
        result = acsid("token", "inspect", "-", "-o", "json", input=stdin, clock=clock)
        assert result.exit_code == 0, result.stderr
        shown = result.json
        assert (shown["identity"], shown["scopes"], shown["resourceLocation"], shown["expired"], shown["timeLeft"]) == (
            "8:acs:2b236b8e-e9b7-4be0-8757-b43061a56d37_00000021-c6b7-24db-7137-8e3a0d0064e1",
            "chat,voip",
            "unitedstates",
            True,
            "none: expired 3 hours 5 minutes ago",
        )
        assert (shown["issuedAt"], shown["expiresOn"]) == ("2024-08-06T08:36:52+00:00", "2024-08-07T08:36:52+00:00")


def test_a_teams_users_token(conn_env):
    exchanged = acsid(
        "token",
        "get-for-teams-user",
        "--aad-token",
        "-",
        "--client",
        APP_ID,
        "--aad-user",
        OID,
        input=entra_token(APP_ID, OID),
    ).json
    result = acsid(
        "token", "inspect", "-", "-o", "tsv", "--query", "[identity, scopes, identityKind]", input=exchanged["token"]
    )
    assert result.stdout == f"8:orgid:{OID}\nvoip,chat\nmicrosoftTeamsUser\n"  # a list is rows in az's tsv


def test_the_table_for_people(conn_env):
    token = acsid("token", "issue", "--scope", "chat", "-o", "tsv", "--query", "token").stdout.strip()
    header = acsid("token", "inspect", token, "-o", "table").stdout.splitlines()[0]
    assert header.split() == [
        "Expired",
        "ExpiresOn",
        "Identity",
        "IdentityKind",
        "IssuedAt",
        "ResourceId",
        "ResourceLocation",
        "Scopes",
        "Signature",
        "TimeLeft",
    ]


@pytest.mark.parametrize(
    ("after_issue", "argv", "code", "stderr"),
    [
        (3600, ["--check"], 0, ""),
        (86400 + 7200, ["--check"], 1, "error: the token expired 2 hours ago\n"),
        (
            86400 - 300,
            ["--check", "--min-remaining", "10m"],
            1,
            "error: the token has 5 minutes left, less than 10 minutes\n",
        ),
        (86400 - 3600, ["--min-remaining", "10m"], 0, ""),
    ],
)
def test_check_is_a_gate_for_ci(after_issue, argv, code, stderr):
    result = acsid("token", "inspect", SERVICE_TOKEN, *argv, clock=FakeClock(ISSUED_AT + after_issue))
    assert (result.exit_code, result.stdout, result.stderr) == (code, "", stderr)


@pytest.mark.parametrize(
    ("token", "reason"),
    [
        ("abc.def", "it is not a JWT: a JWT is three base64url parts joined by dots"),
        ("a.!!!.c", "its claims are not base64url-encoded JSON"),
        ("eyJhIjoxfQ.eyJhIjoxfQ.c2ln", "it has no expiry (exp claim)"),
    ],
)
def test_a_malformed_token_is_one_line_and_exit_2(token, reason):
    result = acsid("token", "inspect", token)
    assert (result.exit_code, result.stdout, result.stderr) == (
        2,
        "",
        f"error: this is not an access token: {reason}\n",
    )


def _token_of(payload: str) -> str:
    """A JWT whose claims are this exact JSON text (NaN and Infinity included, which json.dumps would not write)."""
    encoded = base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")
    return f"eyJhbGciOiJSUzI1NiJ9.{encoded}.c2ln"


NOT_A_TIME = "its {} claim is not a time: seconds since 1970, a finite number up to year 9999"


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        ('{"exp": NaN}', NOT_A_TIME.format("exp")),
        ('{"exp": Infinity}', NOT_A_TIME.format("exp")),
        ('{"exp": -Infinity}', NOT_A_TIME.format("exp")),
        ('{"exp": 1e20}', NOT_A_TIME.format("exp")),
        ('{"exp": -1}', NOT_A_TIME.format("exp")),
        ('{"exp": "4102444800"}', NOT_A_TIME.format("exp")),
        ('{"exp": true}', NOT_A_TIME.format("exp")),
        ('{"exp": 4102444800, "iat": NaN}', NOT_A_TIME.format("iat")),
        ('{"exp": 4102444800, "nbf": 1e300}', NOT_A_TIME.format("nbf")),
        ('{"exp": 4102444800, "x": ' + "[" * 5000 + "]" * 5000 + "}", "its claims are not base64url-encoded JSON"),
        ('{"exp": 4102444800, "x": ' + "[" * 40 + "]" * 40 + "}", "its claims are nested more than 32 deep"),
    ],
    ids=[
        "NaN",
        "Infinity",
        "-Infinity",
        "1e20",
        "negative",
        "a string",
        "a boolean",
        "iat NaN",
        "nbf 1e300",
        "5000 deep",
        "40 deep",
    ],
)
@pytest.mark.parametrize("argv", [[], ["--check"], ["--min-remaining", "10m"], ["-o", "table"]])
def test_a_claim_that_is_not_a_time_fails_closed(payload, reason, argv):
    result = acsid("token", "inspect", _token_of(payload), *argv, clock=FakeClock(ISSUED_AT))
    expected = (2, "", f"error: this is not an access token: {reason}\n")
    assert (result.exit_code, result.stdout, result.stderr) == expected


def test_the_last_second_of_year_9999_is_still_a_time():
    result = acsid("token", "inspect", _token_of('{"exp": 253402300799}'), "-o", "json", clock=FakeClock(ISSUED_AT))
    assert (result.exit_code, result.json["expiresOn"]) == (0, "9999-12-31T23:59:59+00:00")
