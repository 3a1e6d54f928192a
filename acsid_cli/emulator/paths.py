"""The emulator's per-user folder, and files in it that only their owner may read.

$XDG_DATA_HOME/acsid (else ~/.local/share/acsid; %LOCALAPPDATA%\\acsid on Windows) holds ca/ (the development
CA, like mkcert's) and emulators/ (what each running emulator announces). Standard library only.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Mapping
from pathlib import Path


def data_dir(environ: Mapping[str, str] | None = None) -> Path:
    env = os.environ if environ is None else environ
    if os.name == "nt" and env.get("LOCALAPPDATA"):
        return Path(env["LOCALAPPDATA"]) / "acsid"
    base = env.get("XDG_DATA_HOME") or str(Path(env.get("HOME") or Path.home()) / ".local" / "share")
    return Path(base) / "acsid"


def private_dir(path: Path) -> Path:
    """The folder, made if missing, and 0700 either way: what it holds is its owner's alone."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    if path.stat().st_mode & 0o077:
        path.chmod(0o700)
    return path


def write_private(path: Path, data: bytes, replace: bool = True) -> bool:
    """Writes the file whole (0600) or not at all: readers never see half of it. With replace=False an existing
    file wins, and False says so: of two processes making the same file at once, one makes it."""
    aside = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    descriptor = os.open(aside, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
        if replace:
            os.replace(aside, path)
            return True
        try:
            os.link(aside, path)  # fails if the file exists, where a rename would overwrite it
        except FileExistsError:
            return False
        return True
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(aside)


def remove_leftovers(folder: Path, older_than: float = 60.0) -> None:
    """Files that write_private set aside and a killed process left behind."""
    import time

    for path in folder.glob(".*.*"):
        with contextlib.suppress(OSError):
            if path.stat().st_mtime < time.time() - older_than:
                path.unlink()
