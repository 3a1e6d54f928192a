"""--help: only the options a command takes, az's global ones in one short group, examples at the bottom."""

import re

import pytest
from helpers import acsid, commands

from acsid_cli.cli.app import HIDDEN, spread

EVERY = [(), *(path for path, _ in commands())]
LEAVES = [path for path, command in commands() if not hasattr(command, "list_commands")]


def help_of(path: tuple[str, ...]) -> str:
    result = acsid(*path, "--help")
    assert (result.exit_code, result.stderr) == (0, ""), path
    return result.stdout


@pytest.mark.parametrize("path", EVERY, ids=lambda path: " ".join(path) or "acsid")
def test_help_has_no_click_markup_and_ends_with_examples(path):
    text = help_of(path)
    assert "\\b" not in text  # Click's no-rewrap mark, written wrongly, shows as is
    assert "\b" not in text
    last = text.rstrip("\n").split("\n\n")[-1]
    assert re.match(r"  Examples?:\n(    .*\S.*\n?)+$", last), last


@pytest.mark.parametrize("path", [path for path in LEAVES if path[0] not in HIDDEN], ids=" ".join)
def test_global_options_are_one_group_after_the_commands_own(path):
    text = help_of(path)
    assert text.count("Global options:\n") == 1
    own, rest = text.split("Global options:\n")
    assert "--verbose" in rest
    assert "--verbose" not in own
    assert ("--subscription" in rest) == (path[0] not in ("emulator", "config") and path != ("token", "inspect"))


@pytest.mark.parametrize("path", [("emulator",), ("token", "inspect"), ("config", "show")], ids=" ".join)
def test_subscription_is_accepted_where_it_means_nothing(path):
    """az takes --subscription on every command, so scripts may pass it; it is only not advertised there."""
    assert "--subscription" not in help_of(path)
    result = acsid(*path, "--subscription", "x", "--help")
    assert result.exit_code == 0


@pytest.mark.parametrize(
    ("group", "verbs"),
    [
        ("user", ["create", "show", "delete"]),
        ("token", ["issue", "revoke", "exchange", "inspect"]),
        ("config", ["store", "delete", "show"]),
        ("assignment", ["teams extension", "entra"]),
    ],
)
def test_a_groups_help_names_each_of_its_commands(group, verbs):
    summary = help_of((group,)).split("\n\n")[1].lower()
    assert all(verb in summary for verb in verbs), summary


@pytest.mark.parametrize(
    ("argv", "spread_out"),
    [
        (["token", "issue", "--scope", "chat", "voip"], ["token", "issue", "--scope", "chat", "--scope", "voip"]),
        (
            ["token", "issue", "--scope=chat", "voip", "--user", "u"],
            ["token", "issue", "--scope=chat", "--scope", "voip", "--user", "u"],
        ),
        (["token", "issue", "voip", "--scope", "chat"], ["token", "issue", "voip", "--scope", "chat"]),
        (
            ["token", "issue", "--user", "a", "b", "--scope", "chat"],
            ["token", "issue", "--user", "a", "b", "--scope", "chat"],
        ),
        (["token", "issue", "--scope", "chat", "--", "voip"], ["token", "issue", "--scope", "chat", "--", "voip"]),
        (["issue-access-token", "-s", "chat", "voip"], ["issue-access-token", "-s", "chat", "-s", "voip"]),
        (["token", "issue", "--scope"], ["token", "issue", "--scope"]),
        (["user", "create", "--scope", "chat", "voip"], ["user", "create", "--scope", "chat", "voip"]),
    ],
)
def test_azs_words_after_scope_each_get_the_option(argv, spread_out):
    assert spread(argv) == spread_out
