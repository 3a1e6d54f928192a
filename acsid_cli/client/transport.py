"""One exchange with the service: a signed request, retried only where repeating it is safe.

Logs to the "acsid_cli.client" logger: one INFO line per attempt, headers (secrets masked) at DEBUG.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import quote

import requests
import requests.adapters
import requests.auth

from acsid_cli import __version__, protocol
from acsid_cli.client import retry
from acsid_cli.client.errors import RequestError, TlsError
from acsid_cli.client.failures import Failed, failed, service_error
from acsid_cli.client.pacing import Stopped

log = logging.getLogger("acsid_cli.client")

DEFAULT_TIMEOUT = (10.0, 30.0)  # seconds to connect, seconds for each answer


@dataclass(frozen=True)
class Call:
    operation: protocol.Operation
    path: str  # percent-encoded, without the query
    request_line: str  # for people: the method and the path, the id as people write it
    body: bytes = b""
    json_body: bool = True  # the SDK sends Content-Type: application/json on these, even with no body
    safe_to_repeat: bool = True
    gone_is_success: bool = False  # a repeated delete may find its own earlier success


class Pacer(Protocol):
    """Keeps many requests under the service's rate limits; bulk runs share one (pacing.RatePacer)."""

    def before(self, operation: str) -> None:
        """Wait until the operation may be sent; raise pacing.Stopped when the run is stopping."""

    def throttled(self, seconds: float) -> None:
        """The service said 429 with Retry-After: hold every request back for that long."""

    def wait(self, seconds: float) -> None:
        """Wait between attempts, less if the run stops meanwhile."""


class Transport:
    def __init__(
        self,
        endpoint: str,
        auth: requests.auth.AuthBase,
        api_version: str,
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
        sleep: Callable[[float], None] = time.sleep,
        pacer: Pacer | None = None,
        connections: int = 1,
    ) -> None:
        self.endpoint = endpoint
        self.api_version = api_version
        self.timeout = timeout
        self._pacer = pacer
        self._sleep = pacer.wait if pacer else sleep
        self.session = requests.Session()
        self.session.auth = auth
        self.session.headers.update({"User-Agent": f"acsid/{__version__}", "Accept": "application/json"})
        if connections > 1:  # one keep-alive connection per worker of a bulk run
            adapter = requests.adapters.HTTPAdapter(pool_connections=1, pool_maxsize=connections)
            self.session.mount("https://", adapter)
            self.session.mount("http://", adapter)

    def send(self, call: Call) -> requests.Response | None:
        """The successful response; None when a repeated delete found the identity already gone.

        With a pacer (bulk runs), a 429 that says when to come back does not use up an attempt: the pacer
        holds every worker back, and the request waits its turn, up to MAX_THROTTLED_WAITS times.
        """
        attempt, throttled = 0, 0
        last_error: RequestError | None = None
        while True:
            if self._pacer:
                try:
                    self._pacer.before(call.operation.name)
                except Stopped:
                    if last_error is None:
                        raise  # never sent: the caller reports it as not attempted
                    raise last_error from None
            attempt += 1
            request_id = str(uuid.uuid1())
            context: dict[str, Any] = {
                "operation": call.operation.name,
                "request_line": call.request_line,
                "request_id": request_id,
                "attempts": attempt,
            }
            try:
                response = self._exchange(call, request_id)
            except Failed as failure:
                last_error = failure.kind(failure.reason, maybe_processed=failure.maybe_sent, **context)
                if failure.kind is TlsError or (failure.maybe_sent and not call.safe_to_repeat):
                    raise last_error from None
                wait = retry.backoff(attempt)
            else:
                if response.ok:
                    return response
                if response.status_code == 404 and call.gone_is_success and last_error and last_error.maybe_processed:
                    log.info("%s: 404 after an attempt that may have deleted it: gone, as asked", call.request_line)
                    return None
                retry_after = retry.retry_after_seconds(response.headers.get("Retry-After"))
                last_error = service_error(response, retry_after, **context)
                if response.status_code == 429 and retry_after is not None and self._pacer:
                    self._pacer.throttled(retry_after)
                    if throttled < retry.MAX_THROTTLED_WAITS:
                        throttled += 1
                        attempt -= 1  # the service said when to come back: not a failed attempt
                        log.info("%s: throttled, again in %.2f s", call.request_line, retry_after)
                        continue
                if not retry.status_is_retryable(
                    response.status_code, safe_to_repeat=call.safe_to_repeat, retry_after=retry_after
                ):
                    raise last_error from None
                wait = retry_after if retry_after is not None else retry.backoff(attempt)
            if attempt >= retry.MAX_ATTEMPTS:
                raise last_error from None
            log.info("%s: again in %.2f s (attempt %d of %d)", call.request_line, wait, attempt + 1, retry.MAX_ATTEMPTS)
            self._sleep(wait)

    def _exchange(self, call: Call, request_id: str) -> requests.Response:
        url = f"{self.endpoint}{call.path}?api-version={quote(self.api_version, safe='')}"
        headers = {"x-ms-client-request-id": request_id, "x-ms-return-client-request-id": "true"}
        if call.json_body:
            headers["Content-Type"] = "application/json"
        started = time.monotonic()
        try:
            response = self.session.request(
                call.operation.method, url, data=call.body, headers=headers, timeout=self.timeout,
                allow_redirects=False,
            )
        except requests.exceptions.RequestException as exc:
            failure = failed(exc, self.endpoint, self.timeout)
            log.info("%s: %s", call.request_line, failure.reason)
            raise failure from None
        elapsed = (time.monotonic() - started) * 1000
        log.info("%s → %d %s in %.0f ms", call.request_line, response.status_code, response.reason, elapsed)
        log.debug("request id %s; headers: %s; body %d bytes", request_id, _masked(response.request.headers),
                  len(call.body))
        return response

    def close(self) -> None:
        self.session.close()


def _masked(headers: Any) -> str:
    shown = []
    for name, value in headers.items():
        if name.lower() == "authorization":
            scheme, _, rest = str(value).partition(" ")
            value = f"{scheme} {rest.split('Signature=')[0]}Signature=***" if "Signature=" in rest else f"{scheme} ***"
        shown.append(f"{name}: {value}")
    return ", ".join(shown)
