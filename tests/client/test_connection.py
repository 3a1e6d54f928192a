"""Parsing connection strings like the SDK, and the endpoints acsid agrees to sign for."""

import base64

import pytest

from acsid_cli import signing
from acsid_cli.client.connection import parse
from acsid_cli.client.errors import ConnectionStringError

KEY = base64.b64encode(b"not-a-real-key:only-for-acsid-tests").decode()


@pytest.mark.parametrize(
    ("text", "endpoint", "host"),
    [
        (f"endpoint=https://x.communication.azure.com/;accesskey={KEY}", "https://x.communication.azure.com",
         "x.communication.azure.com"),
        (f"EndPoint=https://x.communication.azure.com;AccessKey={KEY};", "https://x.communication.azure.com",
         "x.communication.azure.com"),
        (f" accesskey={KEY} ; endpoint=https://x.example:443/ ", "https://x.example:443", "x.example"),
        (f"endpoint=http://127.0.0.1:10050/;accesskey={KEY}", "http://127.0.0.1:10050", "127.0.0.1:10050"),
        (f"endpoint=http://localhost:8080;accesskey={KEY}", "http://localhost:8080", "localhost:8080"),
        (f"endpoint=http://[::1]:8080;accesskey={KEY}", "http://[::1]:8080", "[::1]:8080"),
        (f"endpoint=http://127.1.2.3;accesskey={KEY}", "http://127.1.2.3", "127.1.2.3"),
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
    ],
)
def test_refusals_say_why_without_the_key(text, message):
    with pytest.raises(ConnectionStringError) as caught:
        parse(text)
    assert str(caught.value) == message
    assert KEY not in str(caught.value)


def test_the_key_is_never_in_repr():
    conn = parse(f"endpoint=https://x.example;accesskey={KEY}")
    assert KEY not in repr(conn) and "not-a-real-key" not in repr(conn)
    assert conn.fingerprint.startswith("sha256:") and len(conn.fingerprint) == 19
