"""Every check of what the user typed, made before any request; and reading values kept off argv."""

from __future__ import annotations

import re
import sys
from typing import Any

from acsid_cli import protocol
from acsid_cli.cli.errors import Cancelled, UsageError
from acsid_cli.cli.output import Output, is_tty

_PROFILE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")


def check_user_id(user_id: str) -> str:
    user_id = user_id.strip()
    if not protocol.ACS_USER_ID.fullmatch(user_id):
        raise UsageError(
            f"--user {user_id!r} is not an ACS user id",
            hint="ids look like 8:acs:<resource id>_<suffix>, as printed by 'acsid user create'",
        )
    return user_id


def parse_scopes(values: list[str]) -> list[str]:
    """az's `--scope chat voip`, repeated `--scope chat --scope voip`, and `--scope chat,voip`, in order, once each."""
    scopes: list[str] = []
    for value in values:
        for scope in value.split(","):
            scope = scope.strip()
            if scope and scope not in scopes:
                scopes.append(scope)
    valid = f"valid scopes: {', '.join(protocol.SCOPES)}"
    unknown = [scope for scope in scopes if scope not in protocol.SCOPES]
    if unknown:
        raise UsageError(f"unknown scope {unknown[0]!r}", hint=valid)
    if not scopes:
        raise UsageError("--scope needs at least one scope", hint=valid)
    return scopes


def check_expiry(minutes: int) -> int:
    low, high = protocol.MIN_TOKEN_MINUTES, protocol.MAX_TOKEN_MINUTES
    if not low <= minutes <= high:
        raise UsageError(f"--expires-in {minutes} is out of range: tokens last {low} to {high} minutes")
    return minutes


def check_guid(option: str, value: str) -> str:
    if not protocol.GUID.fullmatch(value.strip()):
        raise UsageError(f"{option} must be a GUID like 00000000-0000-0000-0000-000000000000")
    return value.strip()


def check_api_version(version: str | None) -> str:
    if version is None:
        return protocol.DEFAULT_API_VERSION
    if not protocol.API_VERSION_PATTERN.fullmatch(version):
        example = f"e.g. {protocol.DEFAULT_API_VERSION}"
        raise UsageError(f"--api-version {version!r} is not an API version", hint=example)
    return version


def check_profile(profile: str) -> str:
    if not _PROFILE.fullmatch(profile):
        raise UsageError(f"invalid profile name {profile!r}", hint="use letters, digits, '.', '_' or '-'")
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
    raise UsageError(f"invalid --query {query!r}: {reason}", hint="see https://jmespath.org")


def read_secret(option: str, value: str) -> str:
    """A value given as '-' is read from stdin, so secrets need not sit on argv."""
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
