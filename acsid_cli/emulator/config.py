"""How an emulator is set up: its address, keys, resource, TLS files, state file, clock skew and limits."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field

from acsid_cli import protocol, signing
from acsid_cli.emulator import DEFAULT_ACCESS_KEY, DEFAULT_PORT, DEFAULT_RESOURCE_ID, DEFAULT_SECONDARY_KEY
from acsid_cli.emulator.limits import Limits

# What an admin token may be: a secret worth the name, and safe in a header and a shell line.
ADMIN_TOKEN = re.compile(r"[A-Za-z0-9._~+/=-]{16,256}")


@dataclass(frozen=True)
class EmulatorConfig:
    host: str = "127.0.0.1"
    port: int = DEFAULT_PORT
    access_key: str = DEFAULT_ACCESS_KEY
    secondary_key: str | None = DEFAULT_SECONDARY_KEY
    resource_id: str = DEFAULT_RESOURCE_ID
    cert_file: str | None = None
    key_file: str | None = None
    state_file: str | None = None
    max_clock_skew_minutes: float = 15
    throttle: dict[str, int] | None = None  # requests per 30 s per operation; throttle.SERVICE_LIMITS as the service
    # Every /emulator/ call but health must send `Authorization: Bearer <admin_token>`; a fresh one per run.
    admin_token: str = field(default_factory=lambda: secrets.token_urlsafe(32), repr=False)
    limits: Limits = field(default_factory=Limits)  # timeouts, connection cap and sizes of the connection layer

    def __post_init__(self) -> None:
        """Rejects settings that could only fail later, naming the field to fix (the CLI names its flag)."""
        for name, value in (("access_key", self.access_key), ("secondary_key", self.secondary_key)):
            if value is not None and signing.decode_key(value) is None:
                raise ValueError(f"{name} must be base64, like the accesskey of a connection string")
        if not protocol.GUID.fullmatch(self.resource_id):
            raise ValueError(f"resource_id must be a GUID such as {DEFAULT_RESOURCE_ID}")
        if not ADMIN_TOKEN.fullmatch(self.admin_token):
            raise ValueError("admin_token must be 16 to 256 letters, digits and -._~+/=")
        if (self.cert_file is None) != (self.key_file is None):
            raise ValueError("cert_file and key_file go together: give both to serve HTTPS")

    @property
    def keys(self) -> list[str]:
        return [self.access_key] + ([self.secondary_key] if self.secondary_key else [])
