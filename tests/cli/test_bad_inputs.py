"""Bad input: exit 2, exactly these lines on stderr, nothing on stdout, no key, and no request sent."""

import base64

import pytest
from helpers import acsid

FAKE_KEY = base64.b64encode(b"not-a-real-key:only-for-acsid-tests").decode()
ISSUE = ["token", "issue", "--scope", "chat"]
USER = "8:acs:ac51dac5-1d00-4e00-8000-00000000e0e0_00000001-0000-0000-0000-3a0d00000001"
APP = "2c3e1e83-8fd7-4615-ad2b-b8c1229845ac"
OID = "32c0a5db-05ec-78ea-51ab-3f06b329397e"
FORMAT_HINT = "hint: the format is endpoint=https://<resource>.communication.azure.com/;accesskey=<base64 key>"
ID_HINT = "hint: ids look like 8:acs:<resource id>_<suffix>, as printed by 'acsid user create'"
SCOPES_HINT = "hint: valid scopes: chat, voip, chat.join, chat.join.limited, voip.join"


def cs(text):
    return ["--connection-string", text]


def usage(command):
    return f"hint: see 'acsid {command} --help'"


CASES = [
    # connection strings
    (
        "no fields",
        [*ISSUE, *cs("notaconnectionstring")],
        ["error: the connection string has no 'endpoint' and no 'accesskey'", FORMAT_HINT],
    ),
    (
        "no key",
        [*ISSUE, *cs("endpoint=https://x.communication.azure.com/")],
        ["error: the connection string has no 'accesskey'", FORMAT_HINT],
    ),
    (
        "empty key",
        [*ISSUE, *cs("endpoint=https://x.communication.azure.com/;accesskey=")],
        ["error: the connection string has no 'accesskey'", FORMAT_HINT],
    ),
    (
        "no endpoint",
        [*ISSUE, *cs(f"accesskey={FAKE_KEY}")],
        ["error: the connection string has no 'endpoint'", FORMAT_HINT],
    ),
    (
        "no scheme",
        [*ISSUE, *cs(f"endpoint=x.communication.azure.com;accesskey={FAKE_KEY}")],
        ["error: the connection string's endpoint must be an https:// URL with a host", FORMAT_HINT],
    ),
    (
        "no host",
        [*ISSUE, *cs(f"endpoint=https://;accesskey={FAKE_KEY}")],
        ["error: the connection string's endpoint must be an https:// URL with a host", FORMAT_HINT],
    ),
    (
        "ftp",
        [*ISSUE, *cs(f"endpoint=ftp://x.example/;accesskey={FAKE_KEY}")],
        ["error: the connection string's endpoint must be an https:// URL with a host", FORMAT_HINT],
    ),
    (
        "bad port",
        [*ISSUE, *cs(f"endpoint=https://x.example:99999/;accesskey={FAKE_KEY}")],
        ["error: the connection string's endpoint has an invalid port", FORMAT_HINT],
    ),
    (
        "key not base64",
        [*ISSUE, *cs("endpoint=https://x.example/;accesskey=not base64!")],
        ["error: the connection string's access key is not valid base64", FORMAT_HINT],
    ),
    (
        "http off loopback",
        [*ISSUE, *cs(f"endpoint=http://example.com/;accesskey={FAKE_KEY}")],
        ["error: refusing plain http:// to example.com: only loopback hosts may use http", FORMAT_HINT],
    ),
    (
        "http private range",
        ["user", "create", *cs(f"endpoint=http://10.1.2.3:8080;accesskey={FAKE_KEY}")],
        ["error: refusing plain http:// to 10.1.2.3: only loopback hosts may use http", FORMAT_HINT],
    ),
    # identity ids
    (
        "id not acs",
        ["token", "issue", "--scope", "chat", "--user", "bogus"],
        ["error: --user 'bogus' is not an ACS user id", ID_HINT],
    ),
    (
        "teams id",
        ["token", "revoke", "--user", "8:orgid:abc", "--yes"],
        ["error: --user '8:orgid:abc' is not an ACS user id", ID_HINT],
    ),
    ("empty id", ["user", "delete", "--user", "", "--yes"], ["error: --user '' is not an ACS user id", ID_HINT]),
    (
        "id without suffix",
        ["user", "delete", "--user", "8:acs:", "--yes"],
        ["error: --user '8:acs:' is not an ACS user id", ID_HINT],
    ),
    ("missing user", ["user", "delete", "--yes"], ["error: Missing option '--user'.", usage("user delete")]),
    (
        "id with a space",
        ["token", "revoke", "--user", "8:acs:a b", "--yes"],
        ["error: --user '8:acs:a b' has a space at position 8; ids are printable ASCII", ID_HINT],
    ),
    (
        "id with a control character",
        ["token", "revoke", "--user", "8:acs:a\x07b", "--yes"],
        ["error: --user '8:acs:a\\x07b' has a control character at position 8; ids are printable ASCII", ID_HINT],
    ),
    (
        "id with an ANSI escape",
        ["user", "delete", "--user", "8:acs:\x1b[31mred", "--yes"],
        ["error: --user '8:acs:\\x1b[31mred' has a control character at position 7; ids are printable ASCII", ID_HINT],
    ),
    (
        "id not ASCII",
        ["user", "delete", "--user", "8:acs:caf\u00e9", "--yes"],
        ["error: --user '8:acs:caf\u00e9' has '\u00e9' at position 10; ids are printable ASCII", ID_HINT],
    ),
    (
        "id too long",
        ["user", "delete", "--user", "8:acs:" + "x" * 251, "--yes"],
        [f"error: --user '8:acs:{'x' * 54}…' is 257 characters long; ids have at most 256", ID_HINT],
    ),
    # scopes
    ("unknown scope", ["token", "issue", "--scope", "bogus"], ["error: unknown scope 'bogus'", SCOPES_HINT]),
    ("scope case", ["token", "issue", "--scope", "chat,Chat"], ["error: unknown scope 'Chat'", SCOPES_HINT]),
    ("empty scope", ["token", "issue", "--scope", ""], ["error: --scope got an empty value", SCOPES_HINT]),
    (
        "only commas",
        ["token", "issue", "--scope", ",,"],
        ["error: --scope ',,' has an empty scope between commas", SCOPES_HINT],
    ),
    (
        "empty element",
        ["token", "issue", "--scope", "chat,,voip"],
        ["error: --scope 'chat,,voip' has an empty scope between commas", SCOPES_HINT],
    ),
    ("extra word", ["token", "issue", "--scope", "chat", "video"], ["error: unknown scope 'video'", SCOPES_HINT]),
    ("no scope", ["token", "issue"], ["error: Missing option '--scope'.", usage("token issue")]),
    (
        "stray positional",
        ["token", "issue", "voip", "--scope", "chat"],
        ["error: Got unexpected extra argument(s) (voip)", usage("token issue")],
    ),
    (
        "scope of a later API",
        [*ISSUE, "--scope", "chat.join", "--api-version", "2022-10-01"],
        [
            "error: --scope chat.join needs API version 2023-10-01 or 2025-03-02-preview or 2025-06-30, not 2022-10-01",
            "hint: leave out --api-version (default 2023-10-01)",
        ],
    ),
    (
        "join scope of a later API, az's spelling",
        ["token", "issue", "--scope", "chat", "voip.join", "--api-version", "2021-03-07"],
        [
            "error: --scope voip.join needs API version 2023-10-01 or 2025-03-02-preview or 2025-06-30, not 2021-03-07",
            "hint: leave out --api-version (default 2023-10-01)",
        ],
    ),
    # expiry
    (
        "expiry 59",
        [*ISSUE, "--expires-in", "59"],
        ["error: --expires-in 59 is out of range: tokens last 60 to 1440 minutes"],
    ),
    (
        "expiry 1441",
        [*ISSUE, "--expires-in", "1441"],
        ["error: --expires-in 1441 is out of range: tokens last 60 to 1440 minutes"],
    ),
    (
        "expiry on an old API",
        [*ISSUE, "--expires-in", "60", "--api-version", "2022-06-01"],
        [
            "error: --expires-in needs API version 2022-10-01 or later; 2022-06-01 only issues 24-hour tokens",
            "hint: leave out --api-version (default 2023-10-01)",
        ],
    ),
    (
        "expiry text",
        [*ISSUE, "--expires-in", "an hour"],
        ["error: Invalid value for '--expires-in': 'an hour' is not a valid int.", usage("token issue")],
    ),
    # output and query
    (
        "output xml",
        [*ISSUE, "-o", "xml"],
        [
            "error: Invalid value for '--output' / '-o': 'xml' is not one of 'json', 'jsonc', 'yaml', 'yamlc', "
            "'table', 'tsv', 'jsonl', 'none'.",
            usage("token issue"),
        ],
    ),
    (
        "query syntax",
        [*ISSUE, "--query", "["],
        ["error: invalid --query '[': the expression is incomplete", "hint: see https://jmespath.org"],
    ),
    (
        "query token",
        ["user", "create", "--query", "a b"],
        ["error: invalid --query 'a b': unexpected text at column 2", "hint: see https://jmespath.org"],
    ),
    # the rest of the shared options
    (
        "api version",
        [*ISSUE, "--api-version", "banana"],
        ["error: --api-version 'banana' is not an API version", "hint: e.g. 2023-10-01"],
    ),
    (
        "timeout zero",
        [*ISSUE, "--timeout", "0"],
        ["error: Invalid value for '--timeout': 0.0 is not in the range x>=0.1.", usage("token issue")],
    ),
    (
        "profile name",
        ["user", "create", "--profile", "bad name!"],
        ["error: invalid profile name 'bad name!'", "hint: use letters, digits, '.', '_' or '-'"],
    ),
    (
        "option of another command",
        ["config", "show", "--timeout", "5"],
        ["error: No such option: --timeout", usage("config show")],
    ),
    # Teams exchange
    (
        "client not guid",
        ["token", "get-for-teams-user", "--aad-token", "x", "--client", "app", "--aad-user", OID],
        ["error: --client must be a GUID like 00000000-0000-0000-0000-000000000000"],
    ),
    (
        "oid not guid",
        ["token", "get-for-teams-user", "--aad-token", "x", "--client", APP, "--aad-user", "me"],
        ["error: --aad-user must be a GUID like 00000000-0000-0000-0000-000000000000"],
    ),
    (
        "empty stdin token",
        ["token", "get-for-teams-user", "--aad-token", "-", "--client", APP, "--aad-user", OID],
        ["error: --aad-token -: standard input was empty"],
    ),
    (
        "empty token",
        ["token", "get-for-teams-user", "--aad-token", "", "--client", APP, "--aad-user", OID],
        ["error: --aad-token is empty"],
    ),
    ("empty connection string", ["user", "create", "--connection-string", ""], ["error: --connection-string is empty"]),
    # confirmation without a terminal
    (
        "delete no tty",
        ["user", "delete", "--user", USER],
        ["error: --yes is required when not running interactively", "hint: add --yes (or -y)"],
    ),
    (
        "revoke no tty",
        ["token", "revoke", "--user", USER],
        ["error: --yes is required when not running interactively", "hint: add --yes (or -y)"],
    ),
    ("unknown command", ["user", "list"], ["error: No such command 'list'.", usage("user")]),
]


