"""The package's source, each module parsed once per test session for the tests that read code (layout, public
API, facts, docs). The trees are shared: read them, never change them."""

from __future__ import annotations

import ast
import functools
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "acsid_cli"


@functools.cache
def package_modules() -> dict[Path, ast.Module]:
    """Every module of acsid_cli by its path, in path order."""
    return {path: ast.parse(path.read_text()) for path in sorted(PACKAGE.rglob("*.py"))}
