"""HTTP/1.1 framing, strictly: a request's head parsed and checked against the limits, an answer's head written.

Strict where leniency lets two parsers disagree about where a request ends (request smuggling): one
Content-Length of digits only, no Transfer-Encoding, no space before a header's colon, no folded lines,
no bare CR or LF; anything else is refused, and the connection closed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.message import Message
from http import HTTPStatus

from acsid_cli import signing
from acsid_cli.emulator.errors import error_body
from acsid_cli.emulator.limits import Limits
from acsid_cli.emulator.messages import Answer

# Every method reaches the app, which answers as the service does for those it has no route for.
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
CHUNKED_REFUSED = "Send the body with a Content-Length; chunked bodies are not supported."
_TOKEN = re.compile(rb"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_TARGET = re.compile(rb"[\x21-\x7e\x80-\xff]+")
_VERSION = re.compile(rb"HTTP/[0-9]\.[0-9]")
_CONTROL = re.compile(rb"[\x00-\x08\x0a-\x1f\x7f]")  # in a header value; horizontal tab is allowed
_REQUEST_START = re.compile(rb"[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,20}( |\Z)|\Z")
MAX_LENGTH_DIGITS = 18  # no body is longer: a longer Content-Length is malformed, not large


class Refusal(Exception):
    """A request the emulator will not read: the answer to send, after which the connection closes."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.answer = Answer(status, error_body(code, message))


@dataclass(frozen=True)
class Head:
    method: str
    target: str
    headers: Message
    content_length: int
    keep_alive: bool  # the client lets the connection serve its next request
    http10: bool
    expects_continue: bool


def head_end(buffer: bytearray, scanned: int, limits: Limits) -> int:
    """Where the head at the start of buffer ends (its blank line), searched from scanned; -1 while it may still
    come. Refuses at once what cannot begin a request line (a TLS handshake sent to plain http, say), rather than
    wait for a head that will never end, and a head longer than the limit."""
    end = buffer.find(b"\r\n\r\n", scanned, limits.max_head_bytes + 4)
    if end >= 0:
        return end
    if _REQUEST_START.match(buffer[:21]) is None:
        raise Refusal(400, "BadRequest", "The request line must be 'METHOD target HTTP/1.1'.")
    if len(buffer) <= limits.max_head_bytes:
        return -1
    if b"\r\n" in buffer[: limits.max_head_bytes]:
        raise Refusal(431, "RequestHeaderFieldsTooLarge", f"Send at most {limits.max_head_bytes} bytes of headers.")
    raise Refusal(414, "UriTooLong", f"Send a request line of at most {limits.max_head_bytes} bytes.")


def parse_head(block: bytes, limits: Limits) -> Head:
    """The head of a request: its request line and header lines, without the blank line that ends them."""
    lines = block.split(b"\r\n")
    if len(lines) - 1 > limits.max_headers:
        raise Refusal(431, "RequestHeaderFieldsTooLarge", f"Send at most {limits.max_headers} header fields.")
    method, target, version = _request_line(lines[0])
    headers = Message()
    for line in lines[1:]:
        name, colon, value = line.partition(b":")
        value = value.strip(b" \t")
        if not colon or not _TOKEN.fullmatch(name) or _CONTROL.search(value):
            raise Refusal(400, "BadRequest", "A header line is malformed.")
        headers[name.decode("ascii")] = value.decode("latin-1")
    if "Transfer-Encoding" in headers:
        raise Refusal(411, "LengthRequired", CHUNKED_REFUSED)
    length = _content_length(headers.get_all("Content-Length") or [], limits)
    options = {token.strip().lower() for value in headers.get_all("Connection") or [] for token in value.split(",")}
    http10 = version == b"HTTP/1.0"
    return Head(
        method,
        target,
        headers,
        length,
        keep_alive="close" not in options and (not http10 or "keep-alive" in options),
        http10=http10,
        expects_continue=not http10 and headers.get("Expect", "").lower() == "100-continue",
    )


def _request_line(line: bytes) -> tuple[str, str, bytes]:
    parts = line.split(b" ")
    if len(parts) != 3 or not _TOKEN.fullmatch(parts[0]) or not _TARGET.fullmatch(parts[1]):
        raise Refusal(400, "BadRequest", "The request line must be 'METHOD target HTTP/1.1'.")
    method, target, version = parts
    if version not in (b"HTTP/1.1", b"HTTP/1.0"):
        if _VERSION.fullmatch(version):
            raise Refusal(505, "HttpVersionNotSupported", "Send HTTP/1.1.")
        raise Refusal(400, "BadRequest", "The request line must be 'METHOD target HTTP/1.1'.")
    if method.decode("ascii") not in METHODS:
        raise Refusal(501, "NotImplemented", f"The method is not one of {', '.join(sorted(METHODS))}.")
    return method.decode("ascii"), target.decode("latin-1"), version


def _content_length(values: list[str], limits: Limits) -> int:
    """The body's length: 0 without a Content-Length; one field of decimal digits, else a Refusal."""
    if not values:
        return 0
    value = values[0]
    if len(values) > 1 or not (value.isascii() and value.isdigit()) or len(value) > MAX_LENGTH_DIGITS:
        raise Refusal(400, "BadRequest", "Content-Length must be one decimal number of bytes.")
    length = int(value)
    if length > limits.max_body_bytes:
        message = f"The body is longer than the emulator's limit of {limits.max_body_bytes} bytes."
        raise Refusal(413, "PayloadTooLarge", message)
    return length


@dataclass(frozen=True)
class Rendered:
    """An answer's bytes as they go on the wire, and what follows them."""

    data: bytes
    close: bool  # the connection ends after them
    whole: bool  # they are the whole answer, not one lost on purpose (a "drop" fault)


def render(answer: Answer, method: str | None, keep_alive: bool, http10: bool = False) -> Rendered:
    """The bytes of an answer to a request of this method; keep_alive: the connection serves another request."""
    if answer.drop in ("before", "after"):
        return Rendered(b"", close=True, whole=False)  # no answer at all
    payload, content_type = answer.payload()
    connection = "keep-alive" if keep_alive and http10 else "" if keep_alive else "close"
    head = answer_head(answer.status, content_type, len(payload), answer.headers, connection)
    if method == "HEAD":
        payload = b""  # the headers say how long the body would be; it is not sent
    if answer.drop == "mid":
        # Cut inside the body, or inside the headers when there is no body to cut.
        cut = len(head) + len(payload) // 2 if payload else len(head) // 2
        return Rendered((head + payload)[:cut], close=True, whole=False)
    return Rendered(head + payload, close=not keep_alive, whole=True)


def answer_head(status: int, content_type: str | None, length: int, headers: dict[str, str], connection: str) -> bytes:
    """The status line and headers of an answer; connection is "close", "keep-alive" or "" (HTTP/1.1's default)."""
    lines = [f"HTTP/1.1 {status} {_reason(status)}", f"Date: {signing.http_date()}"]
    if content_type:
        lines.append(f"Content-Type: {content_type}")
    lines.append(f"Content-Length: {length}")
    lines.extend(f"{name}: {value}" for name, value in headers.items())
    if connection:
        lines.append(f"Connection: {connection}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"
