"""Each output format, exactly as az (knack) writes it."""

import pytest

from acsid_cli.cli.output import render, table_text, tsv_text

TOKEN = {"user_id": "8:acs:r_1", "token": "a.b.c", "expires_on": "2026-01-01T00:00:00.0000000+00:00"}
USER = {"properties": {"id": "8:acs:r_1"}, "rawId": "8:acs:r_1"}


def test_json_is_sorted_and_indented():
    assert render("json", TOKEN) == (
        '{\n  "expires_on": "2026-01-01T00:00:00.0000000+00:00",\n  "token": "a.b.c",\n  "user_id": "8:acs:r_1"\n}\n'
    )


def test_jsonc_without_colour_is_json():
    assert render("jsonc", TOKEN, color=False) == render("json", TOKEN)


def test_jsonc_with_colour_has_ansi_around_the_same_text():
    coloured = render("jsonc", TOKEN, color=True)
    assert "\x1b[" in coloured
    import re

    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == render("json", TOKEN)


def test_yaml_sorts_keys_like_az():
    assert render("yaml", TOKEN) == (
        "expires_on: '2026-01-01T00:00:00.0000000+00:00'\ntoken: a.b.c\nuser_id: 8:acs:r_1\n"
    )
    assert render("yaml", USER) == "properties:\n  id: 8:acs:r_1\nrawId: 8:acs:r_1\n"


def test_jsonl_is_one_compact_line():
    assert render("jsonl", TOKEN) == (
        '{"expires_on":"2026-01-01T00:00:00.0000000+00:00","token":"a.b.c","user_id":"8:acs:r_1"}\n'
    )


def test_tsv_is_values_in_key_order():
    assert tsv_text(TOKEN) == "2026-01-01T00:00:00.0000000+00:00\ta.b.c\t8:acs:r_1\n"


def test_tsv_leaves_nested_objects_empty_like_az():
    assert tsv_text(USER) == "\t8:acs:r_1\n"


def test_tsv_of_lists_and_scalars_like_knack():
    assert tsv_text([{"a": 1, "b": None}, {"a": True, "b": [1, 2]}]) == "1\tNone\nTrue\t2\n"
    assert tsv_text("x") == "x\n"
    assert tsv_text(True) == "true\n"


def test_none_prints_nothing():
    assert render("none", TOKEN) == ""


def test_table_is_a_row_per_object_with_a_column_per_key():
    assert table_text(TOKEN) == (
        "Expires_on                         Token    User_id\n"
        "---------------------------------  -------  ---------\n"
        "2026-01-01T00:00:00.0000000+00:00  a.b.c    8:acs:r_1\n"
    )


def test_table_leaves_out_nested_objects_and_azs_skipped_keys():
    assert table_text(USER) == "RawId\n---------\n8:acs:r_1\n"
    assert table_text({"id": "x", "type": "y", "etag": "z"}) == "\n"


def test_table_never_wraps_or_cuts_a_long_value():
    token = "e" * 900
    lines = table_text({"token": token, "user_id": "8:acs:r_1"}).splitlines()
    assert lines[2].split() == [token, "8:acs:r_1"]


def test_table_of_a_list_and_of_scalars():
    assert table_text([{"a": "1", "b": "22"}, {"a": "333"}]) == "A    B\n---  ---\n1    22\n333\n"
    assert table_text(["x", "y"]) == "Result\n--------\nx\ny\n"


@pytest.mark.parametrize("fmt", ["json", "yaml", "tsv", "table", "jsonl"])
def test_every_format_ends_with_a_newline(fmt):
    assert render(fmt, TOKEN).endswith("\n")
