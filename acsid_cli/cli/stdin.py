"""What acsid reads from standard input: ids for a bulk run (plain or acsid's own JSON), custom ids, a token,
a secret kept off argv. Reading never stops a bulk run: a line without an id fails in its place."""

from __future__ import annotations

import itertools
import json
import sys
from collections.abc import Iterator
from typing import Any, TextIO

from acsid_cli.cli.errors import UsageError


class Unreadable(str):
    """What stands for a line of stdin that holds no id: it fails in its place, and its text is not echoed
    (it may hold a token)."""


def piped(option: str) -> TextIO:
    if sys.stdin is None or sys.stdin.isatty():
        raise UsageError(f"{option} - reads standard input, but it is a terminal", hint="pipe the value in")
    return sys.stdin


def read_secret(option: str, value: str) -> str:
    """A value given as '-' is read from stdin, so secrets need not sit on argv."""
    if not value.strip():
        raise UsageError(f"{option} is empty")
    if value != "-":
        return value
    secret = piped(option).readline().strip()
    if not secret:
        raise UsageError(f"{option} -: standard input was empty")
    return secret


def user_ids(values: list[str]) -> Iterator[str]:
    """The ids of --user, each given once or '-' for standard input, unchecked: a bulk run checks each in its place.

    Standard input holds one id per line, or acsid's own output: JSON Lines (a line per object) are read
    as they come; a JSON document (-o json) is read whole. From an object: rawId, user_id or properties.id.
    """
    for value in values:
        if value != "-":
            yield value
            continue
        stdin = piped("--user")
        first = stdin.readline()
        if first.strip() in ("[", "{") or first.startswith("["):  # one JSON document, as -o json writes it
            yield from _ids_in(_json(first + stdin.read()), "standard input")
            continue
        for number, line in enumerate(itertools.chain([first], stdin), 1):
            line = line.strip()
            if line.startswith("{"):
                yield from _ids_in(_json(line), f"line {number} of standard input")
            elif line:
                yield line


def lines_of(values: list[str], option: str) -> Iterator[str]:
    """The values of a repeatable option, '-' standing for the lines of standard input."""
    for value in values:
        if value == "-":
            yield from (line.strip() for line in piped(option) if line.strip())
        else:
            yield value


def read_token(value: str) -> str:
    """An access token given as is, or '-': from stdin, alone or in acsid's JSON (its "token" field)."""
    if value != "-":
        return value
    text = str(piped("TOKEN").read()).strip()
    if text.startswith(("{", "[")):
        document = _json(text.splitlines()[0] if text.startswith('{"') else text)
        first = document[0] if isinstance(document, list) and document else document
        token = first.get("token") if isinstance(first, dict) else None
        if not isinstance(token, str):
            raise UsageError('TOKEN -: the JSON on standard input has no "token" field')
        return token
    if not text:
        raise UsageError("TOKEN -: standard input was empty")
    return text.splitlines()[0]


def _json(text: str) -> Any:
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return _NOT_JSON


_NOT_JSON = object()


def _ids_in(document: Any, where: str) -> Iterator[str]:
    if document is _NOT_JSON:
        yield Unreadable(f"{where}: neither an id nor acsid's JSON")
        return
    for entry in document if isinstance(document, list) else [document]:
        if isinstance(entry, str):
            yield entry
        elif isinstance(entry, dict) and "error" in entry:
            continue  # an item that failed upstream: it was reported there, and has no identity
        else:
            found = _id_of(entry) if isinstance(entry, dict) else None
            yield found if isinstance(found, str) else Unreadable(f"{where}: no rawId, user_id or properties.id")


def _id_of(entry: dict[str, Any]) -> Any:
    properties = entry.get("properties")
    nested = properties.get("id") if isinstance(properties, dict) else None
    return entry.get("rawId") or entry.get("user_id") or nested
