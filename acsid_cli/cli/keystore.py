"""The only module that touches the OS keyring (service 'acsid', one entry per profile)."""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType
from typing import TypeVar

SERVICE = "acsid"
T = TypeVar("T")


class KeystoreUnavailable(Exception):
    """No usable keyring backend, e.g. on a headless CI runner."""


def _keyring() -> ModuleType:
    try:
        import keyring
        from keyring.backends import fail
    except Exception as exc:  # a broken install must not be a traceback
        raise KeystoreUnavailable(f"the keyring package could not be loaded ({type(exc).__name__})") from None
    if isinstance(keyring.get_keyring(), fail.Keyring):
        raise KeystoreUnavailable("no OS keyring backend is available on this machine")
    return keyring


def _call(action: Callable[[ModuleType], T]) -> T:
    keyring = _keyring()
    try:
        return action(keyring)
    except KeystoreUnavailable:
        raise
    except Exception as exc:  # backends raise many types (dbus, secretstorage, file errors)
        raise KeystoreUnavailable(f"the OS keyring failed ({type(exc).__name__})") from None


def get(profile: str) -> str | None:
    def read(kr: ModuleType) -> str | None:
        value = kr.get_password(SERVICE, profile)
        return value if isinstance(value, str) else None

    return _call(read)


def set(profile: str, value: str) -> None:  # noqa: A001 - mirrors keyring's verb
    _call(lambda kr: kr.set_password(SERVICE, profile, value))


def delete(profile: str) -> bool:
    """Remove the entry; False when there was none."""

    def remove(kr: ModuleType) -> bool:
        if kr.get_password(SERVICE, profile) is None:
            return False
        kr.delete_password(SERVICE, profile)
        return True

    return _call(remove)
