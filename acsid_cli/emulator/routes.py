"""The route table: every request the emulator answers, the service's and its own under /emulator/, from
(method, pattern) to the handler that answers it. The first route that matches wins; the last matches all.

Like ASP.NET routing, literal segments are compared percent-decoded and ignoring case. A `{name}` segment
matches one non-empty segment and is handed on as received, still percent-encoded; `{name...}` matches the
rest of the path.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import unquote

from acsid_cli import protocol
from acsid_cli.emulator import access_responses, admin, admin_actions, responses
from acsid_cli.emulator.messages import Answer, Request

if TYPE_CHECKING:
    from acsid_cli.emulator.app import Emulator

Handler = Callable[["Emulator", Request, dict[str, str]], Answer]
ANY = "*"  # any method


@dataclass(frozen=True)
class Route:
    method: str
    pattern: str
    handler: Handler
    operation: str | None = None  # the service's operation (protocol.OPERATIONS): what faults and the log call it
    admin: bool = False  # one of the emulator's own endpoints: not logged, not faulted, not the service's
    open: bool = False  # an emulator endpoint anyone on the emulator's own address may call, without its token
    _parts: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_parts", tuple(self.pattern.split("/")))

    def bind(self, method: str, segments: list[str], literals: list[str]) -> dict[str, str] | None:
        """The path's parameters when this route is the request's, else None."""
        if self.method not in (method, ANY):
            return None
        rest = self._parts[-1].endswith("...}")
        if len(segments) < len(self._parts) if rest else len(segments) != len(self._parts):
            return None
        params: dict[str, str] = {}
        for i, part in enumerate(self._parts):
            if not part.startswith("{"):
                if part.lower() != literals[i]:
                    return None
            elif part.endswith("...}"):
                params[part[1:-4]] = "/".join(segments[i:])
            elif not segments[i]:
                return None
            else:
                params[part[1:-1]] = segments[i]
        return params


def _service(operation: protocol.Operation, handler: Handler) -> Route:
    return Route(operation.method, operation.path, handler, operation.name)


def _admin(method: str, pattern: str, handler: Handler, open: bool = False) -> Route:
    return Route(method, pattern, handler, admin=True, open=open)


ROUTES = (
    _service(protocol.CREATE, responses.create),  # the method and path are protocol's
    _service(protocol.GET, responses.get),
    _service(protocol.DELETE, responses.delete),
    _service(protocol.REVOKE, responses.revoke),
    _service(protocol.ISSUE, responses.issue),
    _service(protocol.EXCHANGE, responses.exchange),
    _service(protocol.TEAMS_EXTENSION_EXCHANGE, access_responses.teams_extension_exchange),
    _service(protocol.TEAMS_EXTENSION_GET, access_responses.get_teams_extension_assignment),
    _service(protocol.TEAMS_EXTENSION_PUT, access_responses.put_teams_extension_assignment),
    _service(protocol.TEAMS_EXTENSION_DELETE, access_responses.delete_teams_extension_assignment),
    _service(protocol.ENTRA_EXCHANGE, access_responses.entra_exchange),
    _service(protocol.ENTRA_LIST, access_responses.list_entra_assignments),
    _service(protocol.ENTRA_PATCH, access_responses.patch_entra_assignments),
    _service(protocol.ENTRA_GET, access_responses.get_entra_assignment),
    _service(protocol.ENTRA_PUT, access_responses.put_entra_assignment),
    _service(protocol.ENTRA_DELETE, access_responses.delete_entra_assignment),
    _admin("GET", "/emulator/health", admin.health, open=True),  # the one without the admin token
    _admin("GET", "/emulator/identities", admin.identities),
    _admin("POST", "/emulator/tokens/:validate", admin.validate_token),
    _admin("GET", "/emulator/faults", admin.list_faults),
    _admin("POST", "/emulator/faults", admin.add_fault),
    _admin("DELETE", "/emulator/faults", admin.clear_faults),
    _admin("GET", "/emulator/requests", admin.list_requests),
    _admin("DELETE", "/emulator/requests", admin.clear_requests),
    _admin("POST", "/emulator/reset", admin.reset),
    _admin("GET", "/emulator/about", admin_actions.about),  # what the console's forms offer
    _admin("POST", "/emulator/identities", admin_actions.create),
    _admin("POST", "/emulator/identities/{id}/:issueAccessToken", admin_actions.issue),
    _admin("POST", "/emulator/identities/{id}/:revokeAccessTokens", admin_actions.revoke),
    _admin("DELETE", "/emulator/identities/{id}", admin_actions.delete),
    _admin(ANY, "/emulator/{path...}", admin.no_endpoint),
    Route(ANY, "{path...}", responses.no_operation),  # the service's 404, logged like its other answers
)


def match(method: str, path: str) -> tuple[Route, dict[str, str]]:
    """The route of a request (path: its target without the query) and the parameters in its path."""
    segments = path.split("/")
    literals = [unquote(segment).lower() for segment in segments]
    for route in ROUTES:
        params = route.bind(method, segments, literals)
        if params is not None:
            return route, params
    raise AssertionError("the last route matches every path")
