"""What the commands share: az's JSON shapes, and the flow of the destructive verbs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from acsid_cli.cli.errors import UsageError
from acsid_cli.cli.inputs import check_user_id, confirm, one_user
from acsid_cli.cli.invocation import Invocation
from acsid_cli.cli.stdin import user_ids

if TYPE_CHECKING:  # the client's modules import requests, which --help and --version never need
    from acsid_cli.client.rest import IdentityClient


def user_json(user_id: str) -> dict[str, object]:
    """az's shape of an identity: the SDK's CommunicationUserIdentifier as az serialises it."""
    return {"properties": {"id": user_id}, "rawId": user_id}


def token_json(user_id: str | None, token: str, expires_on: str) -> dict[str, object]:
    """az's shape of a token; the Teams exchange has no user_id."""
    shaped: dict[str, object] = {"expires_on": expires_on, "token": token}
    if user_id is not None:
        shaped["user_id"] = user_id
    return shaped


def is_bulk(values: list[str] | None) -> bool:
    """Whether a repeatable option asks for a bulk run: given more than once, or '-' for stdin."""
    return values is not None and (len(values) > 1 or "-" in values)


def count_of(values: list[str]) -> int | None:
    """How many items a bulk run has, when known: not when some come from stdin."""
    return None if "-" in values else len(values)


def check_one_source(count: int | None, user: list[str] | None, custom_id: list[str] | None) -> None:
    """--count, --user and --custom-id each say which identities; only one may."""
    given = [name for name, value in (("--count", count), ("--user", user), ("--custom-id", custom_id)) if value]
    if len(given) > 1:
        raise UsageError(f"{given[0]} and {given[1]} do not go together: each says which identities to use")


@dataclass(frozen=True)
class Change:
    """A destructive verb on identities: what it asks, does and says."""

    question: str  # for one identity, e.g. "Delete identity {} and revoke all its tokens?"
    question_many: str  # for a bulk run, e.g. "Delete {} identities and revoke all their tokens?"
    act: Callable[[IdentityClient, str], None]
    done: str  # a note for people, e.g. "Deleted {}"
    verb: str  # "deleted": the summary's word, and the key of each item in a bulk run's output


def change_identities(run: Invocation, users: list[str], yes: bool, change: Change) -> None:
    """One identity: check, ask (or require --yes), act, and tell a person; print nothing for scripts.
    Many: ask once, then a bulk run that writes {"user_id", <verb>: true} per identity."""
    if not is_bulk(users):
        user = one_user(users)
        client = run.client()
        confirm(run.out, change.question.format(user), yes)
        change.act(client, user)
        run.out.done(change.done.format(user))
        return
    from acsid_cli.cli import bulk

    count = count_of(users)
    confirm(run.out, change.question_many.format(f"{count:,}" if count else "the"), yes)

    def work(client: IdentityClient, value: str) -> dict[str, object]:
        user = check_user_id(value)
        change.act(client, user)
        return {change.verb: True, "user_id": user}

    bulk.run(run, user_ids(users), work, verb=change.verb, total=count)
