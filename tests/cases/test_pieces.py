"""Pieces: what an upload must be to be accepted, and what adding or removing one leaves in
the database, in the storage and in the case's history."""

import hashlib
import io
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from cases import services
from cases.enums import CaseStatus, EventKind
from cases.forms import PieceForm
from cases.models import CaseEvent, Piece
from cases.pieces import DOCX, JPEG, PDF, PNG, check_upload, sample_pdf
from tests.factories import CaseFactory


def _image(format: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "navy").save(out, format)
    return out.getvalue()


PNG_BYTES = _image("PNG")
JPEG_BYTES = _image("JPEG")
ELF_BYTES = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 64
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64


def _zip(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return out.getvalue()


def _docx() -> bytes:
    """The smallest Word document a checker should recognise."""
    return _zip(
        {
            "[Content_Types].xml": b'<?xml version="1.0"?><Types/>',
            "word/document.xml": b'<?xml version="1.0"?><w:document/>',
        }
    )


def _upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type)


def _stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


# --- check_upload -----------------------------------------------------------------------


def test_real_pdf_is_accepted_and_fingerprinted():
    content = sample_pdf("Titre exécutoire")
    checked = check_upload(_upload("titre.pdf", content, "application/pdf"))
    assert checked.content_type == PDF
    assert checked.size == len(content)
    assert checked.sha256 == hashlib.sha256(content).hexdigest()


def test_extension_is_case_insensitive():
    assert check_upload(_upload("TITRE.PDF", sample_pdf("x"))).content_type == PDF


def test_empty_file_is_refused():
    with pytest.raises(ValidationError) as refused:
        check_upload(_upload("vide.pdf", b""))
    assert refused.value.messages == ["Le fichier « vide.pdf » est vide."]


def test_file_over_the_limit_is_refused(settings):
    settings.PIECE_MAX_BYTES = 1000
    with pytest.raises(ValidationError) as refused:
        check_upload(_upload("gros.pdf", sample_pdf("x") + b"\n" * 1000))
    message = refused.value.messages[0]
    assert message.startswith("Le fichier « gros.pdf » fait ")
    assert "la limite est de" in message and "Compressez-le ou découpez-le" in message


def test_file_exactly_at_the_limit_is_accepted(settings):
    settings.PIECE_MAX_BYTES = 1000
    content = sample_pdf("x")
    content += b"\n" * (1000 - len(content))
    assert check_upload(_upload("juste.pdf", content)).size == 1000


