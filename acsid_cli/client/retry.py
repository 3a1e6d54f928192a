"""When to try a request again, and how long to wait first. Pure decisions; the transport does the I/O.

decision = decide(Answer(status=503), Tries(), Rules(safe_to_repeat=True))
decision.action, decision.wait   # Action.RETRY, 0.25 s or a little less (backoff with jitter)
"""

from __future__ import annotations

import enum
import random
import time
from collections.abc import Callable
from email.utils import parsedate_to_datetime
from typing import NamedTuple

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


class Action(enum.Enum):
    RETURN = "return"  # a success: hand the answer to the caller
    GONE = "gone"  # a repeated delete found the identity gone: an earlier attempt did it
    RAISE = "raise"  # give up: raise this attempt's error
    RETRY = "retry"  # wait `wait` seconds, then send again


class Answer(NamedTuple):
    """What one attempt came to."""

    status: int | None = None  # None: no answer came
    retry_after: float | None = None  # seconds, read from the Retry-After header
    maybe_sent: bool = False  # without an answer: the service may have seen the request
    worth_retrying: bool = True  # without an answer: whether another attempt may get through (not for TLS)


class Rules(NamedTuple):
    """What the request allows."""

    safe_to_repeat: bool = True  # repeating it cannot do a second thing (not a create without customId)
    gone_is_success: bool = False  # a delete: a 404 after an attempt that may have deleted is its success
    paced: bool = False  # a pacer shared by a bulk run holds every worker back when told of a 429


class Tries(NamedTuple):
    """What the attempts so far came to."""

    attempts: int = 0  # counted against MAX_ATTEMPTS
    throttled: int = 0  # 429s with Retry-After that a pacer absorbed, not counted as attempts
    maybe_processed: bool = False  # some attempt may have been acted on


class Decision(NamedTuple):
    action: Action
    tries: Tries  # including this attempt
    wait: float = 0.0  # seconds before the next attempt (RETRY)
    hold_all: float | None = None  # seconds the pacer holds every request of the run back, this one's next too


def decide(answer: Answer, tries: Tries, rules: Rules, backoff_for: Callable[[int], float] = backoff) -> Decision:
    """What to do after one attempt, given the attempts before it."""
    status, retry_after = answer.status, answer.retry_after
    if status is not None and status < 400:
        return Decision(Action.RETURN, tries)
    if status == 404 and rules.gone_is_success and tries.maybe_processed:
        return Decision(Action.GONE, tries)
    attempt = tries.attempts + 1
    processed = answer.maybe_sent if status is None else maybe_processed(status, retry_after)
    after = Tries(attempt, tries.throttled, tries.maybe_processed or processed)
    # A 429 that says when to come back, in a paced run: the pacer holds every worker back (and does
    # the waiting), and the first MAX_THROTTLED_WAITS of them do not count as failed attempts.
    hold_all = retry_after if status == 429 and rules.paced else None
    if hold_all is not None and tries.throttled < MAX_THROTTLED_WAITS:
        return Decision(
            Action.RETRY, Tries(tries.attempts, tries.throttled + 1, tries.maybe_processed), hold_all=hold_all
        )
    if status is None:
        give_up = not answer.worth_retrying or (answer.maybe_sent and not rules.safe_to_repeat)
        wait = backoff_for(attempt)
    else:
        give_up = not status_is_retryable(status, safe_to_repeat=rules.safe_to_repeat, retry_after=retry_after)
        wait = retry_after if retry_after is not None else backoff_for(attempt)
    if give_up or attempt >= MAX_ATTEMPTS:
        return Decision(Action.RAISE, after, hold_all=hold_all)
    return Decision(Action.RETRY, after, 0.0 if hold_all is not None else wait, hold_all)
