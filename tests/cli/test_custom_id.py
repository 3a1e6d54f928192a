"""Identities by custom id (get-or-create in one idempotent call), and `user show`."""

import json
import re
import uuid
from typing import Any

from helpers import FakeClock, acsid

from acsid_cli import protocol

PREVIEW = protocol.PREVIEW_API_VERSION
RUN = uuid.uuid4().hex[:8]  # the session's emulator keeps its state: custom ids must be this run's own


def unique(name: str) -> str:
    return f"{name}-{RUN}"


def creates(emulator) -> list[dict[str, Any]]:
    return [entry for entry in emulator.requests() if entry["route"] == "create"]


def test_the_same_custom_id_gets_the_same_identity(conn_env):
    first = acsid("user", "create", "--custom-id", unique("alice@contoso.com"))
    again = acsid("user", "create", "--custom-id", unique("alice@contoso.com"))
    assert first.exit_code == again.exit_code == 0
    assert first.json == again.json
    assert first.json == {
        "customId": unique("alice@contoso.com"),
        "properties": {"id": first.json["rawId"]},
        "rawId": first.json["rawId"],
    }
    assert [entry["status"] for entry in creates(conn_env)] == [201, 201]  # the service's status either way
    assert all(entry["target"] == f"/identities?api-version={PREVIEW}" for entry in creates(conn_env))


def test_token_issue_by_custom_id(conn_env):
    user = acsid("user", "create", "--custom-id", unique("bob"), "-o", "tsv", "--query", "rawId").stdout.strip()
    token = acsid(
        "token", "issue", "--scope", "chat", "--custom-id", unique("bob"), "-o", "tsv", "--query", "[[user_id, token]]"
    )
    user_id, jwt = token.stdout.strip().split("\t")
    assert user_id == user
    assert (conn_env.validate(jwt)["status"], conn_env.validate(jwt)["identity"]) == ("valid", user)


def test_a_create_with_a_custom_id_is_retried_after_a_lost_answer_and_makes_one_identity(conn_env):
    conn_env.inject("create", drop="after")
    result = acsid("user", "create", "--custom-id", unique("carol"), clock=FakeClock())
    assert result.exit_code == 0, result.stderr
    assert [entry["status"] for entry in creates(conn_env)] == [None, 201]  # the first one did create it
    assert [i["id"] for i in conn_env.identities() if i["customId"] == unique("carol")] == [result.json["rawId"]]


def test_user_show(conn_env):
    user = acsid("user", "create", "--custom-id", unique("dave"), "-o", "tsv", "--query", "rawId").stdout.strip()
    before = acsid("user", "show", "--user", user)
    assert before.json == {"customId": unique("dave"), "id": user, "lastTokenIssuedAt": None}
    acsid("token", "issue", "--scope", "voip", "--user", user)
    after = acsid("user", "show", "--user", user).json
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}\+00:00", after["lastTokenIssuedAt"])
    plain = acsid("user", "show", "--user", acsid("user", "create", "-o", "tsv", "--query", "rawId").stdout.strip())
    assert plain.json["customId"] is None


def test_custom_ids_in_bulk_from_stdin(conn_env):
    stdin = f"erin-{RUN}\nfrank-{RUN}\n\nerin-{RUN}\n"
    result = acsid("user", "create", "--custom-id", "-", "--rate", "0", "-o", "jsonl", input=stdin, clock=FakeClock())
    assert result.exit_code == 0, result.stderr
    ids = [json.loads(line)["rawId"] for line in result.stdout.splitlines()]
    assert len(ids) == 3
    assert ids[0] == ids[2] != ids[1]  # erin twice: one identity
    assert result.stderr == "3 created, 0 failed in 0.0 s\n"


def test_an_older_api_version_is_refused_before_sending(conn_env):
    for argv, option in (
        (["user", "create", "--custom-id", "x"], "--custom-id"),
        (["token", "issue", "--scope", "chat", "--custom-id", "x"], "--custom-id"),
        (["user", "show", "--user", f"8:acs:{conn_env.resource_id}_1"], "user show"),
    ):
        result = acsid(*argv, "--api-version", "2023-10-01")
        assert (result.exit_code, result.stderr) == (
            2,
            f"error: {option} needs API version {PREVIEW}, not 2023-10-01\nhint: leave out --api-version and acsid "
            "picks it\n",
        )
    assert conn_env.requests() == []


def test_show_takes_one_identity(conn_env):
    result = acsid("user", "show", "--user", "8:acs:a_1", "--user", "8:acs:a_2")
    assert (result.exit_code, result.stderr) == (
        2,
        "error: --user was given 2 times; this command acts on one identity\n",
    )


def test_a_repeated_custom_id_answered_201_prints_the_same_identity(monkeypatch):
    # The service answers 201 for a known custom id as for a new one (older emulators said 200): the output
    # is the identity either way, and claims nothing about whether it is new.
    from recorder import recording

    answer = {"identity": {"id": "8:acs:x_1", "customId": "alice"}}
    with recording() as service:
        service.answer(201, answer).answer(201, answer).answer(200, answer)
        monkeypatch.setenv(protocol.CONNECTION_STRING_ENV, service.connection_string)
        runs = [acsid("user", "create", "--custom-id", "alice") for _ in range(3)]
    assert [(run.exit_code, run.json, run.stderr) for run in runs] == [
        (0, {"customId": "alice", "properties": {"id": "8:acs:x_1"}, "rawId": "8:acs:x_1"}, "")
    ] * 3
