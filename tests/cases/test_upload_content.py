"""What an upload's content must be: zip bombs refused from their central directory with
the memory of the check bounded, PDFs and images recognised by their content (Pillow
decodes the images), polyglots refused; and every path that takes a file refuses them."""

import functools
import io
import random
import struct
import tracemalloc
import zipfile
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image, ImageFile

from cases.enums import CaseStatus
from cases.models import MessageAttachment, Piece
from cases.pieces import DOCX, ODS, ODT, PNG, TIFF, check_upload, sample_pdf
from tests.api.conftest import client_for
from tests.factories import CaseFactory

MB = 1024 * 1024
BOMB_MB = 400  # what the bombs below inflate to
MEMORY_BOUND = 4 * MB  # the check's peak, whatever the bomb


def _deflated_zeros(megabytes: int) -> tuple[bytes, int]:
    """A raw deflate stream of `megabytes` MB of zeros at the highest level, and its CRC:
    one megabyte deflated then repeated (a full flush makes each copy stand alone)."""
    zeros = b"\0" * MB
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
    final = zlib.compressobj(9, zlib.DEFLATED, -15).flush()
    crc = 0
    for _ in range(megabytes):
        crc = zlib.crc32(zeros, crc)
    return block * megabytes + final, crc


def _zip(entries: list[tuple]) -> bytes:
    """A ZIP written entry by entry: (name, content) stored, or (name, deflated, crc, size)
    for a precompressed entry, whose declared size may lie."""
    out, directory = io.BytesIO(), io.BytesIO()
    for entry in entries:
        name = entry[0].encode()
        if len(entry) == 2:
            data, method, crc, size = (
                entry[1],
                zipfile.ZIP_STORED,
                zlib.crc32(entry[1]),
                len(entry[1]),
            )
        else:
            _, data, crc, size = entry
            method = zipfile.ZIP_DEFLATED
        offset = out.tell()
        sizes = (crc, len(data), size, len(name))
        out.write(struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, method, 0, 0, *sizes, 0))
        out.write(name + data)
        directory.write(
            struct.pack(
                "<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, method, 0, 0, *sizes, 0, 0, 0, 0, 0, offset
            )
        )
        directory.write(name)
    start, body = out.tell(), directory.getvalue()
    out.write(body)
    out.write(
        struct.pack(
            "<4s4H2LH", b"PK\x05\x06", 0, 0, len(entries), len(entries), len(body), start, 0
        )
    )
    return out.getvalue()


@functools.cache
def _zeros_entry(name: str, lie: bool = False) -> tuple:
    data, crc = _deflated_zeros(BOMB_MB)
    return (name, data, crc, 1000 if lie else BOMB_MB * MB)


ODT_MIMETYPE = ("mimetype", ODT.encode())


def _without_directory(archive: bytes) -> bytes:
    entries = archive[: archive.index(b"PK\x01\x02")]
    return entries + struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 0, 0, 0, len(entries), 0)


def _odt(*others: tuple, first: tuple = ODT_MIMETYPE) -> bytes:
    return _zip([first, ("content.xml", b"<office:document-content/>"), *others])


def _upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, "application/octet-stream")


def _refused(name: str, content: bytes) -> str:
    with pytest.raises(ValidationError) as refused:
        check_upload(_upload(name, content))
    return refused.value.messages[0]


def _peak_while_refusing(name: str, content: bytes) -> tuple[int, str]:
    upload = _upload(name, content)
    tracemalloc.start()
    try:
        with pytest.raises(ValidationError) as refused:
            check_upload(upload)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak, refused.value.messages[0]


def test_the_bomb_builder_makes_a_real_bomb():
    """The helper's archives are read by zipfile as what they claim: hundreds of MB of
    zeros from well under a megabyte."""
    content = _odt(_zeros_entry("Pictures/zeros.bin"))
    assert len(content) < MB
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert archive.getinfo("Pictures/zeros.bin").file_size == BOMB_MB * MB
        with archive.open("Pictures/zeros.bin") as entry:
            assert entry.read(MB) == b"\0" * MB


