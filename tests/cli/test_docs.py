"""Generated files must match the app: the README's command reference and the shell completions."""

import importlib.util
from pathlib import Path

import pytest
from helpers import commands
from parsed import package_modules
from typer.testing import CliRunner

from acsid_cli.cli.app import app

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("gen_reference", ROOT / "scripts/gen_reference.py")
assert spec is not None
assert spec.loader is not None
gen_reference = importlib.util.module_from_spec(spec)
spec.loader.exec_module(gen_reference)


def test_readme_reference_is_current():
    readme = (ROOT / "README.md").read_text()
    assert gen_reference.updated(readme) == readme, "README reference is stale: run `make docs`"


@pytest.mark.parametrize("command", [c for c in gen_reference.COMMANDS if len(c) == 2], ids=" ".join)
def test_every_command_has_an_example(command):
    assert "Example" in gen_reference.help_text(command)


@pytest.mark.parametrize(("shell", "path"), [("bash", "acsid.bash"), ("zsh", "_acsid"), ("fish", "acsid.fish")])
def test_completions_are_current(shell, path):
    done = CliRunner().invoke(app, [], env={"_ACSID_COMPLETE": f"source_{shell}"})  # as `make completions` asks
    assert done.exit_code == 0, done.output
    script = done.stdout
    assert script.strip(), f"no {shell} completion script"
    script = script.lstrip("\n")  # zsh reads #compdef only on the first line
    assert (ROOT / "completions" / path).read_text() == script, "stale completions: run `make completions`"


def test_readme_shows_the_two_commands():
    readme = (ROOT / "README.md").read_text()
    assert "make demo" in readme
    assert "make test" in readme
    assert "make test" in (ROOT / ".ci/run").read_text()


def test_every_command_a_message_names_exists():
    """Hints and errors quote commands ("issue its token with: acsid token issue ..."); each must be real."""
    import ast
    import re

    known = dict(commands())
    named = set()
    for tree in package_modules().values():
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef))
            and ast.get_docstring(node) is not None
            and isinstance(node.body[0], ast.Expr)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                named |= {tuple(m.split()) for m in re.findall(r"(?:^|'|: )acsid((?: [a-z][a-z-]+)+)", node.value)}
    assert ("token", "issue") in named
    assert ("config", "set-connection-string") in named
    for words in named:
        longest = next((words[:n] for n in range(len(words), 0, -1) if words[:n] in known), None)
        assert longest is not None, f"'acsid {' '.join(words)}' names no command"
        group = hasattr(known[longest], "list_commands")
        assert not group or longest == words, f"'acsid {' '.join(words)}' names no command"
