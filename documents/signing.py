"""The pôle's electronic signature of its documents, and its check (PAdES, with pyHanko).

A version that is not a draft (`Document.is_draft`: the draft pleadings, an opinion not yet
validated) is signed when it is rendered (`generation.generate`) with the pôle's
certificate, a PKCS#12 file given by configuration (PNSR_SIGNING_P12, its password
PNSR_SIGNING_PASSWORD), and timestamped (RFC 3161) when a timestamping server is
configured (PNSR_TSA_URL, PNSR_TSA_TIMEOUT; PNSR_TSA_CA, the authority's certificate, to
check its tokens). Without a certificate, documents are produced unsigned.

The signature is invisible (a zero-sized widget, printable and not hidden, as PDF/A
wants), /SubFilter ETSI.CAdES.detached, added as an incremental update: the PDF/A-3
document and its XMP metadata stay as WeasyPrint wrote them, but for the producer and
the modification date, written alike in the document information and the XMP (PDF/A
requires them equal).

`verify(pdf)` checks a file: signed or not, intact (the signed bytes unchanged, nothing
added after them), by whom, when, timestamped or not, and whether the certificate is the
pôle's (configured) one. The documents' pages show it (`documents.views.signature`)."""

from __future__ import annotations

import dataclasses
import datetime
import functools
import io
from pathlib import Path

from asn1crypto import pem, x509
from django.conf import settings
from django.utils import timezone
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.metadata.model import VENDOR
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko.sign.timestamps import TimestampRequestError
from pyhanko.sign.timestamps.requests_client import RequestsHTTPTimeStamper
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel, SignatureStatus
from pyhanko_certvalidator import ValidationContext

from cases import integrity
from cases.files import open_stored

FIELD_NAME = "Signature_PNSR"
# Room kept in the file for the signature (CMS container, hex-encoded: two characters a
# byte): the signature and its signed attributes, the certificates it carries, and the
# timestamp token with its authority's certificates. Too little and pyHanko refuses to
# sign (the version fails, with its error) rather than write an invalid PDF.
RESERVED_SIGNATURE = 8 * 1024
RESERVED_TIMESTAMP = 12 * 1024


class SigningError(Exception):
    """The document could not be signed (certificate unreadable, timestamping server
    unreachable…): the message says why, in French."""


def project_path(path: str) -> Path:
    resolved = Path(path).expanduser()
    return resolved if resolved.is_absolute() else Path(settings.BASE_DIR) / resolved


def _load_certificates(path: Path) -> list[x509.Certificate]:
    """The certificates of a PEM or DER file."""
    data = path.read_bytes()
    if pem.detect(data):
        return [x509.Certificate.load(der) for _, _, der in pem.unarmor(data, multiple=True)]
    return [x509.Certificate.load(data)]


def _name(certificate: x509.Certificate) -> str:
    subject = certificate.subject.native
    return subject.get("common_name") or certificate.subject.human_friendly


