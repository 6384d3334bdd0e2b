"""Each document shows the case as it stood when its act happened (issue 21, « Frozen at
their date »): an accusé de réception produced after the case moved on still gives the
status and the prescription of the day the pôle decided; a draft pleading lists only the
pieces filed by its date, and never the judgment it asks for."""

import datetime
import re
from html import unescape

import pytest

from cases import proceedings
from cases.enums import StartingActKind
from cases.models import Case, Piece
from deadlines import prescription
from documents.context import build_snapshot
from documents.enums import DocumentKind
from documents.render import render_html
from tests.documents import at, decided, meta, taken_over

K = DocumentKind
D = datetime.date
pytestmark = pytest.mark.django_db


def filed_in(case, on) -> None:
    """The case's pieces filed on `on` (the test's are filed today)."""
    Piece.objects.filter(case=case).update(uploaded_at=at(on.year, on.month, on.day, 9))


def text_of(case, kind) -> str:
    html = render_html(kind, build_snapshot(Case.objects.get(pk=case.pk), kind), meta(case, kind))
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_a_receipt_produced_later_keeps_the_status_and_prescription_of_its_day(users):
    # Accepted with the first claim prescribed on 15 March 2028; then the case moves on:
    # commandement served, decision, execution, a payment of 10 November 2026.
    case = decided(users)
    prescription.refresh_case(case, users["jurist"], "Paiement enregistré")
    assert min(c.prescription_date for c in case.claims.all()) == D(2030, 11, 10)
    today = build_snapshot(case, K.COMPTE_RENDU)  # a document of today
    assert today["totals"]["earliest_prescription"] == "10 novembre 2030"
    later = text_of(case, K.ACCUSE)
    assert "première créance se prescrit le 15 mars 2028" in later
    assert "2030" not in later
    assert "Statut du dossier En examen" in later
    assert "En cours d'exécution" not in later and "Exécution" not in later


def test_the_receipt_status_is_the_one_the_decision_left(users):
    case = decided(users)
    s = build_snapshot(case, K.ACCUSE)
    accept = case.events.get(transition="accept")
    assert s["status"]["code"] == accept.target_status != case.status


def test_a_draft_pleading_never_lists_the_judgment_it_asks_for(users):
    case = decided(users)
    judgment = case.decisions.get().judgment
    snapshot = build_snapshot(case, K.PROJET_ECRITURES)
    names = [p["name"] for p in snapshot["pieces"]]
    assert judgment.original_name == "jugement-orientation.pdf"
    assert "jugement-orientation.pdf" not in names
    pieces_section = next(s for s in snapshot["sections"] if s["key"] == "pieces")
    assert "Jugement" not in pieces_section["body"]
    assert "jugement-orientation.pdf" not in text_of(case, K.PROJET_ECRITURES)
    # The other pieces keep the bordereau's numbers.
    inventory = {p["name"]: p["number"] for p in build_snapshot(case, K.BORDEREAU)["pieces"]}
    assert all(inventory[p["name"]] == p["number"] for p in snapshot["pieces"])
    assert "jugement-orientation.pdf" in inventory


def test_a_dated_pleading_lists_only_the_pieces_filed_by_its_date(users):
    case = taken_over(users, "action_paulienne")
    proceedings.record_starting_act(
        case,
        users["jurist"],
        kind=StartingActKind.ASSIGNATION,
        court="Tribunal judiciaire de Laon",
        signed_on=D(2026, 6, 10),
        served_on=D(2026, 6, 12),
    )
    # The referral's pieces were filed in May; one more came in November.
    filed_in(case, D(2026, 5, 4))
    late = case.pieces.order_by("pk").last()
    Piece.objects.filter(pk=late.pk).update(uploaded_at=at(2026, 11, 2, 10))
    filed = build_snapshot(case, K.BORDEREAU)["pieces"]
    assert late.original_name in [p["name"] for p in filed]
    pleading = build_snapshot(case, K.PROJET_ECRITURES)["pieces"]
    assert late.original_name not in [p["name"] for p in pleading]
    assert len(pleading) == len(filed) - 1


def test_the_judgment_of_a_decision_before_the_pleading_stays_a_piece(users):
    case = decided(users)
    filed_in(case, D(2026, 10, 21))
    proceedings.record_starting_act(
        case,
        users["jurist"],
        kind=StartingActKind.ASSIGNATION,
        court="Tribunal judiciaire de Laon",
        signed_on=D(2026, 11, 20),
        served_on=D(2026, 11, 21),
    )
    names = [p["name"] for p in build_snapshot(case, K.PROJET_ECRITURES)["pieces"]]
    assert "jugement-orientation.pdf" in names
