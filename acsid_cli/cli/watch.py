"""What a command has sent, noted as each request is signed: a signal that cuts the command short can then
say what may have happened (a create may have created)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

import requests
import requests.auth

from acsid_cli import protocol
from acsid_cli.client.rest import IdentityClient


@dataclass(frozen=True)
class Sent:
    operation: str | None  # a protocol operation's name, e.g. "create"; None for a request of no operation
    request_line: str  # e.g. "POST /identities", the id as people write it


class Watched(requests.auth.AuthBase):
    """Another auth, unchanged, and a note of each request as it goes out."""

    def __init__(self, inner: requests.auth.AuthBase, note: Callable[[Sent], None]) -> None:
        self._inner = inner
        self._note = note

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        self._note(sent(str(request.method), urlsplit(str(request.url)).path))
        return self._inner(request)

    def __repr__(self) -> str:
        return repr(self._inner)


class WatchedClient(IdentityClient):
    """The client, whichever way it is made, with its auth watched: `note` hears of each request."""

    def __init__(
        self, endpoint: str, auth: requests.auth.AuthBase, *, note: Callable[[Sent], None], **options: Any
    ) -> None:
        super().__init__(endpoint, Watched(auth, note), **options)


def sent(method: str, path: str) -> Sent:
    line = f"{method} {unquote(path)}"
    for operation in protocol.OPERATIONS.values():
        if operation.method == method and _PATTERNS[operation.name].search(path):
            return Sent(operation.name, line)
    return Sent(None, line)


_PATTERNS = {
    name: re.compile(re.escape(operation.path).replace(re.escape("{id}"), "[^/]+") + "$")
    for name, operation in protocol.OPERATIONS.items()
}
