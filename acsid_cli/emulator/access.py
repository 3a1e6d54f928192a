"""Who may call the /emulator/ endpoints. The model is Jupyter's: a token per run, requests addressed to the
emulator's own address only (DNS rebinding), and none from web pages of other origins.

1. Host must name the address the connection arrived at with its port (a loopback address also answers to
   localhost, 127.0.0.1 and [::1]), or one allowed by allow(); a name that resolves to the emulator, as a
   rebinding attacker's does, is refused.
2. A browser's request (an Origin header, or Sec-Fetch-Site cross-site or same-site) must come from the
   emulator's own origin, scheme://Host as the request says it, or from one allowed by allow().
3. Every endpoint but GET /emulator/health needs `Authorization: Bearer <admin token>`, compared in constant
   time.

The service's routes are not guarded: SDKs send the Host of whatever name they were given (a container's, a
hosts-file alias), and the HMAC key or an Entra token already says who may call them.
"""

from __future__ import annotations

import hmac
import ipaddress
from urllib.parse import urlsplit

from acsid_cli import protocol
from acsid_cli.emulator import errors
from acsid_cli.emulator.messages import Request

ADMIN_SCHEME = "Bearer "
_LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
_BROWSER_SITES = ("cross-site", "same-site")  # Sec-Fetch-Site of a page on another origin


class AdminAccess:
    def __init__(self, token: str, host: str, port: int) -> None:
        self._token = token.encode("utf-8")
        self._bound = (host, port)  # judged by when a request does not say where it arrived
        self._hosts: set[str] = set()
        self._origins: set[str] = set()

    def allow(self, origin: str) -> None:
        """Also admit requests addressed to origin's host:port and sent by its pages, e.g. a console's
        "http://127.0.0.1:5555", or a name the emulator is reached by, "http://acs-emulator:10050"."""
        parts = urlsplit(origin)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.path not in ("", "/"):
            raise ValueError(f"{origin!r} is not an origin such as http://127.0.0.1:5555")
        self._hosts.add(parts.netloc.lower())
        self._origins.add(f"{parts.scheme}://{parts.netloc}".lower())

    def check(self, request: Request, needs_token: bool) -> None:
        """Raises the refusal (403 or 401) of a request to an /emulator/ endpoint that may not go on."""
        host = request.headers.get("Host", "")
        if not self._own_host(host, request.local):
            raise errors.host_not_allowed()
        origin = request.headers.get("Origin")
        site = request.headers.get("Sec-Fetch-Site", "").lower()
        if (origin is not None or site in _BROWSER_SITES) and not self._own_origin(origin, request):
            raise errors.origin_not_allowed()
        if needs_token and not self._has_token(request.headers.get("Authorization", "")):
            raise errors.admin_token_required()

    def _own_host(self, host: str, local: str | None) -> bool:
        if host.lower() in self._hosts:
            return True
        name, port = _split(host)
        own, own_port = _split(local) if local else self._bound
        if name is None or own is None or port != own_port:
            return False
        if own in ("0.0.0.0", "::", ""):  # bound to every interface, and not told which one
            return name in _LOOPBACK_NAMES
        return name == own or (protocol.is_loopback(own) and name in _LOOPBACK_NAMES)

    def _own_origin(self, origin: str | None, request: Request) -> bool:
        # request.origin is scheme://Host, and Host was found to be ours.
        return origin is not None and origin.lower() in (request.origin.lower(), *self._origins)

    def _has_token(self, authorization: str) -> bool:
        if not authorization.startswith(ADMIN_SCHEME):
            return False
        given = authorization[len(ADMIN_SCHEME) :].strip().encode("utf-8", "replace")
        return hmac.compare_digest(given, self._token)


def _split(host: str) -> tuple[str | None, int | None]:
    """("127.0.0.1", 10050) from "127.0.0.1:10050", ("::1", 10050) from "[::1]:10050"; (None, None) when it
    is not host:port. IPv4 addresses seen through IPv6 (::ffff:127.0.0.1) are given as IPv4."""
    try:
        parts = urlsplit(f"//{host}")
        name, port = parts.hostname, parts.port
    except ValueError:
        return None, None
    if not name or port is None or parts.netloc != host or "@" in host:
        return None, None
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return name, port
    mapped = getattr(address, "ipv4_mapped", None)
    return str(mapped or address), port