def test_size_message_is_written_the_french_way(settings):
    settings.PIECE_MAX_BYTES = 2 * 1_048_576
    with pytest.raises(ValidationError) as refused:
        check_upload(_upload("gros.pdf", sample_pdf("x") + b"\0" * (5 * 1_048_576 // 2)))
    assert "fait 2,5 Mo : la limite est de 2 Mo" in refused.value.messages[0]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("programme.pdf", EXE_BYTES),
        ("programme.pdf", ELF_BYTES),
        ("note.pdf", b"Ceci est un simple texte, pas un PDF.\n" * 10),
        ("image.pdf", PNG_BYTES),
        ("photo.png", JPEG_BYTES),
        ("photo.jpg", PNG_BYTES),
        ("archive.docx", _zip({"readme.txt": b"pas un document Word"})),
        ("texte.docx", b"Ceci n'est pas un document Word."),
        ("tableur.xlsx", _docx()),  # a Word document renamed .xlsx
        ("ancien.doc", b"{\\rtf1 pas un .doc OLE}"),
        ("casse.docx", b"PK\x03\x04" + b"\x00" * 100),  # a broken zip
    ],
)
def test_disguised_file_is_refused(name, content):
    with pytest.raises(ValidationError) as refused:
        check_upload(_upload(name, content))
    message = refused.value.messages[0]
    extension = Path(name).suffix
    assert f"Le contenu du fichier « {name} » ne correspond pas à son extension {extension}" in (
        message
    )


@pytest.mark.parametrize("name", ["programme.exe", "script.sh", "page.html", "sans_extension"])
def test_unknown_extension_is_refused(name):
    with pytest.raises(ValidationError) as refused:
        check_upload(_upload(name, b"%PDF-1.4 whatever"))
    message = refused.value.messages[0]
    assert f"Le format du fichier « {name} » n'est pas accepté." in message
    assert "Formats acceptés : PDF" in message


def test_minimal_docx_is_accepted():
    content = _docx()
    checked = check_upload(_upload("courrier.docx", content))
    assert checked.content_type == DOCX
    assert checked.sha256 == hashlib.sha256(content).hexdigest()


def test_real_jpeg_and_png_images_are_accepted():
    assert check_upload(_upload("photo.jpg", JPEG_BYTES)).content_type == JPEG
    assert check_upload(_upload("photo.jpeg", JPEG_BYTES)).content_type == JPEG
    assert check_upload(_upload("plan.png", PNG_BYTES)).content_type == PNG


def test_check_leaves_the_upload_readable_from_the_start():
    content = _docx()
    upload = _upload("courrier.docx", content)
    check_upload(upload)
    assert upload.read() == content


# --- add_piece / remove_piece -----------------------------------------------------------


def _add(user, case, content=None, name="kbis.pdf", kind="kbis"):
    upload = _upload(name, content or sample_pdf("Extrait Kbis"), "application/pdf")
    return services.add_piece(user, case, kind, upload, check_upload(upload))


@pytest.mark.django_db
def test_add_piece_stores_row_file_and_history(users, settings):
    case = CaseFactory()
    content = sample_pdf("Extrait Kbis")
    piece = _add(users["poste_agent"], case, content)

    piece = Piece.objects.get(pk=piece.pk)
    assert piece.case == case and piece.kind == "kbis"
    assert piece.original_name == "kbis.pdf"
    assert piece.size == len(content) and piece.content_type == PDF
    assert piece.sha256 == hashlib.sha256(content).hexdigest()
    assert piece.uploaded_by == users["poste_agent"]
    with default_storage.open(piece.file.name) as stored:
        assert hashlib.sha256(stored.read()).hexdigest() == piece.sha256
    assert "kbis.pdf" not in piece.file.name  # the user's file name is never reused
    assert len(_stored_files(settings)) == 1

    event = CaseEvent.objects.get(case=case)
    assert event.kind == EventKind.PIECE_ADDED
    assert event.actor == users["poste_agent"]
    assert event.summary == "Pièce ajoutée : Extrait Kbis — kbis.pdf"
    assert event.data["sha256"] == piece.sha256


@pytest.mark.django_db
def test_same_file_twice_gives_two_pieces_and_two_files(users, settings):
    case = CaseFactory()
    first = _add(users["poste_agent"], case)
    second = _add(users["direction_agent"], case)
    assert first.file.name != second.file.name
    assert len(_stored_files(settings)) == 2


@pytest.mark.django_db
def test_failing_database_write_leaves_no_row_and_no_file(users, settings, monkeypatch):
    case = CaseFactory()

    def broken(*args, **kwargs):
        raise RuntimeError("base indisponible")

    monkeypatch.setattr(CaseEvent, "record", broken)
    with pytest.raises(RuntimeError):
        _add(users["poste_agent"], case)
    assert not Piece.objects.exists()
    assert _stored_files(settings) == []


@pytest.mark.django_db
def test_refused_upload_through_the_form_leaves_nothing(users, settings):
    case = CaseFactory()
    form = PieceForm(data={"kind": "kbis"}, files={"file": _upload("kbis.pdf", EXE_BYTES, PDF)})
    assert not form.is_valid()
    assert not Piece.objects.filter(case=case).exists()
    assert not case.events.exists()
    assert _stored_files(settings) == []


@pytest.mark.django_db
def test_remove_piece_removes_row_then_file_after_commit(
    users, settings, django_capture_on_commit_callbacks
):
    case = CaseFactory()
    piece = _add(users["poste_agent"], case)
    name = piece.file.name
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.remove_piece(users["direction_agent"], case, piece)
        assert default_storage.exists(name)  # still there until the transaction commits
    assert len(callbacks) == 1
    assert not Piece.objects.filter(pk=piece.pk).exists()
    assert not default_storage.exists(name)
    assert _stored_files(settings) == []
    event = case.events.get(kind=EventKind.PIECE_REMOVED)
    assert event.actor == users["direction_agent"]
    assert event.summary == "Pièce n° 1 retirée : Extrait Kbis — kbis.pdf"


@pytest.mark.django_db
def test_removing_one_of_two_identical_pieces_keeps_the_other_file(
    users, django_capture_on_commit_callbacks
):
    case = CaseFactory()
    first = _add(users["poste_agent"], case)
    second = _add(users["poste_agent"], case)
    with django_capture_on_commit_callbacks(execute=True):
        services.remove_piece(users["poste_agent"], case, first)
    with default_storage.open(second.file.name) as stored:
        assert hashlib.sha256(stored.read()).hexdigest() == second.sha256


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["jurist", "head", "other_poste_agent", "other_direction_agent"])
def test_user_who_cannot_edit_the_draft_cannot_add_pieces(users, settings, who):
    case = CaseFactory()
    with pytest.raises(PermissionDenied):
        _add(users[who], case)
    assert not Piece.objects.exists()
    assert _stored_files(settings) == []
    assert not case.events.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["poste_agent", "direction_agent"])