class PoleSigner:
    """The pôle's signing key and certificate, from a PKCS#12 file, and the timestamping
    server if any. `from_settings()` builds it from the configuration (None if no
    certificate is configured)."""

    def __init__(
        self,
        p12: bytes,
        password: str = "",
        *,
        tsa_url: str = "",
        tsa_timeout: int = 10,
        tsa_ca: list[x509.Certificate] = (),
    ):
        try:
            self.signer = signers.SimpleSigner.load_pkcs12_data(
                p12, other_certs=[], passphrase=password.encode() if password else None
            )
        except ValueError:
            raise SigningError(
                "le certificat de signature du pôle (PKCS#12) ne peut être lu : fichier ou "
                "mot de passe incorrect."
            ) from None
        self.certificate = self.signer.signing_cert
        self.chain = [self.certificate, *self.signer.cert_registry]
        self.tsa_url = tsa_url
        self.tsa_timeout = tsa_timeout
        self.tsa_ca = list(tsa_ca)

    @classmethod
    def from_settings(cls) -> PoleSigner | None:
        path = settings.PNSR_SIGNING_P12
        if not path:
            return None
        resolved = project_path(path)
        try:
            stamp = resolved.stat().st_mtime_ns
        except OSError:
            raise SigningError(
                f"le certificat de signature du pôle est introuvable ({resolved})."
            ) from None
        return _cached_signer(
            str(resolved),
            stamp,
            settings.PNSR_SIGNING_PASSWORD,
            settings.PNSR_TSA_URL,
            settings.PNSR_TSA_TIMEOUT,
            settings.PNSR_TSA_CA,
        )

    @property
    def signer_name(self) -> str:
        return _name(self.certificate)

    def timestamper(self) -> RequestsHTTPTimeStamper | None:
        if not self.tsa_url:
            return None
        return RequestsHTTPTimeStamper(self.tsa_url, timeout=self.tsa_timeout)

    def bytes_reserved(self) -> int:
        certificates = sum(len(certificate.dump()) for certificate in self.chain)
        room = RESERVED_SIGNATURE + certificates + (RESERVED_TIMESTAMP if self.tsa_url else 0)
        return 2 * room

    def sign(self, pdf: bytes, *, reason: str = "") -> bytes:
        """The PDF with the pôle's signature (and its timestamp), as an incremental
        update. SigningError if it cannot be signed."""
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
        _align_producer(writer)
        writer.document_meta.last_modified = timezone.now()
        metadata = signers.PdfSignatureMetadata(
            field_name=FIELD_NAME,
            md_algorithm="sha256",
            subfilter=SigSeedSubFilter.PADES,
            reason=reason or None,
            name=self.signer_name,
        )
        pdf_signer = signers.PdfSigner(metadata, self.signer, timestamper=self.timestamper())
        try:
            output = pdf_signer.sign_pdf(writer, bytes_reserved=self.bytes_reserved())
        except Exception as error:  # noqa: BLE001 - the timestamping server, the key, pyHanko
            raise SigningError(_reason(error)) from error
        return output.getvalue()

    def validation_context(self) -> ValidationContext:
        return trust_context(self.chain)

    def timestamp_context(self) -> ValidationContext | None:
        return trust_context(self.tsa_ca) if self.tsa_ca else None


@functools.lru_cache(maxsize=4)
def _cached_signer(
    path: str, mtime_ns: int, password: str, tsa_url: str, tsa_timeout: int, tsa_ca: str
) -> PoleSigner:
    try:
        p12 = Path(path).read_bytes()
        authority = _load_certificates(project_path(tsa_ca)) if tsa_ca else []
    except (OSError, ValueError) as error:
        raise SigningError(f"fichier de certificat illisible ({error}).") from None
    return PoleSigner(p12, password, tsa_url=tsa_url, tsa_timeout=tsa_timeout, tsa_ca=authority)


def _reason(error: BaseException) -> str:
    text = f"{type(error).__name__} : {error}"
    cause = error
    while cause is not None:  # pyHanko may wrap the timestamping client's error
        if isinstance(cause, TimestampRequestError):
            return f"le serveur d'horodatage n'a pas répondu correctement ({text})."
        cause = cause.__cause__ or cause.__context__
    return text


def _align_producer(writer: IncrementalPdfFileWriter) -> None:
    """pyHanko writes its name as the XMP producer but appends it to the document
    information's: the same name in both, as PDF/A requires."""
    try:
        reference = writer.trailer.raw_get("/Info")
    except KeyError:
        return
    info = reference.get_object()
    if isinstance(info, generic.DictionaryObject) and "/Producer" in info:
        info["/Producer"] = generic.TextStringObject(VENDOR)
        writer.mark_update(reference)


def trust_context(certificates: list[x509.Certificate]) -> ValidationContext:
    """Trust in these certificates only, offline (no revocation fetched)."""
    return ValidationContext(trust_roots=list(certificates), allow_fetching=False)


def configured() -> bool:
    """Whether a signing certificate is configured (documents are signed)."""
    return bool(settings.PNSR_SIGNING_P12)


def sign(pdf: bytes, *, reason: str = "") -> bytes:
    """The PDF signed with the configured certificate, or unchanged if none is."""
    pole = PoleSigner.from_settings()
    return pdf if pole is None else pole.sign(pdf, reason=reason)


