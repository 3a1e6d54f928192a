"""Fault injection: rules that make the next N requests to a route slow, fail, or lose their connection.

A rule is posted as JSON to /emulator/faults, for example
{"route": "create", "count": 2, "status": 429, "retryAfter": 1}.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

ROUTES = ("create", "get", "delete", "revoke", "issue", "exchange")
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

    @property
    def skips_operation(self) -> bool:
        """Whether the operation must not run: a replaced answer without "process", or a drop before it."""
        return self.drop == "before" or (self.status is not None and not self.process and self.drop is None)

    def to_json(self) -> dict[str, Any]:
        return {
            "route": self.route,
            "count": self.count,
            "status": self.status,
            "retryAfter": self.retry_after,
            "body": self.body,
            "contentType": self.content_type,
            "delayMs": self.delay_ms,
            "drop": self.drop,
            "process": self.process,
        }


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
    status = _integer(spec, "status", minimum=100, maximum=599)
    retry_after = spec.get("retryAfter")
    if retry_after is not None and (isinstance(retry_after, bool) or not isinstance(retry_after, (int, str))):
        raise InvalidFault("retryAfter must be a number of seconds or a string")
    drop = spec.get("drop")
    if drop is not None and drop not in DROPS:
        raise InvalidFault(f"drop must be one of {', '.join(DROPS)}")
    process = spec.get("process", False)
    if not isinstance(process, bool):
        raise InvalidFault("process must be true or false")
    return Fault(
        route=route,
        count=count,
        status=status,
        retry_after=None if retry_after is None else str(retry_after),
        body=_string(spec, "body"),
        content_type=_string(spec, "contentType"),
        delay_ms=_integer(spec, "delayMs", minimum=0) or 0,
        drop=drop,
        process=process,
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


@dataclass
class _Pending:
    fault: Fault
    uses_left: int


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
