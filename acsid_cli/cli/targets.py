"""The identities a command acts on, built in one place from --count, --user, --custom-id and standard input,
and the one way a command acts on them: one identity, or a bulk run of many.

One identity is checked as the targets are built, before any client exists. In a bulk run each item is
checked where it is worked on, so a bad one fails in its place and the others go on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from acsid_cli.cli.errors import UsageError
from acsid_cli.cli.inputs import check_custom_id, check_user_id

if TYPE_CHECKING:
    from acsid_cli.cli.invocation import Invocation
    from acsid_cli.client.rest import IdentityClient

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


def act(
    run: Invocation,
    chosen: Targets,
    work: Callable[[IdentityClient, Any], dict[str, object]],
    *,
    verb: str,
    api_version: str | None = None,
    ask: Callable[[], None] | None = None,
    quiet: bool = False,
) -> None:
    """work(client, target) for each target. One: its result printed (`quiet`: nothing, the exit code says it);
    many: a bulk run, an outcome per target in input order. `ask`, the confirmation of a destructive verb, comes
    once the connection is known to work out (one) or once before the run (many)."""
    if not chosen.bulk:
        client = run.client(api_version=api_version)
        if ask is not None:
            ask()
        result = work(client, next(iter(chosen)))
        if not quiet:
            run.out.result(result)
        return
    from acsid_cli.cli import bulk

    if ask is not None:
        ask()
    bulk.run(run, chosen, work, verb=verb, total=chosen.total, api_version=api_version, creates=chosen.creates)
