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
from collections.abc import Callable
from concurrent.futures import Future

from acsid_cli.emulator import http1
from acsid_cli.emulator.messages import Answer, Request, host_port
from acsid_cli.emulator.site import Site, log

_CONTINUE = b"HTTP/1.1 100 Continue\r\n\r\n"
_Reply = tuple[Answer, http1.Rendered] | None


class Connection(asyncio.Protocol):
    def __init__(self, site: Site, on_close: Callable[[Connection], None]) -> None:
        self.site = site
        self.made = False
        self._on_close = on_close
        self._loop = asyncio.get_running_loop()
        self._buffer = bytearray()
        self._scanned = 0  # bytes at the buffer's start known to hold no end of head
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
            return  # what a client sends after the answer that ends its connection is not read
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
        try:
            while not self._busy and not self._closed:
                if self._head is None and not self._read_head():
                    return
                head = self._head
                assert head is not None
                if len(self._buffer) < head.content_length:
                    return
                body = bytes(self._buffer[: head.content_length])
                del self._buffer[: head.content_length]
                self._head = None
                self._dispatch(head, body)
        except http1.Refusal as refusal:
            self._refuse(refusal)
        except Exception:  # a bug of ours: this connection ends, the others go on
            log.exception("emulator bug reading a request")
            self.abort()

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
            future = self.site.executor.submit(self.site.reply, request, head)
        except RuntimeError:  # the executor shut down: stopping
            self.abort()
            return
        future.add_done_callback(self._from_worker)

    def _from_worker(self, done: Future[_Reply]) -> None:
        with contextlib.suppress(RuntimeError):  # the loop closed: stopped
            self._loop.call_soon_threadsafe(self._answered, done)

    def _answered(self, done: Future[_Reply]) -> None:
        reply = None if done.cancelled() else done.result()
        if self._closed:
            return
        if reply is None:
            self.abort()
            return
        self._write(*reply)
        if self._closed:
            return
        self._busy = False
        self._waiting = True
        self._clock(self.site.limits.idle_timeout)
        if self._writable:
            self.transport.resume_reading()
            self._advance()

    def _write(self, answer: Answer, rendered: http1.Rendered) -> None:
        if rendered.whole and answer.log:
            answer.log.status = answer.status  # before writing: a client may read the log as soon as it has the answer
        if rendered.data:
            self.transport.write(rendered.data)
        if rendered.close:
            self._close()

    def _refuse(self, refusal: http1.Refusal) -> None:
        """Answer a request that is not read any further, and close."""
        self._busy = True
        self._write(refusal.answer, http1.render(refusal.answer, self._head.method if self._head else None, False))

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
