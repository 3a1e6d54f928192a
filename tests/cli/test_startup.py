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
