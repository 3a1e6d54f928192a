"""What the client's operations share: building a call (path, API version, body) and sending it."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

import requests
import requests.auth

from acsid_cli import protocol
from acsid_cli.client.transport import Call, Transport


class Caller:
    """The transport and the API version chosen for the client: one for every operation, or None for each
    operation's own (the first version that has it: 2023-10-01, 2025-06-30 or 2025-03-02-preview)."""

    def __init__(self, transport: Transport, api_version: str | None) -> None:
        self.transport = transport
        self.api_version = api_version

    def version(self, operation: protocol.Operation) -> str:
        return self.api_version or operation.version

    def call(
        self,
        operation: protocol.Operation,
        params: dict[str, str] | None = None,
        body: Any = None,
        *,
        api_version: str | None = None,
        content_type: str = "application/json",
        auth: requests.auth.AuthBase | None = None,
        **flags: Any,
    ) -> Call:
        """params fill the path's {names}: percent-encoded on the wire (as the SDK does), as written in messages."""
        path = line = operation.path
        for name, value in (params or {}).items():
            path = path.replace(f"{{{name}}}", quote(value, safe=""))
            line = line.replace(f"{{{name}}}", value)
        data = b"" if body is None else json.dumps(body).encode("utf-8")  # the SDK's separators
        version = api_version or self.version(operation)
        return Call(
            operation, path, f"{operation.method} {line}", version, data, content_type=content_type, auth=auth, **flags
        )

    def send(self, call: Call) -> requests.Response:
        response = self.transport.send(call)
        assert response is not None, "only a delete may answer None, and its caller does not read it"
        return response
