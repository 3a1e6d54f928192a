"""Which identities a command acts on: --count, --user, --custom-id and stdin, made one iterator in one place."""

import io

import pytest

from acsid_cli.cli.inputs import CUSTOM, NEW, USER, targets
from acsid_cli.cli.output import UsageError

ID = "8:acs:ac51dac5-1d00-4e00-8000-00000000e0e0_00000001-0000-0000-0000-3a0d00000001"


@pytest.mark.parametrize(
    ("given", "kind", "bulk", "total", "items"),
    [
        ({}, NEW, False, 1, [1]),
        ({"count": 3}, NEW, True, 3, [1, 2, 3]),
        ({"users": [f" {ID} "]}, USER, False, 1, [ID]),  # one identity: checked (and trimmed) when built
        ({"users": [ID, "bogus"]}, USER, True, 2, [ID, "bogus"]),  # many: each checked in its place
        ({"users": ["-"]}, USER, True, None, [ID, ID]),
        ({"custom_ids": ["alice"]}, CUSTOM, False, 1, ["alice"]),
        ({"custom_ids": ["alice", "-"]}, CUSTOM, True, None, ["alice", ID, "bob"]),
    ],
)
def test_the_sources_of_identities(monkeypatch, given, kind, bulk, total, items):
    second = "bob\n" if "custom_ids" in given else f'{{"rawId": "{ID}"}}\n'  # custom ids are lines; ids maybe JSON
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{ID}\n{second}"))
    chosen = targets(**given)
    assert (chosen.kind, chosen.bulk, chosen.total) == (kind, bulk, total)
    assert [str(item) if isinstance(item, str) else item for item in chosen] == items


def test_one_identity_is_refused_before_anything_else_and_many_in_their_place():
    with pytest.raises(UsageError, match="--user 'bogus' is not an ACS user id"):
        targets(users=["bogus"])
    many = targets(users=[ID, "bogus"])
    with pytest.raises(UsageError, match="--user 'bogus' is not an ACS user id"):
        [many.checked(item) for item in many]


def test_only_one_source_may_say_which_identities():
    with pytest.raises(UsageError, match="--count and --user do not go together"):
        targets(count=2, users=[ID])
    with pytest.raises(UsageError, match="--userid and --custom-id do not go together"):
        targets(users=[ID], custom_ids=["a"], user_option="--userid")
