"""What a user gives a command, checked before any request: every check, and the identities it acts on.

The identities come from --count, --user, --custom-id and standard input, built into Targets in one
place. One identity is checked as the targets are built, before any client exists. In a bulk run each
item is checked where it is worked on, so a bad one fails in its place and the others go on.

Input is data, and may be hostile or simply wrong (a token file piped into --user -): a value no check
has accepted is shown only as its place and a short, redacted prefix (`shown`), never whole.
"""

from __future__ import annotations

import math
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

from acsid_cli import protocol
from acsid_cli.cli.output import Cancelled, Output, UsageError, is_tty, visible

_PROFILE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
_PREFIX = re.compile(r"[A-Za-z0-9:._@+-]{0,8}")  # as much of a value as may be shown: a few id-like characters


def quoted(value: str, limit: int = 60) -> str:
    """A value the user typed, safe to echo: in quotes, control characters spelled out, a long one cut."""
    safe = visible(value[:limit])
    return f"'{safe}…'" if len(value) > limit else f"'{safe}'"


ID_HINT = "ids look like 8:acs:<resource id>_<suffix>, as printed by 'acsid user create'"


def check_user_id(value: str, option: str = "--user") -> str:
    """An ACS user id: at most USER_ID_MAX_LENGTH printable ASCII characters, 8:acs:... (or another cloud's)."""
    if isinstance(value, Unreadable):
        raise UsageError(value)
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
        return _accepted(value, user_id)
    raise UsageError(f"{_named(value, option)} {problem}", hint=ID_HINT)


def _named(value: str, option: str) -> str:
    """How a message names a refused value: as typed, or by its place on stdin and no more of it than is safe."""
    if isinstance(value, Line) and value.where is not None:
        return str(shown(value))
    return f"{option} {quoted(value.strip())}"


def _accepted(value: str, checked: str) -> str:
    if isinstance(value, Line):
        value.checked = True  # a bulk run's failure record may now echo it
    return checked


def one_user(values: list[str], option: str = "--user") -> str:
    """The identity of a command that acts on one: a repeated --user must not quietly keep the last."""
    if len(values) > 1:
        raise UsageError(f"{option} was given {len(values)} times; this command acts on one identity")
    return check_user_id(values[0], option)


def parse_scopes(values: list[str], api_version: str) -> list[str]:
    """az's `--scope chat voip`, repeated `--scope chat --scope voip`, and `--scope chat,voip`, in order, once each;
    each one the API version has (checked here, as the service would refuse it with a 400)."""
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
    missing = next((scope for scope in scopes if scope not in protocol.scopes_of(api_version)), None)
    if missing is not None:
        having = [version for version in protocol.API_VERSIONS if missing in protocol.scopes_of(version)]
        raise UsageError(
            f"--scope {missing} needs API version {' or '.join(having)}, not {api_version}",
            hint=f"leave out --api-version (default {protocol.DEFAULT_API_VERSION})",
        )
    return scopes


def check_expiry(minutes: int, api_version: str) -> int:
    low, high = protocol.MIN_TOKEN_MINUTES, protocol.MAX_TOKEN_MINUTES
    if not low <= minutes <= high:
        raise UsageError(f"--expires-in {minutes} is out of range: tokens last {low} to {high} minutes")
    if not protocol.has_custom_expiry(api_version):
        raise UsageError(
            f"--expires-in needs API version {protocol.CUSTOM_EXPIRY_SINCE} or later; "
            f"{api_version} only issues {protocol.DEFAULT_TOKEN_MINUTES // 60}-hour tokens",
            hint=f"leave out --api-version (default {protocol.DEFAULT_API_VERSION})",
        )
    return minutes


def check_custom_id(value: str) -> str:
    """The id of an app user, which the service maps to one identity (2025-03-02-preview)."""
    if isinstance(value, Unreadable):
        raise UsageError(value)
    if not 1 <= len(value) <= protocol.CUSTOM_ID_MAX_LENGTH:
        limit = protocol.CUSTOM_ID_MAX_LENGTH
        raise UsageError(f"{_named(value, '--custom-id')} has {len(value)} characters; custom ids have 1 to {limit}")
    if any("\udc80" <= char <= "\udcff" for char in value):  # bytes that were not UTF-8 (output.use_utf8)
        raise UsageError(f"{_named(value, '--custom-id')} is not UTF-8 text")
    if not value.isprintable():
        raise UsageError(f"{_named(value, '--custom-id')} has a control character")
    return _accepted(value, str(value))


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


def check_timeout(seconds: float) -> float:
    """--timeout: a finite number of seconds (nan and inf pass a plain range check)."""
    if not (math.isfinite(seconds) and seconds >= 0.1):
        raise UsageError(f"--timeout {seconds:g} is not a number of seconds of at least 0.1", hint="e.g. --timeout 30")
    return seconds


def check_rate(rate: float | None) -> float | None:
    """--rate: a finite number of requests per second, 0 for no limit."""
    if rate is not None and not (math.isfinite(rate) and rate >= 0):
        raise UsageError(f"--rate {rate:g} is not a number of requests per second", hint="e.g. --rate 20, or 0")
    return rate


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


def confirm(out: Output, question: str, yes: bool) -> None:
    """Destructive verbs ask on a terminal; without one they need --yes, and never hang."""
    if yes:
        return
    if not is_tty(sys.stdin):
        raise UsageError("--yes is required when not running interactively", hint="add --yes (or -y)")
    if not out.confirm(question):
        raise Cancelled("cancelled, nothing was changed")


