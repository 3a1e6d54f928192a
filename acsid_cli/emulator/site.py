"""What the connections of one listener share: the app they serve (a function Request -> Answer), its limits,
and the worker threads its answers are worked out on."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass

from acsid_cli.emulator import http1
from acsid_cli.emulator.errors import error_body
from acsid_cli.emulator.limits import Limits
from acsid_cli.emulator.messages import Answer, Request

App = Callable[[Request], Answer]
log = logging.getLogger("acsid_cli.emulator")


@dataclass(frozen=True)
class Site:
    app: App
    limits: Limits
    scheme: str  # "http" or "https", for Request.origin
    executor: Executor
    stopping: Callable[[], bool]  # once stopping, an app may fail (its state closed under it): no answer then

    def reply(self, request: Request, head: http1.Head) -> tuple[Answer, http1.Rendered] | None:
        """The answer and its bytes; runs on a worker thread. None: stopping, nothing to send."""
        keep_alive = head.keep_alive and not self.stopping()
        try:
            answer = self.app(request)
            return answer, http1.render(answer, head.method, keep_alive, head.http10)
        except Exception:
            if self.stopping():
                return None
            # A bug of ours: the client gets a 500 it can show, the emulator's stderr the traceback.
            log.exception("emulator bug answering %s %s", request.method, request.target)
            answer = Answer(500, error_body("EmulatorBug", "The acsid emulator failed; its log has the traceback."))
            return answer, http1.render(answer, head.method, keep_alive, head.http10)
