"""Start-up stays light: what --version and --help load is pinned here (the timings are in `make bench`)."""

import subprocess
import sys

import pytest
import typer

TYPER = tuple(int(part) for part in typer.__version__.split(".")[:2])
HEAVY = {"requests", "urllib3", "rich", "keyring", "jmespath", "yaml", "cryptography", "pydantic", "pygments"}


def loaded_by(*argv: str) -> set[str]:
    code = (
        "import sys\nfrom acsid_cli.cli.app import app\n"
        f"try:\n    app({list(argv)!r})\nexcept SystemExit:\n    pass\n"
        "print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(done.stdout.splitlines()[-1].split())


@pytest.mark.parametrize(
    ("argv", "allowed"),
    [
        (["--version"], set()),
        (["--help"], set()),
        # Typer 0.29 converts the values of every option but a given flag with pydantic; a command's --help too.
        (["token", "issue", "--help"], {"pydantic"} if TYPER >= (0, 29) else set()),
    ],
)
def test_heavy_modules_wait_until_needed(argv, allowed):
    assert loaded_by(*argv) & HEAVY == allowed


def test_a_run_imports_its_own_command_and_no_other(conn_env):
    """The app builds only the command that runs (`make imports` prints every command's modules)."""
    import importlib.util
    import os
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "scripts" / "imports.py"
    spec = importlib.util.spec_from_file_location("imports", path)
    assert spec is not None
    assert spec.loader is not None
    imports = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(imports)
    env = {**os.environ, "AZURE_COMMUNICATION_CONNECTION_STRING": conn_env.connection_string}
    modules = imports.loaded(["token", "issue", "--scope", "chat"], env)
    assert [m for m in modules if m.startswith("acsid_cli.cli.commands")] == [
        "acsid_cli.cli.commands",
        "acsid_cli.cli.commands.token",
        "acsid_cli.cli.commands.token.issue",
    ]
    assert not [m for m in modules if m.startswith("acsid_cli.emulator")]
    assert len(imports.cli_modules(modules)) <= 6  # acsid's own beyond the client; make imports lists them
