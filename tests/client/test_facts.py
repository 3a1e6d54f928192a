"""Each fact in one place: the version, the token scp values, the connection-string variable, JWT decoding,
the list of commands. Each test fails when a second copy appears."""

from __future__ import annotations

import ast
import base64
import importlib.metadata
import importlib.util
from pathlib import Path

import pytest
import tomllib
import typer
from parsed import package_modules
from wire import APP_ID, OID, entra_token, jwt_claims

import acsid_cli
from acsid_cli import jwt, protocol
from acsid_cli.emulator.tokens import TokenMinter, new_private_key_pem

ROOT = Path(__file__).resolve().parents[2]


def modules() -> dict[str, ast.Module]:
    return {str(path.relative_to(ROOT)): tree for path, tree in package_modules().items()}


def docstrings(tree: ast.Module) -> set[int]:
    """ids of the docstring nodes: prose may name a fact, code must read it from its one place."""
    found = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            found.add(id(body[0].value))
    return found


def test_the_version_is_written_once():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "version" not in project["project"]
    assert "version" in project["project"]["dynamic"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "acsid_cli.__version__"}
    assert importlib.metadata.version("acsid") == acsid_cli.__version__


def test_the_connection_string_variable_is_named_once():
    where = [
        name
        for name, tree in modules().items()
        for prose in [docstrings(tree)]  # once per module, not once per node
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in prose
        and protocol.CONNECTION_STRING_ENV in node.value
    ]
    assert where == ["acsid_cli/protocol.py"]


def test_the_scp_values_are_the_protocols():
    assigned = [
        (name, target.id)
        for name, tree in modules().items()
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name) and target.id.endswith("_SCP")
    ]
    assert assigned == [("acsid_cli/protocol.py", "ACS_USER_SCP"), ("acsid_cli/protocol.py", "TEAMS_USER_SCP")]
    minter = TokenMinter(new_private_key_pem(), "ac51dac5-1d00-4e00-8000-00000000e0e0")
    acs = minter.acs_token("8:acs:x", ["chat"], 60, 1_700_000_000).token
    teams = minter.teams_token(jwt.decode_unverified(entra_token(APP_ID, OID)) or {}).token
    assert (jwt_claims(acs)["scp"], jwt_claims(teams)["scp"]) == (protocol.ACS_USER_SCP, protocol.TEAMS_USER_SCP)


def test_jwts_are_decoded_in_one_module():
    decoding = sorted(
        {
            name
            for name, tree in modules().items()
            for node in ast.walk(tree)
            if isinstance(node, ast.Attribute) and node.attr == "urlsafe_b64decode"
        }
    )
    assert decoding == ["acsid_cli/jwt.py"]


def test_jwt_reads_claims_and_says_why_it_cannot():
    token = entra_token(APP_ID, OID)
    assert jwt.payload(token) == jwt.decode_unverified(token) == jwt_claims(token)
    for bad, why in [
        ("a.b", "it is not a JWT"),
        (".e30.", "it is not a JWT"),
        ("e30.!!!!.x", "its claims are not"),
        ("e30." + "W" * 8 + ".x", "its claims are not"),
    ]:
        assert jwt.decode_unverified(bad) is None
        with pytest.raises(jwt.NotAJwt) as refused:
            jwt.payload(bad)
        assert str(refused.value).startswith(why)
    nested = base64.urlsafe_b64encode(b"[" * 5000 + b"]" * 5000).decode().rstrip("=")
    assert jwt.decode_unverified(f"e30.{nested}.x") is None  # 5,000 nested arrays: no RecursionError escapes


def load_gen_reference():
    spec = importlib.util.spec_from_file_location("gen_reference", ROOT / "scripts/gen_reference.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_reference_lists_the_commands_the_app_has():
    toy = typer.Typer()
    things = typer.Typer()
    things.command("make")(lambda: None)
    things.command("break", hidden=True)(lambda: None)
    things.command("mend")(lambda: None)
    toy.add_typer(things, name="things")
    toy.command("serve")(lambda: None)
    gen_reference = load_gen_reference()
    assert sorted(gen_reference.commands(typer.main.get_command(toy))) == [
        [],
        ["serve"],
        ["things", "make"],
        ["things", "mend"],
    ]
    assert ["user", "show"] in gen_reference.COMMANDS
    assert ["issue-access-token"] not in gen_reference.COMMANDS
