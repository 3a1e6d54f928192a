"""The shell and Node.js recipes of docs/emulator.md, run as they are written: a background emulator, its
environment from `acsid emulator env`, a Node app that signs its own request, and curl on the admin API."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[2] / "docs" / "emulator.md"


def recipe(name: str, language: str) -> str:
    return DOCS.read_text().split(f"<!-- recipe: {name} -->\n```{language}\n", 1)[1].split("\n```", 1)[0]


def test_the_shell_recipe_with_the_node_app(tmp_path):
    for tool in ("node", "curl"):
        if not shutil.which(tool):
            if os.environ.get("ACSID_REQUIRE_SHELLS"):
                pytest.fail(f"{tool} is needed, and CI installs it")
            pytest.skip(f"{tool} is not installed")
    (tmp_path / "create-user.mjs").write_text(recipe("node", "js"))
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"  # where `acsid` is
    done = subprocess.run(
        ["bash", "-eu", "-c", recipe("shell-env", "sh")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PATH": path},
    )
    assert done.returncode == 0, done.stderr
    created, listed = done.stdout.split("\n", 1)
    status, identity = created.split(" ")
    assert status == "201"
    assert identity.startswith("8:acs:")
    assert [entry["id"] for entry in json.loads(listed)["value"]] == [identity]
    assert done.stderr == ""
    assert list((Path(os.environ["XDG_DATA_HOME"]) / "acsid" / "emulators").iterdir()) == []  # it stopped