# --- zip bombs ---------------------------------------------------------------------------


def test_an_opendocument_whose_mimetype_is_a_bomb_is_refused_without_reading_it():
    peak, message = _peak_while_refusing("statuts.odt", _zip([_zeros_entry("mimetype")]))
    assert message.startswith("Le fichier « statuts.odt » est refusé : l'un de ses éléments ")
    assert "enregistrez-le à nouveau depuis son logiciel d'origine" in message
    assert peak < MEMORY_BOUND


@pytest.mark.parametrize("lie", [False, True], ids=["declared", "lying-directory"])
def test_an_opendocument_with_a_bomb_inside_is_refused_in_bounded_memory(lie):
    content = _odt(_zeros_entry("Pictures/zeros.bin", lie=lie))
    peak, message = _peak_while_refusing("statuts.odt", content)
    assert message.startswith("Le fichier « statuts.odt » est refusé : ")
    expected = "tailles fausses" if lie else "ferait 400 Mo une fois décompressé (limite : 100 Mo)"
    assert expected in message
    assert peak < MEMORY_BOUND


def test_a_word_document_with_a_bomb_inside_is_refused_in_bounded_memory():
    content = _zip(
        [
            ("[Content_Types].xml", b"<Types/>"),
            ("word/document.xml", b"<w:document/>"),
            _zeros_entry("word/media/image1.png"),
        ]
    )
    peak, message = _peak_while_refusing("courrier.docx", content)
    assert message.startswith("Le fichier « courrier.docx » est refusé : ")
    assert peak < MEMORY_BOUND


def test_many_small_entries_that_add_up_are_refused(monkeypatch):
    monkeypatch.setattr("cases.pieces.ZIP_MAX_TOTAL_BYTES", 10_000)
    parts = [(f"Pictures/{n}.txt", b"x" * 4000) for n in range(3)]
    message = _refused("statuts.odt", _odt(*parts))
    assert "ferait" in message and "une fois décompressé" in message


def test_an_archive_of_too_many_entries_is_refused_before_it_is_parsed():
    parts = [(f"p/{n}", b"") for n in range(2001)]
    message = _refused("statuts.odt", _odt(*parts))
    assert "il contient plus de 2000 fichiers" in message


def test_a_highly_compressed_entry_under_the_size_limits_is_refused():
    data, crc = _deflated_zeros(5)
    message = _refused("statuts.odt", _odt(("content2.xml", data, crc, 5 * MB)))
    assert "se décompresse plus de 100 fois" in message


# --- the central directory and ZIP64 -----------------------------------------------------


def _end_record(archive: bytes) -> tuple[int, int, int, int]:
    """Where a ZIP's end record starts, and its entry count, directory size and offset."""
    at = archive.rindex(b"PK\x05\x06")
    _, _, _, _, entries, size, offset, _ = struct.unpack("<4s4H2LH", archive[at : at + 22])
    return at, entries, size, offset


def _with_zip64_end(archive: bytes, classic: tuple[int, int, int]) -> bytes:
    """The archive's end record replaced by a ZIP64 end record (its true entries, directory
    size and offset), its locator, then a classic end record announcing `classic`
    (entries, directory size, offset): zipfile believes the ZIP64 record."""
    at, entries, size, offset = _end_record(archive)
    zip64 = struct.pack(
        "<4sQ2H2L4Q", b"PK\x06\x06", 44, 45, 45, 0, 0, entries, entries, size, offset
    )
    locator = struct.pack("<4sLQL", b"PK\x06\x07", 0, at, 1)
    count, classic_size, classic_offset = classic
    end = struct.pack(
        "<4s4H2LH", b"PK\x05\x06", 0, 0, count, count, classic_size, classic_offset, 0
    )
    return archive[:at] + zip64 + locator + end


