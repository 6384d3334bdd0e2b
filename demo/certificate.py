"""The demo's signing certificate: a self-signed certificate of the pôle and its key, as
the PKCS#12 file `make demo` gives the application (PNSR_SIGNING_P12, password « demo »),
so that the demo's validated documents are signed (documents/signing.py). Never for a
real installation: anybody may make the same."""

from __future__ import annotations

import datetime
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.conf import settings

PASSWORD = "demo"
COMMON_NAME = "PNSR — pôle national de soutien au réseau (démonstration)"
YEARS = 10


def demo_path() -> Path:
    return Path(settings.VAR_DIR) / "signing" / "pole-demo.p12"


def make_p12(
    common_name: str = COMMON_NAME,
    password: str = PASSWORD,
    *,
    days: int = 365 * YEARS,
    not_before: datetime.datetime | None = None,
) -> bytes:
    """A self-signed signing certificate and its RSA key, as PKCS#12 bytes."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "FR"),
            x509.NameAttribute(
                NameOID.ORGANIZATION_NAME, "Direction générale des Finances publiques"
            ),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )
    start = not_before or datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=1)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + datetime.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,  # non-repudiation: a signature of documents
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return pkcs12.serialize_key_and_certificates(
        b"pnsr-demo",
        key,
        certificate,
        None,
        serialization.BestAvailableEncryption(password.encode()),
    )


def write_demo_certificate(path: Path | None = None) -> tuple[Path, bool]:
    """The demo's PKCS#12 file at `path` (by default var/signing/pole-demo.p12), written
    if it is not there yet (kept otherwise: the documents signed before stay the same
    certificate's). Returns its path and whether it was written now."""
    path = path or demo_path()
    if path.exists():
        return path, False
    path.parent.mkdir(parents=True, exist_ok=True)
    content = make_p12()
    partial = path.with_suffix(".tmp")
    partial.write_bytes(content)
    partial.chmod(0o600)
    partial.replace(path)
    return path, True
