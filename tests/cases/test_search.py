"""Full-text search (issue 22, « Find »): across the referral, messages, notes, opinions,
targets and the text inside the PDF pieces; only what the user may see; the words found
marked; a PDF without a text layer shown « sans texte »."""

import pytest
from django.db import connection
from django.urls import reverse

from cases import search, services, workspace
from cases.enums import CaseStatus, PieceKind
from cases.models import SearchEntry
from cases.pieces import sample_pdf
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

SEARCH = reverse("search")


def _found(client, query: str) -> str:
    return client.get(SEARCH, {"q": query}).content.decode()


def _references(user, query: str) -> set[str]:
    return {hit.case.reference for hit in search.search(user, query)}


def test_a_word_of_a_message_finds_its_case_marked(client, users):
    case = CaseFactory(to=CaseStatus.SUBMITTED)
    services.post_message(
        users["poste_agent"], case, "Le redevable a vendu son entrepôt de Soissons.", []
    )
    client.force_login(users["jurist"])
    page = _found(client, "entrepôt Soissons")
    assert case.reference in page
    assert "<mark>Soissons</mark>" in page
    assert "Message" in page


def test_the_debtor_and_the_siren_are_searched(users):
    case = CaseFactory(to=CaseStatus.SUBMITTED)
    case.debtor.name = "SARL Tannerie Vauclair"
    case.debtor.save()
    assert case.reference in _references(users["head"], "Vauclair")
    assert case.reference in _references(users["head"], case.debtor.siren)


def test_the_text_inside_a_pdf_piece_is_found_once_extracted(
    users, django_capture_on_commit_callbacks
):
    case = CaseFactory(
        created_by=users["poste_agent"], poste_comptable=users["poste_agent"].poste_comptable
    )
    with django_capture_on_commit_callbacks(execute=True):
        piece = services.add_piece_bytes(
            users["poste_agent"],
            case,
            PieceKind.AUTRE,
            "acte.pdf",
            sample_pdf("Hypotheque Grandpre"),
        )
    entry = SearchEntry.objects.get(source="piece", source_id=piece.pk)
    assert entry.text_state == SearchEntry.TextState.DONE
    assert case.reference in _references(users["poste_agent"], "Grandpre")


def test_a_scan_without_text_is_marked_sans_texte(
    client, users, django_capture_on_commit_callbacks
):
    case = CaseFactory(
        created_by=users["poste_agent"], poste_comptable=users["poste_agent"].poste_comptable
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.add_piece_bytes(
            users["poste_agent"], case, PieceKind.AUTRE, "scan-Merlieux.pdf", sample_pdf("")
        )
    client.force_login(users["poste_agent"])
    page = _found(client, "Merlieux")  # found by its name, not its text
    assert case.reference in page
    assert "sans texte" in page


def test_the_poles_notes_are_searched_by_the_pole_only(users):
    case = CaseFactory(to=CaseStatus.SUBMITTED)
    workspace.add_note(users["jurist"], case, "Gérant injoignable, voir le notaire Pélissier.")
    assert case.reference in _references(users["jurist"], "Pélissier")
    assert case.reference in _references(users["head"], "Pélissier")
    assert case.reference not in _references(users["direction_agent"], "Pélissier")
    assert case.reference not in _references(users["poste_agent"], "Pélissier")
    assert case.reference not in _references(users["management"], "Pélissier")


def test_no_one_finds_a_case_they_may_not_see(users):
    case = CaseFactory(to=CaseStatus.SUBMITTED)
    case.facts = "Patrimoine à Vervins."
    case.save()
    assert case.reference in _references(users["direction_agent"], "Vervins")
    assert case.reference not in _references(users["other_direction_agent"], "Vervins")
    assert case.reference not in _references(users["other_poste_agent"], "Vervins")


def test_an_empty_query_shows_the_form_only(client, users):
    client.force_login(users["jurist"])
    page = _found(client, "  ")
    assert "Rechercher dans les dossiers" in page and "résultat" not in page


@pytest.mark.skipif(connection.vendor != "postgresql", reason="French full text: PostgreSQL")
def test_postgres_folds_accents_and_stems_french_words(users):
    case = CaseFactory(to=CaseStatus.SUBMITTED)
    case.facts = "Les échéances de paiement n'ont jamais été respectées."
    case.save()
    assert case.reference in _references(users["head"], "echeance")  # accent and plural
    assert case.reference in _references(users["head"], "respectée")  # the plural's stem
