"""Parsing connection strings like the SDK, and the resolution order."""

import base64

import pytest

from acsid_cli import connection
from acsid_cli.errors import UsageError

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
    conn = connection.parse(text)
    assert (conn.endpoint, conn.host, conn.key) == (endpoint, host, base64.b64decode(KEY))


def test_the_key_is_never_in_repr_or_errors():
    conn = connection.parse(f"endpoint=https://x.example;accesskey={KEY}")
    assert KEY not in repr(conn) and "not-a-real-key" not in repr(conn)
    with pytest.raises(UsageError) as caught:
        connection.parse(f"endpoint=http://192.168.1.9;accesskey={KEY}")
    assert KEY not in str(caught.value) and KEY not in (caught.value.hint or "")


def test_resolution_order(monkeypatch):
    import keyring

    keyring.set_password("acsid", "default", f"endpoint=https://from-keyring.example;accesskey={KEY}")
    assert connection.resolve(None, "default")[1] == "keyring (profile 'default')"
    monkeypatch.setenv("AZURE_COMMUNICATION_CONNECTION_STRING", f"endpoint=https://from-env.example;accesskey={KEY}")
    conn, source = connection.resolve(None, "default")
    assert (conn.endpoint, source) == ("https://from-env.example", "AZURE_COMMUNICATION_CONNECTION_STRING")
    conn, source = connection.resolve(f"endpoint=https://from-flag.example;accesskey={KEY}", "default")
    assert (conn.endpoint, source) == ("https://from-flag.example", "--connection-string")


def test_missing_everywhere_names_all_three_ways():
    with pytest.raises(UsageError) as caught:
        connection.resolve(None, "default")
    assert caught.value.message == "no connection string for profile 'default'"
    assert "--connection-string -" in caught.value.hint
    assert "AZURE_COMMUNICATION_CONNECTION_STRING" in caught.value.hint
    assert "acsid config set-connection-string" in caught.value.hint


def test_a_failing_keyring_is_a_usage_error(mocker):
    import keyring

    mocker.patch.object(keyring.get_keyring(), "get_password", side_effect=RuntimeError("dbus is gone"))
    with pytest.raises(UsageError, match="the OS keyring failed"):
        connection.resolve(None, "default")
