"""The layout is the architecture: imports run one way only.

cli → client → protocol, signing, jwt;  emulator → protocol, signing, jwt;  nothing imports the cli but the entry point.
"""

import ast
from pathlib import Path

import pytest
from parsed import package_modules

PACKAGE = Path(__file__).resolve().parents[1] / "acsid_cli"
# What each part may import from acsid_cli, besides itself and the package root (its version).
ALLOWED = {
    "protocol": set(),
    "signing": set(),
    "jwt": set(),
    "client": {"protocol", "signing", "jwt"},
    "emulator": {"protocol", "signing", "jwt"},
    "cli": {"protocol", "signing", "jwt", "client", "emulator"},
    "testing": {"protocol", "emulator"},
    "__main__": {"cli"},
}
NEVER_OUTSIDE_THE_CLI = {"typer", "rich", "keyring", "jmespath", "yaml", "pygments"}


def part_of(module: str) -> str:
    return module.split(".")[1] if module.count(".") else ""


def imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(package_modules()[path]):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


MODULES = sorted(
    ".".join(("acsid_cli", *path.relative_to(PACKAGE).with_suffix("").parts)).removesuffix(".__init__")
    for path in PACKAGE.rglob("*.py")
)


@pytest.mark.parametrize("module", [m for m in MODULES if m != "acsid_cli"])
def test_imports_point_down(module):
    path = PACKAGE.joinpath(*module.split(".")[1:])
    path = path / "__init__.py" if path.is_dir() else path.with_suffix(".py")
    part = part_of(module) or module
    ours = {part_of(name) for name in imports(path) if name.startswith("acsid_cli.")}
    assert ours - {part, ""} <= ALLOWED[part], f"{module} imports {sorted(ours - {part, ''})}"
    if part not in ("cli", "testing"):
        outside = {name.split(".")[0] for name in imports(path)} & NEVER_OUTSIDE_THE_CLI
        assert not outside, f"{module} imports {sorted(outside)}, which belong to the command line"


def test_the_run_time_install_has_no_test_tools_and_no_plain_text_keyring():
    from importlib.metadata import requires

    run_time = {
        req.split(";")[0].split("[")[0].split(">")[0].split("=")[0].split("<")[0].strip().lower()
        for req in requires("acsid") or []
        if "extra ==" not in req
    }
    assert run_time == {"typer", "rich", "requests", "keyring", "jmespath", "pyyaml", "cryptography"}
