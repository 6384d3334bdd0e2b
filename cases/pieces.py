"""Checking an uploaded file: size, extension, and that its content is what it claims.

`check_upload` is the one check every uploaded file goes through (pieces of the referral
and of the case, message attachments, the judgment of a decision, the API's pieces). It
reads only what it needs: the first bytes, the end of the file (a ZIP's directory), a
ZIP's central directory before any entry, at most 101 bytes of an OpenDocument's
`mimetype`, and an image decoded by Pillow within its decompression-bomb bound."""

import hashlib
import io
import struct
import warnings
import zipfile
import zlib
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, ImageFile, UnidentifiedImageError

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

# What an office document's ZIP may hold, checked on its central directory before any
# entry is read. Office documents stay far below these; a zip bomb does not.
ZIP_MAX_ENTRIES = 2000
ZIP_MAX_DIRECTORY_BYTES = 2 * 1024 * 1024
ZIP_MAX_ENTRY_BYTES = 100 * 1024 * 1024
ZIP_MAX_TOTAL_BYTES = 200 * 1024 * 1024
# XML deflates well, but not a hundred times over once past a megabyte.
ZIP_MAX_RATIO = 100
ZIP_RATIO_FROM_BYTES = 1024 * 1024
ODF_MIMETYPE_MAX_BYTES = 100

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_LOCAL = b"PK\x03\x04"
_ZIP_CENTRAL = b"PK\x01\x02"
_ZIP_END = b"PK\x05\x06"
_ZIP_END_SIZE = 22
_ZIP_MAX_COMMENT = 0xFFFF
_OOXML_PART = {DOCX: "word/document.xml", XLSX: "xl/workbook.xml"}
_ODF = (ODT, ODS)
_IMAGE_FORMAT = {JPEG: "JPEG", PNG: "PNG", TIFF: "TIFF"}
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    OSError,
    ValueError,
    EOFError,
    RuntimeError,  # an encrypted entry
    NotImplementedError,  # an unknown compression method
    zlib.error,
)


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    size: int
    sha256: str


class _Mismatch(Exception):
    """The content is not what the extension declares."""


class _Bomb(Exception):
    """The content would take far more than its size once decompressed."""

    def __init__(self, detail: str, advice: str = "", **params):
        super().__init__(detail)
        self.detail = detail
        self.advice = advice or (
            "Un document de bureautique ordinaire n'en arrive pas là : enregistrez-le à "
            "nouveau depuis son logiciel d'origine."
        )
        self.params = params


def _zip_end(upload: UploadedFile) -> tuple[int, int] | None:
    """The end of central directory record at the end of the file, as (entries, central
    directory size), or None when the file does not end as a ZIP does. Reads at most the
    last 64 KiB. A record is believed only where its central directory starts with its
    signature, so that a PDF or an image ending by chance with the record's four bytes
    is not taken for a ZIP."""
    tail_size = min(upload.size, _ZIP_END_SIZE + _ZIP_MAX_COMMENT)
    upload.seek(upload.size - tail_size)
    tail = upload.read(tail_size)
    at = tail.rfind(_ZIP_END)
    if at < 0 or len(tail) - at < _ZIP_END_SIZE:
        return None
    _, _, _, _, entries, directory_size, _, _ = struct.unpack(
        "<4s4H2LH", tail[at : at + _ZIP_END_SIZE]
    )
    directory_at = upload.size - tail_size + at - directory_size
    if directory_at < 0:
        return None
    upload.seek(directory_at)
    if entries and upload.read(4) != _ZIP_CENTRAL:
        return None
    return entries, directory_size


def _check_archive_bounds(upload: UploadedFile) -> None:
    """Before zipfile parses the central directory: its entry count and size, from the
    end record."""
    end = _zip_end(upload)
    if end is None:
        raise _Mismatch
    entries, directory_size = end
    # 0xFFFF and 0xFFFFFFFF mean a ZIP64 archive: no office document of our size needs one.
    if entries >= 0xFFFF or entries > ZIP_MAX_ENTRIES or directory_size > ZIP_MAX_DIRECTORY_BYTES:
        raise _Bomb("il contient plus de %(limit)s fichiers", limit=ZIP_MAX_ENTRIES)


