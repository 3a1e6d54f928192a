"""Parsing connection strings like the SDK, and the endpoints acsid agrees to sign for."""

import base64

import pytest
from helpers import acsid

from acsid_cli import signing
from acsid_cli.client.connection import parse
from acsid_cli.client.errors import ConnectionStringError

KEY = base64.b64encode(b"not-a-real-key:only-for-acsid-tests").decode()
MALFORMED_HOSTS = [
    "http://[garbage]/",  # not an IPv6 address in brackets
    "https://[::1",
    "http://[::1]x/",
    "https://[v1.x]/",
    "https://exa mple.com",
    "https://%zz",
    "https://a..b",
    "https://-x-.example",
    "https://bücher.example",  # the Host header would carry its xn-- form, and the signature would not match
    "https://" + "a" * 64 + ".example",
]


@pytest.mark.parametrize(
    ("text", "endpoint", "host"),
    [
        (
            f"endpoint=https://x.communication.azure.com/;accesskey={KEY}",
            "https://x.communication.azure.com",
            "x.communication.azure.com",
        ),
        (
            f"EndPoint=https://x.communication.azure.com;AccessKey={KEY};",
            "https://x.communication.azure.com",
            "x.communication.azure.com",
        ),
        (f" accesskey={KEY} ; endpoint=https://x.example:443/ ", "https://x.example:443", "x.example"),
        (f"endpoint=http://127.0.0.1:10050/;accesskey={KEY}", "http://127.0.0.1:10050", "127.0.0.1:10050"),
        (f"endpoint=http://localhost:8080;accesskey={KEY}", "http://localhost:8080", "localhost:8080"),
        (f"endpoint=http://[::1]:8080;accesskey={KEY}", "http://[::1]:8080", "[::1]:8080"),
        (f"endpoint=http://127.1.2.3;accesskey={KEY}", "http://127.1.2.3", "127.1.2.3"),
        (
            f"endpoint=http://acs_emulator:10050;accesskey={KEY};UseDevelopmentEmulator=true",
            "http://acs_emulator:10050",
            "acs_emulator:10050",
        ),
    ],
)
def test_parse(text, endpoint, host):
    conn = parse(text)
    assert (conn.endpoint, signing.host_of(conn.endpoint), conn.key) == (endpoint, host, base64.b64decode(KEY))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("notaconnectionstring", "the connection string has no 'endpoint' and no 'accesskey'"),
        ("endpoint=https://x.example/;accesskey=", "the connection string has no 'accesskey'"),
        (f"endpoint=x.example;accesskey={KEY}", "the connection string's endpoint must be an https:// URL with a host"),
        (f"endpoint=https://x.example:99999;accesskey={KEY}", "the connection string's endpoint has an invalid port"),
        (
            f"endpoint=https://x.example/?a=b;accesskey={KEY}",
            "the connection string's endpoint must have no query, fragment or user name",
        ),
        ("endpoint=https://x.example;accesskey=not base64!", "the connection string's access key is not valid base64"),
        (
            f"endpoint=http://192.168.1.9;accesskey={KEY}",
            "refusing plain http:// to 192.168.1.9: only loopback hosts may use http",
        ),
        *[
            (f"endpoint={endpoint};accesskey={KEY}", "the connection string's endpoint has an invalid host")
            for endpoint in MALFORMED_HOSTS
        ],
    ],
)
def test_refusals_say_why_without_the_key(text, message):
    with pytest.raises(ConnectionStringError) as caught:
        parse(text)
    assert str(caught.value) == message
    assert KEY not in str(caught.value)


def test_the_key_is_never_in_repr():
    conn = parse(f"endpoint=https://x.example;accesskey={KEY}")
    assert KEY not in repr(conn)
    assert "not-a-real-key" not in repr(conn)
    assert conn.fingerprint.startswith("sha256:")
    assert len(conn.fingerprint) == 19


@pytest.mark.parametrize("endpoint", MALFORMED_HOSTS[:3])
def test_a_malformed_endpoint_is_a_usage_error(endpoint):
    result = acsid("user", "create", "--connection-string", f"endpoint={endpoint};accesskey={KEY}")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "error: the connection string's endpoint has an invalid host\n"
        "hint: the format is endpoint=https://<resource>.communication.azure.com/;accesskey=<base64 key>\n"
    )