def test_once_submitted_the_referrer_adds_a_piece_the_jurist_is_told_none_is_removed(
    users, settings, who, django_capture_on_commit_callbacks
):
    """A piece the pôle asks for, a new AMR: the referring side adds it after sending, under
    the next number, the pôle's jurist told; a piece once sent is never removed (it may
    have gone to the lawyer), by the referrer as by anyone."""
    from notifications.enums import NotificationKind
    from notifications.models import Notification

    case = CaseFactory(to=CaseStatus.TAKEN_OVER, assigned_jurist=users["jurist"])
    numbers = list(case.pieces.values_list("number", flat=True))
    first = case.pieces.first()
    piece = _add(users[who], case)
    assert piece.number == max(numbers) + 1
    event = case.events.filter(kind=EventKind.PIECE_ADDED).latest("pk")
    assert event.data["sent"] is True and event.data["number"] == piece.number
    told = Notification.objects.filter(kind=NotificationKind.PIECE_ADDED)
    assert users["jurist"].pk in set(told.values_list("user_id", flat=True))
    assert users[who].pk not in set(told.values_list("user_id", flat=True))
    events = case.events.count()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(PermissionDenied):
        services.remove_piece(users[who], case, first)
    assert default_storage.exists(first.file.name)
    assert case.events.count() == events


@pytest.mark.django_db
def test_once_submitted_the_jurist_adds_the_judgment_the_referring_side_is_told(users):
    from notifications.enums import NotificationKind
    from notifications.models import Notification

    case = CaseFactory(to=CaseStatus.DECIDED, assigned_jurist=users["jurist"])
    _add(users["jurist"], case, name="jugement.pdf", kind="autre")
    told = set(
        Notification.objects.filter(kind=NotificationKind.PIECE_ADDED).values_list(
            "user_id", flat=True
        )
    )
    assert users["poste_agent"].pk in told and users["jurist"].pk not in told
    # Another direction's agent, a jurist of another case, a closed case: refused.
    with pytest.raises(PermissionDenied):
        _add(users["other_poste_agent"], case)
    with pytest.raises(PermissionDenied):
        _add(users["other_jurist"], case)
    closed = CaseFactory(to=CaseStatus.CLOSED, assigned_jurist=users["jurist"])
    with pytest.raises(PermissionDenied):
        _add(users["poste_agent"], closed)


@pytest.mark.django_db
def test_a_piece_added_to_a_draft_tells_nobody(users):
    from notifications.models import Notification

    case = CaseFactory()
    _add(users["poste_agent"], case)
    assert case.events.filter(kind=EventKind.PIECE_ADDED).latest("pk").data["sent"] is False
    assert not Notification.objects.exists()


@pytest.mark.django_db
def test_the_case_page_offers_the_piece_form_after_sending_and_says_what_follows(client, users):
    case = CaseFactory(to=CaseStatus.TAKEN_OVER, assigned_jurist=users["jurist"])
    client.force_login(users["poste_agent"])
    page = client.get(case.get_absolute_url()).content.decode()
    assert "Ajouter la pièce" in page and "ne pourra plus être retirée" in page
    assert "Le juriste du pôle en est averti." in page
    assert ">Retirer<" not in page
    client.force_login(users["jurist"])
    page = client.get(case.get_absolute_url()).content.decode()
    assert "La direction et le poste comptable en sont avertis." in page
    client.force_login(users["management"])
    assert "Ajouter la pièce" not in client.get(case.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_referrer_may_add_pieces_again_once_returned(users):
    case = CaseFactory(to=CaseStatus.RETURNED)
    piece = _add(users["poste_agent"], case)
    assert piece.case == case


@pytest.mark.django_db
def test_jurist_cannot_remove_a_piece_of_a_draft(users, django_capture_on_commit_callbacks):
    case = CaseFactory()
    piece = _add(users["poste_agent"], case)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(PermissionDenied):
        services.remove_piece(users["jurist"], case, piece)
    assert Piece.objects.filter(pk=piece.pk).exists()
    assert default_storage.exists(piece.file.name)


@pytest.mark.django_db
def test_a_piece_cannot_be_removed_through_another_case(users, django_capture_on_commit_callbacks):
    case, other = CaseFactory(), CaseFactory()
    piece = _add(users["poste_agent"], other)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(PermissionDenied):
        services.remove_piece(users["poste_agent"], case, piece)
    assert Piece.objects.filter(pk=piece.pk).exists()
    assert not case.events.exists()


def _odt_with(method: int | None = None, encrypted: bool = False, corrupt: bool = False) -> bytes:
    """An OpenDocument whose `mimetype` entry is damaged in one way."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text" * 20)
    data = bytearray(out.getvalue())
    central = data.index(b"PK\x01\x02")
    if method is not None:
        data[8:10] = method.to_bytes(2, "little")  # local header
        data[central + 10 : central + 12] = method.to_bytes(2, "little")
    if encrypted:
        data[6] |= 1
        data[central + 8] |= 1
    if corrupt:
        start = 30 + len("mimetype")
        data[start : start + 8] = b"\xff" * 8
    return bytes(data)


@pytest.mark.parametrize(
    "damage",
    [{"method": 99}, {"method": 20}, {"encrypted": True}, {"corrupt": True}],
    ids=["unknown-method", "unsupported-method", "encrypted", "corrupt-deflate"],
)
def test_a_damaged_opendocument_is_refused_in_french_not_a_crash(damage):
    upload = SimpleUploadedFile("statuts.odt", _odt_with(**damage))
    with pytest.raises(ValidationError) as error:
        check_upload(upload)
    assert "statuts.odt" in error.value.messages[0]
