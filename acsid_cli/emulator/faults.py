"""Fault injection: rules that make the next N requests to a route slow, fail, or lose their connection,
and the layer that applies them around an operation.

A rule is posted as JSON to /emulator/faults, for example
{"route": "create", "count": 2, "status": 429, "retryAfter": 1}; with "every": 10 it takes only every
10th request to its route (count times), which makes "10 % of requests fail" repeatable.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from acsid_cli import protocol
from acsid_cli.emulator.errors import error_body
from acsid_cli.emulator.messages import Answer, camel_case_json

ROUTES = tuple(protocol.OPERATIONS)
ANY_ROUTE = "*"
DROPS = ("before", "after", "mid")


class InvalidFault(ValueError):
    """The rule cannot be understood; the message says which field is wrong."""


@dataclass(frozen=True)
class Fault:
    route: str
    count: int = 1
    status: int | None = None
    retry_after: str | None = None
    body: str | None = None
    content_type: str | None = None
    delay_ms: int = 0
    drop: str | None = None
    process: bool = False
    every: int = 1
    race: bool = False  # create only: act as the service's creates that race with one customId (not atomic)

    @property
    def skips_operation(self) -> bool:
        """Whether the operation must not run: a replaced answer without "process", or a drop before it."""
        return self.drop == "before" or (self.status is not None and not self.process and self.drop is None)

    def to_json(self) -> dict[str, Any]:
        return camel_case_json(self)


def parse_fault(spec: Any) -> Fault:
    """A Fault from the JSON body of POST /emulator/faults."""
    if not isinstance(spec, dict):
        raise InvalidFault("a fault is a JSON object")
    unknown = set(spec) - set(_FIELDS)
    if unknown:
        raise InvalidFault(f"unknown fault field(s): {', '.join(sorted(unknown))}")
    route = spec.get("route")
    if route not in (*ROUTES, ANY_ROUTE):
        raise InvalidFault(f"route must be one of {', '.join((*ROUTES, ANY_ROUTE))}")
    count = _integer(spec, "count", minimum=1) or 1
    # 1xx are not final answers: a client would wait for the one that follows.
    status = _integer(spec, "status", minimum=200, maximum=599)
    retry_after = spec.get("retryAfter")
    if retry_after is not None and (isinstance(retry_after, bool) or not isinstance(retry_after, (int, str))):
        raise InvalidFault("retryAfter must be a number of seconds or a string")
    retry_after = _header_value("retryAfter", None if retry_after is None else str(retry_after))
    drop = spec.get("drop")
    if drop is not None and drop not in DROPS:
        raise InvalidFault(f"drop must be one of {', '.join(DROPS)}")
    process = spec.get("process", False)
    if not isinstance(process, bool):
        raise InvalidFault("process must be true or false")
    race = spec.get("race", False)
    if not isinstance(race, bool):
        raise InvalidFault("race must be true or false")
    if race and route != protocol.CREATE.name:
        raise InvalidFault("race is a fault of the create route only")
    return Fault(
        route=route,
        count=count,
        status=status,
        retry_after=retry_after,
        body=_string(spec, "body"),
        content_type=_header_value("contentType", _string(spec, "contentType")),
        delay_ms=_integer(spec, "delayMs", minimum=0) or 0,
        drop=drop,
        process=process,
        every=_integer(spec, "every", minimum=1) or 1,
        race=race,
    )


_FIELDS = tuple(Fault("create").to_json())


def _integer(spec: dict[str, Any], name: str, minimum: int, maximum: int | None = None) -> int | None:
    value = spec.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum or (maximum and value > maximum):
        bounds = f"{minimum}..{maximum}" if maximum else f">= {minimum}"
        raise InvalidFault(f"{name} must be an integer {bounds}")
    return value


def _string(spec: dict[str, Any], name: str) -> str | None:
    value = spec.get(name)
    if value is not None and not isinstance(value, str):
        raise InvalidFault(f"{name} must be a string")
    return value


def _header_value(name: str, value: str | None) -> str | None:
    """A value that goes into a header as it is: one line of printable latin-1, so it cannot add headers."""
    if value is not None and not all(" " <= char <= "~" or "\xa0" <= char <= "\xff" for char in value):
        raise InvalidFault(f"{name} must be printable latin-1 text on one line")
    return value


@dataclass
class _Pending:
    fault: Fault
    uses_left: int
    seen: int = 0  # requests to its route so far, for "every"


class FaultRules:
    """The pending rules, oldest first; each request to a route takes one use of the first that matches."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rules: list[_Pending] = []

    def add(self, fault: Fault) -> None:
        with self._lock:
            self._rules.append(_Pending(fault, fault.count))

    def take(self, route: str) -> Fault | None:
        if not self._rules:  # the common case, decided without the lock
            return None
        with self._lock:
            for rule in self._rules:
                if rule.fault.route in (route, ANY_ROUTE):
                    rule.seen += 1
                    if rule.seen % rule.fault.every:
                        continue
                    rule.uses_left -= 1
                    if rule.uses_left == 0:
                        self._rules.remove(rule)
                    return rule.fault
        return None

    def pending(self) -> list[dict[str, Any]]:
        """The rules, each with the uses it has left as its count."""
        with self._lock:
            return [{**rule.fault.to_json(), "count": rule.uses_left} for rule in self._rules]

    def clear(self) -> None:
        with self._lock:
            self._rules.clear()


def apply(fault: Fault | None, perform: Callable[[], Answer], sleep: Callable[[float], None]) -> Answer:
    """The answer to a request that drew `fault`: delayed, replaced, or with its connection lost."""
    if fault is None:
        return perform()
    if fault.delay_ms:
        sleep(fault.delay_ms / 1000)
    if fault.drop == "before":
        return Answer(0, drop="before")  # the operation never runs
    answer = None if fault.skips_operation else perform()
    if fault.drop == "after":
        return Answer(0, drop="after")  # it ran, but its answer is lost
    if fault.status is not None:
        answer = _replacement(fault)
    assert answer is not None, "only a fault with a status skips the operation"
    if fault.retry_after is not None:
        answer.headers["Retry-After"] = fault.retry_after
    answer.drop = fault.drop  # "mid": the answer is cut halfway
    return answer


def _replacement(fault: Fault) -> Answer:
    assert fault.status is not None
    if fault.status in (204, 304):
        return Answer(fault.status)  # these statuses cannot carry a body
    if fault.body is not None:
        return Answer(fault.status, raw=fault.body.encode("utf-8"), content_type=fault.content_type)
    message = f"Fault injected by the acsid emulator: status {fault.status}."
    body = json.dumps(error_body("InjectedFault", message), separators=(",", ":")).encode("utf-8")
    return Answer(fault.status, raw=body, content_type=fault.content_type)
