"""What a running `acsid emulator` tells other processes of its user, as Jupyter's runtime files do: one 0600
JSON file per emulator, <data dir>/emulators/<pid>.json, with its connection string, admin token and CA files.
`acsid emulator env` reads them. A clean stop removes the file; one whose process died (kill -9) is removed by
the next emulator to start. Standard library only.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from acsid_cli.emulator import paths


@dataclass(frozen=True)
class Announcement:
    pid: int
    connection_string: str
    endpoint: str
    admin_token: str
    ca_file: str | None = None  # the CA to trust, under --self-signed
    bundle_file: str | None = None  # the usual CAs and that one

    @property
    def port(self) -> int:
        return int(self.endpoint.rsplit(":", 1)[1])


def folder(environ: Mapping[str, str] | None = None) -> Path:
    return paths.data_dir(environ) / "emulators"


def announce(announcement: Announcement) -> Path:
    """Writes this emulator's file, after removing those of emulators that died without removing theirs."""
    where = paths.private_dir(folder())
    paths.remove_leftovers(where)
    for path, found in _files(where):
        if found is None or not _alive(found.pid):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
    path = where / f"{announcement.pid}.json"
    paths.write_private(path, json.dumps(asdict(announcement)).encode("utf-8"))
    return path


def running(environ: Mapping[str, str] | None = None) -> list[Announcement]:
    """The emulators of this user that are running, by pid."""
    where = folder(environ)
    found = [announcement for _, announcement in _files(where) if announcement and _alive(announcement.pid)]
    return sorted(found, key=lambda announcement: announcement.pid)


def _files(where: Path) -> list[tuple[Path, Announcement | None]]:
    files = []
    for path in where.glob("*.json") if where.is_dir() else []:
        with contextlib.suppress(OSError):
            files.append((path, _read(path.read_text("utf-8"))))
    return files


def _read(text: str) -> Announcement | None:
    try:
        data: Any = json.loads(text)
        return Announcement(**data) if isinstance(data, dict) else None
    except (ValueError, TypeError):
        return None


def _alive(pid: int) -> bool:
    if os.name == "nt":  # os.kill would end the process there
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process now holds that pid
        return False
    return True
