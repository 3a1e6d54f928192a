"""One exchange with the service: a signed request, retried only where repeating it is safe.

Logs to the "acsid_cli.client" logger: one INFO line per attempt, headers (secrets masked) at DEBUG.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from typing import Any, NamedTuple, Protocol
from urllib.parse import quote

import requests
import requests.adapters
import requests.auth

from acsid_cli import __version__, protocol
from acsid_cli.client import retry
from acsid_cli.client.errors import RequestError
from acsid_cli.client.failures import failed, service_error
from acsid_cli.client.pacing import Stopped

log = logging.getLogger("acsid_cli.client")

DEFAULT_TIMEOUT = (10.0, 30.0)  # seconds to connect, seconds for each answer


class Call(NamedTuple):
    operation: protocol.Operation
    path: str  # percent-encoded, without the query
    request_line: str  # for people: the method and the path, the id as people write it
    api_version: str
    body: bytes = b""
    json_body: bool = True  # the SDK sends Content-Type: application/json on these, even with no body
    safe_to_repeat: bool = True
    gone_is_success: bool = False  # a repeated delete may find its own earlier success
    query: str = ""  # more of the query, percent-encoded, after api-version (a next page's)
    content_type: str = "application/json"
    auth: requests.auth.AuthBase | None = None  # instead of the client's: a user's own Entra token


class Pacer(Protocol):
    """Keeps many requests under the service's rate limits; bulk runs share one (pacing.RatePacer)."""

    def before(self, operation: str) -> None:
        """Wait until the operation may be sent; raise pacing.Stopped when the run is stopping."""

    def answered(self, unthrottled: bool) -> None:
        """An answer came; `unthrottled`: its server says it sets no rate limits (an emulator)."""

    def throttled(self, seconds: float) -> None:
        """The service said 429 with Retry-After: hold every request back for that long."""

    def wait(self, seconds: float) -> None:
        """Wait between attempts, less if the run stops meanwhile."""


class Transport:
    def __init__(
        self,
        endpoint: str,
        auth: requests.auth.AuthBase,
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
        sleep: Callable[[float], None] = time.sleep,
        pacer: Pacer | None = None,
        connections: int = 1,
        on_send: Callable[[Call], None] | None = None,
    ) -> None:
        self.endpoint = endpoint
        self._on_send = on_send
        self.timeout = timeout
        self._pacer = pacer
        self._sleep = pacer.wait if pacer else sleep
        self.session = requests.Session()
        self.session.auth = auth
        self.session.headers.update({"User-Agent": f"acsid/{__version__}", "Accept": "application/json"})
        if endpoint.startswith("http:"):
            # Plain http goes only where nothing crosses a network (connection.py): never via a proxy, which
            # would carry the signed request and the tokens in clear text. https keeps HTTPS_PROXY and NO_PROXY.
            self.session.trust_env = False
        if connections > 1:  # one keep-alive connection per worker of a bulk run
            adapter = requests.adapters.HTTPAdapter(pool_connections=1, pool_maxsize=connections)
            self.session.mount("https://", adapter)
            self.session.mount("http://", adapter)

    def send(self, call: Call) -> requests.Response | None:
        """The successful response; None when a repeated delete found the identity already gone.

        retry.decide says after each attempt whether to return, raise or try again, and after how long.
        """
        rules = retry.Rules(call.safe_to_repeat, call.gone_is_success, paced=self._pacer is not None)
        tries, error = retry.Tries(), None
        while True:
            self._wait_turn(call, error)
            request_id = str(uuid.uuid1())
            context = {
                "operation": call.operation.name,
                "request_line": call.request_line,
                "request_id": request_id,
                "attempts": tries.attempts + 1,
            }
            response, error, answer = self._exchange(call, request_id, context)
            decision = retry.decide(answer, tries, rules)
            tries = decision.tries
            if decision.action is retry.Action.RETURN:
                return response
            if decision.action is retry.Action.GONE:
                log.info("%s: 404 after an attempt that may have deleted it: gone, as asked", call.request_line)
                return None
            assert error is not None, "an attempt without a success has its error"
            if decision.hold_all is not None and self._pacer:
                self._pacer.throttled(decision.hold_all)  # before() then waits it out, for every worker
            if decision.action is retry.Action.RAISE:
                raise error
            self._pause(call, decision)

    def _pause(self, call: Call, decision: retry.Decision) -> None:
        if decision.hold_all is not None:
            log.info("%s: throttled, again in %.2f s", call.request_line, decision.hold_all)
            return
        attempt = decision.tries.attempts + 1
        log.info(
            "%s: again in %.2f s (attempt %d of %d)", call.request_line, decision.wait, attempt, retry.MAX_ATTEMPTS
        )
        self._sleep(decision.wait)

    def _wait_turn(self, call: Call, error: RequestError | None) -> None:
        """The pacer's say: a run stopping before the first attempt raises Stopped, after one its error."""
        if self._pacer is None:
            return
        try:
            self._pacer.before(call.operation.name)
        except Stopped:
            if error is None:
                raise  # never sent: the caller reports it as not attempted
            raise error from None

    def _exchange(
        self, call: Call, request_id: str, context: dict[str, Any]
    ) -> tuple[requests.Response | None, RequestError | None, retry.Answer]:
        """One attempt: the response if one came, the error unless it is a success, and what retry.decide reads."""
        url = f"{self.endpoint}{call.path}?api-version={quote(call.api_version, safe='')}"
        if call.query:
            url += f"&{call.query}"
        headers = {"x-ms-client-request-id": request_id, "x-ms-return-client-request-id": "true"}
        if call.json_body:
            headers["Content-Type"] = call.content_type
        if self._on_send is not None:
            self._on_send(call)
        started = time.monotonic()
        try:
            response = self.session.request(
                call.operation.method,
                url,
                data=call.body,
                headers=headers,
                timeout=self.timeout,
                allow_redirects=False,
                auth=call.auth,
            )
        except requests.exceptions.RequestException as exc:
            failure = failed(exc, self.endpoint, self.timeout, **context)
            log.info("%s: %s", call.request_line, failure.message)
            return (
                None,
                failure,
                retry.Answer(maybe_sent=failure.maybe_processed, worth_retrying=failure.worth_retrying),
            )
        elapsed = (time.monotonic() - started) * 1000
        log.info("%s → %d %s in %.0f ms", call.request_line, response.status_code, response.reason, elapsed)
        log.debug(
            "request id %s; headers: %s; body %d bytes", request_id, _masked(response.request.headers), len(call.body)
        )
        if self._pacer:
            throttle = response.headers.get(protocol.THROTTLE_HEADER, "")
            self._pacer.answered(unthrottled=throttle.strip().lower() == protocol.THROTTLE_OFF)
        retry_after = retry.retry_after_seconds(response.headers.get("Retry-After"))
        error = None if response.status_code < 400 else service_error(response, retry_after, **context)
        return response, error, retry.Answer(response.status_code, retry_after)

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
