"""A piece's number is the bordereau's « pièce n° »: given once per case, in the
database, and never given again after a removal (the bordereau already sent to the court
and the opponent keeps meaning the same pieces, CPC art. 132 and 906: the pieces are
communicated under their numbers). Each piece carries its own date and description,
entered with its file on the referral form, the case page and the API."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from cases import services
from cases.models import Piece
from cases.pieces import sample_pdf
from documents.data import pieces_data
from tests.factories import CaseFactory, referral_data

pytestmark = pytest.mark.django_db


def _draft(users):
    agent = users["poste_agent"]
    return CaseFactory(created_by=agent, poste_comptable=agent.poste_comptable)


def _add(user, case, kind="kbis", **details):
    return services.add_piece_bytes(user, case, kind, f"{kind}.pdf", sample_pdf(kind), **details)


def _token_in(page: str) -> str:
    marker = 'name="form_token" value="'
    start = page.index(marker) + len(marker)
    return page[start : page.index('"', start)]


def test_a_removed_piece_keeps_the_others_numbers_and_its_own_is_never_given_again(users):
    agent = users["poste_agent"]
    case = _draft(users)
    first, second, third = (_add(agent, case, kind) for kind in ("kbis", "statuts", "autre"))
    assert [first.number, second.number, third.number] == [1, 2, 3]
    services.remove_piece(agent, case, third)  # the last one: a max()+1 would give 3 again
    services.remove_piece(agent, case, first)
    fourth = _add(agent, case, "titre_executoire")
    assert fourth.number == 4
    assert [p["number"] for p in pieces_data(case)] == [2, 4]
    other = _draft(users)
    assert _add(agent, other).number == 1  # numbered per case


def test_the_database_refuses_two_pieces_with_one_number_in_a_case(users):
    agent = users["poste_agent"]
    case = _draft(users)
    piece = _add(agent, case)
    twin = Piece.objects.get(pk=piece.pk)
    twin.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()  # keeps number 1


def test_the_stored_file_trigger_survives_the_table_rebuild(users):
    """cases 0039 rebuilds the table on SQLite: the 0015 trigger is put back."""
    piece = _add(users["poste_agent"], _draft(users))
    with pytest.raises(Exception, match="ne peuvent plus être"), transaction.atomic():
        Piece.objects.filter(pk=piece.pk).update(sha256="0" * 64)
    assert connection.vendor in ("sqlite", "postgresql")


def test_the_case_page_takes_the_pieces_date_and_description(client, users):
    case = _draft(users)
    client.force_login(users["poste_agent"])
    token = _token_in(client.get(case.get_absolute_url()).content.decode())
    upload = SimpleUploadedFile("amr.pdf", sample_pdf("AMR"), "application/pdf")
    response = client.post(
        reverse("cases:piece_add", args=[case.reference]),
        {
            "kind": "titre_executoire",
            "dated_on": "2024-03-12",
            "description": "Avis de mise en recouvrement n° 2024-0042",
            "file": upload,
            "form_token": token,
        },
    )
    assert response.status_code == 302
    piece = case.pieces.get()
    assert (piece.number, piece.dated_on) == (1, datetime.date(2024, 3, 12))
    page = client.get(case.get_absolute_url()).content.decode()
    assert "Pièce n° 1 :" in page
    assert "Avis de mise en recouvrement n° 2024-0042 du 12/03/2024" in page


def test_a_piece_dated_in_the_future_is_refused_in_french_and_nothing_is_kept(client, users):
    case = _draft(users)
    client.force_login(users["poste_agent"])
    token = _token_in(client.get(case.get_absolute_url()).content.decode())
    future = datetime.date.today() + datetime.timedelta(days=40)
    response = client.post(
        reverse("cases:piece_add", args=[case.reference]),
        {
            "kind": "kbis",
            "dated_on": future.isoformat(),
            "file": SimpleUploadedFile("kbis.pdf", sample_pdf("Kbis"), "application/pdf"),
            "form_token": token,
        },
    )
    assert response.status_code == 422
    assert "Cette date ne peut pas être dans le futur." in response.content.decode()
    assert not case.pieces.exists()


def test_the_referral_form_rows_take_date_and_description(client, users):
    client.force_login(users["poste_agent"])
    data = {
        "pieces-TOTAL_FORMS": "1",
        "pieces-INITIAL_FORMS": "0",
        "pieces-0-kind": "kbis",
        "pieces-0-dated_on": "2025-01-06",
        "pieces-0-description": "Extrait Kbis de la SARL Dupont",
    }
    files = {"pieces-0-file": SimpleUploadedFile("kbis.pdf", sample_pdf("Kbis"))}
    response = client.post(
        reverse("cases:create"), {**referral_data(), **data, "action": "save", **files}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    piece = Piece.objects.get()
    assert piece.number == 1
    assert piece.dated_on == datetime.date(2025, 1, 6)
    assert piece.label == "Extrait Kbis de la SARL Dupont"
