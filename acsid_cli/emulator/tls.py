"""HTTPS for the emulator: a TLS context from PEM files, and a self-signed CA of its own (--self-signed).

The CA is made fresh, in memory, for each start; only its certificate is written out, for clients to
trust. The server certificate names localhost, 127.0.0.1, ::1 and whatever address the emulator prints.
"""

from __future__ import annotations

import datetime
import ipaddress
import ssl
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID


def context(cert_file: str, key_file: str) -> ssl.SSLContext:
    """A server context for the PEM certificate (chain) and key; ValueError names what is wrong."""
    for path in (cert_file, key_file):
        try:
            with open(path, "rb"):
                pass
        except OSError as e:
            raise ValueError(f"cannot read {path}: {e.strerror}") from None
    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    try:
        tls.load_cert_chain(cert_file, key_file)
    except ssl.SSLError as e:
        detail = f" ({e.reason})" if e.reason else ""
        raise ValueError(f"{cert_file} and {key_file} are not a PEM certificate and its key{detail}") from None
    return tls


@dataclass(frozen=True)
class SelfSigned:
    ca_file: str  # what clients trust
    cert_file: str
    key_file: str


def self_signed(folder: Path, hosts: list[str], ca_file: str | None = None) -> SelfSigned:
    """A new CA and a server certificate for `hosts`, as PEM files in `folder` (the CA at ca_file if given)."""
    now = datetime.datetime.now(datetime.timezone.utc)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "acsid emulator local CA")])
    ca = (
        _builder(ca_name, ca_name, ca_key.public_key(), now)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_usage(cert_sign=True), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    names = [x509.DNSName("localhost"), *(_name(host) for host in dict.fromkeys(["127.0.0.1", "::1", *hosts]))]
    leaf = (
        _builder(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "acsid emulator")]), ca_name, key.public_key(), now)
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_usage(cert_sign=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    files = SelfSigned(ca_file or str(folder / "ca.pem"), str(folder / "cert.pem"), str(folder / "key.pem"))
    Path(files.ca_file).write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    Path(files.cert_file).write_bytes(leaf.public_bytes(serialization.Encoding.PEM))
    key_file = Path(files.key_file)
    key_file.touch(mode=0o600)
    key_file.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return files


def _builder(subject: x509.Name, issuer: x509.Name, public_key: ec.EllipticCurvePublicKey,
             now: datetime.datetime) -> x509.CertificateBuilder:
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(days=30))
    )


def _usage(cert_sign: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not cert_sign, key_cert_sign=cert_sign, crl_sign=cert_sign, content_commitment=False,
        key_encipherment=False, data_encipherment=False, key_agreement=False, encipher_only=False, decipher_only=False,
    )


def _name(host: str) -> x509.GeneralName:
    try:
        return x509.IPAddress(ipaddress.ip_address(host))
    except ValueError:
        return x509.DNSName(host)
