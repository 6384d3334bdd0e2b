"""A direction agent refers a case through the pages: draft, come back, pieces, submit."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases.enums import CaseStatus
from cases.models import Case, Claim, Debtor
from cases.pieces import sample_pdf
from tests.factories import CaseFactory, DebtorFactory, edit_page_data, referral_data


def _data(siren="552 100 554", **overrides):
    data = referral_data(debtor={"siren": siren})
    data.update(overrides)
    return data


def _counts():
    return Case.objects.count(), Debtor.objects.count(), Claim.objects.count()


@pytest.mark.django_db
def test_draft_is_saved_then_completed_and_submitted(client, users):
    client.force_login(users["direction_agent"])
    response = client.post(reverse("cases:create"), {**_data(), "action": "save"})
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == case.get_absolute_url()
    assert case.status == CaseStatus.DRAFT
    assert case.debtor.siren == "552100554"
    assert case.claims.get().remaining == 110000

    page = client.get(case.get_absolute_url()).content.decode()
    assert "Pièce manquante : Titre exécutoire" in page  # what is left to do before submitting
    assert "110\u202f000,00\u00a0€" in page

    # Submitting now: refused, pieces listed next to the pieces section, nothing changed.
    edit = reverse("cases:edit", args=[case.reference])
    response = client.post(edit, {**edit_page_data(client, edit), "action": "submit"})
    assert response.status_code == 422
    assert "Pièce manquante" in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.DRAFT

    for kind in case.action_type.required_pieces:
        upload = SimpleUploadedFile(f"{kind}.pdf", sample_pdf(kind), "application/pdf")
        response = client.post(
            reverse("cases:piece_add", args=[case.reference]), {"kind": kind, "file": upload}
        )
        assert response.status_code == 302
    response = client.post(edit, {**edit_page_data(client, edit), "action": "submit"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED
    assert case.submitted_at is not None
    summaries = list(case.events.values_list("summary", flat=True))
    assert (
        summaries[0] == "Dossier créé (brouillon)" and summaries[-1] == "Dossier transmis au pôle"
    )


@pytest.mark.django_db
def test_invalid_input_lists_french_errors_next_to_fields_and_saves_nothing(client, users):
    client.force_login(users["poste_agent"])
    before = _counts()
    data = _data(siren="552100555")
    data["claims-0-principal"] = "-5"
    data["claims-0-remaining"] = "douze"
    response = client.post(reverse("cases:create"), {**data, "action": "save"})
    assert response.status_code == 422
    page = response.content.decode()
    assert "clé de contrôle ne correspond pas" in page
    assert "Le montant ne peut pas être négatif." in page
    assert "Saisissez un montant en euros" in page
    assert "Le dossier n&#x27;a pas été enregistré" in page
    assert _counts() == before


@pytest.mark.django_db
def test_submit_of_an_incomplete_new_referral_keeps_nothing(client, users):
    client.force_login(users["poste_agent"])
    before = _counts()
    data = _data()
    data["case-facts"] = ""
    response = client.post(reverse("cases:create"), {**data, "action": "submit"})
    assert response.status_code == 422
    page = response.content.decode()
    assert "Décrivez la situation" in page
    assert "Pièce manquante" in page
    assert 'value="SARL LES TANNEURS"' in page  # the input is still in the page
    assert "Supprimer cette ligne" not in page  # nothing was saved, nothing to delete
    assert _counts() == before


@pytest.mark.django_db
def test_duplicate_debtor_is_shown_and_must_be_confirmed(client, users):
    other = CaseFactory(
        to=CaseStatus.UNDER_EXAMINATION,
        direction=users["other_direction_agent"].direction,
        debtor=DebtorFactory(siren="552100554"),
    )
    case = CaseFactory(complete=True, created_by=users["poste_agent"])
    client.force_login(users["poste_agent"])
    page = client.get(case.get_absolute_url()).content.decode()
    assert "Un dossier ouvert au pôle concerne déjà ce redevable" in page
    assert other.reference not in page  # another direction's case is not named

    edit = reverse("cases:edit", args=[case.reference])
    response = client.post(edit, {**edit_page_data(client, edit), "action": "submit"})
    assert response.status_code == 422
    page = response.content.decode()
    assert "Un dossier ouvert au pôle concerne déjà ce redevable" in page
    assert other.reference not in page
    case.refresh_from_db()
    assert case.status == CaseStatus.DRAFT

    response = client.post(
        edit, {**edit_page_data(client, edit), "action": "submit", "confirm_duplicate": "on"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED


@pytest.mark.django_db
def test_disguised_piece_is_refused_with_a_french_message(client, users):
    case = CaseFactory(created_by=users["poste_agent"])
    client.force_login(users["poste_agent"])
    upload = SimpleUploadedFile("bilan.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    response = client.post(
        reverse("cases:piece_add", args=[case.reference]), {"kind": "bilans", "file": upload}
    )
    assert response.status_code == 422
    assert "ne correspond pas à son extension" in response.content.decode()
    assert case.pieces.count() == 0


@pytest.mark.django_db
def test_piece_download_returns_the_file(client, users):
    case = CaseFactory(complete=True, created_by=users["poste_agent"])
    piece = case.pieces.first()
    client.force_login(users["direction_agent"])
    response = client.get(reverse("cases:piece_download", args=[case.reference, piece.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert piece.original_name in response["Content-Disposition"]


@pytest.mark.django_db
def test_returned_case_is_completed_and_resubmitted(client, users):
    case = CaseFactory(to=CaseStatus.RETURNED, created_by=users["poste_agent"])
    client.force_login(users["poste_agent"])
    page = client.get(case.get_absolute_url()).content.decode()
    assert "Il manque l&#x27;état hypothécaire" in page  # the pôle's reason, in the history
    edit = reverse("cases:edit", args=[case.reference])
    response = client.post(edit, {**edit_page_data(client, edit), "action": "submit"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED
    assert case.events.last().summary == "Dossier complété et retransmis au pôle"


@pytest.mark.django_db
def test_alsace_moselle_property_is_flagged(client, users):
    case = CaseFactory(complete=True, created_by=users["poste_agent"])
    case.properties.update(departement="67")
    client.force_login(users["poste_agent"])
    page = client.get(case.get_absolute_url()).content.decode()
    assert "Droit local Alsace-Moselle" in page
    case.properties.update(departement="02")
    page = client.get(case.get_absolute_url()).content.decode()
    assert "Droit local Alsace-Moselle" not in page


def test_a_copy_read_before_the_referral_was_submitted_cannot_be_written_back(client, users):
    """Another tab, agent or script submits the referral while this one still holds the
    draft it read: saving that draft, adding or removing a piece is refused, and the
    submitted case stays as it was."""
    from django.core.exceptions import PermissionDenied

    from cases import services
    from cases.forms import ReferralForms

    agent = users["poste_agent"]
    case = CaseFactory(complete=True, created_by=agent)
    stale = Case.objects.get(pk=case.pk)
    piece = stale.pieces.first()
    services.submit_referral(agent, Case.objects.get(pk=case.pk), confirm_duplicate=True)

    client.force_login(agent)
    edit = reverse("cases:edit", args=[case.reference])
    forms = ReferralForms(agent, {**_edit_data_for(stale), "case-facts": "Changé"}, case=stale)
    assert forms.is_valid()
    with pytest.raises(PermissionDenied):
        services.save_referral(agent, forms)
    with pytest.raises(PermissionDenied):
        services.add_piece_bytes(agent, stale, "kbis", "kbis.pdf", sample_pdf("Kbis"))
    with pytest.raises(PermissionDenied):
        services.remove_piece(agent, stale, piece)
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED
    assert case.facts != "Changé" and case.pieces.filter(pk=piece.pk).exists()
    assert not case.pieces.filter(kind="kbis").exists()
    assert client.get(edit).status_code == 403


def _edit_data_for(case):
    from cases.forms import referral_form_data

    return referral_form_data(
        case={
            "mode": case.mode,
            "action_type": case.action_type_id,
            "poste_comptable": case.poste_comptable_id,
            "facts": case.facts,
            "request": case.request,
        },
        debtor={"kind": case.debtor.kind, "name": case.debtor.name, "siren": case.debtor.siren},
    )
