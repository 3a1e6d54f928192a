"""acsid's development CA: one per user, made once and reused by every `acsid emulator --self-signed` and by the
pytest plugin, as mkcert keeps one. Clients are told to trust it once; its key never leaves its 0700 folder.

    ca-key.pem        the CA's key and certificate (0600)
    ca.pem            its certificate: what clients trust (NODE_EXTRA_CA_CERTS, curl --cacert)
    bundle.pem        the usual CAs and this one (REQUESTS_CA_BUNDLE, SSL_CERT_FILE replace the usual ones)
    server-<id>.pem   a server certificate and its key for one set of host names, remade before it expires

Nothing here is made per run, so nothing is left behind when an emulator is killed.
"""

from __future__ import annotations

import contextlib
import getpass
import hashlib
import socket
import ssl
from dataclasses import dataclass
from pathlib import Path

from acsid_cli.emulator import paths, tls


@dataclass(frozen=True)
class DevelopmentCA:
    folder: Path
    pem: bytes  # key and certificate

    @property
    def ca_file(self) -> Path:
        return self.folder / "ca.pem"

    @property
    def bundle_file(self) -> Path:
        return self.folder / "bundle.pem"

    def server_file(self, hosts: list[str]) -> Path:
        """A PEM with the key and certificate of a server reached as any of LOCAL_NAMES or hosts."""
        names = sorted(set(tls.LOCAL_NAMES) | set(hosts))
        path = self.folder / f"server-{hashlib.sha256(' '.join(names).encode()).hexdigest()[:12]}.pem"
        with contextlib.suppress(FileNotFoundError):
            if tls.still_good(path.read_bytes(), self.pem):
                return path
        paths.write_private(path, tls.issue_server(self.pem, names))  # two at once: both good, the last stays
        return path


def development_ca(folder: Path | None = None) -> DevelopmentCA:
    """The user's CA, made on first use; ValueError when its files cannot be read as one."""
    folder = paths.private_dir(folder or paths.data_dir() / "ca")
    paths.remove_leftovers(folder)
    key_file = folder / "ca-key.pem"
    if not key_file.exists():
        paths.write_private(key_file, tls.new_ca(_owner()), replace=False)  # of two at once, the first stays
    pem = key_file.read_bytes()
    try:
        certificate = tls.certificate_pem(pem)
    except ValueError:
        raise ValueError(f"{key_file} is not a CA's key and certificate; remove {folder} to make a new CA") from None
    _keep(folder / "ca.pem", certificate)
    _keep(folder / "bundle.pem", usual_cas() + certificate)
    return DevelopmentCA(folder, pem)


def usual_cas() -> bytes:
    """The CAs this machine trusts by default (OpenSSL's file, as built, whatever SSL_CERT_FILE says), else
    certifi's, which requests uses."""
    defaults = ssl.get_default_verify_paths()
    for candidate in (defaults.openssl_cafile, _certifi()):
        with contextlib.suppress(OSError, TypeError):
            data = Path(candidate).read_bytes()  # type: ignore[arg-type]
            if b"BEGIN CERTIFICATE" in data:
                return data if data.endswith(b"\n") else data + b"\n"
    return b""


def _certifi() -> str | None:
    try:
        import certifi
    except ImportError:
        return None
    return str(certifi.where())


def _keep(path: Path, data: bytes) -> None:
    with contextlib.suppress(FileNotFoundError):
        if path.read_bytes() == data:
            return
    paths.write_private(path, data)


def _owner() -> str:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "you"
    return f"{user}@{socket.gethostname()}"
