"""Property-based: the parser and the CLI never crash, whatever they are given."""

import string

from helpers import acsid
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from acsid_cli.client.connection import parse
from acsid_cli.client.errors import ConnectionStringError

EXIT_CODES = {0, 1, 2, 3}


def refusal(text: str) -> str | None:
    """What parse says when it refuses text; None when it parses it."""
    try:
        parse(text)
    except ConnectionStringError as exc:
        return str(exc)
    return None


@given(st.text())
def test_parser_returns_or_raises_one_sentence(text):
    why = refusal(text)
    if why is None:
        conn = parse(text)
        assert conn.endpoint.startswith(("https://", "http://"))
        assert conn.key
    else:
        assert "\n" not in why


@given(
    endpoint=st.sampled_from(["https://x.example", "http://127.0.0.1:1", "http://example.com", "https://", ""]),
    key=st.text(alphabet=string.ascii_letters + string.digits + "+/=", max_size=20),
    noise=st.text(max_size=10),
)
def test_parser_never_echoes_the_key(endpoint, key, noise):
    why = refusal(f"endpoint={endpoint};accesskey={key};{noise}")
    if why is not None and len(key) >= 8:
        assert key not in why


WORDS = [
    "user",
    "token",
    "config",
    "create",
    "delete",
    "issue",
    "revoke",
    "get-for-teams-user",
    "show",
    "-v",
    "set-connection-string",
    "delete-connection-string",
    "--user",
    "--scope",
    "chat",
    "voip",
    "--yes",
    "-y",
    "--expires-in",
    "60",
    "59",
    "-o",
    "json",
    "tsv",
    "table",
    "--query",
    "token",
    "[",
    "--api-version",
    "--timeout",
    "0",
    "--profile",
    "--help",
    "--version",
    "--debug",
    "-",
    "--aad-token",
    "--client",
    "--aad-user",
    "8:acs:x_y",
    "--connection-string",
    "endpoint=http://example.com;accesskey=YWJj",
    "yaml",
    "--verbose",
    "--only-show-errors",
    "--subscription",
]


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=8)), max_size=8))
def test_random_argv_never_crashes(argv):
    if "emulator" in argv:  # would start a server
        return
    result = acsid(*argv, input="")
    assert result.exit_code in EXIT_CODES, (argv, result.stderr)
    assert "Traceback" not in result.stderr
