"""The route table: which ACS operation a request is for. Like ASP.NET routing, literal segments ignore case."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote

from acsid_cli import protocol

_ACTIONS = {":revokeaccesstokens": protocol.REVOKE.name, ":issueaccesstoken": protocol.ISSUE.name}


@dataclass(frozen=True)
class Route:
    name: str  # a protocol.OPERATIONS key
    id_segment: str | None = None  # as received, still percent-encoded


def match(method: str, target: str) -> Route | None:
    segments = target.partition("?")[0].split("/")
    literal = [unquote(s).lower() for s in segments]
    if literal == ["", "teamsuser", ":exchangeaccesstoken"] and method == "POST":
        return Route(protocol.EXCHANGE.name)
    if literal[:2] != ["", "identities"]:
        return None
    if len(segments) == 2:
        return Route(protocol.CREATE.name) if method == "POST" else None
    if len(segments) == 3 and segments[2]:
        by_method = {"GET": protocol.GET.name, "DELETE": protocol.DELETE.name}
        return Route(by_method[method], segments[2]) if method in by_method else None
    if len(segments) == 4 and segments[2] and literal[3] in _ACTIONS and method == "POST":
        return Route(_ACTIONS[literal[3]], segments[2])
    return None
