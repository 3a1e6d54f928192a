"""The output of a bulk run: each item written as soon as it is due, and a progress bar for people.

-o jsonl writes a line per item; -o json one array that stays valid JSON if the run is cut short
(close() ends it); -o yaml a YAML list, an entry per item; -o tsv a line per item; -o table the table
at the end. A failed item is written in its place ({"input", "error"}) in jsonl, json and yaml, and
as an `error:` line on stderr in tsv, table and none, whose rows have no room for it.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from acsid_cli.cli.output import Level, Output, is_tty, json_text, render, table_text


class Stream:
    def __init__(self, out: Output) -> None:
        self._out = out
        self._format = out.chosen_format()
        self._count = 0
        self._rows: list[Any] = []

    def item(self, data: Any) -> None:
        if self._out.query is not None:
            data = self._out.query.search(data)  # per item: `--query user_id -o tsv` gives a line per id
        if data is not None:
            self._write(data)

    def failure(self, data: dict[str, Any]) -> None:
        if self._format in ("tsv", "table", "none"):
            self._out.error(f"{data['input']}: {data['error']['message']}")
        else:
            self._write(data)

    def close(self) -> None:
        if self._format in ("json", "jsonc"):
            self._out.data("\n]\n" if self._count else "[]\n")
        elif self._format == "table" and self._rows:
            self._out.data(table_text(self._rows, sort_keys=self._out.query is None))

    def _write(self, data: Any) -> None:
        fmt = self._format
        if fmt in ("json", "jsonc"):  # the same bytes as the whole array written at once
            entry = "".join(f"  {line}\n" for line in json_text(data).splitlines())
            text = ("[\n" if self._count == 0 else ",\n") + entry.rstrip("\n")
        elif fmt in ("yaml", "yamlc"):
            text = render("yaml", [data])
        elif fmt == "table":
            self._rows.append(data)
            text = ""
        else:
            text = render(fmt, data)
        self._count += 1
        self._out.data(text)


@contextmanager
def progress(out: Output, total: int | None, verb: str) -> Iterator[Any]:
    """A bar on stderr for a person watching (done/total, rate, failures, time left); for scripts, nothing."""
    if out.level < Level.NORMAL or not is_tty(sys.stderr):
        yield _Silent()
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (
        TextColumn(verb),
        BarColumn(),
        MofNCompleteColumn() if total else TextColumn("{task.completed}"),
        TextColumn("{task.fields[rate]}"),
        TextColumn("{task.fields[failed]} failed"),
        TimeRemainingColumn(),
    )
    # Rich would send what is written to stdout through its console on stderr: only right when both are
    # the terminal; redirected to a file, the results must reach the file.
    console = Console(file=sys.stderr)
    with Progress(*columns, console=console, transient=True, redirect_stdout=is_tty(sys.stdout)) as bar:
        yield _Bar(bar, bar.add_task(verb, total=total, failed=0, rate=""))


class _Silent:
    def advance(self, failed: bool) -> None:
        pass


class _Bar:
    def __init__(self, bar: Any, task: Any) -> None:
        self._bar, self._task, self._failed = bar, task, 0

    def advance(self, failed: bool) -> None:
        self._failed += failed
        speed = next(task for task in self._bar.tasks if task.id == self._task).speed
        rate = f"{speed:,.0f}/s" if speed else ""
        self._bar.update(self._task, advance=1, failed=self._failed, rate=rate)
