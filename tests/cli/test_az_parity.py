"""az one-liners from the az reference and the quickstart, with `acsid` in place of `az communication user-identity`
(or the older `az communication identity`): same exit code, same output, byte for byte but for ids and tokens."""

import re

import pytest
from helpers import acsid, commands
from wire import APP_ID, OID, entra_token

AZ = ("az communication user-identity ", "az communication identity ")
ID = r"8:acs:[0-9a-f-]{36}_[0-9a-f-]{36}"
JWT = r"eyJ[\w-]+\.[\w-]+\.[\w-]+"
DATE = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}\+00:00"
JSON_USER = rf'\{{\n  "properties": \{{\n    "id": "({ID})"\n  \}},\n  "rawId": "\1"\n\}}\n'
JSON_TOKEN = rf'\{{\n  "expires_on": "{DATE}",\n  "token": "{JWT}",\n  "user_id": "{{user}}"\n\}}\n'
DEPRECATED = (
    "warning: This command has been deprecated and will be removed in a future release. "
    "Use 'acsid token issue' instead.\n"
)

ONE_LINERS = [
    # (az one-liner, exit code, stdout as a pattern, stderr exactly); {user} is an identity made for the row
    ("az communication user-identity user create", 0, JSON_USER, ""),
    ("az communication identity user create", 0, JSON_USER, ""),
    ("az communication user-identity user create -o tsv", 0, rf"\t{ID}\n", ""),
    ("az communication user-identity user create --query rawId -o tsv", 0, rf"{ID}\n", ""),
    ("az communication user-identity user create --query properties.id --output tsv", 0, rf"{ID}\n", ""),
    ("az communication user-identity user create -o table", 0, rf"RawId\n-+\n{ID}\n", ""),
    ("az communication user-identity user create -o yaml", 0, rf"properties:\n  id: ({ID})\nrawId: \1\n", ""),
    ("az communication user-identity user create -o yamlc", 0, rf"properties:\n  id: ({ID})\nrawId: \1\n", ""),
    ("az communication user-identity user create -o jsonc", 0, JSON_USER, ""),
    ("az communication user-identity user create -o none", 0, "", ""),
    ("az communication user-identity user create --only-show-errors", 0, JSON_USER, ""),
    ("az communication user-identity user delete --user {user} --yes", 0, "", ""),
    ("az communication identity user delete --user {user} -y -o none", 0, "", ""),
    ("az communication user-identity user delete --user {user} --yes --only-show-errors", 0, "", ""),
    ("az communication user-identity token issue --scope chat", 0, JSON_TOKEN.replace('"{user}"', f'"{ID}"'), ""),
    ("az communication user-identity token issue --scope chat voip --user {user}", 0, JSON_TOKEN, ""),
    ("az communication identity token issue --scope voip --user {user}", 0, JSON_TOKEN, ""),
    ("az communication user-identity token issue --scope chat -o tsv", 0, rf"{DATE}\t{JWT}\t{ID}\n", ""),
    ("az communication user-identity token issue --scope chat --query token -o tsv", 0, rf"{JWT}\n", ""),
    (
        "az communication user-identity token issue --scope chat --user {user} -o table",
        0,
        rf"Expires_on +Token +User_id\n-{{33}}  -+  -+\n{DATE}  {JWT}  {{user}}\n",
        "",
    ),
    (
        "az communication user-identity token issue --scope chat --user {user} -o yaml",
        0,
        rf"expires_on: '{DATE}'\ntoken: {JWT}\nuser_id: {{user}}\n",
        "",
    ),
    (
        "az communication user-identity token issue --scope chat --user {user} --query expires_on -o tsv",
        0,
        rf"{DATE}\n",
        "",
    ),
    (
        "az communication user-identity token issue --scope chat --subscription 00000000-0000-0000-0000-000000000000",
        0,
        JSON_TOKEN.replace('"{user}"', f'"{ID}"'),
        "",
    ),
    ("az communication user-identity token revoke --user {user} --yes", 0, "", ""),
    ("az communication identity token revoke --user {user} -y --only-show-errors", 0, "", ""),
    (
        "az communication user-identity token get-for-teams-user --aad-token {aad} --client {app} --aad-user {oid}",
        0,
        rf'\{{\n  "expires_on": "{DATE}",\n  "token": "{JWT}"\n\}}\n',
        "",
    ),
    (
        "az communication user-identity token get-for-teams-user --aad-token {aad} --client {app} --aad-user {oid} "
        "--query token -o tsv",
        0,
        rf"{JWT}\n",
        "",
    ),
    ("az communication user-identity issue-access-token --scope chat voip --userid {user}", 0, JSON_TOKEN, DEPRECATED),
    ("az communication user-identity issue-access-token -s chat -u {user} --only-show-errors", 0, JSON_TOKEN, ""),
    ("az communication user-identity issue-access-token -s voip -o tsv --query token", 0, rf"{JWT}\n", DEPRECATED),
    (
        "az communication user-identity token issue",
        2,
        "",
        "error: Missing option '--scope'.\nhint: see 'acsid token issue --help'\n",
    ),
    (
        "az communication user-identity user delete --user {user}",
        2,
        "",
        "error: --yes is required when not running interactively\nhint: add --yes (or -y)\n",
    ),
]


def as_acsid(one_liner: str) -> list[str]:
    prefix = next(p for p in AZ if one_liner.startswith(p))
    return ["acsid", *one_liner.removeprefix(prefix).split()]


@pytest.mark.parametrize(("one_liner", "code", "stdout", "stderr"), ONE_LINERS, ids=[row[0][15:] for row in ONE_LINERS])
def test_az_one_liner(conn_env, one_liner, code, stdout, stderr):
    user = acsid("user", "create", "-o", "tsv", "--query", "rawId").stdout.strip()
    values = {"user": user, "aad": entra_token(APP_ID, OID), "app": APP_ID, "oid": OID}
    argv = [word.format(**values) for word in as_acsid(one_liner)[1:]]
    result = acsid(*argv)
    assert (result.exit_code, result.stderr) == (code, stderr)
    assert re.fullmatch(stdout.replace("{user}", re.escape(user)), result.stdout), result.stdout


def test_verbose_adds_progress_lines_and_says_subscription_is_ignored(conn_env):
    argv = as_acsid("az communication user-identity user create --verbose --subscription x -o none")[1:]
    result = acsid(*argv)
    assert result.exit_code == 0
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0] == "info: --subscription is ignored: identities belong to the connection string's resource"
    assert lines[1].startswith("info: connection from AZURE_COMMUNICATION_CONNECTION_STRING: ")
    assert re.fullmatch(r"info: POST /identities → 201 Created in \d+ ms", lines[2])
    assert len(lines) == 3


def test_every_command_takes_azs_global_flags():
    leaves = [(path, command) for path, command in commands() if not hasattr(command, "list_commands")]
    assert len(leaves) >= 12  # the tree was walked, lazily built as runs build it
    for path, command in leaves:
        flags = {flag for param in command.params for flag in param.opts}
        assert {"--only-show-errors", "--verbose", "--debug", "--subscription"} <= flags, path
