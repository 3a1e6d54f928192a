"""The emulator's state in SQLite: a file with --state, else an in-memory database. One store, one schema.

Every method takes one lock and, for writes, commits before it returns: a request never sees half of
another's write, and an acknowledged change survives `kill -9`. Times are float epoch seconds, so
revocation compares them more finely than the tokens' whole-second iat. A state file holds the RSA
signing key, so it is created readable by its owner only (SQLite gives its -wal and -shm files the same mode).
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass
class Identity:
    id: str
    custom_id: str | None
    created_at: float
    last_token_issued_at: float | None = None
    revoked_before: float | None = None
    deleted_at: float | None = None


@dataclass(frozen=True)
class IssuedToken:
    identity_id: str
    issued_at: float


class StateError(Exception):
    """The state file cannot be used; the message is meant for the user."""


class DuplicateCustomId(Exception):
    """More than one live identity holds the customId (the service's race, injected as a fault)."""


_SCHEMA_VERSION = 1
_SCHEMA = """
CREATE TABLE IF NOT EXISTS identities (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    custom_id TEXT,
    created_at REAL NOT NULL,
    last_token_issued_at REAL,
    revoked_before REAL,
    deleted_at REAL
);
CREATE INDEX IF NOT EXISTS live_custom_ids ON identities (custom_id) WHERE deleted_at IS NULL;
CREATE TABLE IF NOT EXISTS tokens (
    hash TEXT PRIMARY KEY,
    identity_id TEXT NOT NULL,
    issued_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS assignments (kind TEXT NOT NULL, key TEXT NOT NULL, body TEXT NOT NULL,
                                        PRIMARY KEY (kind, key));
"""
_IDENTITY = "SELECT id, custom_id, created_at, last_token_issued_at, revoked_before, deleted_at FROM identities"


class Store:
    def __init__(self, path: str | None = None) -> None:
        self._lock = threading.Lock()
        where = path or ":memory:"
        if path:
            _create_private(path)
        try:
            # One connection shared by all request threads, serialised by self._lock.
            self._db = sqlite3.connect(where, check_same_thread=False, isolation_level=None)
            if path:
                # WAL without an fsync per commit: a killed process loses nothing, only a power cut could.
                self._db.execute("PRAGMA journal_mode=WAL")
                self._db.execute("PRAGMA synchronous=NORMAL")
            version = self._db.execute("PRAGMA user_version").fetchone()[0]
            if version not in (0, _SCHEMA_VERSION):
                raise StateError(f"{where} was written by another version of acsid (schema {version})")
            self._db.executescript(_SCHEMA)
            self._db.execute(f"PRAGMA user_version={_SCHEMA_VERSION}")
        except sqlite3.Error as e:
            raise StateError(f"cannot use {where} as the state file: {e}") from None

    def create_identity(
        self, custom_id: str | None, now: float, make_id: Callable[[int], str], duplicate: bool = False
    ) -> tuple[Identity, bool]:
        """The live identity holding custom_id if there is one (False), else a new one (True), in one transaction:
        concurrent creates with one customId make one identity. duplicate: make a new one anyway, as the service's
        racing creates do; once two hold it, DuplicateCustomId."""
        with self._lock, self._db:
            self._db.execute("BEGIN IMMEDIATE")
            if custom_id and not duplicate:
                live = f"{_IDENTITY} WHERE custom_id = ? AND deleted_at IS NULL ORDER BY seq LIMIT 2"
                rows = self._db.execute(live, (custom_id,)).fetchall()
                if len(rows) > 1:
                    raise DuplicateCustomId(custom_id)
                if rows:
                    return Identity(*rows[0]), False
            counter = int(self._read_meta("counter") or 0) + 1
            identity = Identity(make_id(counter), custom_id, now)
            self._db.execute(
                "INSERT INTO identities (id, custom_id, created_at) VALUES (?, ?, ?)", (identity.id, custom_id, now)
            )
            self._write_meta("counter", str(counter))
            return identity, True

    def identity(self, identity_id: str) -> Identity | None:
        with self._lock:
            row = self._db.execute(f"{_IDENTITY} WHERE id = ?", (identity_id,)).fetchone()
        return Identity(*row) if row else None

    def identities(self) -> list[Identity]:
        """Every identity ever created, deleted ones included, oldest first."""
        with self._lock:
            rows = self._db.execute(f"{_IDENTITY} ORDER BY seq").fetchall()
        return [Identity(*row) for row in rows]

    def delete_identity(self, identity_id: str, now: float) -> bool:
        """False when the identity is unknown or already deleted."""
        return self._update_live(identity_id, "deleted_at", now)

    def revoke_tokens(self, identity_id: str, now: float) -> bool:
        """False when the identity is unknown or deleted."""
        return self._update_live(identity_id, "revoked_before", now)

    def _update_live(self, identity_id: str, column: str, value: float) -> bool:
        with self._lock:
            changed = self._db.execute(
                f"UPDATE identities SET {column} = ? WHERE id = ? AND deleted_at IS NULL", (value, identity_id)
            ).rowcount
        return bool(changed == 1)

    def record_token(self, token_hash: str, identity_id: str, issued_at: float) -> None:
        """Remember a token, and when it is for a known identity, its lastTokenIssuedAt."""
        with self._lock, self._db:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.execute(
                "INSERT OR REPLACE INTO tokens (hash, identity_id, issued_at) VALUES (?, ?, ?)",
                (token_hash, identity_id, issued_at),
            )
            self._db.execute("UPDATE identities SET last_token_issued_at = ? WHERE id = ?", (issued_at, identity_id))

    def issued_token(self, token_hash: str) -> IssuedToken | None:
        with self._lock:
            row = self._db.execute("SELECT identity_id, issued_at FROM tokens WHERE hash = ?", (token_hash,)).fetchone()
        return IssuedToken(*row) if row else None

    def clear(self) -> None:
        """Forget every identity and token (the resource and its signing key stay)."""
        with self._lock, self._db:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.execute("DELETE FROM identities")
            self._db.execute("DELETE FROM tokens")
            self._db.execute("DELETE FROM assignments")
            self._db.execute("DELETE FROM meta WHERE name = 'counter'")

    # --- assignments (who may exchange an Entra token), a JSON body per kind and key ------------------

    def assignment(self, kind: str, key: str) -> dict[str, Any] | None:
        with self._lock:
            row = self._db.execute("SELECT body FROM assignments WHERE kind = ? AND key = ?", (kind, key)).fetchone()
        return json.loads(row[0]) if row else None

    def assignments(self, kind: str) -> list[dict[str, Any]]:
        """In the order they were first made."""
        with self._lock:
            rows = self._db.execute("SELECT body FROM assignments WHERE kind = ? ORDER BY rowid", (kind,)).fetchall()
        return [json.loads(row[0]) for row in rows]

    def set_assignments(self, kind: str, changes: dict[str, dict[str, Any] | None]) -> list[bool]:
        """Puts each body (None deletes it) in one transaction; for each, whether its key was new (put) or known
        (delete)."""
        done = []
        with self._lock, self._db:
            self._db.execute("BEGIN IMMEDIATE")
            for key, body in changes.items():
                where = (kind, key)
                known = self._db.execute("SELECT 1 FROM assignments WHERE kind = ? AND key = ?", where).fetchone()
                if body is None:
                    self._db.execute("DELETE FROM assignments WHERE kind = ? AND key = ?", where)
                    done.append(known is not None)
                elif known:
                    self._db.execute(
                        "UPDATE assignments SET body = ? WHERE kind = ? AND key = ?", (json.dumps(body), *where)
                    )
                    done.append(False)
                else:
                    self._db.execute("INSERT INTO assignments VALUES (?, ?, ?)", (*where, json.dumps(body)))
                    done.append(True)
        return done

    def signing_key(self, resource_id: str, make_key: Callable[[], str]) -> str:
        """The RSA key of this state, made once: when two emulators start on a new file together, the first to
        commit wins and the other reads its key back, so every token either mints stays verifiable."""
        with self._lock:
            owner, pem = self._read_meta("resource_id"), self._read_meta("signing_key")
        if owner is not None and owner != resource_id:
            raise StateError(f"the state file belongs to resource {owner}; start with resource_id {owner}")
        if owner is not None and pem is not None:
            return pem
        candidate = make_key()  # slow (RSA), so outside the write lock
        with self._lock, self._db:
            self._db.execute("BEGIN IMMEDIATE")
            insert = "INSERT OR IGNORE INTO meta (name, value) VALUES (?, ?)"
            self._db.execute(insert, ("resource_id", resource_id))
            self._db.execute(insert, ("signing_key", candidate))
            owner, pem = self._read_meta("resource_id"), self._read_meta("signing_key")
        if owner != resource_id:
            raise StateError(f"the state file belongs to resource {owner}; start with resource_id {owner}")
        assert pem is not None
        return pem

    def _read_meta(self, name: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
        return str(row[0]) if row else None

    def _write_meta(self, name: str, value: str) -> None:
        self._db.execute("INSERT OR REPLACE INTO meta (name, value) VALUES (?, ?)", (name, value))

    def close(self) -> None:
        # Taking the lock lets a write in flight finish before the connection goes away.
        with self._lock:
            self._db.close()


def _create_private(path: str) -> None:
    """Creates a missing state file with mode 0600; one that exists keeps its mode, and any failure is left
    for SQLite to report in its own words."""
    with contextlib.suppress(OSError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
