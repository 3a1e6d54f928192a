"""The one output sink: data to stdout in the chosen format, everything else to stderr.

Formats follow az: json (keys sorted), jsonc (coloured), tsv, table, none. The default is a table
when stdout is a terminal and JSON when it is not; ACSID_OUTPUT changes it.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any

from acsid_cli.errors import UsageError

FORMATS = ("json", "jsonc", "table", "tsv", "none")


def is_tty(stream: Any) -> bool:
    """ACSID_FORCE_TTY=1 lets tests and screen recorders see what a person sees."""
    if os.environ.get("ACSID_FORCE_TTY") == "1":
        return True
    return bool(stream is not None and hasattr(stream, "isatty") and stream.isatty())


def error(message: str, hint: str | None = None) -> None:
    sys.stderr.write(f"error: {message}\n")
    if hint:
        sys.stderr.write(f"hint: {hint}\n")
    sys.stderr.flush()


class Output:
    def __init__(self, output: str | None = None, query: str | None = None, debug: bool = False) -> None:
        self.format = self._pick_format(output)
        self.query = _compile_query(query) if query else None
        self.debug_enabled = debug

    @staticmethod
    def _pick_format(output: str | None) -> str:
        chosen = output or os.environ.get("ACSID_OUTPUT") or ("table" if is_tty(sys.stdout) else "json")
        if chosen not in FORMATS:
            raise UsageError(f"unknown output format {chosen!r}", hint=f"choose one of {', '.join(FORMATS)}")
        return chosen

    def result(self, data: Any) -> None:
        if self.query is not None:
            data = self.query.search(data)
        if data is None or self.format == "none":
            return
        if self.format == "json":
            text = json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
        elif self.format == "tsv":
            text = to_tsv(data)
        else:
            return self._rich(data)
        sys.stdout.write(text)
        sys.stdout.flush()

    def success(self, message: str) -> None:
        """A note for people only: scripts read the exit code."""
        if is_tty(sys.stderr):
            sys.stderr.write(f"✓ {message}\n")

    def debug(self, line: str) -> None:
        if self.debug_enabled:
            sys.stderr.write(f"debug: {line}\n")
            sys.stderr.flush()

    def _rich(self, data: Any) -> None:
        from rich.console import Console

        console = Console(
            file=sys.stdout,
            force_terminal=is_tty(sys.stdout) or None,
            color_system=None if os.environ.get("NO_COLOR") else "auto",  # no ANSI at all, not just no colour
            soft_wrap=self.format == "jsonc",
        )
        if self.format == "jsonc":
            from rich.json import JSON

            console.print(JSON.from_data(data, indent=2, sort_keys=True, ensure_ascii=False))
        else:
            console.print(to_table(data))


def to_tsv(data: Any) -> str:
    """az's tsv: one row per item, values in sorted key order, nested objects left empty."""
    rows = data if isinstance(data, list) else [data]
    return "".join(_tsv_row(row) + "\n" for row in rows)


def _tsv_row(row: Any) -> str:
    if isinstance(row, dict):
        values = [value for _, value in sorted(row.items())]
    elif isinstance(row, list):
        values = row
    else:
        values = [row]
    return "\t".join(_tsv_cell(value) for value in values)


def _tsv_cell(value: Any) -> str:
    if isinstance(value, dict) or value is None:
        return ""
    if isinstance(value, list):
        return str(len(value))
    return value if isinstance(value, str) else json.dumps(value)


def to_table(data: Any) -> Any:
    """A Rich table: a list becomes rows, an object becomes field/value pairs; nested objects are left out."""
    from rich import box
    from rich.table import Table

    if isinstance(data, list) and all(isinstance(item, dict) for item in data):
        keys = sorted({key for item in data for key, value in item.items() if _is_scalar(value)})
        table = Table(box=box.SIMPLE_HEAD)
        for key in keys:
            table.add_column(_label(key), overflow="fold")
        for item in data:
            table.add_row(*(_cell(item.get(key)) for key in keys))
        return table
    if isinstance(data, dict):
        table = Table(box=None, show_header=False, padding=(0, 1), pad_edge=False)
        table.add_column(style="bold")
        table.add_column(overflow="fold")
        for key, value in sorted(data.items()):
            if _is_scalar(value):
                table.add_row(_label(key), _cell(value))
        return table
    table = Table(box=None, show_header=False, padding=0)
    table.add_column(overflow="fold")
    for item in data if isinstance(data, list) else [data]:
        table.add_row(_cell(item))
    return table


def _is_scalar(value: Any) -> bool:
    return not isinstance(value, (dict, list))


def _cell(value: Any) -> str:
    return "" if value is None else value if isinstance(value, str) else json.dumps(value)


def _label(key: str) -> str:
    """expires_on / rawId → Expires On / Raw Id."""
    words, current = [], ""
    for char in key.replace("_", " "):
        if char == " " or (char.isupper() and current):
            words.append(current)
            current = "" if char == " " else char
        else:
            current += char
    words.append(current)
    return " ".join(word[:1].upper() + word[1:] for word in words if word)


def _compile_query(query: str) -> Any:
    import jmespath
    from jmespath.exceptions import JMESPathError

    try:
        return jmespath.compile(query)
    except JMESPathError as exc:
        reason = str(exc).splitlines()[0]
        raise UsageError(f"invalid --query {query!r}: {reason}", hint="see https://jmespath.org") from None
