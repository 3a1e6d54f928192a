"""The flow the destructive verbs share (user delete, token revoke): ask once, then act on each identity."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from acsid_cli.cli.inputs import confirm, targets
from acsid_cli.cli.invocation import Invocation

if TYPE_CHECKING:  # the client's modules import requests, which --help and --version never need
    from acsid_cli.client.rest import IdentityClient


@dataclass(frozen=True)
class Change:
    """A destructive verb on identities: what it asks, does and says."""

    question: str  # for one identity, e.g. "Delete identity {} and revoke all its tokens?"
    question_many: str  # for a bulk run, e.g. "Delete {} identities and revoke all their tokens?"
    act: Callable[[IdentityClient, str], None]
    done: str  # a note for people, e.g. "Deleted {}"
    verb: str  # "deleted": the summary's word, and the key of each item in a bulk run's output


def change_identities(run: Invocation, users: list[str], yes: bool, change: Change) -> None:
    """Ask once (or require --yes), then act on each identity. One: a note for people, nothing for scripts;
    many: a bulk run that writes {"user_id", <verb>: true} per identity."""
    chosen = targets(users=users)
    count = chosen.total
    many = change.question_many.format(f"{count:,}" if count else "the")
    question = many if chosen.bulk else change.question.format(chosen.values[0])

    def work(client: IdentityClient, target: object) -> dict[str, object]:
        user = chosen.checked(target)
        assert user is not None, "an identity by its id"
        change.act(client, user)
        if not chosen.bulk:
            run.out.done(change.done.format(user))
        return {change.verb: True, "user_id": user}

    run.act(chosen, work, verb=change.verb, ask=lambda: confirm(run.out, question, yes), quiet=True)
