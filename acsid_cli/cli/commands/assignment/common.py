"""What the assignment commands share: their options; what one assignment is, from the flags and, in a bulk
run, a line of stdin; its JSON; and the flow of each verb, for either kind of assignment."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Annotated, Any

import typer

from acsid_cli import protocol
from acsid_cli.cli.inputs import (
    Line,
    Unreadable,
    check_choice,
    check_guid,
    confirm,
    operation_version,
    parse_guids,
    quoted,
)
from acsid_cli.cli.invocation import Invocation
from acsid_cli.cli.output import UsageError
from acsid_cli.cli.stdin import lines_of

if TYPE_CHECKING:
    from acsid_cli.client.models import Assignment, AssignmentPut
    from acsid_cli.client.rest import IdentityClient

ObjectsOption = Annotated[
    list[str],
    typer.Option(
        "--object",
        metavar="GUID",
        help="Entra object id (GUID) of the user, resource account, group or tenant. Repeat it, or give '-' to "
        "read object ids, or JSON Lines of assignments as acsid prints them, from stdin: a bulk run.",
        show_default=False,
    ),
]
TenantOption = Annotated[
    str | None, typer.Option("--tenant", metavar="GUID", help="Entra tenant id (GUID).", show_default=False)
]
ClientsOption = Annotated[
    list[str] | None,
    typer.Option(
        "--client",
        metavar="GUID",
        show_default=False,
        help="Client (application) id of an Entra app whose users' tokens may be exchanged. "
        "Repeat it, or --client A,B.",
    ),
]


def is_bulk(values: list[str]) -> bool:
    """Whether --object asks for a bulk run: given more than once, or '-' for stdin."""
    return len(values) > 1 or "-" in values


def count_of(values: list[str]) -> int | None:
    """How many assignments a bulk run has, when known: not when some come from stdin."""
    return None if "-" in values else len(values)


@dataclass(frozen=True)
class Fields:
    """What a command is told about one assignment; None: not told."""

    object_id: str | None = None
    tenant_id: str | None = None
    principal_type: str | None = None
    client_ids: list[str] | None = None


@dataclass(frozen=True)
class Kind:
    """One kind of assignment: Teams Extension (named by tenant and object) or Entra ID (by object)."""

    name: str  # for people: "Teams Extension"
    command: str  # "acsid assignment teams-extension"
    principal_types: tuple[str, ...]
    tenant_names_it: bool  # the tenant is part of the assignment's name, not only of its content
    clients_required: bool
    operations: dict[str, protocol.Operation]  # by verb: show, set, delete
    get: Callable[[IdentityClient, Fields], Assignment]
    put: Callable[[IdentityClient, Fields], AssignmentPut]
    delete: Callable[[IdentityClient, Fields], None]

    def needs(self, verb: str) -> tuple[str, ...]:
        """The fields a verb cannot do without, besides the object id."""
        if verb != "set":
            return ("tenant_id",) if self.tenant_names_it else ()
        return ("tenant_id", "principal_type") + (("client_ids",) if self.clients_required else ())


def assignment_json(assignment: Assignment) -> dict[str, object]:
    """The service's shape, which set also reads from stdin: {clientIds, objectId, principalType, tenantId}."""
    client_ids = None if assignment.client_ids is None else list(assignment.client_ids)
    return {
        "clientIds": client_ids,
        "objectId": assignment.object_id,
        "principalType": assignment.principal_type,
        "tenantId": assignment.tenant_id,
    }


def show(run: Invocation, kind: Kind, objects: list[str], tenant: str | None) -> None:
    given, version = _start(run, kind, "show", objects, Fields(tenant_id=tenant))

    def work(client: IdentityClient, value: str) -> dict[str, object]:
        return assignment_json(kind.get(client, _fields(kind, "show", value, given)))

    _each(run, objects, work, version, summary="shown")


def set_(
    run: Invocation,
    kind: Kind,
    objects: list[str],
    tenant: str | None,
    principal_type: str | None,
    clients: list[str] | None,
) -> None:
    if principal_type is not None:
        check_choice("--principal-type", principal_type, kind.principal_types)
    told = Fields(None, tenant, principal_type, None if clients is None else parse_guids("--client", clients))
    given, version = _start(run, kind, "set", objects, told)

    def work(client: IdentityClient, value: str) -> dict[str, object]:
        put = kind.put(client, _fields(kind, "set", value, given))
        if not is_bulk(objects):
            done = "Created" if put.created else "Replaced"
            run.out.done(f"{done} the {kind.name} assignment of {put.assignment.object_id}")
        return assignment_json(put.assignment)

    _each(run, objects, work, version, summary="set")


def delete(run: Invocation, kind: Kind, objects: list[str], tenant: str | None, yes: bool) -> None:
    given, version = _start(run, kind, "delete", objects, Fields(tenant_id=tenant))
    count = count_of(objects)
    one = f"Delete the {kind.name} assignment of {objects[0]}?"
    many = f"Delete {f'{count:,}' if count else 'the'} {kind.name} assignments?"

    def work(client: IdentityClient, value: str) -> dict[str, object]:
        fields = _fields(kind, "delete", value, given)
        kind.delete(client, fields)
        if not is_bulk(objects):
            run.out.done(f"Deleted the {kind.name} assignment of {fields.object_id}")
        named = {"tenantId": fields.tenant_id} if kind.tenant_names_it else {}
        return {"deleted": True, "objectId": fields.object_id, **named}

    _each(
        run,
        objects,
        work,
        version,
        summary="deleted",
        ask=lambda: confirm(run.out, many if is_bulk(objects) else one, yes),
        quiet=True,
    )


