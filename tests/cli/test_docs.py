"""Generated files must match the app: the README's command reference and the shell completions."""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("gen_reference", ROOT / "scripts/gen_reference.py")
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
    env = {**os.environ, "_ACSID_COMPLETE": f"source_{shell}"}
    script = subprocess.run([sys.executable, "-c", "from acsid_cli.cli import main; main()"], env=env,
                            capture_output=True, text=True, check=True).stdout
    assert script.strip(), f"no {shell} completion script"
    script = script.lstrip("\n")  # zsh reads #compdef only on the first line
    assert (ROOT / "completions" / path).read_text() == script, "stale completions: run `make completions`"


def test_readme_shows_the_two_commands():
    readme = (ROOT / "README.md").read_text()
    assert "make demo" in readme and "make test" in readme
    assert "make test" in (ROOT / ".ci/run").read_text()
