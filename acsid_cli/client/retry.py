"""When to try a request again, and how long to wait first. Pure decisions; the transport does the I/O."""

from __future__ import annotations

import random
import time
from email.utils import parsedate_to_datetime

MAX_ATTEMPTS = 4
MAX_THROTTLED_WAITS = 50  # in bulk runs, 429s with Retry-After that do not count as attempts
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
# A status that says the request was refused before it was processed, when it comes with Retry-After.
NOT_PROCESSED_STATUSES = frozenset({429, 503})
BACKOFF_BASE = 0.25  # seconds before the 2nd attempt; doubles each time
BACKOFF_CAP = 4.0
RETRY_AFTER_CAP = 60.0  # a server may ask for more; a CI job should not sit for minutes


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """Retry-After as seconds (delta-seconds or an HTTP date), capped; None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            seconds = parsedate_to_datetime(value).timestamp() - (time.time() if now is None else now)
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
    return min(max(seconds, 0.0), RETRY_AFTER_CAP)


def backoff(attempt: int) -> float:
    """Exponential backoff with jitter after failed attempt number `attempt` (1-based)."""
    ceiling = min(BACKOFF_CAP, BACKOFF_BASE * 2.0 ** (attempt - 1))
    return ceiling * random.uniform(0.5, 1.0)


def status_is_retryable(status: int, *, safe_to_repeat: bool, retry_after: float | None) -> bool:
    """A call that is not safe to repeat is retried only when the status proves it was not processed."""
    if status not in RETRY_STATUSES:
        return False
    return safe_to_repeat or _refused_unprocessed(status, retry_after)


def maybe_processed(status: int, retry_after: float | None) -> bool:
    """Whether an error answer leaves open that the service acted: 5xx and timeouts do, unless refused unprocessed."""
    return status in RETRY_STATUSES and not _refused_unprocessed(status, retry_after)


def _refused_unprocessed(status: int, retry_after: float | None) -> bool:
    return status in NOT_PROCESSED_STATUSES and retry_after is not None
