"""Self-signed key pairs for the demo's SAML parties (our SP and the local test IdP).

Production uses an OCES3 certificate issued to the municipality (``SAML_SP_KEY_FILE`` and
``SAML_SP_CERT_FILE``); these are made only where nothing is configured, with
``cryptography`` — never by hand.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID


def ensure_keypair(directory: Path, name: str, common_name: str) -> tuple[Path, Path]:
    """``<name>.key`` and ``<name>.crt`` in ``directory``, made now if missing."""
    directory.mkdir(parents=True, exist_ok=True)
    key_path, cert_path = directory / f"{name}.key", directory / f"{name}.crt"
    if key_path.exists() and cert_path.exists():
        return key_path, cert_path
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "DK"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Erhvervskontakt (demo)"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=3650))
        .sign(key, hashes.SHA256())
    )
    partial_key = key_path.with_suffix(".key.tmp")
    partial_key.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    partial_key.chmod(0o600)
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    partial_key.replace(key_path)
    return key_path, cert_path