def _start(run: Invocation, kind: Kind, verb: str, objects: list[str], told: Fields) -> tuple[Fields, str]:
    """Every check of what was typed, before anything is sent: the flags, and the object ids on argv."""
    version = operation_version(run.service.api_version, kind.operations[verb], f"{kind.command} {verb}")
    if objects.count("-") > 1:
        raise UsageError("--object - was given more than once; standard input is read once")
    given = replace(told, tenant_id=None if told.tenant_id is None else check_guid("--tenant", told.tenant_id))
    for value in objects:
        if value != "-":
            check_guid("--object", value)
    if "-" not in objects:
        _require(kind, verb, given, None)
    return given, version


def _each(
    run: Invocation,
    objects: list[str],
    work: Callable[[IdentityClient, str], dict[str, object]],
    version: str,
    *,
    summary: str,
    ask: Callable[[], None] | None = None,
    quiet: bool = False,
) -> None:
    """One assignment: ask if it is destructive, act, print the result (unless quiet). Many: a bulk run."""
    if not is_bulk(objects):
        client = run.client(api_version=version)
        if ask:
            ask()
        result = work(client, objects[0])
        if not quiet:
            run.out.result(result)
        return
    from acsid_cli.cli import bulk

    if ask:
        ask()
    bulk.run(run, _values(objects), work, verb=summary, total=count_of(objects), api_version=version)


def _values(objects: list[str]) -> Iterator[str]:
    """The object ids of argv, and for '-' the lines of stdin (not those that failed upstream: reported there)."""
    for value in objects:
        if value == "-":
            yield from (line for line in lines_of(["-"], "--object") if not _failed_upstream(line))
        else:
            yield value


def _failed_upstream(text: str) -> bool:
    data = _object(text)
    return isinstance(data, dict) and "error" in data and "input" in data


def _object(text: str) -> Any:
    try:
        return json.loads(text) if text.lstrip().startswith("{") else None
    except (ValueError, RecursionError):
        return None


_FLAGS = {
    "object_id": "--object",
    "tenant_id": "--tenant",
    "principal_type": "--principal-type",
    "client_ids": "--client",
}
_KEYS = {"object_id": "objectId", "tenant_id": "tenantId", "principal_type": "principalType", "client_ids": "clientIds"}


def _fields(kind: Kind, verb: str, value: str, given: Fields) -> Fields:
    """One assignment, from an object id or a line of stdin, the flags given winning; checked, and complete."""
    if isinstance(value, Unreadable):
        raise UsageError(str(value))
    if not isinstance(value, Line) or value.where is None:
        return replace(given, object_id=value)  # checked with the flags, before anything was sent
    where = value.where
    at = f"{where}: "
    text = value.strip()
    if not text.startswith("{"):
        line = Fields(object_id=check_guid(f"{at}the object id", text))
        value.checked = True  # a GUID: a failure record may show it whole (a JSON line is shown only in part)
    else:
        data = _object(text)
        if not isinstance(data, dict):
            raise UsageError(f"{at}neither an object id nor an assignment's JSON")
        # The flags given win; what the line gives instead is checked as its flag would have been.
        line = _checked(
            kind, Fields(*(data.get(key) if getattr(given, name) is None else None for name, key in _KEYS.items())), at
        )
    merged = Fields(
        *(getattr(given, name) if getattr(given, name) is not None else getattr(line, name) for name in _KEYS)
    )
    if merged.object_id is None:
        raise UsageError(f"{at}no objectId")
    _require(kind, verb, merged, where)
    return merged


def _checked(kind: Kind, line: Fields, at: str) -> Fields:
    """The fields a line gives, each checked as its flag would be."""
    for name in ("object_id", "tenant_id"):
        value = getattr(line, name)
        if value is not None and not (isinstance(value, str) and protocol.GUID.fullmatch(value)):
            raise UsageError(f"{at}{_KEYS[name]} must be a GUID like 00000000-0000-0000-0000-000000000000")
    kinds = kind.principal_types
    if line.principal_type is not None and line.principal_type not in kinds:
        shown = quoted(line.principal_type) if isinstance(line.principal_type, str) else "that"
        raise UsageError(f"{at}principalType {shown} is not one of {', '.join(kinds)}")
    ids = line.client_ids
    if ids is not None and not (isinstance(ids, list) and all(isinstance(i, str) for i in ids)):
        raise UsageError(f"{at}clientIds must be a list of GUIDs")
    return replace(line, client_ids=None if ids is None else parse_guids(f"{at}each of clientIds", ids) if ids else [])


def _require(kind: Kind, verb: str, fields: Fields, where: str | None) -> None:
    for name in kind.needs(verb):
        value = getattr(fields, name)
        if value is None or value == []:
            flag = _FLAGS[name]
            if where is not None:
                raise UsageError(f"{where}: no {_KEYS[name]}, and no {flag}")
            why = {
                "principal_type": f": one of {', '.join(kind.principal_types)}",
                "client_ids": ": the Entra apps whose users' tokens may be exchanged",
                "tenant_id": f": a {kind.name} assignment is named by its tenant and object",
            }
            raise UsageError(f"{flag} is required{why[name] if name != 'tenant_id' or kind.tenant_names_it else ''}")