def _check_entries(archive: zipfile.ZipFile) -> None:
    """Before reading any entry: each one's declared sizes and ratio, and their total."""
    infos = archive.infolist()
    if len(infos) > ZIP_MAX_ENTRIES:
        raise _Bomb("il contient plus de %(limit)s fichiers", limit=ZIP_MAX_ENTRIES)
    total = 0
    for info in infos:
        # Deflate never grows data by more than a few bytes a block: a compressed size
        # past the declared one means the directory lies about what the entry holds.
        if info.compress_size > info.file_size + info.file_size // 100 + 1024:
            raise _Bomb("sa table des matières annonce des tailles fausses")
        if info.file_size > ZIP_MAX_ENTRY_BYTES:
            raise _Bomb(
                "l'un de ses éléments ferait %(size)s une fois décompressé (limite : %(limit)s)",
                size=megabytes(info.file_size),
                limit=megabytes(ZIP_MAX_ENTRY_BYTES),
            )
        if info.file_size > ZIP_RATIO_FROM_BYTES and info.file_size > ZIP_MAX_RATIO * max(
            info.compress_size, 1
        ):
            raise _Bomb(
                "l'un de ses éléments se décompresse plus de %(limit)s fois",
                limit=ZIP_MAX_RATIO,
            )
        total += info.file_size
    if total > ZIP_MAX_TOTAL_BYTES:
        raise _Bomb(
            "il ferait %(size)s une fois décompressé (limite : %(limit)s)",
            size=megabytes(total),
            limit=megabytes(ZIP_MAX_TOTAL_BYTES),
        )


def _check_odf_mimetype(archive: zipfile.ZipFile, head: bytes, declared: str) -> None:
    """ODF 1.2, part 3, 3.3: `mimetype` first (in the file and in its directory), stored,
    holding the media type alone."""
    infos = archive.infolist()
    if not infos or head[30:38] != b"mimetype":
        raise _Mismatch
    first = infos[0]
    if (
        first.filename != "mimetype"
        or first.compress_type != zipfile.ZIP_STORED
        or first.file_size > ODF_MIMETYPE_MAX_BYTES
    ):
        raise _Mismatch
    with archive.open(first) as entry:
        content = entry.read(ODF_MIMETYPE_MAX_BYTES + 1)
    if content.decode("ascii", "replace").strip() != declared:
        raise _Mismatch


def _check_zip(upload: UploadedFile, head: bytes, declared: str) -> None:
    # A PDF reader finds `%PDF-` anywhere in the first KiB: a ZIP holding it is both.
    if not head.startswith(_ZIP_LOCAL) or b"%PDF-" in head[:1024]:
        raise _Mismatch
    _check_archive_bounds(upload)
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            _check_entries(archive)
            if declared in _ODF:
                _check_odf_mimetype(archive, head, declared)
            elif _OOXML_PART[declared] not in archive.NameToInfo:
                raise _Mismatch
    except _ZIP_ERRORS as error:
        raise _Mismatch from error


@contextmanager
def _strict_pillow():
    """Pillow's bomb warning raised, and truncated images refused, for the time of the
    check. Both are process-wide: WeasyPrint turns LOAD_TRUNCATED_IMAGES on when it is
    imported; it renders only our own assets, which are never truncated."""
    tolerant = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            yield
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = tolerant


def _check_image(upload: UploadedFile, declared: str) -> None:
    """Decoded by Pillow, once to verify its structure, once to load its pixels, neither
    past Image.MAX_IMAGE_PIXELS (Pillow warns past it and refuses past twice it: both
    refuse here)."""
    try:
        with _strict_pillow():
            for load in (False, True):
                upload.seek(0)
                with Image.open(upload, formats=[_IMAGE_FORMAT[declared]]) as image:
                    if load:
                        image.load()
                    else:
                        image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise _Bomb(
            "l'image dépasse %(limit)s millions de pixels",
            "Réduisez sa résolution (300 points par pouce suffisent) ou enregistrez-la en PDF.",
            limit=Image.MAX_IMAGE_PIXELS // 1_000_000,
        ) from error
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError) as error:
        raise _Mismatch from error


def _check_content(upload: UploadedFile, declared: str) -> None:
    upload.seek(0)
    head = upload.read(2048)
    if declared in _OOXML_PART or declared in _ODF:
        _check_zip(upload, head, declared)
        return
    # Any other format that also ends as a ZIP is two files in one (a polyglot).
    if _zip_end(upload) is not None:
        raise _Mismatch
    if declared == PDF:
        if not head.startswith(b"%PDF-"):
            raise _Mismatch
    elif declared in _IMAGE_FORMAT:
        _check_image(upload, declared)
    elif not head.startswith(_OLE):  # DOC, XLS
        raise _Mismatch


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
    try:
        _check_content(upload, declared)
    except _Bomb as bomb:
        raise ValidationError(
            "Le fichier « %(name)s » est refusé : " + bomb.detail + ". " + bomb.advice,
            params={"name": name, **bomb.params},
        ) from None
    except _Mismatch:
        raise ValidationError(
            "Le contenu du fichier « %(name)s » ne correspond pas à son extension "
            "%(extension)s : le fichier est peut-être endommagé ou renommé. Enregistrez-le "
            "à nouveau dans son format d'origine.",
            params={"name": name, "extension": extension},
        ) from None
    finally:
        upload.seek(0)
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
