"""acsid is not on any package index: no doc or hint may send a user to an install that cannot work."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# `pip install acsid`, `pipx install 'acsid[entra]'`, `uv pip install acsid==0.1`: a name looked up on an index.
FROM_AN_INDEX = re.compile(r"\b(?:pip|pipx|uv pip|uv tool)\s+install\s+(?:-\S+\s+)*['\"]?acsid\b(?![-./\w])")


def _texts() -> list[Path]:
    docs = [ROOT / "README.md", ROOT / "CHANGELOG.md", *sorted((ROOT / "docs").glob("*.md"))]
    code = sorted((ROOT / "acsid_cli").rglob("*.py")) + sorted((ROOT / "scripts").glob("*"))
    return [path for path in docs + code if path.is_file()]


def test_no_install_from_a_package_index() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in _texts()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if FROM_AN_INDEX.search(line)
    ]
    assert found == []


def test_the_pattern_sees_what_it_must() -> None:
    assert FROM_AN_INDEX.search("pip install acsid")
    assert FROM_AN_INDEX.search("pip install 'acsid[entra]'")
    assert FROM_AN_INDEX.search("pipx install --force acsid")
    assert not FROM_AN_INDEX.search("pip install .")
    assert not FROM_AN_INDEX.search("pip install dist/acsid-0.1.0-py3-none-any.whl")
    assert not FROM_AN_INDEX.search("pip install ./acsid")
