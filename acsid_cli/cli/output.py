"""The one output sink: results to stdout in the chosen format; notes, warnings, logs, prompts and errors to stderr.

The format is -o, else ACSID_OUTPUT, else a table on a terminal and JSON otherwise. Messages for people
follow the verbosity: --only-show-errors keeps only errors, --verbose adds progress lines, --debug more.
Every message is one line per call, its control characters escaped: text from the service, a token or
stdin can neither forge a second `error:` line nor send a terminal an escape sequence.
"""

from __future__ import annotations

import contextlib
import enum
import io
import logging
import os
import sys
from typing import TYPE_CHECKING, Any, TextIO

from acsid_cli.cli.errors import UsageError
from acsid_cli.cli.render import FORMATS, render, visible

if TYPE_CHECKING:
    from acsid_cli.cli.stream import Stream


class Level(enum.IntEnum):
    ERRORS = 0  # --only-show-errors
    NORMAL = 1
    VERBOSE = 2  # --verbose
    DEBUG = 3  # --debug


def is_tty(stream: Any) -> bool:
    """ACSID_FORCE_TTY=1 lets tests and screen recorders see what a person sees."""
    if os.environ.get("ACSID_FORCE_TTY") == "1":
        return True
    return bool(stream is not None and hasattr(stream, "isatty") and stream.isatty())


def use_utf8() -> None:
    """stdin, stdout and stderr in UTF-8 whatever the locale (the C locale would make them ASCII, and a custom id
    crash the output after the identity was created). Bytes that are not UTF-8 come in as surrogate escapes,
    which no check accepts, and anything unencodable goes out as a backslash escape, never as a crash."""
    for stream, errors in (
        (sys.stdin, "surrogateescape"),
        (sys.stdout, "backslashreplace"),
        (sys.stderr, "backslashreplace"),
    ):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError, io.UnsupportedOperation):  # already read from: as it is
                reconfigure(encoding="utf-8", errors=errors)


class Output:
    def __init__(self) -> None:
        self.format: str | None = None
        self.query: Any = None  # a compiled JMESPath expression
        self.level = Level.NORMAL

    # --- stdout: data ---------------------------------------------------------------------------

    def result(self, data: Any) -> None:
        """A command's result, after --query, in the chosen format."""
        if self.query is not None:
            data = self.query.search(data)
        if data is None:
            return
        color = is_tty(sys.stdout) and not os.environ.get("NO_COLOR")
        self.data(render(self.chosen_format(), data, color=color, sort_keys=self.query is None))

    def line(self, text: str) -> None:
        """One plain line of data: the version, the emulator's connection string."""
        self.data(text + "\n")

    def data(self, text: str) -> None:
        """Text for stdout, already formatted."""
        self._write(sys.stdout, text)

    def stream(self) -> Stream:
        """The writer of a bulk run's items, each as soon as it is due."""
        from acsid_cli.cli.stream import Stream

        return Stream(self)

    def chosen_format(self) -> str:
        chosen = self.format or os.environ.get("ACSID_OUTPUT") or ("table" if is_tty(sys.stdout) else "json")
        if chosen not in FORMATS:
            hint = f"choose one of {', '.join(FORMATS)}"
            raise UsageError(f"unknown output format '{chosen}' in ACSID_OUTPUT", hint=hint)
        return chosen

    # --- stderr: talk ---------------------------------------------------------------------------

    def error(self, message: str, hint: str | None = None) -> None:
        self._say(f"error: {message}")
        if hint:
            self._say(f"hint: {hint}")

    def warning(self, message: str) -> None:
        if self.level >= Level.NORMAL:
            self._say(f"warning: {message}")

    def info(self, message: str) -> None:
        """A status line, such as the emulator's 'listening on ...'."""
        if self.level >= Level.NORMAL:
            self._say(message)

    def done(self, message: str) -> None:
        """A note for people only: scripts read the exit code."""
        if self.level >= Level.NORMAL and is_tty(sys.stderr):
            self._say(f"✓ {message}")

    def verbose(self, message: str) -> None:
        if self.level >= Level.VERBOSE:
            self._say(f"info: {message}")

    def debug(self, message: str) -> None:
        if self.level >= Level.DEBUG:
            self._say(f"debug: {message}")

    def follow_logs(self, name: str) -> None:
        """Show a library's log records as verbose (INFO) and debug (DEBUG) lines, as the level allows."""
        logger = logging.getLogger(name)
        for handler in [h for h in logger.handlers if isinstance(h, _ToOutput)]:
            logger.removeHandler(handler)  # an earlier invocation's, in this same process
        if self.level >= Level.VERBOSE:
            logger.setLevel(logging.DEBUG if self.level >= Level.DEBUG else logging.INFO)
            logger.propagate = False
            logger.addHandler(_ToOutput(self))

    def quiet_logs(self, name: str) -> None:
        """A library that logs its own warnings (azure-identity logs every credential it tried, a dozen lines):
        they show as verbose lines under --verbose, and not at all otherwise; our error line says what failed."""
        self.follow_logs(name)
        logger = logging.getLogger(name)
        if self.level < Level.VERBOSE:
            logger.propagate = False  # else Python's last-resort handler prints its warnings on stderr
            if not any(isinstance(handler, logging.NullHandler) for handler in logger.handlers):
                logger.addHandler(logging.NullHandler())

    # --- stdin/stderr: asking a person ------------------------------------------------------------

    def confirm(self, question: str) -> bool:
        import typer

        return bool(typer.confirm(visible(question), default=False, err=True))

    def ask_secret(self, label: str) -> str:
        import typer

        return str(typer.prompt(visible(label), hide_input=True, err=True))

    def _say(self, line: str) -> None:
        self._write(sys.stderr, visible(line) + "\n")

    @staticmethod
    def _write(stream: TextIO, text: str) -> None:
        if text:
            stream.write(text)
            stream.flush()


class _ToOutput(logging.Handler):
    def __init__(self, out: Output) -> None:
        super().__init__()
        self._out = out

    def emit(self, record: logging.LogRecord) -> None:
        say = self._out.debug if record.levelno < logging.INFO else self._out.verbose
        for line in record.getMessage().splitlines():  # a line each: a record may hold many
            say(line.replace("\t", "  "))
