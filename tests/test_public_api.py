"""acsid uses its dependencies' public API only: nothing private of Typer (its Click copy included) or azure-identity,
so it installs next to whatever else needs a newer version of them."""

import ast
from pathlib import Path

import pytest
from parsed import package_modules

PACKAGE = Path(__file__).resolve().parents[1] / "acsid_cli"
THIRD_PARTY = {"typer", "click", "azure", "requests", "rich", "keyring", "jmespath", "yaml", "cryptography", "urllib3"}


def _defined_privately(tree: ast.AST) -> set[str]:
    """The private names acsid itself defines: functions, classes, attributes it assigns."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
            names.add(node.attr)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
    return {name for name in names if name.startswith("_")}


OURS = set().union(*(_defined_privately(tree) for tree in package_modules().values()))


def _imported(node: ast.Import | ast.ImportFrom) -> list[str]:
    """What an import names: `from a.b import c` names a.b and a.b.c; `from . import c` only our own."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    return [node.module] + [f"{node.module}.{alias.name}" for alias in node.names] if node.module else []


def _private_import(name: str) -> bool:
    parts = name.split(".")
    return parts[0] == "click" or (parts[0] in THIRD_PARTY and any(p.startswith("_") for p in parts))


def private_uses(path: Path) -> list[str]:
    found = []
    for node in ast.walk(package_modules()[path]):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            found += [f"line {node.lineno}: import {name}" for name in _imported(node) if _private_import(name)]
        elif isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
            if node.attr not in OURS:  # someone else's private attribute
                found.append(f"line {node.lineno}: {ast.unparse(node)}")
        elif isinstance(node, ast.Constant) and node.value == "_successful_credential":  # getattr(..., "_...")
            found.append(f"line {node.lineno}: {node.value}")
    return found


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_private_api_of_a_dependency(path):
    assert private_uses(path) == []


def test_the_credential_is_named_from_azure_identitys_public_setting(monkeypatch):
    from acsid_cli.client.auth import BearerAuth

    chain = BearerAuth(type("DefaultAzureCredential", (), {})())
    for setting, named in (
        ("AzureCliCredential", "AzureCliCredential"),
        ("managedidentitycredential", "ManagedIdentityCredential"),
        ("dev", "DefaultAzureCredential"),
        ("", "DefaultAzureCredential"),
    ):
        monkeypatch.setenv("AZURE_TOKEN_CREDENTIALS", setting)
        assert chain.credential_name == named
    assert BearerAuth(type("AzureCliCredential", (), {})()).credential_name == "AzureCliCredential"
