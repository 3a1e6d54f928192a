"""Every check of what the user typed, made before any request; and reading values kept off argv."""

from __future__ import annotations

import itertools
import json
import re
import sys
from collections.abc import Iterator
from typing import Any

from acsid_cli import protocol
from acsid_cli.cli.errors import Cancelled, UsageError
from acsid_cli.cli.output import Output, is_tty

_PROFILE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")


def quoted(value: str, limit: int = 60) -> str:
    """A value the user typed, safe to echo: in quotes, control characters spelled out, a long one cut."""
    safe = "".join(char if char.isprintable() else f"\\x{ord(char):02x}" for char in value[:limit])
    return f"'{safe}…'" if len(value) > limit else f"'{safe}'"


ID_HINT = "ids look like 8:acs:<resource id>_<suffix>, as printed by 'acsid user create'"


def check_user_id(value: str, option: str = "--user") -> str:
    """An ACS user id: at most 256 printable ASCII characters, 8:acs:... (or another cloud's 8:...-acs:)."""
    user_id = value.strip()
    odd = next(((i, char) for i, char in enumerate(user_id) if not " " < char <= "~"), None)
    if len(user_id) > protocol.USER_ID_MAX_LENGTH:
        problem = f"is {len(user_id)} characters long; ids have at most {protocol.USER_ID_MAX_LENGTH}"
    elif odd is not None:
        position, char = odd
        what = "a space" if char == " " else "a control character" if not char.isprintable() else f"'{char}'"
        problem = f"has {what} at position {position + 1}; ids are printable ASCII"
    elif not protocol.ACS_USER_ID.fullmatch(user_id):
        problem = "is not an ACS user id"
    else:
        return user_id
    raise UsageError(f"{option} {quoted(user_id)} {problem}", hint=ID_HINT)


def one_user(values: list[str], option: str = "--user") -> str:
    """The identity of a command that acts on one: a repeated --user must not quietly keep the last."""
    if len(values) > 1:
        raise UsageError(f"{option} was given {len(values)} times; this command acts on one identity")
    return check_user_id(values[0], option)


def user_ids(values: list[str]) -> Iterator[str]:
    """The ids of --user, each given once or '-' for standard input, unchecked: a bulk run checks each in its place.

    Standard input holds one id per line, or acsid's own output: JSON Lines (a line per object) are read
    as they come; a JSON document (-o json) is read whole. From an object: rawId, user_id or properties.id.
    """
    for value in values:
        if value != "-":
            yield value
            continue
        stdin = _piped_stdin("--user")
        first = stdin.readline()
        if first.strip() in ("[", "{") or first.startswith("["):  # one JSON document, as -o json writes it
            yield from _ids_in(_json_document(first + stdin.read()))
            continue
        for line in itertools.chain([first], stdin):
            line = line.strip()
            if line.startswith("{"):
                yield from _ids_in(_json_document(line))
            elif line:
                yield line


def lines_of(values: list[str], option: str) -> Iterator[str]:
    """The values of a repeatable option, '-' standing for the lines of standard input."""
    for value in values:
        if value == "-":
            yield from (line.strip() for line in _piped_stdin(option) if line.strip())
        else:
            yield value


def _piped_stdin(option: str) -> Any:
    if sys.stdin is None or sys.stdin.isatty():
        raise UsageError(f"{option} - reads standard input, but it is a terminal", hint="pipe the values in")
    return sys.stdin


