"""A request as the emulator received it, and the answer it sends back."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from email.message import Message
from typing import Any

_JSON = "application/json"  # error answers carry no charset, as the service's do
_JSON_UTF8 = "application/json; charset=utf-8"


@dataclass(frozen=True)
class Request:
    method: str
    target: str  # the raw request target, exactly as received: what the client signed
    headers: Message
    body: bytes
    origin: str  # scheme://host as the client addressed it, to quote the request URI in errors
    local: str | None = None  # host:port the connection arrived at (its socket's own address), as Host says it

    @property
    def path(self) -> str:
        return self.target.partition("?")[0]


def host_port(address: tuple[Any, ...]) -> str:
    """A socket address as a Host header writes it: 127.0.0.1:10050, [::1]:10050."""
    host, port = str(address[0]), address[1]
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


@dataclass
class LogEntry:
    """What the request log keeps of one request; status stays None until a whole answer was sent."""

    method: str
    route: str | None
    target: str
    client_request_id: str | None
    fault: dict[str, Any] | None
    scheme: str | None  # how the client authenticated: "HMAC-SHA256" or "Bearer"
    fingerprint: str | None  # of the signature or bearer token: 8 hex digits of its SHA-256, never the secret
    status: int | None = None
    reason: str | None = None  # why the emulator refused it (x-acsid-emulator-reason), for people debugging

    def to_json(self) -> dict[str, Any]:
        return camel_case_json(self)


def json_object(body: bytes) -> dict[str, Any] | None:
    """The body as a JSON object ({} when there is none), or None when it is not one."""
    if not body.strip():
        return {}
    try:
        value = json.loads(body)
    except (ValueError, RecursionError):  # RecursionError: arrays nested a hundred thousand deep
        return None
    return value if isinstance(value, dict) else None


def camel(name: str) -> str:
    """retry_after → retryAfter: Python's names as the service's JSON spells them."""
    head, *rest = name.split("_")
    return head + "".join(word.capitalize() for word in rest)


def camel_case_json(record: Any) -> dict[str, Any]:
    """A dataclass's fields as JSON, with camelCase names."""
    return {camel(name): value for name, value in asdict(record).items()}


@dataclass
class Answer:
    status: int
    body: dict[str, Any] | None = None
    raw: bytes | None = None  # a body sent exactly as given (an injected fault's)
    content_type: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    drop: str | None = None  # an injected fault: lose the connection "before", "after" or "mid" answer
    log: LogEntry | None = None

    def payload(self) -> tuple[bytes, str | None]:
        """The body's bytes and Content-Type: compact JSON, or nothing for 204 and the like."""
        if self.raw is not None:
            return self.raw, self.content_type or _JSON
        if self.body is None:
            return b"", None
        return json.dumps(self.body, separators=(",", ":")).encode("utf-8"), _JSON_UTF8 if self.status < 400 else _JSON
