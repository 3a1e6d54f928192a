"""The service's rate limits (`acsid emulator --throttle service`): per operation, at most so many requests
in any 30-second window, beyond which the answer is 429 with Retry-After.

[assumption] The body of a real 429 was never recorded; the emulator sends
{"error": {"code": "TooManyRequests", "message": "..."}} and Retry-After in whole seconds, and counts
every request that names an operation, before its signature is checked.
"""

from __future__ import annotations

import math
import threading
from collections import deque
from collections.abc import Callable

from acsid_cli import protocol
from acsid_cli.emulator import errors

SERVICE_LIMITS = {name: op.limit for name, op in protocol.OPERATIONS.items()}


class Throttle:
    def __init__(
        self, limits: dict[str, int], clock: Callable[[], float], window: float = protocol.RATE_WINDOW_SECONDS
    ) -> None:
        self._limits = limits
        self._clock = clock
        self._window = window
        self._lock = threading.Lock()
        self._seen: dict[str, deque[float]] = {name: deque() for name in limits}

    def clear(self) -> None:
        """Forget the requests counted so far, as if just started."""
        with self._lock:
            for seen in self._seen.values():
                seen.clear()

    def admit(self, operation: str) -> None:
        """Counts the request, or raises the 429 to answer when the operation is over its limit."""
        limit = self._limits.get(operation)
        if limit is None:
            return
        with self._lock:
            now, seen = self._clock(), self._seen[operation]
            while seen and seen[0] <= now - self._window:
                seen.popleft()
            if len(seen) < limit:
                seen.append(now)
                return
            wait = max(1, math.ceil(seen[0] + self._window - now))
        raise errors.too_many_requests(operation, limit, self._window, wait)
