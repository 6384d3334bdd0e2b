"""Checking an uploaded file: size, extension, and that its content is what it claims.

`check_upload` is the one check every uploaded file goes through (pieces of the referral
and of the case, message attachments, the judgment of a decision, the API's pieces). It
reads only what it needs: the first bytes, the end of the file (a ZIP's directory), a
ZIP's central directory before any entry, at most 101 bytes of an OpenDocument's
`mimetype`, and an image decoded by Pillow once its header shows it within
PIECE_MAX_IMAGE_PIXELS."""

import hashlib
import io
import struct
import unicodedata
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
_ZIP_CENTRAL_SIZE = 46
_ZIP64_END = b"PK\x06\x06"
_ZIP64_LOCATOR = b"PK\x06\x07"
_ZIP64_LOCATOR_SIZE = 20
_ZIP64_MARK = 0xFFFFFFFF
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


def _tail(upload: UploadedFile) -> tuple[int, bytes]:
    """The last 22 + 65535 bytes (an end record and the longest comment it may have, where
    zipfile looks for it), and where they start in the file."""
    start = max(upload.size - (_ZIP_END_SIZE + _ZIP_MAX_COMMENT), 0)
    upload.seek(start)
    return start, upload.read(upload.size - start)


def _ends_as_zip(upload: UploadedFile) -> bool:
    """Whether zipfile could take the file for a ZIP: an end record whole in its tail, or
    a ZIP64 end record there. Deliberately broad (a polyglot is refused on it); a PDF or
    an image holds these bytes there by chance about once in a hundred thousand files."""
    _, tail = _tail(upload)
    whole = tail.find(_ZIP_END, 0, max(len(tail) - _ZIP_END_SIZE + len(_ZIP_END), 0)) >= 0
    return whole or _ZIP64_END in tail


def _check_archive_bounds(upload: UploadedFile) -> None:
    """Before zipfile parses the central directory, walk it here within bounds: the end
    record and its comment end the file; no ZIP64 record or locator (zipfile would believe
    the sizes they announce over the end record's, and ZIP64 is never needed at our
    sizes); the directory holds at most ZIP_MAX_ENTRIES entries in ZIP_MAX_DIRECTORY_BYTES
    and ends where the end record starts (nothing prepended); each of its headers, parsed
    and counted, is what the end record announces."""
    tail_at, tail = _tail(upload)
    at = tail.rfind(_ZIP_END)
    if at < 0 or len(tail) - at < _ZIP_END_SIZE:
        raise _Mismatch
    _, disk, directory_disk, disk_entries, entries, size, offset, comment = struct.unpack(
        "<4s4H2LH", tail[at : at + _ZIP_END_SIZE]
    )
    end_at = tail_at + at
    if at + _ZIP_END_SIZE + comment != len(tail) or _ZIP64_END in tail:
        raise _Mismatch
    if end_at >= _ZIP64_LOCATOR_SIZE:
        upload.seek(end_at - _ZIP64_LOCATOR_SIZE)
        if upload.read(len(_ZIP64_LOCATOR)) == _ZIP64_LOCATOR:
            raise _Mismatch
    if disk or directory_disk or disk_entries != entries:
        raise _Mismatch  # an archive split over several disks
    if entries > ZIP_MAX_ENTRIES or size > ZIP_MAX_DIRECTORY_BYTES:
        raise _Bomb("il contient plus de %(limit)s fichiers", limit=ZIP_MAX_ENTRIES)
    if offset + size != end_at:
        raise _Mismatch
    upload.seek(offset)
    directory = upload.read(size)
    position = count = 0
    while position < size:
        count += 1
        header = directory[position : position + _ZIP_CENTRAL_SIZE]
        if count > entries or len(header) < _ZIP_CENTRAL_SIZE:
            raise _Mismatch
        fields = struct.unpack("<4s6H3L5H2L", header)
        signature, compressed, uncompressed, local_at = fields[0], *fields[8:10], fields[16]
        if (
            signature != _ZIP_CENTRAL
            or _ZIP64_MARK in (compressed, uncompressed, local_at)
            or local_at >= offset
        ):
            raise _Mismatch
        position += _ZIP_CENTRAL_SIZE + sum(fields[10:13])  # name, extra field, comment
    if position != size or count != entries:
        raise _Mismatch


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
    """Its size read from its header, refused past settings.PIECE_MAX_IMAGE_PIXELS before
    any pixel is decoded (a blank image of tens of millions of pixels weighs a few KB and
    would take hundreds of MB once loaded); then decoded by Pillow, once to verify its
    structure, once to load its pixels (Pillow's own MAX_IMAGE_PIXELS still stands: it
    warns past it and refuses past twice it, both refused here)."""
    limit = min(settings.PIECE_MAX_IMAGE_PIXELS, Image.MAX_IMAGE_PIXELS)
    too_large = _Bomb(
        "l'image dépasse %(limit)s millions de pixels",
        "Réduisez sa résolution (300 points par pouce suffisent) ou enregistrez-la en PDF.",
        limit=limit // 1_000_000,
    )
    try:
        with _strict_pillow():
            for load in (False, True):
                upload.seek(0)
                with Image.open(upload, formats=[_IMAGE_FORMAT[declared]]) as image:
                    width, height = image.size
                    if width * height > limit:
                        raise too_large
                    if load:
                        image.load()
                    else:
                        image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise too_large from error
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError) as error:
        raise _Mismatch from error


def _check_content(upload: UploadedFile, declared: str) -> None:
    upload.seek(0)
    head = upload.read(2048)
    if declared in _OOXML_PART or declared in _ODF:
        _check_zip(upload, head, declared)
        return
    # Any other format that also ends as a ZIP is two files in one (a polyglot).
    if _ends_as_zip(upload):
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


_NAME_KEPT = " .-_()"
ARCHIVE_NAME_MAX = 150


def archive_name(name: str) -> str:
    """A piece's name as it may go into an archive: letters (accented ones included),
    digits, spaces and `.-_()` kept, anything else (`\\`, `/`, `:`, control characters…)
    replaced by `_`, no leading dot, no trailing dot or space (Windows drops them), at most
    ARCHIVE_NAME_MAX characters with its extension kept. Django strips `/` from an
    upload's name but not `\\`: `..\\..\\x` would leave the folder on Windows."""
    name = unicodedata.normalize("NFC", name or "")
    safe = "".join(c if c.isalnum() or c in _NAME_KEPT else "_" for c in name)
    safe = safe.lstrip(". ").rstrip(". ")
    if len(safe) > ARCHIVE_NAME_MAX:
        suffix = PurePath(safe).suffix[:10]
        safe = safe[: ARCHIVE_NAME_MAX - len(suffix)].rstrip(". ") + suffix
    return safe or "piece"


def sample_pdf(title: str) -> bytes:
    """A small valid one-page PDF (demo data and tests), its text in WinAnsiEncoding (the
    latin-1 bytes written: without it « é » reads « Ø »)."""
    text = title.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    stream = f"BT /F1 14 Tf 72 770 Td ({text}) Tj ET".encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
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
