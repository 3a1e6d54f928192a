"""What acsid reads from standard input: ids for a bulk run (plain or acsid's own JSON), custom ids, a token,
a secret kept off argv. Reading never stops a bulk run: a line without an id fails in its place.

Input is data, and may be hostile or simply wrong (a token file piped into --user -): lines are read in
bounded pieces (LINE_LIMIT) and a JSON document an entry at a time; each value carries its place (a Line,
inputs.py), so that one no check has accepted is shown only by its place and a short, redacted prefix.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from typing import Any, TextIO

from acsid_cli.cli.inputs import Line, Unreadable
from acsid_cli.cli.output import UsageError

# Characters in a line of stdin: an id has at most 256, a line of acsid's JSON with a token fits easily.
LINE_LIMIT = 64 * 1024


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
    secret = one_line(piped(option), option)
    if not secret:
        raise UsageError(f"{option} -: standard input was empty")
    return secret


def one_line(stream: TextIO, option: str | None = None) -> str:
    """The first line of stream, stripped; a longer one than LINE_LIMIT is refused, not read whole."""
    _, line = next(_lines(stream), (1, ""))
    if line is None:
        prefix = f"{option} -: " if option else ""
        raise UsageError(f"{prefix}the line on standard input is longer than {LINE_LIMIT:,} characters")
    return line.strip()


def user_ids(values: list[str]) -> Iterator[Line]:
    """The ids of --user, each given once or '-' for standard input, unchecked: a bulk run checks each in its place.

    Standard input holds one id per line, or acsid's own output: JSON Lines (a line per object) are read
    as they come, a JSON document (-o json) an entry at a time. From an object: rawId, user_id or properties.id.
    """
    for value in values:
        if value != "-":
            yield Line(value)
            continue
        stream = piped("--user")
        lines = _lines(stream)
        for number, line in lines:
            where = f"line {number} of standard input"
            if line is None:
                yield Unreadable(where, f"longer than {LINE_LIMIT:,} characters")
            elif number == 1 and (line.strip() in ("[", "{") or line.startswith("[")):  # a document, as -o json
                for count, entry in enumerate(_entries(stream, line), 1):
                    where = "standard input" if entry is _NOT_JSON else f"entry {count} of the JSON on standard input"
                    yield from _id_in(entry, where)
                break
            elif line.strip().startswith("{"):
                yield from _id_in(_json(line), where)
            elif line.strip():
                yield Line(line.strip(), where)


def lines_of(values: list[str], option: str) -> Iterator[Line]:
    """The values of a repeatable option, '-' standing for the lines of standard input."""
    for value in values:
        if value != "-":
            yield Line(value)
            continue
        for number, line in _lines(piped(option)):
            where = f"line {number} of standard input"
            if line is None:
                yield Unreadable(where, f"longer than {LINE_LIMIT:,} characters")
            elif line.strip():
                yield Line(line.strip(), where)


def read_token(value: str) -> str:
    """An access token given as is, or '-': from stdin, alone or in acsid's JSON (its "token" field)."""
    if value != "-":
        return value
    text = piped("TOKEN").read(2 * LINE_LIMIT + 1)
    if len(text) > 2 * LINE_LIMIT:
        raise UsageError(f"TOKEN -: standard input holds more than {2 * LINE_LIMIT:,} characters; no token is so long")
    text = text.strip()
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


def _lines(stream: TextIO) -> Iterator[tuple[int, str | None]]:
    """Each line, numbered from 1; None for one longer than LINE_LIMIT, read in pieces and dropped, so that a
    100 MB line costs no more memory than a short one."""
    number = 0
    while line := stream.readline(LINE_LIMIT + 1):
        number += 1
        if len(line) <= LINE_LIMIT or line.endswith("\n"):
            yield number, line
            continue
        while line and not line.endswith("\n"):
            line = stream.readline(LINE_LIMIT)
        yield number, None


_DECODER = json.JSONDecoder()


def _entries(stream: TextIO, start: str) -> Iterator[Any]:
    """The values of one JSON document, decoded as they come: the entries of an array, or objects one after
    another. Memory holds one entry (at most LINE_LIMIT characters); _NOT_JSON for what cannot be read."""
    buffer, at = start, _skip_space(start, 0)
    array = buffer.startswith("[", at)
    at += array
    while True:
        at = _skip_space(buffer, at)
        if array and buffer.startswith(("]", ","), at):
            if buffer[at] == "]":
                return
            at += 1
            continue
        if at < len(buffer):
            try:
                entry, at = _DECODER.raw_decode(buffer, at)
            except (ValueError, RecursionError):
                if len(buffer) - at > LINE_LIMIT:
                    yield _NOT_JSON  # an entry too long to be one of acsid's, or no JSON at all
                    return
            else:
                yield entry
                continue
        more = stream.read(LINE_LIMIT)
        if not more:
            if array or at < len(buffer):
                yield _NOT_JSON  # cut short
            return
        buffer, at = buffer[at:] + more, 0


def _skip_space(text: str, at: int) -> int:
    while at < len(text) and text[at] in " \t\r\n":
        at += 1
    return at


def _json(text: str) -> Any:
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return _NOT_JSON


_NOT_JSON = object()


def _id_in(entry: Any, where: str) -> Iterator[Line]:
    if entry is _NOT_JSON:
        yield Unreadable(where, "neither an id nor acsid's JSON")
    elif isinstance(entry, str):
        yield Line(entry, where)
    elif isinstance(entry, dict) and "error" in entry:
        return  # an item that failed upstream: it was reported there, and has no identity
    else:
        found = _id_of(entry) if isinstance(entry, dict) else None
        yield Line(found, where) if isinstance(found, str) else Unreadable(where, "no rawId, user_id or properties.id")


def _id_of(entry: dict[str, Any]) -> Any:
    properties = entry.get("properties")
    nested = properties.get("id") if isinstance(properties, dict) else None
    return entry.get("rawId") or entry.get("user_id") or nested