def test_a_zip64_record_announcing_a_huge_directory_is_refused_in_bounded_memory():
    """A classic end record announcing one entry, and a ZIP64 record before it announcing
    30 000 that zipfile would build objects for before any check of ours."""
    parts = [(f"p/{n:05d}", b"") for n in range(30_000)]
    archive = _odt(*parts)
    at, _, _, _ = _end_record(archive)
    last = 46 + len("p/29999")  # the directory's last header, just before the end record
    content = _with_zip64_end(archive, (1, last + 56 + 20, at - last))
    with zipfile.ZipFile(io.BytesIO(content)) as read:
        assert len(read.infolist()) == 30_002
    peak, message = _peak_while_refusing("statuts.odt", content)
    assert message.startswith("Le contenu du fichier « statuts.odt » ne correspond pas")
    assert peak < MEMORY_BOUND


def test_a_zip64_locator_before_the_end_record_is_refused():
    archive = _odt()
    at, entries, size, offset = _end_record(archive)
    content = _with_zip64_end(archive, (entries, size, offset))
    assert zipfile.ZipFile(io.BytesIO(content)).namelist() == ["mimetype", "content.xml"]
    assert "ne correspond pas à son extension .odt" in _refused("statuts.odt", content)


def test_an_end_record_announcing_fewer_entries_than_its_directory_holds_is_refused():
    archive = _odt(("styles.xml", b"<x/>"))
    at, entries, size, offset = _end_record(archive)
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 2, 2, size, offset, 0)
    content = archive[:at] + end
    assert len(zipfile.ZipFile(io.BytesIO(content)).infolist()) == 3
    assert "ne correspond pas à son extension .odt" in _refused("statuts.odt", content)


def test_an_archive_behind_prepended_data_is_refused():
    """zipfile finds an archive's entries after anything put before it; a reader that walks
    the file from its start sees another one."""
    other = _zip([ODT_MIMETYPE, ("content.xml", b"<autre/>")])
    content = other[: other.index(b"PK\x01\x02")] + _odt()
    assert zipfile.ZipFile(io.BytesIO(content)).read("content.xml") != b"<autre/>"
    assert "ne correspond pas à son extension .odt" in _refused("statuts.odt", content)


@pytest.mark.parametrize("comment", [b"x", b"PK" * 1000 + b"x" * 63535], ids=["short", "longest"])
def test_an_archive_with_a_comment_is_accepted(comment):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", ODT)
        archive.writestr("content.xml", "<office:document-content/>")
        archive.comment = comment
    assert out.getvalue().endswith(comment) and len(comment) <= 0xFFFF
    assert check_upload(_upload("statuts.odt", out.getvalue())).content_type == ODT


# --- OpenDocument and OOXML -------------------------------------------------------------


def test_a_well_formed_opendocument_is_accepted():
    assert check_upload(_upload("statuts.odt", _odt())).content_type == ODT
    sheet = _zip([("mimetype", ODS.encode()), ("content.xml", b"<x/>")])
    assert check_upload(_upload("bilan.ods", sheet)).content_type == ODS


def test_an_opendocument_saved_by_zipfile_the_usual_way_is_accepted():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), ODT)  # ZipInfo: stored
        archive.writestr("content.xml", "<office:document-content/>" * 50)
    assert check_upload(_upload("statuts.odt", out.getvalue())).content_type == ODT


@pytest.mark.parametrize(
    "content",
    [
        _zip([("content.xml", b"<x/>"), ODT_MIMETYPE]),  # mimetype not first
        _odt(first=("mimetype", ODT.encode() + b" " * 100)),  # over 100 bytes
        _odt(first=("mimetype", ODS.encode())),  # a spreadsheet renamed .odt
        _without_directory(_odt()),  # entries, but a directory that lists none
    ],
    ids=["mimetype-not-first", "mimetype-too-long", "other-type", "empty-directory"],
)
def test_an_opendocument_breaking_the_mimetype_rule_is_refused(content):
    message = _refused("statuts.odt", content)
    assert message.startswith("Le contenu du fichier « statuts.odt » ne correspond pas")


def test_a_deflated_mimetype_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", ODT)
    assert "ne correspond pas à son extension .odt" in _refused("statuts.odt", out.getvalue())


