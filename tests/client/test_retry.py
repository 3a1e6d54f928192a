"""The retry decisions, one by one."""

import pytest

from acsid_cli.client import retry


@pytest.mark.parametrize(
    ("status", "safe", "retry_after", "expected"),
    [
        (503, True, None, True),
        (500, True, None, True),
        (408, True, None, True),
        (400, True, 1.0, False),
        (404, True, None, False),
        (500, False, None, False),  # create: may have been processed
        (502, False, None, False),
        (503, False, None, False),
        (503, False, 2.0, True),  # refused unprocessed, and the service says when to come back
        (429, False, 0.0, True),
        (504, False, 1.0, False),
    ],
)
def test_status_is_retryable(status, safe, retry_after, expected):
    assert retry.status_is_retryable(status, safe_to_repeat=safe, retry_after=retry_after) is expected


def test_retry_after_forms():
    assert retry.retry_after_seconds("2") == 2.0
    assert retry.retry_after_seconds("0") == 0.0
    assert retry.retry_after_seconds("-5") == 0.0
    assert retry.retry_after_seconds("100000") == retry.RETRY_AFTER_CAP
    assert retry.retry_after_seconds("Tue, 02 Jan 2024 03:04:15 GMT", now=1704164645) == 10.0
    assert retry.retry_after_seconds("soon") is None
    assert retry.retry_after_seconds(None) is None


def test_backoff_grows_with_jitter(mocker):
    mocker.patch("random.uniform", return_value=1.0)
    assert [retry.backoff(n) for n in (1, 2, 3, 10)] == [0.25, 0.5, 1.0, retry.BACKOFF_CAP]


@pytest.mark.parametrize(
    ("status", "retry_after", "expected"),
    [(500, None, True), (503, None, True), (503, 1.0, False), (429, 0.0, False), (429, None, True), (400, None, False)],
)
def test_maybe_processed(status, retry_after, expected):
    assert retry.maybe_processed(status, retry_after) is expected


# --- retry.decide: one attempt's outcome, the attempts before it, the request's rules → what to do --------------

RETURN, GONE, RAISE, RETRY = retry.Action.RETURN, retry.Action.GONE, retry.Action.RAISE, retry.Action.RETRY
SAFE = retry.Rules(safe_to_repeat=True)
CREATE = retry.Rules(safe_to_repeat=False)
DELETE = retry.Rules(safe_to_repeat=True, gone_is_success=True)
PACED = retry.Rules(safe_to_repeat=True, paced=True)
PACED_CREATE = retry.Rules(safe_to_repeat=False, paced=True)
FIRST = retry.Tries()
LAST = retry.Tries(attempts=retry.MAX_ATTEMPTS - 1)
AFTER_A_TIMEOUT = retry.Tries(attempts=1, maybe_processed=True)
THROTTLE_SPENT = retry.Tries(throttled=retry.MAX_THROTTLED_WAITS)
REFUSED = retry.Answer(maybe_sent=False)  # never connected
TIMED_OUT = retry.Answer(maybe_sent=True)  # sent, no answer within the read timeout
TLS = retry.Answer(worth_retrying=False)


def backoff_for(attempt):
    return attempt * 10.0  # stands for the jittered backoff: tells the attempt number it was given


