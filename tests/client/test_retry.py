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
