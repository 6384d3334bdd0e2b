"""The pieces of a referral join with its first save: several at once, each row's kind
the next required piece still missing; Enter in a field sends nothing (tested in
Chromium, tests/cases/test_referral_keyboard.py)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases.enums import CaseStatus, PieceKind
from cases.models import ActionType, Case
from cases.pieces import sample_pdf
from tests.factories import CaseFactory, referral_data

pytestmark = pytest.mark.django_db

SAISIE = ["titre_executoire", "etat_creances", "releve_propriete", "fiche_immeuble"]


def _rows(kinds_and_files: list[tuple[str, bytes | None]]) -> tuple[dict, dict]:
    data = {"pieces-TOTAL_FORMS": str(len(kinds_and_files)), "pieces-INITIAL_FORMS": "0"}
    files = {}
    for i, (kind, content) in enumerate(kinds_and_files):
        data[f"pieces-{i}-kind"] = kind
        if content is not None:
            files[f"pieces-{i}-file"] = SimpleUploadedFile(f"{kind}.pdf", content)
    return data, files


def test_the_form_proposes_the_missing_required_pieces_in_order(client, users):
    case = CaseFactory(
        created_by=users["poste_agent"], poste_comptable=users["poste_agent"].poste_comptable
    )
    client.force_login(users["poste_agent"])
    page = client.get(reverse("cases:edit", args=[case.reference]))
    rows = page.context["forms"].pieces
    assert [form.initial["kind"] for form in rows] == SAISIE + ["autre", "autre"]
    assert ActionType.objects.get(code="saisie_immobiliere").required_pieces == SAISIE


def test_a_new_referral_offers_a_row_for_each_piece_the_most_demanding_action_needs(client, users):
    # Before the action is chosen the page cannot know it: a saisie immobilière needs four
    # pieces, so the page offers at least four rows (and two spare); the script sets their
    # kinds once the action is chosen.
    client.force_login(users["poste_agent"])
    page = client.get(reverse("cases:create"))
    rows = page.context["forms"].pieces
    most = max(len(a.required_pieces) for a in ActionType.objects.all())
    assert most >= len(SAISIE)
    assert len(rows) == most + 2


def test_a_referral_is_saved_and_sent_with_its_pieces_in_one_go(client, users):
    client.force_login(users["poste_agent"])
    data, files = _rows(
        [(kind, sample_pdf(PieceKind(kind).label)) for kind in SAISIE] + [("autre", None)]
    )
    response = client.post(
        reverse("cases:create"), {**referral_data(), **data, "action": "submit", **files}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    case = Case.objects.get()
    assert case.status == CaseStatus.SUBMITTED
    assert sorted(p.kind for p in case.pieces.all()) == sorted(SAISIE)


def test_a_refused_submission_says_the_files_must_be_chosen_again(
    client, users, django_capture_on_commit_callbacks
):
    client.force_login(users["poste_agent"])
    data, files = _rows([("titre_executoire", sample_pdf("Titre"))])  # three pieces missing
    response = client.post(
        reverse("cases:create"), {**referral_data(), **data, "action": "submit", **files}
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "Pièce manquante" in body
    assert "Les fichiers choisis n&#x27;ont pas été joints" in body
    assert not Case.objects.exists()  # nothing half-saved


def test_a_bad_file_in_a_row_is_refused_in_french(client, users):
    client.force_login(users["poste_agent"])
    data, files = _rows([("titre_executoire", b"MZ not a pdf at all")])
    response = client.post(
        reverse("cases:create"), {**referral_data(), **data, "action": "save", **files}
    )
    assert response.status_code == 422
    assert not Case.objects.exists()
    assert response.context["forms"].pieces.forms[0].errors["file"]


def test_the_case_page_piece_form_defaults_to_the_next_missing_piece(client, users):
    case = CaseFactory(
        created_by=users["poste_agent"], poste_comptable=users["poste_agent"].poste_comptable
    )
    client.force_login(users["poste_agent"])
    form = client.get(case.get_absolute_url()).context["piece_form"]
    assert form.initial["kind"] == "titre_executoire"