@pytest.mark.parametrize(("args", "stderr"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_is_one_clear_error(conn_env, args, stderr):
    result = acsid(*args, input="")
    assert (result.exit_code, result.stdout, result.stderr.splitlines()) == (2, "", stderr)
    assert conn_env.requests() == []  # refused before anything was sent
    assert not any(char < " " and char != "\n" for char in result.stderr)  # no control character echoed


def test_bad_output_env_var(conn_env, monkeypatch):
    monkeypatch.setenv("ACSID_OUTPUT", "xml")
    result = acsid("user", "create")
    assert (result.exit_code, result.stderr) == (
        2,
        "error: unknown output format 'xml' in ACSID_OUTPUT\n"
        "hint: choose one of json, jsonc, yaml, yamlc, table, tsv, jsonl, none\n",
    )
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
        f"error: refusing plain http:// to {host.strip('[]')}: only loopback hosts may use http\n"
    )
    assert not connect.called
    assert not create.called


BOGUS = "error: --user 'bogus' is not an ACS user id"


@pytest.mark.parametrize(
    ("args", "stderr"),
    [
        (["token", "issue", "--scope", "chat", "--user", "bogus"], [BOGUS, ID_HINT]),
        (["token", "revoke", "--user", "bogus", "--yes"], [BOGUS, ID_HINT]),
        (["user", "delete", "--user", "bogus", "--yes"], [BOGUS, ID_HINT]),
        (["user", "show", "--user", "bogus"], [BOGUS, ID_HINT]),
        (
            ["issue-access-token", "--scope", "chat", "--userid", "bogus"],
            ["error: --userid 'bogus' is not an ACS user id", ID_HINT],
        ),
        (["user", "create", "--custom-id", "a\tb"], ["error: --custom-id 'a\\tb' has a control character"]),
        (
            ["token", "issue", "--scope", "chat", "--custom-id", "x" * 257],
            [f"error: --custom-id '{'x' * 60}…' has 257 characters; custom ids have 1 to 256"],
        ),
        (
            ["token", "issue", "--scope", "chat.join", "--api-version", "2022-10-01", "--user", USER],
            [
                "error: --scope chat.join needs API version 2023-10-01 or 2025-03-02-preview or 2025-06-30, "
                "not 2022-10-01",
                "hint: leave out --api-version (default 2023-10-01)",
            ],
        ),
    ],
    ids=["issue", "revoke", "delete", "show", "issue-access-token", "create custom id", "issue custom id", "scope"],
)
def test_bad_input_is_named_before_a_connection_is_looked_for(args, stderr):
    """Nothing is configured and the keyring fails if asked: the input is what the error must be about."""
    import keyring
    from keyring.backends import fail

    keyring.set_keyring(fail.Keyring())
    result = acsid(*args, input="")
    if args[0] == "issue-access-token":
        stderr = [DEPRECATED, *stderr]
    assert (result.exit_code, result.stdout, result.stderr.splitlines()) == (2, "", stderr)


DEPRECATED = (
    "warning: This command has been deprecated and will be removed in a future release. "
    "Use 'acsid token issue' instead."
)
