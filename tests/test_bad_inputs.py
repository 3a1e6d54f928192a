"""Bad input is exit 2, one `error:` line that names the problem, no traceback, no key, and no request sent."""

import base64

import pytest
from helpers import acsid

FAKE_KEY = base64.b64encode(b"not-a-real-key:only-for-acsid-tests").decode()
ISSUE = ["token", "issue", "--scope", "chat"]
USER = "8:acs:ac51dac5-1d00-4e00-8000-00000000e0e0_00000001-0000-0000-0000-3a0d00000001"
APP = "2c3e1e83-8fd7-4615-ad2b-b8c1229845ac"
OID = "32c0a5db-05ec-78ea-51ab-3f06b329397e"


def cs(text):
    return ["--connection-string", text]


CASES = [
    # connection strings
    ("no fields", [*ISSUE, *cs("notaconnectionstring")], "missing 'endpoint' and 'accesskey'"),
    ("no key", [*ISSUE, *cs("endpoint=https://x.communication.azure.com/")], "missing 'accesskey'"),
    ("empty key", [*ISSUE, *cs("endpoint=https://x.communication.azure.com/;accesskey=")], "missing 'accesskey'"),
    ("no endpoint", [*ISSUE, *cs(f"accesskey={FAKE_KEY}")], "missing 'endpoint'"),
    ("no scheme", [*ISSUE, *cs(f"endpoint=x.communication.azure.com;accesskey={FAKE_KEY}")], "https:// URL"),
    ("no host", [*ISSUE, *cs(f"endpoint=https://;accesskey={FAKE_KEY}")], "https:// URL with a host"),
    ("ftp", [*ISSUE, *cs(f"endpoint=ftp://x.example/;accesskey={FAKE_KEY}")], "https:// URL"),
    ("bad port", [*ISSUE, *cs(f"endpoint=https://x.example:99999/;accesskey={FAKE_KEY}")], "bad port"),
    ("key not base64", [*ISSUE, *cs("endpoint=https://x.example/;accesskey=not base64!")], "not valid base64"),
    (
        "http off loopback",
        [*ISSUE, *cs(f"endpoint=http://example.com/;accesskey={FAKE_KEY}")],
        "refusing plain http:// to example.com",
    ),
    (
        "http private range",
        ["user", "create", *cs(f"endpoint=http://10.1.2.3:8080;accesskey={FAKE_KEY}")],
        "refusing plain http:// to 10.1.2.3",
    ),
    # identity ids
    ("id not acs", ["token", "issue", "--scope", "chat", "--user", "bogus"], "--user 'bogus' is not an ACS user id"),
    ("teams id", ["token", "revoke", "--user", "8:orgid:abc", "--yes"], "is not an ACS user id"),
    ("empty id", ["user", "delete", "--user", "", "--yes"], "--user '' is not an ACS user id"),
    ("id without suffix", ["user", "delete", "--user", "8:acs:", "--yes"], "is not an ACS user id"),
    ("id with slash", ["user", "delete", "--user", "8:acs:a/b", "--yes"], "is not an ACS user id"),
    # scopes
    ("unknown scope", ["token", "issue", "--scope", "bogus"], "unknown scope 'bogus'"),
    ("scope case", ["token", "issue", "--scope", "chat,Chat"], "unknown scope 'Chat'"),
    ("empty scope", ["token", "issue", "--scope", ""], "--scope needs at least one scope"),
    ("only commas", ["token", "issue", "--scope", ",,"], "--scope needs at least one scope"),
    ("extra word", ["token", "issue", "--scope", "chat", "video"], "unknown scope 'video'"),
    ("no scope", ["token", "issue"], "Missing option '--scope'"),
    # expiry
    ("expiry 59", [*ISSUE, "--expires-in", "59"], "--expires-in 59 is out of range: tokens last 60 to 1440 minutes"),
    ("expiry 1441", [*ISSUE, "--expires-in", "1441"], "--expires-in 1441 is out of range"),
    ("expiry text", [*ISSUE, "--expires-in", "an hour"], "'--expires-in'"),
    # output and query
    ("output yaml", [*ISSUE, "-o", "yaml"], "'yaml' is not one of"),
    ("query syntax", [*ISSUE, "--query", "["], "invalid --query '['"),
    ("query filter", ["user", "create", "--query", "foo[?"], "invalid --query 'foo[?'"),
    # the rest of the common options
    ("api version", [*ISSUE, "--api-version", "banana"], "--api-version 'banana' is not an API version"),
    ("timeout zero", [*ISSUE, "--timeout", "0"], "'--timeout'"),
    ("profile name", ["user", "create", "--profile", "bad name!"], "invalid profile name 'bad name!'"),
    # Teams exchange
    (
        "client not guid",
        ["token", "get-for-teams-user", "--aad-token", "x", "--client", "app", "--aad-user", OID],
        "--client must be a GUID",
    ),
    (
        "oid not guid",
        ["token", "get-for-teams-user", "--aad-token", "x", "--client", APP, "--aad-user", "me"],
        "--aad-user must be a GUID",
    ),
    (
        "empty stdin token",
        ["token", "get-for-teams-user", "--aad-token", "-", "--client", APP, "--aad-user", OID],
        "--aad-token -: standard input was empty",
    ),
    # confirmation without a terminal
    ("delete no tty", ["user", "delete", "--user", USER], "--yes is required when not running interactively"),
    ("revoke no tty", ["token", "revoke", "--user", USER], "--yes is required when not running interactively"),
    ("unknown command", ["user", "show"], "No such command 'show'"),
]


@pytest.mark.parametrize(("args", "fragment"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_is_one_clear_line(conn_env, args, fragment):
    result = acsid(*args, input="")
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert result.exit_code == 2, result.stderr
    assert len(errors) == 1, result.stderr
    assert fragment in errors[0]
    assert len(result.stderr.splitlines()) <= 2  # the error and at most one hint
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    for secret in (FAKE_KEY, conn_env.access_key):
        assert secret not in result.stderr
    assert conn_env.requests() == []  # refused before anything was sent


def test_bad_output_env_var(conn_env, monkeypatch):
    monkeypatch.setenv("ACSID_OUTPUT", "xml")
    result = acsid("user", "create")
    assert (result.exit_code, result.stderr.splitlines()[0]) == (2, "error: unknown output format 'xml'")
    assert conn_env.requests() == []


@pytest.mark.parametrize("host", ["example.com", "10.0.0.1", "192.168.1.20", "[fe80::1]"])
def test_plain_http_off_loopback_never_opens_a_socket(mocker, host):
    connect = mocker.patch("socket.socket.connect", side_effect=AssertionError("a socket was opened"))
    create = mocker.patch("socket.create_connection", side_effect=AssertionError("a socket was opened"))
    result = acsid(
        "token", "issue", "--scope", "chat", "--connection-string", f"endpoint=http://{host}/;accesskey={FAKE_KEY}"
    )
    assert result.exit_code == 2
    assert result.stderr.startswith(
        f"error: refusing plain http:// to {host.strip('[]')}: only loopback hosts may use http"
    )
    assert not connect.called and not create.called
