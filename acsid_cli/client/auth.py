"""Authentication as requests auth objects: each request is signed as it is prepared, every retry afresh."""

from __future__ import annotations

import requests
import requests.auth

from acsid_cli import signing


class HmacAuth(requests.auth.AuthBase):
    """The access-key scheme: HMAC-SHA256 over the method, the path as sent, the date, the host and the body."""

    def __init__(self, key: bytes) -> None:
        self._key = key

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        body = request.body or b""
        if isinstance(body, str):
            body = body.encode("utf-8")
        assert request.method and request.url, "requests prepares both before auth"
        request.headers.update(
            signing.sign(request.method, request.path_url, signing.host_of(request.url), body, self._key)
        )
        return request

    def __repr__(self) -> str:
        return "HmacAuth(key=<hidden>)"