def test_a_minimal_word_document_is_still_accepted():
    content = _zip([("[Content_Types].xml", b"<Types/>"), ("word/document.xml", b"<w/>")])
    assert check_upload(_upload("courrier.docx", content)).content_type == DOCX


# --- PDF, polyglots ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("page.pdf", b"<html><body>%PDF-1.4</body></html>"),
        ("page.pdf", b"\n%PDF-1.4\n" + sample_pdf("x")[9:]),  # not at offset 0
        ("dessin.pdf", b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>'),
        ("double.pdf", sample_pdf("x") + _odt()),  # a PDF that is also a ZIP
        ("double.docx", _zip([("%PDF-1.4", b""), ("word/document.xml", b"<w/>")])),
        ("double.odt", _odt().replace(b"<office", b"%PDF-")),  # %PDF- in the first KiB
    ],
    ids=["html", "pdf-not-at-start", "svg", "pdf-then-zip", "zip-with-pdf-header", "odt-pdf"],
)
def test_html_svg_and_polyglots_are_refused(name, content):
    message = _refused(name, content)
    assert message.startswith(f"Le contenu du fichier « {name} » ne correspond pas")


@pytest.mark.parametrize("name", ["note.pdf", "plan.png"])
def test_a_file_ending_with_a_zip64_archive_is_refused(name):
    """The classic end record says « see ZIP64 » (0xFFFF entries, 0xFFFFFFFF bytes): it
    locates no directory by itself, but zipfile reads the archive through the ZIP64 one."""
    archive = _zip([("evil.html", b"<script>alert(1)</script>")])
    host = sample_pdf("x") if name.endswith(".pdf") else _image("PNG")
    content = host + _with_zip64_end(archive, (0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF))
    assert zipfile.ZipFile(io.BytesIO(content)).read("evil.html").startswith(b"<script>")
    assert f"Le contenu du fichier « {name} » ne correspond pas" in _refused(name, content)


def test_a_pdf_that_merely_contains_the_zip_signature_is_accepted():
    content = sample_pdf("x").replace(b"%%EOF", b"% PK\x05\x06\n%%EOF")
    assert check_upload(_upload("titre.pdf", content)).content_type == "application/pdf"


# --- images --------------------------------------------------------------------------------


def _image(format: str, size=(60, 40), mode="RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, "white").save(out, format)
    return out.getvalue()


def _noisy_jpeg() -> bytes:
    noise = random.Random(1)
    pixels = bytes(noise.randrange(256) for _ in range(200 * 200 * 3))
    out = io.BytesIO()
    Image.frombytes("RGB", (200, 200), pixels).save(out, "JPEG")
    return out.getvalue()


def test_real_images_are_accepted():
    assert check_upload(_upload("plan.png", _image("PNG"))).content_type == PNG
    assert check_upload(_upload("scan.tif", _image("TIFF"))).content_type == TIFF


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("plan.png", _image("PNG")[:-40]),  # truncated
        ("plan.png", _image("PNG").replace(b"IDAT", b"IDAT\0", 1)),  # a broken chunk
        ("photo.jpg", _image("JPEG")[:200]),  # truncated in its header
        ("photo.jpg", _noisy_jpeg()[:12_000]),  # truncated in its pixels: only a load sees it
        ("photo.jpg", b"\xff\xd8\xff\xe0" + b"<html>" * 50),  # only the magic bytes
        ("plan.png", _image("PNG") + _odt()),  # an image that is also a ZIP
    ],
    ids=[
        "png-truncated",
        "png-broken",
        "jpeg-truncated",
        "jpeg-pixels-truncated",
        "jpeg-magic-only",
        "png-then-zip",
    ],
)
def test_damaged_or_disguised_images_are_refused(name, content):
    tolerant = ImageFile.LOAD_TRUNCATED_IMAGES  # WeasyPrint's choice, left as it was
    assert f"Le contenu du fichier « {name} » ne correspond pas" in _refused(name, content)
    assert tolerant == ImageFile.LOAD_TRUNCATED_IMAGES


