"""Checks on what the user typed, made before any request, and the reading of values kept off argv."""

from __future__ import annotations

import re
import sys

from acsid_cli.errors import Cancelled, UsageError

SCOPES = ("chat", "voip", "chat.join", "chat.join.limited", "voip.join")
EXPIRY_MINUTES = (60, 1440)  # the service's bounds for expiresInMinutes

_ACS_USER = re.compile(r"8:(acs|dod-acs|gcch-acs|spool):[^\s/?#%]+")
GUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_API_VERSION = re.compile(r"\d{4}-\d{2}-\d{2}(-preview\d*)?")
_PROFILE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")


def check_user_id(user_id: str) -> str:
    user_id = user_id.strip()
    if not _ACS_USER.fullmatch(user_id):
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
    unknown = [scope for scope in scopes if scope not in SCOPES]
    if unknown:
        raise UsageError(f"unknown scope {unknown[0]!r}", hint=f"valid scopes: {', '.join(SCOPES)}")
    if not scopes:
        raise UsageError("--scope needs at least one scope", hint=f"valid scopes: {', '.join(SCOPES)}")
    return scopes


def check_expiry(minutes: int) -> int:
    low, high = EXPIRY_MINUTES
    if not low <= minutes <= high:
        raise UsageError(f"--expires-in {minutes} is out of range: tokens last {low} to {high} minutes")
    return minutes


def check_guid(option: str, value: str) -> str:
    if not GUID.fullmatch(value.strip()):
        raise UsageError(f"{option} must be a GUID like 00000000-0000-0000-0000-000000000000")
    return value.strip()


def check_api_version(version: str) -> str:
    if not _API_VERSION.fullmatch(version):
        raise UsageError(f"--api-version {version!r} is not an API version", hint="e.g. 2023-10-01")
    return version


def check_profile(profile: str) -> str:
    if not _PROFILE.fullmatch(profile):
        raise UsageError(f"invalid profile name {profile!r}", hint="use letters, digits, '.', '_' or '-'")
    return profile


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


def confirm(question: str, yes: bool) -> None:
    """Destructive verbs ask on a terminal; without one they need --yes, and never hang."""
    if yes:
        return
    from acsid_cli.output import is_tty

    if not is_tty(sys.stdin):
        raise UsageError("--yes is required when not running interactively", hint="add --yes (or -y)")
    import typer

    if not typer.confirm(question, default=False, err=True):
        raise Cancelled("cancelled, nothing was changed")