@dataclasses.dataclass(frozen=True)
class SignatureCheck:
    """What a file's signature is worth, for a reader: shown on the document's page."""

    signed: bool
    intact: bool = False  # the signed bytes are unchanged and the signature is sound
    whole_file: bool = False  # nothing was added after the signed bytes
    trusted: bool = False  # the certificate is the pôle's (the configured one, its chain)
    signer: str = ""
    signed_at: datetime.datetime | None = None  # the timestamp's, else the claimed one
    timestamped: bool = False
    timestamp_sound: bool = False  # the token matches the signature
    timestamp_trusted: bool = False  # ... and comes from the configured authority
    reason: str = ""
    problem: str = ""

    @property
    def valid(self) -> bool:
        """Intact, whole, from the pôle's certificate, and its timestamp (if any) sound."""
        return (
            self.signed
            and self.intact
            and self.whole_file
            and self.trusted
            and (self.timestamp_sound or not self.timestamped)
        )

    @property
    def verdict(self) -> str:
        if not self.signed:
            return "Document non signé"
        if not self.intact or not self.whole_file:
            return "Signature invalide : le document a été modifié après sa signature"
        if self.timestamped and not self.timestamp_sound:
            return "Signature invalide : l'horodatage ne correspond pas à la signature"
        if not self.trusted:
            return "Signature intacte, mais le certificat n'est pas celui du pôle"
        return "Signature valide"

    @property
    def level(self) -> str:
        """The DSFR badge for the verdict."""
        if not self.signed:
            return "info"
        if self.valid:
            return "success"
        return "warning" if self.intact and self.whole_file else "error"


def _status_ok(status: SignatureStatus | None) -> bool:
    return status is not None and status.intact and status.valid


def verify(pdf: bytes, *, pole: PoleSigner | None = None) -> SignatureCheck:
    """Check the first signature of a PDF against the configured certificate (`pole`,
    by default the settings')."""
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        signatures = reader.embedded_signatures
    except Exception:  # noqa: BLE001 - any damage makes the file unreadable as a PDF
        return SignatureCheck(
            signed=b"/ByteRange" in pdf,
            problem="Le fichier n'est plus un PDF lisible : il a été altéré.",
        )
    if not signatures:
        return SignatureCheck(signed=False)
    if pole is None:
        try:
            pole = PoleSigner.from_settings()
        except SigningError:
            pole = None
    embedded = signatures[0]
    signer_context = pole.validation_context() if pole else trust_context([])
    timestamp_context = (pole.timestamp_context() if pole else None) or trust_context([])
    try:
        status = validate_pdf_signature(
            embedded,
            signer_validation_context=signer_context,
            ts_validation_context=timestamp_context,
            skip_diff=True,
        )
    except Exception as error:  # noqa: BLE001 - a damaged signature container, digest
        return SignatureCheck(
            signed=True,
            problem=f"La signature ne peut être vérifiée ({type(error).__name__}).",
        )
    timestamp = status.timestamp_validity
    reason = embedded.sig_object.get("/Reason")
    return SignatureCheck(
        signed=True,
        intact=_status_ok(status),
        whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE and len(signatures) == 1,
        trusted=bool(status.trusted),
        signer=_name(status.signing_cert),
        signed_at=timestamp.timestamp if timestamp is not None else status.signer_reported_dt,
        timestamped=timestamp is not None,
        timestamp_sound=_status_ok(timestamp),
        timestamp_trusted=bool(timestamp is not None and timestamp.trusted),
        reason=str(reason) if reason else "",
    )


def check_stored(document) -> tuple[SignatureCheck, integrity.TamperedFile | None]:
    """The signature of a version's stored PDF, and the refusal of its SHA-256 check if
    its bytes no longer match it (the administrators are then alerted, and the signature
    is checked on the bytes as they are: it says whether the signed content changed).
    FileMissing if the file is gone."""
    try:
        with open_stored(document) as handle:
            return verify(handle.read()), None
    except integrity.TamperedFile as error:
        with document.file.open("rb") as handle:
            return verify(handle.read()), error