def test_an_image_bomb_is_refused_before_its_pixels_are_loaded():
    """10 000 × 10 000 pixels (100 millions, over Pillow's 89 million) in a few KB."""
    content = _image("PNG", size=(10_000, 10_000), mode="1")
    assert len(content) < 100_000
    peak, message = _peak_while_refusing("plan.png", content)
    assert message == (
        "Le fichier « plan.png » est refusé : l'image dépasse 40 millions de pixels. Réduisez "
        "sa résolution (300 points par pouce suffisent) ou enregistrez-la en PDF."
    )
    assert peak < MEMORY_BOUND


def _blank_png(width: int, height: int) -> bytes:
    """A black-and-white PNG of width × height pixels, all white, written with zlib: its
    rows of zeros deflate a thousand times over."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">L", len(data)) + body + struct.pack(">L", zlib.crc32(body))

    row = b"\0" + b"\0" * ((width + 7) // 8)  # filter type 0, then the row's bits
    compressor = zlib.compressobj(9)
    pixels = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">2L5B", width, height, 1, 0, 0, 0, 0)  # 1 bit, greyscale
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def test_an_image_over_our_own_pixel_cap_is_refused_from_its_header():
    """6 400 × 6 300 pixels (40.3 millions): under Pillow's 89 million, over ours (an A4
    page at 600 dpi), in a few KB."""
    content = _blank_png(6_400, 6_300)
    assert len(content) < 20_000
    with Image.open(io.BytesIO(content)) as image:
        assert image.size == (6_400, 6_300)
    peak, message = _peak_while_refusing("scan.png", content)
    assert message == (
        "Le fichier « scan.png » est refusé : l'image dépasse 40 millions de pixels. Réduisez "
        "sa résolution (300 points par pouce suffisent) ou enregistrez-la en PDF."
    )
    assert peak < MEMORY_BOUND


def test_the_pixel_cap_is_a_setting(settings):
    settings.PIECE_MAX_IMAGE_PIXELS = 60 * 40
    assert check_upload(_upload("plan.png", _blank_png(60, 40))).content_type == PNG
    assert "l'image dépasse" in _refused("plan.png", _blank_png(61, 40))


# --- every path that takes a file --------------------------------------------------------


@functools.cache
def _bomb() -> bytes:
    return _zip([_zeros_entry("mimetype")])


@pytest.mark.django_db
def test_the_case_page_refuses_a_bomb_as_a_piece(client, users):
    case = CaseFactory(created_by=users["poste_agent"])
    client.force_login(users["poste_agent"])
    response = client.post(
        reverse("cases:piece_add", args=[case.reference]),
        {"kind": "kbis", "file": _upload("statuts.odt", _bomb())},
    )
    assert response.status_code == 422
    assert "Le fichier « statuts.odt » est refusé" in response.content.decode()
    assert not Piece.objects.filter(case=case).exists()


@pytest.mark.django_db
def test_a_message_refuses_a_bomb_as_an_attachment(client, users):
    case = CaseFactory(to=CaseStatus.SUBMITTED, created_by=users["poste_agent"])
    client.force_login(users["jurist"])
    response = client.post(
        reverse("cases:message_post", args=[case.reference]),
        {"body": "Voici les statuts.", "attachments": [_upload("statuts.odt", _bomb())]},
    )
    assert response.status_code == 422
    assert "Le fichier « statuts.odt » est refusé" in response.content.decode()
    assert not MessageAttachment.objects.exists()


@pytest.mark.django_db
def test_the_api_refuses_a_bomb_as_a_piece(users):
    agent = users["poste_agent"]
    draft = CaseFactory(created_by=agent, poste_comptable=agent.poste_comptable)
    response = client_for(agent).post(
        reverse("api:pieces", args=[draft.reference]),
        {"kind": "kbis", "file": _upload("statuts.odt", _bomb())},
        format="multipart",
    )
    assert response.status_code == 400
    assert response.json()["errors"]["file"][0].startswith("Le fichier « statuts.odt » est refusé")
    assert not draft.pieces.exists()
