"""The output sink's formats, exactly."""

import pytest

from acsid_cli.errors import UsageError
from acsid_cli.output import Output, _label, to_tsv

TOKEN = {"user_id": "8:acs:r_1", "token": "a.b.c", "expires_on": "2026-01-01T00:00:00.0000000+00:00"}
USER = {"properties": {"id": "8:acs:r_1"}, "rawId": "8:acs:r_1"}


def test_tsv_is_values_in_key_order():
    assert to_tsv(TOKEN) == "2026-01-01T00:00:00.0000000+00:00\ta.b.c\t8:acs:r_1\n"


def test_tsv_leaves_nested_objects_empty_like_az():
    assert to_tsv(USER) == "\t8:acs:r_1\n"


def test_tsv_of_lists_and_scalars():
    assert to_tsv([{"a": 1, "b": None}, {"a": True, "b": [1, 2]}]) == "1\t\ntrue\t2\n"
    assert to_tsv("x") == "x\n"


@pytest.mark.parametrize(("key", "label"), [("expires_on", "Expires On"), ("rawId", "Raw Id"), ("token", "Token")])
def test_labels(key, label):
    assert _label(key) == label


def test_json_is_sorted_and_indented(capsys):
    Output("json").result(TOKEN)
    assert capsys.readouterr().out == (
        '{\n  "expires_on": "2026-01-01T00:00:00.0000000+00:00",\n  "token": "a.b.c",\n  "user_id": "8:acs:r_1"\n}\n'
    )


def test_query_then_format(capsys):
    Output("tsv", "token").result(TOKEN)
    assert capsys.readouterr().out == "a.b.c\n"


def test_none_prints_nothing(capsys):
    Output("none").result(TOKEN)
    assert capsys.readouterr().out == ""


def test_table_for_people(capsys):
    Output("table").result(TOKEN)
    assert capsys.readouterr().out == (
        "Expires On  2026-01-01T00:00:00.0000000+00:00\n"
        "Token       a.b.c                            \n"
        "User Id     8:acs:r_1                        \n"
    )


def test_table_of_a_list_has_a_header_row(capsys):
    Output("table").result([{"id": "a", "n": 1}, {"id": "b", "n": 22}])
    assert [line.rstrip() for line in capsys.readouterr().out.splitlines()] == [
        "", "  Id   N", " ─────────", "  a    1", "  b    22", ""]


def test_default_is_json_when_piped_and_table_on_a_terminal(monkeypatch):
    assert Output().format == "json"
    monkeypatch.setenv("ACSID_FORCE_TTY", "1")
    assert Output().format == "table"
    monkeypatch.setenv("ACSID_OUTPUT", "tsv")
    assert Output().format == "tsv"


def test_bad_query_is_a_usage_error():
    with pytest.raises(UsageError, match="invalid --query"):
        Output("json", "[")


def test_jsonc_without_colour_is_the_same_json(capsys, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    Output("jsonc").result(TOKEN)
    jsonc = capsys.readouterr().out
    Output("json").result(TOKEN)
    assert jsonc == capsys.readouterr().out