def operation_version(explicit: str | None, operation: protocol.Operation, command: str) -> str:
    """The API version of a command of one operation: the operation's own unless --api-version says.

    A version acsid knows to lack the operation is refused before sending; one it does not know goes to the
    service, which may know it (and otherwise answers 400 UnsupportedApiVersion).
    """
    if explicit is None:
        return operation.version
    version = check_api_version(explicit)
    if version in protocol.API_VERSIONS and not operation.offered_in(version):
        raise UsageError(
            f"{command} needs API version {' or '.join(operation.versions)}, not {version}",
            hint="leave out --api-version and acsid picks it",
        )
    return version


def check_choice(option: str, value: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise UsageError(f"{option} {quoted(value)} is not one of {', '.join(allowed)}")
    return value


def parse_guids(option: str, values: list[str]) -> list[str]:
    """A repeatable option of GUIDs (--client A --client B, or --client A,B): each checked, once each, in order."""
    found: list[str] = []
    for value in values:
        for part in value.split(","):
            guid = check_guid(option, part)
            if guid.lower() not in (seen.lower() for seen in found):
                found.append(guid)
    return found


# --- the values of a bulk run, and what may be echoed of them -----------------------------------------------


class Line(str):
    """A value for a bulk run and where it came from (`where`: 'line 4 of standard input'; None: argv).
    `checked` once a check has accepted it: only then is it echoed whole."""

    where: str | None = None
    checked: bool = False

    def __new__(cls, text: str, where: str | None = None) -> Line:
        line = super().__new__(cls, text)
        line.where = where
        return line


class Unreadable(Line):
    """A line of stdin that holds no id: its text is the reason, never the line (which may hold a token)."""

    def __new__(cls, where: str, reason: str) -> Unreadable:
        line = str.__new__(cls, f"{where}: {reason}")
        line.where = where
        return line


def shown(value: Any) -> Any:
    """What may be echoed of an input: all of it once checked (an id), else its place and a redacted prefix."""
    if not isinstance(value, Line) or value.checked:
        return value.strip() if isinstance(value, str) else value
    if isinstance(value, Unreadable):
        return str(value)
    return redacted(value) if value.where is None else f"{value.where}: {redacted(value)}"


def redacted(value: str) -> str:
    """A short value of id-like characters whole; of any other, its first few such characters and its length."""
    text = value.strip()
    head = _PREFIX.match(text)
    assert head is not None, "the pattern matches the empty prefix"
    return text if head[0] == text else f"{head[0]}… ({len(text):,} characters)"


# --- the identities a command acts on ----------------------------------------------------------------------

NEW, USER, CUSTOM = "new", "user", "custom"  # new identities; identities by id; by custom id


@dataclass(frozen=True)
class Targets:
    kind: str  # NEW, USER or CUSTOM
    values: tuple[str, ...] = ()  # ids or custom ids as given; '-' stands for the lines of standard input
    count: int | None = None  # NEW: --count, if given
    option: str = "--user"  # the option the values came from, as messages name it

    @property
    def bulk(self) -> bool:
        """Many identities: --count, an option given more than once, or '-'."""
        if self.kind == NEW:
            return self.count is not None
        return len(self.values) > 1 or "-" in self.values

    @property
    def total(self) -> int | None:
        """How many, when known: not when some come from standard input."""
        if self.kind == NEW:
            return 1 if self.count is None else self.count
        return None if "-" in self.values else len(self.values)

    @property
    def creates(self) -> bool:
        """Whether acting on them creates identities (so one whose answer is lost may have been created)."""
        return self.kind != USER

    def __iter__(self) -> Iterator[Any]:
        """Each target as given: a new identity's number (1, 2, ...), else an id or custom id (from stdin, as it is
        read); a failure record names it so."""
        if self.kind == NEW:
            yield from range(1, (self.total or 0) + 1)
        elif not self.bulk:
            yield self.values[0]  # checked when the targets were built
        else:
            from acsid_cli.cli import stdin

            values = list(self.values)
            yield from stdin.user_ids(values) if self.kind == USER else stdin.lines_of(values, self.option)

    def checked(self, value: Any) -> str | None:
        """The id or custom id of a target (None: a new identity without one). Each of a bulk run is checked here,
        in its place; one identity was checked when the targets were built."""
        if self.kind == NEW:
            return None
        if not self.bulk:
            return str(value)
        return check_user_id(value, self.option) if self.kind == USER else check_custom_id(value)


def targets(
    *,
    count: int | None = None,
    users: list[str] | None = None,
    custom_ids: list[str] | None = None,
    user_option: str = "--user",
) -> Targets:
    """The identities a command was told to act on: only one of --count, --user and --custom-id may say."""
    given = [name for name, value in (("--count", count), (user_option, users), ("--custom-id", custom_ids)) if value]
    if len(given) > 1:
        raise UsageError(f"{given[0]} and {given[1]} do not go together: each says which identities to use")
    if users:
        chosen = Targets(USER, tuple(users), option=user_option)
    elif custom_ids:
        chosen = Targets(CUSTOM, tuple(custom_ids), option="--custom-id")
    else:
        chosen = Targets(NEW, count=count)
    if chosen.kind != NEW and not chosen.bulk:  # one identity: checked now, before any client is built
        value = chosen.values[0]
        checked = check_user_id(value, user_option) if chosen.kind == USER else check_custom_id(value)
        chosen = replace(chosen, values=(checked,))
    return chosen
