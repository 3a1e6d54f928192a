"""One HTTP/1.1 connection on the event loop: each request read within its time and size limits, handed to the
app on a worker thread, and its answer written; then the next, on the same connection (keep-alive).

Phases and their clocks: waiting for a request (header_timeout on a new connection, idle_timeout on a
kept-alive one; closed without a word when nothing came), reading its head (header_timeout from its first
byte) and its body (body_timeout), then the app's turn (no clock: an injected delay is the app's), then the
next request. A request that runs out of time is answered 408 and the connection closed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from concurrent.futures import Executor, Future
from dataclasses import dataclass

from acsid_cli.emulator import http1
from acsid_cli.emulator.errors import error_body
from acsid_cli.emulator.limits import Limits
from acsid_cli.emulator.messages import Answer, Request, host_port

App = Callable[[Request], Answer]
log = logging.getLogger("acsid_cli.emulator")
_CONTINUE = b"HTTP/1.1 100 Continue\r\n\r\n"


@dataclass
class Site:
    """What the connections of one listener share: the app they serve and how."""

    app: App
    limits: Limits
    scheme: str
    executor: Executor
    stopping: Callable[[], bool]  # once stopping, an app that fails is expected to (its state closed under it)

    def answer(self, request: Request) -> Answer | None:
        """Runs on a worker thread. None: stopping, no answer to send."""
        try:
            return self.app(request)
        except Exception:
            if self.stopping():
                return None
            # A bug of ours: the client gets a 500 it can show, the emulator's stderr the traceback.
            log.exception("emulator bug answering %s %s", request.method, request.target)
            return Answer(500, error_body("EmulatorBug", "The acsid emulator failed; its log has the traceback."))


class Connection(asyncio.Protocol):
    def __init__(self, site: Site, on_close: Callable[[Connection], None]) -> None:
        self.site = site
        self.made = False
        self._on_close = on_close
        self._loop = asyncio.get_running_loop()
        self._buffer = bytearray()
        self._scanned = 0  # bytes of the buffer known to hold no end of head
        self._head: http1.Head | None = None
        self._waiting = True  # for a request's first byte
        self._busy = False  # a request is with the app
        self._writable = True
        self._closed = False
        self._timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        self.made = True
        sockname = transport.get_extra_info("sockname")  # where it arrived: what access.py judges Host by
        self.local = host_port(sockname) if sockname else None
        self._clock(self.site.limits.header_timeout)

    def connection_lost(self, exc: Exception | None) -> None:
        self._closed = True
        self._clock(None)
        self._on_close(self)

    def data_received(self, data: bytes) -> None:
        if self._closed:
            return  # what a client sends after its answer that closes the connection is not read
        self._buffer += data
        if not self._busy:
            self._advance()

    def pause_writing(self) -> None:
        self._writable = False  # the client does not read its answers: read nothing more from it until it does
        self.transport.pause_reading()

    def resume_writing(self) -> None:
        self._writable = True
        if not self._busy and not self._closed:
            self.transport.resume_reading()
            self._advance()

    def abort(self) -> None:
        self._closed = True
        self.transport.abort()

    def _advance(self) -> None:
        """Read as far as the buffer goes: requests that are whole go to the app, one at a time."""
        while not self._busy and not self._closed:
            try:
                if self._head is None and not self._read_head():
                    return
            except http1.Refusal as refusal:
                self._refuse(refusal)
                return
            head = self._head
            assert head is not None
            if len(self._buffer) < head.content_length:
                return
            body = bytes(self._buffer[: head.content_length])
            del self._buffer[: head.content_length]
            self._head = None
            self._dispatch(head, body)

    def _read_head(self) -> bool:
        """Whether the head of the next request is read; raises http1.Refusal."""
        limits = self.site.limits
        if self._waiting:
            while self._buffer[:2] == b"\r\n":  # blank lines before a request are to be ignored
                del self._buffer[:2]
            if not self._buffer:
                return False
            self._waiting = False
            self._clock(limits.header_timeout)  # the first byte of a request starts its clock
        end = http1.head_end(self._buffer, self._scanned, limits)
        if end < 0:
            self._scanned = max(0, len(self._buffer) - 3)
            return False
        self._head = http1.parse_head(bytes(self._buffer[:end]), limits)
        del self._buffer[: end + 4]
        self._scanned = 0
        if len(self._buffer) < self._head.content_length:
            self._clock(limits.body_timeout)
            if self._head.expects_continue:
                self.transport.write(_CONTINUE)
        return True

    def _dispatch(self, head: http1.Head, body: bytes) -> None:
        self._busy = True
        self._clock(None)
        self.transport.pause_reading()
        origin = f"{self.site.scheme}://{head.headers.get('Host', '')}"
        request = Request(head.method, head.target, head.headers, body, origin, self.local)
        try:
            future = self.site.executor.submit(self.site.answer, request)
        except RuntimeError:  # the executor shut down: stopping
            self.abort()
            return
        future.add_done_callback(lambda done: self._from_worker(head, done))

    def _from_worker(self, head: http1.Head, done: Future[Answer | None]) -> None:
        with contextlib.suppress(RuntimeError):  # the loop closed: stopped
            self._loop.call_soon_threadsafe(self._answered, head, done)

    def _answered(self, head: http1.Head, done: Future[Answer | None]) -> None:
        answer = None if done.cancelled() else done.result()
        if self._closed:
            return
        if answer is None:
            self.abort()
            return
        self._send(answer, head.method, keep_alive=head.keep_alive and not self.site.stopping(), http10=head.http10)
        if self._closed:
            return
        self._busy = False
        self._waiting = True
        self._clock(self.site.limits.idle_timeout)
        if self._writable:
            self.transport.resume_reading()
            self._advance()

    def _send(self, answer: Answer, method: str | None, keep_alive: bool, http10: bool = False) -> None:
        if answer.drop in ("before", "after"):
            self._close()  # no answer at all
            return
        payload, content_type = answer.payload()
        connection = "keep-alive" if keep_alive and http10 else "" if keep_alive else "close"
        head = http1.answer_head(answer.status, content_type, len(payload), answer.headers, connection)
        if method == "HEAD":
            payload = b""  # the headers say how long the body would be; it is not sent
        if answer.drop == "mid":
            # Cut inside the body, or inside the headers when there is no body to cut.
            cut = len(head) + len(payload) // 2 if payload else len(head) // 2
            self.transport.write((head + payload)[:cut])
            self._close()
            return
        if answer.log:
            answer.log.status = answer.status  # before writing: a client may read the log as soon as it has the answer
        self.transport.write(head + payload)
        if not keep_alive:
            self._close()

    def _refuse(self, refusal: http1.Refusal) -> None:
        """Answer a request that is not read any further, and close."""
        self._busy = True
        self._send(refusal.answer, self._head.method if self._head else None, keep_alive=False)

    def _close(self) -> None:
        """Close once the answer is written; a client that does not read it loses the connection all the same."""
        self._closed = True
        self.transport.close()
        self._clock(self.site.limits.idle_timeout, self.transport.abort)

    def _clock(self, seconds: float | None, then: Callable[[], None] | None = None) -> None:
        """Start the clock of the phase that begins (None: no clock)."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if seconds is not None:
            self._timer = self._loop.call_later(seconds, then or self._out_of_time)

    def _out_of_time(self) -> None:
        self._timer = None
        if self._waiting and not self._buffer:
            self.abort()  # nothing of a request came: close without a word, as servers do with idle connections
            return
        self._head = None
        self._refuse(http1.Refusal(408, "RequestTimeout", "The request did not arrive in time."))
