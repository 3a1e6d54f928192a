"""The Teams token exchange."""

from __future__ import annotations

import pytest
from wire import (
    APP_ID,
    INVALID_ACCESS_TOKEN,
    OID,
    TENANT,
    VERSION,
    entra_token,
    error,
    iso_7,
    jwt_claims,
)

from acsid_cli.emulator import DEFAULT_RESOURCE_ID

EXCHANGE = f"/teamsUser/:exchangeAccessToken?api-version={VERSION}"


def test_teams_exchange_mints_a_teams_token(wire):
    aad = entra_token(uti="80Iy_oC4_kuXBJpeZ1FPAA")
    entra = jwt_claims(aad)
    reply = wire.request("POST", EXCHANGE, {"token": aad, "appId": APP_ID, "userId": OID})
    assert reply.status == 200, reply.body
    claims = jwt_claims(reply.json["token"])
    assert claims == {
        "skypeid": f"orgid:{OID}",
        "scp": 1024,
        "csi": str(entra["iat"]),
        "exp": entra["exp"],
        "rgn": "amer",
        "tid": TENANT,
        "acsScope": "voip,chat",
        "resourceId": DEFAULT_RESOURCE_ID,
        "aad_iat": str(entra["iat"]),
        "aad_uti": "80Iy_oC4_kuXBJpeZ1FPAA",
        "aad_appid": APP_ID,
        "iat": entra["iat"] + 300,
    }
    assert list(claims)[-1] == "iat"
    assert reply.json["expiresOn"] == iso_7(entra["exp"])


OTHER_GUID = "11111111-2222-3333-4444-555555555555"


@pytest.mark.parametrize(
    ("body", "status", "expected"),
    [
        ({"token": "garbage", "appId": APP_ID, "userId": OID}, 401, INVALID_ACCESS_TOKEN),
        ({"token": "", "appId": APP_ID, "userId": ""}, 401, INVALID_ACCESS_TOKEN),
        ({"token": entra_token(lifetime=-10), "appId": APP_ID, "userId": OID}, 401, INVALID_ACCESS_TOKEN),
        ({"token": entra_token(exp=float("inf")), "appId": APP_ID, "userId": OID}, 401, INVALID_ACCESS_TOKEN),
        ({"token": entra_token(iat=float("nan")), "appId": APP_ID, "userId": OID}, 401, INVALID_ACCESS_TOKEN),
        ({"token": entra_token(exp=10**20), "appId": APP_ID, "userId": OID}, 401, INVALID_ACCESS_TOKEN),
        ({"appId": APP_ID, "userId": OID}, 401, INVALID_ACCESS_TOKEN),
        (
            {"token": entra_token(), "appId": "", "userId": OID},
            400,
            error("ValidationError", "AppId: The AppId field is required.", "AppId"),
        ),
        (
            {"token": entra_token(), "userId": OID},
            400,
            error("ValidationError", "AppId: The AppId field is required.", "AppId"),
        ),
        (
            {"token": entra_token(), "appId": "invalid", "userId": OID},
            400,
            error("ValidationError", "Provided AppId has invalid format.", "appId"),
        ),
        (
            {"token": entra_token(), "appId": OTHER_GUID, "userId": OID},
            400,
            error("ValidationError", "AAD application is not the expected one.", "appId"),
        ),
        (
            {"token": entra_token(), "appId": APP_ID, "userId": ""},
            400,
            error("ValidationError", "UserId: The UserId field is required.", "UserId"),
        ),
        (
            {"token": entra_token(), "appId": APP_ID, "userId": "invalid"},
            400,
            error("ValidationError", "Provided UserId has invalid format.", "userId"),
        ),
        (
            {"token": entra_token(), "appId": APP_ID, "userId": OTHER_GUID},
            400,
            error("ValidationError", "Provided AAD token issued for unexpected user.", "userId"),
        ),
    ],
)
def test_teams_exchange_errors(wire, body, status, expected):
    reply = wire.request("POST", EXCHANGE, body)
    assert (reply.status, reply.json) == (status, expected)


def test_teams_exchange_2021_10_31_preview_takes_the_token_only(wire):
    reply = wire.request(
        "POST", "/teamsUser/:exchangeAccessToken?api-version=2021-10-31-preview", {"token": entra_token()}
    )
    assert reply.status == 200, reply.body
