"""The bounds of the emulator's connections: how long a client may take, how much it may send, how many at once.

docs/emulator.md ("Limits") states these numbers; change them together. They are shorter than Node's and
nginx's defaults because the emulator's clients are tests on the same machine or CI network, which send a
request in one write.
"""

from __future__ import annotations

from dataclasses import dataclass

try:
    import resource
except ImportError:  # Windows: no RLIMIT_NOFILE to read
    resource = None  # type: ignore[assignment]

MAX_CONNECTIONS_CEILING = 10_000
_FALLBACK_MAX_CONNECTIONS = 500


@dataclass(frozen=True)
class Limits:
    # Seconds for a request's line and headers to arrive: from the connection's start, or from the first byte
    # of a request on a kept-alive one (Node's headersTimeout, nginx's client_header_timeout: 60 s).
    header_timeout: float = 10.0
    # Seconds for its body to arrive once the headers have (Node's requestTimeout bounds the whole request).
    body_timeout: float = 10.0
    # Seconds a kept-alive connection may wait for its next request (Node: 5 s, nginx: 75 s). Longer than Node's:
    # a test pauses between requests, and a close that races a client's reuse of the connection fails a request.
    idle_timeout: float = 30.0
    # Seconds for the TLS handshake of an HTTPS connection.
    handshake_timeout: float = 10.0
    # Connections served at once; more wait in the listen backlog. None: half the soft limit on open files
    # (`ulimit -n`), at most 10,000, so the process keeps file descriptors for everything else it does.
    max_connections: int | None = None
    max_body_bytes: int = 64 * 1024  # the service's bodies are a few hundred bytes; an Entra token a few KiB
    max_head_bytes: int = 16 * 1024  # request line and headers together (Node: 16 KiB)
    max_headers: int = 100

    def __post_init__(self) -> None:
        for name in ("header_timeout", "body_timeout", "idle_timeout", "handshake_timeout"):
            if not getattr(self, name) > 0:
                raise ValueError(f"{name} must be a positive number of seconds")
        if self.max_connections is not None and self.max_connections < 1:
            raise ValueError("max_connections must be at least 1")

    def connection_cap(self) -> int:
        """max_connections, or the default worked out from this process's limit on open files."""
        if self.max_connections is not None:
            return self.max_connections
        if resource is None:
            return _FALLBACK_MAX_CONNECTIONS
        soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
        if soft == resource.RLIM_INFINITY:
            return MAX_CONNECTIONS_CEILING
        return max(1, min(MAX_CONNECTIONS_CEILING, soft // 2))
