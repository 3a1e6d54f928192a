"""Nothing from the data reaches a terminal raw: claims, the service's answers and its error text are shown
with their control characters escaped in table, tsv and on stderr; json and yaml stay exact encodings."""

import json
import re

import yaml
from helpers import acsid
from wire import jwt

# A window title, an 8-bit CSI "clear screen", a line break that forges an error line, a tab that splits a record.
HOSTILE = "x\x1b]0;pwned\x07\x9b2J\nerror: forged\ty\u202e"
SHOWN = "x\\x1b]0;pwned\\x07\\x9b2J\\nerror: forged\\ty\\u202e"
RAW = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")  # what may not reach stdout (a newline ends a record)


def _token() -> str:
    return jwt({"exp": 4102444800, "skypeid": f"acs:{HOSTILE}", "resourceId": HOSTILE, "acsScope": "chat"})


def test_claims_in_a_table_and_tsv_are_escaped():
    table = acsid("token", "inspect", _token(), "-o", "table")
    assert table.exit_code == 0, table.stderr
    assert not RAW.search(table.stdout)
    assert len(table.stdout.splitlines()) == 3  # headers, rule, one row
    assert f"8:acs:{SHOWN}" in table.stdout.splitlines()[2]
    tsv = acsid("token", "inspect", _token(), "-o", "tsv", "--query", "[identity, resourceId]")
    assert tsv.stdout == f"8:acs:{SHOWN}\n{SHOWN}\n"


def test_json_and_yaml_stay_exact():
    for fmt, load in (("json", json.loads), ("jsonl", json.loads), ("yaml", yaml.safe_load)):
        result = acsid("token", "inspect", _token(), "-o", fmt)
        assert result.exit_code == 0, result.stderr
        assert not RAW.search(result.stdout), fmt
        assert load(result.stdout)["claims"]["resourceId"] == HOSTILE, fmt


def test_an_error_from_the_service_is_one_escaped_line(conn_env):
    user = acsid("user", "create", "-o", "tsv", "--query", "rawId").stdout.strip()
    body = json.dumps({"error": {"code": "Bad\x1b[31m", "message": HOSTILE}})
    conn_env.inject("issue", status=400, body=body)
    result = acsid("token", "issue", "--scope", "chat", "--user", user)
    assert result.exit_code == 1
    assert result.error == (
        f"error: HTTP 400 Bad\\x1b[31m: {SHOWN} (POST /identities/{user}/:issueAccessToken, request id <id>)\n"
    )


def test_a_value_from_the_service_in_tsv_cannot_split_the_record(conn_env):
    identity = "8:acs:ac51dac5-1d00-4e00-8000-00000000e0e0_00000001-0000-0000-0000-3a0d00000001"
    conn_env.inject("create", status=201, body=json.dumps({"identity": {"id": identity, "customId": HOSTILE}}))
    result = acsid("user", "create", "--custom-id", "alice", "-o", "tsv")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"{SHOWN}\t\t{identity}\n"
