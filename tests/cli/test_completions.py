"""The completion scripts in completions/, loaded by the real bash, zsh and fish, offer what acsid accepts."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from acsid_cli import protocol
from acsid_cli.cli.output import FORMATS

COMPLETIONS = Path(__file__).resolve().parents[2] / "completions"
SCOPES = list(protocol.SCOPES)


def shell(name: str, script: str) -> list[str]:
    if shutil.which(name) is None:
        if os.environ.get("ACSID_REQUIRE_SHELLS"):
            pytest.fail(f"{name} is not installed, and CI needs these tests to run")
        pytest.skip(f"{name} is not installed")
    # The scripts call `acsid` itself to compute the candidates, as they do for a user.
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}", "HOME": "/tmp"}
    done = subprocess.run([name, "-c", script], capture_output=True, text=True, env=env, cwd=COMPLETIONS, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


@pytest.mark.parametrize(("line", "expected"), [("token issue --scope ", SCOPES), ("user create -o ", FORMATS)])
def test_bash(line, expected):
    words = " ".join(f'"{word}"' for word in ["acsid", *line.split(), ""])
    offered = shell(
        "bash",
        f"source acsid.bash; COMP_WORDS=({words}); COMP_CWORD={len(line.split()) + 1}; "
        '_acsid_completion acsid; printf "%s\\n" "${COMPREPLY[@]}"',
    )
    assert offered == list(expected)


@pytest.mark.parametrize(("line", "expected"), [("token issue --scope ", SCOPES), ("user create -o ", FORMATS)])
def test_fish(line, expected):
    offered = shell("fish", f"source acsid.fish; complete -C 'acsid {line}'")
    assert [candidate.split("\t")[0] for candidate in offered] == sorted(expected)  # fish sorts them


def test_zsh_finds_the_script_by_its_compdef_line_and_completes():
    # compinit registers a file of $fpath only when its first line is `#compdef acsid`.
    script = (
        "fpath=($PWD $fpath); autoload -U compinit; compinit -u -D; "
        'print -r -- "registered: $_comps[acsid]"; '
        '_arguments() { print -r -- "$@" }; compdef() { }; '  # print what zsh would offer
        "source _acsid; words=(acsid token issue --scope ''); CURRENT=5; _acsid_completion"
    )
    registered, *offered = shell("zsh", script)
    assert registered == "registered: _acsid"
    assert offered == ["*: :((" + " ".join(f'"{scope}"' for scope in SCOPES) + "))"]


def test_the_zsh_script_starts_with_compdef():
    assert (COMPLETIONS / "_acsid").read_text().splitlines()[0] == "#compdef acsid"