@pytest.mark.parametrize(
    ("answer", "tries", "rules", "action", "after", "wait", "hold_all"),
    [
        # successes, whatever came before
        (retry.Answer(200), FIRST, SAFE, RETURN, FIRST, 0.0, None),
        (retry.Answer(201), LAST, CREATE, RETURN, LAST, 0.0, None),
        (retry.Answer(204), AFTER_A_TIMEOUT, DELETE, RETURN, AFTER_A_TIMEOUT, 0.0, None),
        # errors the caller must see at once
        (retry.Answer(400), FIRST, SAFE, RAISE, retry.Tries(1), 0.0, None),
        (retry.Answer(401), FIRST, SAFE, RAISE, retry.Tries(1), 0.0, None),
        (retry.Answer(404), FIRST, DELETE, RAISE, retry.Tries(1), 0.0, None),  # nothing before it deleted
        (retry.Answer(404), AFTER_A_TIMEOUT, SAFE, RAISE, retry.Tries(2, 0, True), 0.0, None),  # not a delete
        # a delete whose earlier attempt may have deleted: a 404 is its success
        (retry.Answer(404), AFTER_A_TIMEOUT, DELETE, GONE, AFTER_A_TIMEOUT, 0.0, None),
        # 5xx: retried with backoff where repeating is safe; a create may have been processed
        (retry.Answer(503), FIRST, SAFE, RETRY, retry.Tries(1, 0, True), 10.0, None),
        (retry.Answer(500), retry.Tries(2), SAFE, RETRY, retry.Tries(3, 0, True), 30.0, None),
        (retry.Answer(503), LAST, SAFE, RAISE, retry.Tries(4, 0, True), 0.0, None),  # out of attempts
        (retry.Answer(500), FIRST, CREATE, RAISE, retry.Tries(1, 0, True), 0.0, None),
        (retry.Answer(503), FIRST, CREATE, RAISE, retry.Tries(1, 0, True), 0.0, None),
        # refused unprocessed (503 or 429 with Retry-After): retried even for a create, after what it says
        (retry.Answer(503, 2.0), FIRST, CREATE, RETRY, retry.Tries(1), 2.0, None),
        (retry.Answer(429, 0.0), FIRST, CREATE, RETRY, retry.Tries(1), 0.0, None),
        (retry.Answer(429, 5.0), LAST, SAFE, RAISE, retry.Tries(4), 0.0, None),
        (retry.Answer(429), FIRST, CREATE, RAISE, retry.Tries(1, 0, True), 0.0, None),  # no Retry-After
        # a paced run: the pacer holds everyone back, and the attempt does not count...
        (retry.Answer(429, 3.0), FIRST, PACED, RETRY, retry.Tries(0, 1), 0.0, 3.0),
        (retry.Answer(429, 0.0), LAST, PACED_CREATE, RETRY, retry.Tries(3, 1), 0.0, 0.0),
        # ...up to MAX_THROTTLED_WAITS times; then it counts, and the pacer still holds everyone back
        (retry.Answer(429, 3.0), THROTTLE_SPENT, PACED, RETRY, retry.Tries(1, 50), 0.0, 3.0),
        (retry.Answer(429, 3.0), retry.Tries(3, retry.MAX_THROTTLED_WAITS), PACED, RAISE, retry.Tries(4, 50), 0.0, 3.0),
        (retry.Answer(503, 3.0), FIRST, PACED, RETRY, retry.Tries(1), 3.0, None),  # only a 429 holds everyone
        # no answer: never connected is safe to repeat; sent without an answer only where repeating is safe
        (REFUSED, FIRST, CREATE, RETRY, retry.Tries(1), 10.0, None),
        (REFUSED, LAST, SAFE, RAISE, retry.Tries(4), 0.0, None),
        (TIMED_OUT, FIRST, SAFE, RETRY, retry.Tries(1, 0, True), 10.0, None),
        (TIMED_OUT, FIRST, CREATE, RAISE, retry.Tries(1, 0, True), 0.0, None),
        (TLS, FIRST, SAFE, RAISE, retry.Tries(1), 0.0, None),  # another attempt cannot help
        # what an earlier attempt may have done is remembered
        (REFUSED, AFTER_A_TIMEOUT, SAFE, RETRY, retry.Tries(2, 0, True), 20.0, None),
    ],
)
def test_decide(answer, tries, rules, action, after, wait, hold_all):
    decision = retry.decide(answer, tries, rules, backoff_for)
    assert (decision.action, decision.tries, decision.wait, decision.hold_all) == (action, after, wait, hold_all)


def test_decide_backs_off_with_the_real_jitter_by_default(mocker):
    mocker.patch("random.uniform", return_value=1.0)
    assert retry.decide(retry.Answer(502), retry.Tries(1), SAFE).wait == 0.5
