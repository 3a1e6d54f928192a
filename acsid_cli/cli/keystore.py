"""The only module that touches the OS keyring: service 'acsid', one entry per profile, and an index of them.

A plain-text backend (keyrings.alt's files) is no place for an access key: acsid stores only the
emulator's public key there. The null backend (PYTHON_KEYRING_BACKEND=keyring.backends.null.Keyring)
stores nothing, so it counts as no keyring at all.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from types import ModuleType
from typing import Any, TypeVar

from acsid_cli.cli.options import DEFAULT_PROFILE

SERVICE = "acsid"
_INDEX = ".profiles"  # not a valid profile name, so it cannot collide with one
T = TypeVar("T")


class KeystoreUnavailable(Exception):
    """No usable keyring backend, e.g. on a headless CI runner."""


def _keyring() -> ModuleType:
    try:
        import keyring
        from keyring.backends import fail, null
    except Exception as exc:  # a broken install must not be a traceback
        raise KeystoreUnavailable(f"the keyring package could not be loaded ({type(exc).__name__})") from None
    backend = keyring.get_keyring()
    if isinstance(backend, fail.Keyring):
        raise KeystoreUnavailable("no OS keyring backend is available on this machine")
    if isinstance(backend, null.Keyring):  # common in CI: it says yes to everything and keeps nothing
        raise KeystoreUnavailable("the keyring backend is keyring's null backend, which stores nothing")
    return keyring


def _call(action: Callable[[ModuleType], T]) -> T:
    keyring = _keyring()
    try:
        return action(keyring)
    except KeystoreUnavailable:
        raise
    except Exception as exc:  # backends raise many types (dbus, secretstorage, file errors)
        raise KeystoreUnavailable(f"the OS keyring failed ({type(exc).__name__})") from None


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def get(profile: str) -> str | None:
    return _call(lambda kr: _text(kr.get_password(SERVICE, profile)))


def is_plaintext() -> bool:
    """Whether what would be stored lands in a plain file (a keyrings.alt plain-text backend)."""

    def check(kr: ModuleType) -> bool:
        backend = kr.get_keyring()
        chained = getattr(backend, "backends", None)  # a chainer writes to its highest-priority backend
        first = chained[0] if chained else backend
        return "plaintext" in type(first).__name__.lower()

    return _call(check)


def set(profile: str, value: str) -> None:  # mirrors keyring's verb
    def store(kr: ModuleType) -> None:
        kr.set_password(SERVICE, profile, value)
        _write_index(kr, sorted({*_read_index(kr), profile}))

    _call(store)


def delete(profile: str) -> bool:
    """Remove the entry; False when there was none."""

    def remove(kr: ModuleType) -> bool:
        _write_index(kr, [name for name in _read_index(kr) if name != profile])
        if kr.get_password(SERVICE, profile) is None:
            return False
        kr.delete_password(SERVICE, profile)
        return True

    return _call(remove)


def profiles() -> list[str]:
    """The profiles that hold a connection string."""
    return _call(lambda kr: [name for name in _read_index(kr) if kr.get_password(SERVICE, name) is not None])


def _read_index(kr: ModuleType) -> list[str]:
    try:
        names = json.loads(kr.get_password(SERVICE, _INDEX) or "[]")
    except ValueError:
        names = []
    stored_before_the_index = [DEFAULT_PROFILE] if kr.get_password(SERVICE, DEFAULT_PROFILE) else []
    return sorted({*(n for n in names if isinstance(n, str)), *stored_before_the_index})


def _write_index(kr: ModuleType, names: list[str]) -> None:
    kr.set_password(SERVICE, _INDEX, json.dumps(names))