def _json_document(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        raise UsageError("--user -: standard input is neither ids, one per line, nor acsid's JSON") from None


def _ids_in(document: Any) -> Iterator[str]:
    for entry in document if isinstance(document, list) else [document]:
        if isinstance(entry, str):
            yield entry
        elif isinstance(entry, dict) and "error" in entry:
            continue  # an item that failed upstream: it was reported there, and has no identity
        else:
            found = entry.get("rawId") or entry.get("user_id") if isinstance(entry, dict) else None
            if found is None and isinstance(entry, dict) and isinstance(entry.get("properties"), dict):
                found = entry["properties"].get("id")
            yield found if isinstance(found, str) else json.dumps(entry)  # not an id: its item fails in place


def parse_scopes(values: list[str]) -> list[str]:
    """az's `--scope chat voip`, repeated `--scope chat --scope voip`, and `--scope chat,voip`, in order, once each."""
    valid = f"valid scopes: {', '.join(protocol.SCOPES)}"
    scopes: list[str] = []
    for value in values:
        if not value.strip():
            raise UsageError("--scope got an empty value", hint=valid)
        parts = [part.strip() for part in value.split(",")]
        if "" in parts:
            raise UsageError(f"--scope {quoted(value)} has an empty scope between commas", hint=valid)
        unknown = next((part for part in parts if part not in protocol.SCOPES), None)
        if unknown is not None:
            raise UsageError(f"unknown scope {quoted(unknown)}", hint=valid)
        scopes += [part for part in parts if part not in scopes]
    return scopes


def check_expiry(minutes: int, api_version: str) -> int:
    low, high = protocol.MIN_TOKEN_MINUTES, protocol.MAX_TOKEN_MINUTES
    if not low <= minutes <= high:
        raise UsageError(f"--expires-in {minutes} is out of range: tokens last {low} to {high} minutes")
    if not protocol.has_custom_expiry(api_version):
        raise UsageError(
            f"--expires-in needs API version 2022-10-01 or later; {api_version} only issues 24-hour tokens",
            hint=f"leave out --api-version (default {protocol.DEFAULT_API_VERSION})",
        )
    return minutes


def check_custom_id(value: str) -> str:
    """The id of an app user, which the service maps to one identity (2025-03-02-preview)."""
    if not 1 <= len(value) <= protocol.CUSTOM_ID_MAX_LENGTH:
        raise UsageError(f"--custom-id {quoted(value)} has {len(value)} characters; custom ids have 1 to 256")
    if not value.isprintable():
        raise UsageError(f"--custom-id {quoted(value)} has a control character")
    return value


def api_version_for(explicit: str | None, option: str) -> str:
    """The API version of a preview feature: picked when --api-version is not given, refused when too old."""
    if explicit is None:
        return protocol.PREVIEW_API_VERSION
    version = check_api_version(explicit)
    if not protocol.has_identity_details(version):
        raise UsageError(
            f"{option} needs API version {protocol.PREVIEW_API_VERSION}, not {version}",
            hint="leave out --api-version and acsid picks it",
        )
    return version


def parse_duration(text: str, option: str) -> float:
    """Seconds in '90s', '10m', '1h30m', '2d' or plain seconds."""
    match = re.fullmatch(r"(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s?)?", text.strip())
    if not text.strip() or match is None:
        raise UsageError(f"{option} {quoted(text)} is not a duration", hint="e.g. 90s, 10m, 1h30m or 2d")
    days, hours, minutes, seconds = (int(part or 0) for part in match.groups())
    return float(((days * 24 + hours) * 60 + minutes) * 60 + seconds)


def read_token(value: str) -> str:
    """An access token given as is, or '-': from stdin, alone or in acsid's JSON (its "token" field)."""
    if value != "-":
        return value
    text = str(_piped_stdin("TOKEN").read()).strip()
    if text.startswith(("{", "[")):
        document = _json_document(text.splitlines()[0] if text.startswith("{\"") else text)
        first = document[0] if isinstance(document, list) and document else document
        token = first.get("token") if isinstance(first, dict) else None
        if not isinstance(token, str):
            raise UsageError("TOKEN -: the JSON on standard input has no \"token\" field")
        return token
    if not text:
        raise UsageError("TOKEN -: standard input was empty")
    return text.splitlines()[0]


def check_guid(option: str, value: str) -> str:
    if not protocol.GUID.fullmatch(value.strip()):
        raise UsageError(f"{option} must be a GUID like 00000000-0000-0000-0000-000000000000")
    return value.strip()


def check_api_version(version: str | None) -> str:
    if version is None:
        return protocol.DEFAULT_API_VERSION
    if not protocol.API_VERSION_PATTERN.fullmatch(version):
        example = f"e.g. {protocol.DEFAULT_API_VERSION}"
        raise UsageError(f"--api-version {quoted(version)} is not an API version", hint=example)
    return version


def check_profile(profile: str) -> str:
    if not _PROFILE.fullmatch(profile):
        raise UsageError(f"invalid profile name {quoted(profile)}", hint="use letters, digits, '.', '_' or '-'")
    return profile


def check_query(query: str) -> Any:
    """The compiled JMESPath expression of --query."""
    import jmespath
    from jmespath.exceptions import IncompleteExpressionError, JMESPathError

    try:
        return jmespath.compile(query)
    except IncompleteExpressionError:
        reason = "the expression is incomplete"
    except JMESPathError as exc:
        reason = f"unexpected text at column {getattr(exc, 'lex_position', 0)}"
    raise UsageError(f"invalid --query {quoted(query)}: {reason}", hint="see https://jmespath.org")


def read_secret(option: str, value: str) -> str:
    """A value given as '-' is read from stdin, so secrets need not sit on argv."""
    if not value.strip():
        raise UsageError(f"{option} is empty")
    if value != "-":
        return value
    if sys.stdin is None or sys.stdin.isatty():
        raise UsageError(f"{option} - reads standard input, but it is a terminal", hint="pipe the value in")
    secret = sys.stdin.readline().strip()
    if not secret:
        raise UsageError(f"{option} -: standard input was empty")
    return secret


def confirm(out: Output, question: str, yes: bool) -> None:
    """Destructive verbs ask on a terminal; without one they need --yes, and never hang."""
    if yes:
        return
    if not is_tty(sys.stdin):
        raise UsageError("--yes is required when not running interactively", hint="add --yes (or -y)")
    if not out.confirm(question):
        raise Cancelled("cancelled, nothing was changed")
