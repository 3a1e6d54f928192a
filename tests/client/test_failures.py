"""Requests without an answer, in words that point the right way."""

from __future__ import annotations

import pytest

from acsid_cli.cli.errors import TLS_HINT, explain
from acsid_cli.client.errors import PlainHttpServer, TlsError
from acsid_cli.client.rest import IdentityClient


def test_https_to_a_plain_http_server_says_so(emulator):
    endpoint = emulator.endpoint.replace("http://", "https://")
    client = IdentityClient.from_connection_string(f"endpoint={endpoint};accesskey={emulator.access_key}")
    with pytest.raises(PlainHttpServer) as caught:
        client.revoke_tokens("8:acs:x")
    error = caught.value
    assert str(error) == f"{endpoint} answered in plain http, not TLS: the server does not speak https on that port"
    assert (error.attempts, error.maybe_processed) == (1, False)  # trying again cannot help
    problem = explain(error)
    assert problem is not None
    assert problem.hint != TLS_HINT  # no CA bundle can fix this


def test_an_untrusted_certificate_is_still_a_tls_error(https_emulator):
    client = IdentityClient.from_connection_string(https_emulator.connection_string)
    with pytest.raises(TlsError) as caught:
        client.revoke_tokens("8:acs:x")
    assert str(caught.value).startswith(f"TLS with {https_emulator.endpoint} failed: ")
    assert "CERTIFICATE_VERIFY_FAILED" in str(caught.value) or "certificate verify failed" in str(caught.value)
    problem = explain(caught.value)
    assert problem is not None
    assert problem.hint == TLS_HINT
