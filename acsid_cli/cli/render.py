"""Data to text in each of az's output formats, exactly as az (knack) writes them. Pure functions.

Values come from the service, from tokens and from stdin: whatever they hold, no control character
reaches a terminal raw. Table and TSV cells show them escaped (`visible`), so a value can neither
forge a line nor split a record; JSON and YAML stay exact encodings, with C1 characters escaped too.
"""

from __future__ import annotations

import json
import re
from typing import Any

FORMATS = ("json", "jsonc", "yaml", "yamlc", "table", "tsv", "jsonl", "none")
_TABLE_SKIP_KEYS = ("id", "type", "etag")  # knack leaves these out of tables
# C0, DEL and C1, which a terminal may act on; and what reorders or breaks a line where it is shown:
# line and paragraph separators, bidirectional controls ("Trojan Source").
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}
_UNESCAPED_IN_JSON = re.compile("[\x7f-\x9f]")  # json.dumps escapes C0 itself


def visible(text: str) -> str:
    """text with every control character shown as an escape (\\n, \\t, \\x1b): safe on a terminal, one line."""
    return _CONTROL.sub(lambda match: _NAMED.get(match[0]) or _escape(ord(match[0])), text)


def _escape(code: int) -> str:
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


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
        return _json_safe(json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))) + "\n"
    if fmt == "tsv":
        return tsv_text(data)
    return table_text(data, sort_keys=sort_keys)


def json_text(data: Any) -> str:
    return _json_safe(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True, separators=(",", ": "))) + "\n"


def _json_safe(text: str) -> str:
    """The same JSON value, with DEL and C1 characters written as \\u escapes (they occur only inside strings)."""
    return _UNESCAPED_IN_JSON.sub(lambda match: f"\\u{ord(match[0]):04x}", text)


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
    return "" if isinstance(value, dict) else visible(str(value))


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
            visible(key[:1].upper() + key[1:]): visible(str(item[key]))
            for key in keys
            if key not in _TABLE_SKIP_KEYS and item[key] is not None and not isinstance(item[key], (list, dict))
        }
    if isinstance(item, list):
        return {f"Column{n}": visible(str(value)) for n, value in enumerate(item, 1)}
    return {"Result": visible(str(item))}


def _highlight(text: str, language: str) -> str:
    """az's colours: pygments' terminal formatter (pygments comes with Rich)."""
    from pygments import highlight
    from pygments.formatters import TerminalFormatter
    from pygments.lexers import JsonLexer, YamlLexer

    lexer = JsonLexer() if language == "json" else YamlLexer()
    return str(highlight(text, lexer, TerminalFormatter()))
