"""Checking an uploaded piece: size, extension, and that its content is what it claims."""

import hashlib
import io
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

from .formatting import megabytes

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
TIFF = "image/tiff"
DOC = "application/msword"
XLS = "application/vnd.ms-excel"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"

EXTENSIONS = {
    ".pdf": PDF,
    ".jpg": JPEG,
    ".jpeg": JPEG,
    ".png": PNG,
    ".tif": TIFF,
    ".tiff": TIFF,
    ".doc": DOC,
    ".xls": XLS,
    ".docx": DOCX,
    ".xlsx": XLSX,
    ".odt": ODT,
    ".ods": ODS,
}
ALLOWED_LABEL = (
    "PDF, JPEG, PNG, TIFF, Word (.doc, .docx), Excel (.xls, .xlsx), OpenDocument (.odt, .ods)"
)

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OOXML_PART = {DOCX: "word/document.xml", XLSX: "xl/workbook.xml"}


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    size: int
    sha256: str


def _sniff(head: bytes, upload: UploadedFile, declared: str) -> bool:
    """Does the content match the type its extension declares?"""
    if declared == PDF:
        return b"%PDF-" in head[:1024]
    if declared == JPEG:
        return head.startswith(b"\xff\xd8\xff")
    if declared == PNG:
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if declared == TIFF:
        return head.startswith((b"II*\x00", b"MM\x00*"))
    if declared in (DOC, XLS):
        return head.startswith(_OLE)
    if not head.startswith(b"PK\x03\x04"):
        return False
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            if declared in _OOXML_PART:
                return _OOXML_PART[declared] in names
            if "mimetype" in names:
                return archive.read("mimetype").decode("ascii", "replace").strip() == declared
            return False
    except (
        zipfile.BadZipFile,
        OSError,
        ValueError,
        EOFError,
        RuntimeError,  # an encrypted entry
        NotImplementedError,  # an unknown compression method
        zlib.error,
    ):
        return False
    finally:
        upload.seek(0)


def check_upload(upload: UploadedFile) -> CheckedFile:
    """Validate an upload and fingerprint it; raises ValidationError in French."""
    name = upload.name or ""
    extension = PurePath(name).suffix.lower()
    limit = settings.PIECE_MAX_BYTES
    if upload.size == 0:
        raise ValidationError("Le fichier « %(name)s » est vide.", params={"name": name})
    if upload.size > limit:
        raise ValidationError(
            "Le fichier « %(name)s » fait %(size)s : la limite est de %(limit)s par pièce. "
            "Compressez-le ou découpez-le.",
            params={"name": name, "size": megabytes(upload.size), "limit": megabytes(limit)},
        )
    declared = EXTENSIONS.get(extension)
    if declared is None:
        raise ValidationError(
            "Le format du fichier « %(name)s » n'est pas accepté. Formats acceptés : %(allowed)s.",
            params={"name": name, "allowed": ALLOWED_LABEL},
        )
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    if not _sniff(head, upload, declared):
        raise ValidationError(
            "Le contenu du fichier « %(name)s » ne correspond pas à son extension "
            "%(extension)s : le fichier est peut-être endommagé ou renommé. Enregistrez-le "
            "à nouveau dans son format d'origine.",
            params={"name": name, "extension": extension},
        )
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedFile(content_type=declared, size=upload.size, sha256=digest.hexdigest())


def sample_pdf(title: str) -> bytes:
    """A small valid one-page PDF (demo data and tests)."""
    text = title.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    stream = f"BT /F1 14 Tf 72 770 Td ({text}) Tj ET".encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()
