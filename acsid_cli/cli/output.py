"""What a user reads: results on stdout in az's formats, messages on stderr, and the errors that end a command.

The format is -o, else ACSID_OUTPUT, else a table on a terminal and JSON otherwise, each exactly as az
(knack) writes it. Messages for people follow the verbosity: --only-show-errors keeps only errors,
--verbose adds progress lines, --debug more. Every message is one line per call, its control
characters escaped: text from the service, a token or stdin can neither forge a second `error:` line
nor send a terminal an escape sequence. Table and TSV cells show them escaped too (`visible`); JSON and
YAML stay exact encodings, with C1 characters escaped.

A command that cannot go on raises a CliError: its message, at most one hint, and az's exit code.
How any other error is told is errors.py's, which a run loads only when something failed.
"""

from __future__ import annotations

import contextlib
import enum
import io
import json
import logging
import os
import re
import sys
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from acsid_cli.cli.stream import Stream

# --- the errors a command ends with: its message, at most one hint, az's exit code ---------------------------

EXIT_ERROR = 1
EXIT_USAGE = 2  # bad input: nothing was sent
EXIT_NOT_FOUND = 3
EXIT_INTERRUPTED = 130  # 128 + SIGINT; SIGTERM gives 143 and SIGHUP 129 (errors.exit_code)


class CliError(Exception):
    """Something the user should read; `hint` is an optional next step."""

    exit_code = EXIT_ERROR

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class UsageError(CliError):
    """Bad input, found before any request was sent."""

    exit_code = EXIT_USAGE


class NotFound(CliError):
    exit_code = EXIT_NOT_FOUND


class Cancelled(CliError):
    """The user declined a confirmation: nothing was sent (README's exit codes: 2)."""

    exit_code = EXIT_USAGE


class Interrupted(CliError):
    """Ctrl-C, SIGTERM or SIGHUP; the message says what was done before it."""

    def __init__(self, message: str, exit_code: int = EXIT_INTERRUPTED) -> None:
        super().__init__(message)
        self.exit_code = exit_code


# --- az's shapes of results ------------------------------------------------------------------------------------


def user_json(user_id: str) -> dict[str, object]:
    """az's shape of an identity: the SDK's CommunicationUserIdentifier as az serialises it."""
    return {"properties": {"id": user_id}, "rawId": user_id}


def token_json(user_id: str | None, token: str, expires_on: str) -> dict[str, object]:
    """az's shape of a token; the Teams exchange has no user_id."""
    shaped: dict[str, object] = {"expires_on": expires_on, "token": token}
    if user_id is not None:
        shaped["user_id"] = user_id
    return shaped


# --- the sink ----------------------------------------------------------------------------------------------------


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


# --- az's formats: data to text, pure functions ----------------------------------------------------------------


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
