"""`make imports`: which of acsid's modules a run of each command imports, against an emulator on loopback.

Each command runs in a fresh process, as a user runs it, and reports the `acsid_cli` modules it loaded.
The count is of the CLI's own modules: those outside the client library (acsid_cli.client, and the
protocol and signing modules it stands on), without the package markers every run starts from.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from acsid_cli.emulator.process import run_emulator

# The client library, which any program using acsid's Python API loads too.
CLIENT = ("acsid_cli.client", "acsid_cli.protocol", "acsid_cli.signing")
REPORT = """
import atexit, sys
ours = lambda: sorted(m for m in sys.modules if m.startswith("acsid_cli"))
atexit.register(lambda: open({path!r}, "w").write("\\n".join(ours())))
sys.argv = ["acsid", *sys.argv[1:]]
from acsid_cli.cli import main
main()
"""


def loaded(argv: list[str], env: dict[str, str], stdin: str = "") -> list[str]:
    """The acsid_cli modules a run of `acsid argv` imported."""
    with tempfile.NamedTemporaryFile("r") as report:
        code = REPORT.format(path=report.name)
        subprocess.run([sys.executable, "-c", code, *argv], env=env, input=stdin, text=True, capture_output=True)
        return report.read().split()


def is_marker(module: str) -> bool:
    """A package that only names itself: an __init__.py with nothing but a docstring, or the entry point."""
    if module in ("acsid_cli", "acsid_cli.cli"):  # the version and main(): where every run starts
        return True
    path = Path(__file__).resolve().parents[1].joinpath(*module.split("."), "__init__.py")
    if not path.exists():
        return False
    import ast

    body = ast.parse(path.read_text()).body
    return all(isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) for node in body)


def cli_modules(modules: list[str]) -> list[str]:
    """The modules of a run beyond the client and the package markers."""
    return [m for m in modules if not m.startswith(CLIENT) and not is_marker(m)]


def runs(connection_string: str) -> dict[str, list[str]]:
    """command → its acsid_cli modules, each command run once the way a user would."""
    env = {**os.environ, "AZURE_COMMUNICATION_CONNECTION_STRING": connection_string}
    acsid = [sys.executable, "-m", "acsid_cli"]

    def made(*argv: str) -> str:
        done = subprocess.run([*acsid, *argv], env=env, capture_output=True, text=True, check=True)
        return done.stdout.strip()

    user = made("user", "create", "-o", "tsv", "--query", "rawId")
    token = made("token", "issue", "--scope", "chat", "-o", "tsv", "--query", "token")
    commands = {
        "--version": ["--version"],
        "--help": ["--help"],
        "token issue --help": ["token", "issue", "--help"],
        "user create": ["user", "create"],
        "user show": ["user", "show", "--user", user],
        "token issue": ["token", "issue", "--scope", "chat"],
        "token issue --user": ["token", "issue", "--scope", "chat", "--user", user],
        "token revoke": ["token", "revoke", "--user", user, "--yes"],
        "token inspect": ["token", "inspect", token],
        "config show": ["config", "show"],
        "user delete": ["user", "delete", "--user", user, "--yes"],
    }
    return {label: loaded(argv, env) for label, argv in commands.items()}


def main() -> int:
    with run_emulator() as emulator:
        results = runs(emulator.connection_string)
    print("acsid's modules a run imports, beyond the client library (acsid_cli.client, protocol, signing):")
    for label, modules in results.items():
        ours = cli_modules(modules)
        names = ", ".join(m.removeprefix("acsid_cli.") for m in ours) or "none"
        print(f"  {label:<20} {len(ours):2}  {names}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
