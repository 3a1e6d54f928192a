"""HTTPS for the emulator: a TLS context from PEM files, and the certificates of a development CA (devca.py
keeps them on disk): the CA itself, and server certificates for localhost, 127.0.0.1, ::1 and the names given.
"""

from __future__ import annotations

import datetime
import ipaddress
import ssl

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

CA_DAYS = 3650  # the CA is trusted once, so it lives long (mkcert's: 10 years)
SERVER_DAYS = 90  # a server certificate is remade when it nears its end
LOCAL_NAMES = ("localhost", "127.0.0.1", "::1")


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


def new_ca(owner: str) -> bytes:
    """A new CA: its key and certificate, in one PEM."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [  # as mkcert names its CA: whose it is shows in a trust store
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "acsid's development CA"),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, owner[:64]),
            x509.NameAttribute(NameOID.COMMON_NAME, "acsid's development CA"),
        ]
    )
    ca = (
        _builder(name, name, key.public_key(), CA_DAYS)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_usage(cert_sign=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return _pem(key, ca)


def issue_server(ca_pem: bytes, hosts: list[str]) -> bytes:
    """A server certificate from the CA in ca_pem (as new_ca makes it), for LOCAL_NAMES and hosts: key and
    certificate in one PEM, as ssl's load_cert_chain takes it."""
    ca_key = serialization.load_pem_private_key(ca_pem, password=None)
    assert isinstance(ca_key, ec.EllipticCurvePrivateKey)
    ca = x509.load_pem_x509_certificate(ca_pem)
    key = ec.generate_private_key(ec.SECP256R1())
    names = [_name(host) for host in dict.fromkeys([*LOCAL_NAMES, *hosts])]
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "acsid emulator")])
    leaf = (
        _builder(subject, ca.subject, key.public_key(), SERVER_DAYS)
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_usage(cert_sign=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    return _pem(key, leaf)


def certificate_pem(pem: bytes) -> bytes:
    """Only the certificate of a PEM that holds a key too: what clients are given to trust."""
    return x509.load_pem_x509_certificate(pem).public_bytes(serialization.Encoding.PEM)


def still_good(server_pem: bytes, ca_pem: bytes, days: float = 7) -> bool:
    """Whether a server certificate was issued by this CA and stays valid for `days` more."""
    try:
        leaf, ca = x509.load_pem_x509_certificate(server_pem), x509.load_pem_x509_certificate(ca_pem)
        leaf.verify_directly_issued_by(ca)
    except (ValueError, TypeError, InvalidSignature):
        return False
    remaining = leaf.not_valid_after_utc - datetime.datetime.now(datetime.timezone.utc)
    return remaining > datetime.timedelta(days=days)


def _pem(key: ec.EllipticCurvePrivateKey, certificate: x509.Certificate) -> bytes:
    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return private + certificate.public_bytes(serialization.Encoding.PEM)


def _builder(
    subject: x509.Name, issuer: x509.Name, public_key: ec.EllipticCurvePublicKey, days: int
) -> x509.CertificateBuilder:
    now = datetime.datetime.now(datetime.timezone.utc)
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(days=days))
    )


def _usage(cert_sign: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not cert_sign,
        key_cert_sign=cert_sign,
        crl_sign=cert_sign,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        encipher_only=False,
        decipher_only=False,
    )


def _name(host: str) -> x509.GeneralName:
    try:
        return x509.IPAddress(ipaddress.ip_address(host))
    except ValueError:
        return x509.DNSName(host)
