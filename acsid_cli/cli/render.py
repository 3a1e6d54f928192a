"""Data to text in each of az's output formats, exactly as az (knack) writes them. Pure functions."""

from __future__ import annotations

import json
from typing import Any

FORMATS = ("json", "jsonc", "yaml", "yamlc", "table", "tsv", "jsonl", "none")
_TABLE_SKIP_KEYS = ("id", "type", "etag")  # knack leaves these out of tables


def render(fmt: str, data: Any, *, color: bool = False, sort_keys: bool = True) -> str:
    """The text of data in fmt; `sort_keys` is False when --query chose the order (as in az)."""
    if fmt == "none":
        return ""
    if fmt in ("json", "jsonc"):
        text = json_text(data)
        return _highlight(text, "json") if fmt == "jsonc" and color else text
    if fmt in ("yaml", "yamlc"):
        text = yaml_text(data)
        return _highlight(text, "yaml") if fmt == "yamlc" and color else text
    if fmt == "jsonl":
        return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"
    if fmt == "tsv":
        return tsv_text(data)
    return table_text(data, sort_keys=sort_keys)


def json_text(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True, separators=(",", ": ")) + "\n"


def yaml_text(data: Any) -> str:
    import yaml  # only when asked for: PyYAML costs start-up time

    return str(yaml.safe_dump(data, default_flow_style=False, allow_unicode=True))


def tsv_text(data: Any) -> str:
    """One line per item; an object's values in key order, a nested list as its length, a nested object empty."""
    return "".join(_tsv_row(item) + "\n" for item in (data if isinstance(data, list) else [data]))


def _tsv_row(item: Any) -> str:
    if isinstance(item, dict):
        return "\t".join(_tsv_cell(value) for _, value in sorted(item.items()))
    if isinstance(item, list):
        return "\t".join(_tsv_cell(value) for value in item)
    if isinstance(item, bool):
        return str(item).lower()
    return _tsv_cell(item)


def _tsv_cell(value: Any) -> str:
    if isinstance(value, list):
        return str(len(value))
    return "" if isinstance(value, dict) else str(value)


def table_text(data: Any, *, sort_keys: bool = True) -> str:
    """One row per object, a column per scalar key (first letter capitalised); values never wrapped or cut."""
    rows = [_table_row(item, sort_keys) for item in (data if isinstance(data, list) else [data])]
    headers: list[str] = []
    for row in rows:
        headers += [key for key in row if key not in headers]
    if not headers:
        return "\n"
    cells = [[row.get(header, "") for header in headers] for row in rows]
    # tabulate's "simple" format, as az uses it: headers get 2 characters of room, columns 2 spaces apart.
    widths = [max(len(header) + 2, *(len(line[i]) for line in cells)) for i, header in enumerate(headers)]
    lines = [headers, ["-" * width for width in widths], *cells]
    return "".join("  ".join(map(str.ljust, line, widths)).rstrip() + "\n" for line in lines)


def _table_row(item: Any, sort_keys: bool) -> dict[str, str]:
    if isinstance(item, dict):
        keys = sorted(item) if sort_keys else list(item)
        return {
            key[:1].upper() + key[1:]: str(item[key])
            for key in keys
            if key not in _TABLE_SKIP_KEYS and item[key] is not None and not isinstance(item[key], (list, dict))
        }
    if isinstance(item, list):
        return {f"Column{n}": str(value) for n, value in enumerate(item, 1)}
    return {"Result": str(item)}


def _highlight(text: str, language: str) -> str:
    """az's colours: pygments' terminal formatter (pygments comes with Rich)."""
    from pygments import highlight
    from pygments.formatters import TerminalFormatter
    from pygments.lexers import JsonLexer, YamlLexer

    lexer = JsonLexer() if language == "json" else YamlLexer()
    return str(highlight(text, lexer, TerminalFormatter()))
