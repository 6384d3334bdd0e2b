"""The documents' data snapshot (deterministic, formatted for print) and when each document
can be produced (documents.context, documents.data, documents.kinds); the draft pleadings'
text is tested in test_pleadings."""

import datetime
import json
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cases import proceedings
from cases.enums import (
    AppealParty,
    CaseStatus,
    DecisionOutcome,
    Instance,
    Role,
    StartingActKind,
)
from cases.formatting import euros, file_size, long_date
from cases.lifecycle import CaseLifecycle
from cases.models import ActionType, Case, Lawyer, PropertyTarget, User
from cases.pieces import sample_pdf
from deadlines.calendar import appeal_deadline
from documents.context import applicability, build_snapshot
from documents.enums import DocumentKind
from tests.documents import (
    DEBTOR,
    IS_REMAINING,
    decided,
    mandated,
    new_case,
    step,
    submit,
    taken_over,
    with_opinion,
)
from tests.factories import RISK_GRID

K = DocumentKind
S = CaseStatus
D = datetime.date
NBSP = "\u00a0"
pytestmark = pytest.mark.django_db


def fresh(case) -> Case:
    return Case.objects.get(pk=case.pk)


def leaves(value):
    if isinstance(value, dict):
        for key, item in value.items():
            assert isinstance(key, str)
            yield from leaves(item)
    elif isinstance(value, list):
        for item in value:
            yield from leaves(item)
    else:
        yield value


# --- Determinism ------------------------------------------------------------------------


@pytest.mark.parametrize("kind", K.values)
def test_the_snapshot_is_plain_json_and_the_same_twice(users, kind):
    case = decided(users)
    with_opinion(users)  # another case: nothing of it leaks into this one
    first = build_snapshot(case, kind)
    second = build_snapshot(fresh(case), kind)
    assert first == second
    assert json.dumps(first, sort_keys=True) == json.dumps(second, sort_keys=True)
    assert all(isinstance(v, str | int | bool | type(None)) for v in leaves(first))
    assert first["kind"] == kind and first["reference"] == case.reference


def test_changing_a_claim_changes_the_snapshot(users):
    case = taken_over(users)
    before = build_snapshot(case, K.BORDEREAU)
    claim = case.claims.get(period="2022")
    claim.remaining = Decimal("109000.00")
    claim.save()
    after = build_snapshot(fresh(case), K.BORDEREAU)
    assert after != before
    assert euros(Decimal("109000.00")) in [c["remaining"] for c in after["claims"]]


def test_the_snapshot_holds_no_generation_time_nor_database_ids(users):
    case = decided(users)
    snapshots = [build_snapshot(case, kind) for kind in K.values]
    text = json.dumps(snapshots, ensure_ascii=False)
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text)  # dates are printed, never ISO
    assert not re.search(r"\d{1,2}:\d{2}", text)  # nor times of day as the clock gives them
    keys = set()
    for snapshot in snapshots:
        stack = [snapshot]
        while stack:
            item = stack.pop()
            if isinstance(item, dict):
                keys |= set(item)
                stack.extend(item.values())
            elif isinstance(item, list):
                stack.extend(item)
    assert not keys & {"id", "pk", "generated_on", "generated_at", "created_at"}


# --- The common part --------------------------------------------------------------------


def test_the_common_part_is_formatted_for_print(users):
    case = taken_over(users)
    s = build_snapshot(case, K.BORDEREAU)
    assert s["mode"] == {"code": "prise_en_charge", "label": "Prise en charge"}
    assert s["action"]["label"] == "Saisie immobilière"
    assert s["action"]["legal_basis"].startswith("CPCE")
    assert s["status"] == {"code": "taken_over", "label": "Pris en charge"}
    assert s["direction"] == {
        "code": "DDFIP 02",
        "name": "Direction départementale des finances publiques de l'Aisne",
    }
    assert s["poste"]["name"] == "SIE de Laon" and s["poste"]["codique"] == "002010"
    assert s["debtor"]["name"] == DEBTOR
    assert s["debtor"]["siren"] == f"552{NBSP}100{NBSP}554"
    assert s["debtor"]["kind_label"] == "Personne morale"
    assert s["submitted_on"] == long_date(timezone.localdate(case.submitted_at))
    assert [c["period"] for c in s["claims"]] == ["2022", "2023"]  # by assessment date
    is_claim = s["claims"][0]
    assert is_claim["tax_label"] == "Impôt sur les sociétés"
    assert is_claim["remaining"] == euros(IS_REMAINING)
    assert is_claim["assessment_date"] == "30 juin 2023"
    assert is_claim["prescription_date"] == "3 février 2029"  # from the last interruptive act
    assert s["totals"]["remaining"] == euros(Decimal("198000.00"))
    assert s["totals"]["earliest_prescription"] == "15 mars 2028"
    assert s["targets"]["properties"][0]["cadastral_reference"] == "section AB n° 142"
    assert s["jurist"] == "Julien Roussel"
    assert s["head"] == "Hélène Marchand"
    assert s["alsace_moselle"] is False and s["local_law_note"] == ""


def test_pieces_are_numbered_in_upload_order(users):
    case = decided(users)
    pieces = build_snapshot(case, K.BORDEREAU)["pieces"]
    assert [p["number"] for p in pieces] == list(range(1, len(pieces) + 1))
    assert [p["name"] for p in pieces] == [
        p.original_name for p in case.pieces.order_by("uploaded_at", "pk")
    ]
    assert pieces[-1]["kind_label"] == "Jugement / décision"
    assert pieces[0]["size"].endswith("Ko")
    assert file_size(5 * 2**20 // 2) == f"2,5{NBSP}Mo"


def test_a_natural_person_is_shown_with_the_birth_date(users):
    case = taken_over(users)
    debtor = case.debtor
    debtor.kind, debtor.name, debtor.first_name, debtor.siren = "natural", "Martin", "Luc", ""
    debtor.birth_date = D(1970, 4, 1)
    debtor.save()
    d = build_snapshot(fresh(case), K.BORDEREAU)["debtor"]
    assert d["name"] == "MARTIN Luc"
    assert d["birth_date"] == "1er avril 1970"
    assert d["identity"] == "né(e) le 1er avril 1970"


def test_the_head_is_the_active_head_or_nobody(users):
    case = taken_over(users)
    assert build_snapshot(case, K.BORDEREAU)["head"] == "Hélène Marchand"
    User.objects.filter(role=Role.HEAD).update(is_active=False)
    assert build_snapshot(case, K.BORDEREAU)["head"] == ""


def test_alsace_moselle_is_flagged_with_the_local_law(users):
    case = taken_over(users)
    PropertyTarget.objects.filter(case=case).update(departement="67", commune="Strasbourg")
    s = build_snapshot(fresh(case), K.PROJET_ECRITURES)
    assert s["alsace_moselle"] is True
    assert "loi du 1er juin 1924" in s["local_law_note"]
    assert s["pleading_title"] == "Requête aux fins d'exécution forcée immobilière (droit local)"
    bodies = " ".join(section["body"] for section in s["sections"])
    assert "livre foncier" in bodies and "R.322-4" not in bodies


# --- The kind-specific parts ------------------------------------------------------------


def test_the_opinion(users):
    case = with_opinion(users)
    o = build_snapshot(case, K.AVIS)["opinion"]
    assert o["version"] == 1
    assert o["author"] == "Sophie Delorme" and o["author_is_expert"] is True
    assert o["author_direction"].startswith("DDFIP 30 — ")
    assert o["conclusion_label"] == "Favorable" and o["recommended_action"] == ""
    assert o["risk_level_label"] == "Moyen"
    assert o["validated"] is True
    assert o["reviewer"] == "Hélène Marchand"
    assert o["reviewed_on"] == long_date(timezone.localdate(case.opinions.get().reviewed_at))


def test_an_opinion_awaiting_validation_names_no_reviewer(users):
    o = build_snapshot(with_opinion(users, validate=False), K.AVIS)["opinion"]
    assert o["validated"] is False and o["status_label"] == "Soumis à validation"
    assert o["reviewer"] == "" and o["reviewed_on"] == ""


def test_an_opinion_recommending_another_action(users):
    case = new_case(users, mode="avis")
    submit(case, users)
    step(case, users, "accept")
    proceedings.submit_opinion(
        case,
        users["jurist"],
        conclusion="other_action",
        recommended_action=ActionType.objects.get(code="action_paulienne"),
        reasons="Le bien a été donné aux enfants du gérant.",
        risk_level="high",
        risk_assessment="Aucun actif saisissable.",
        **RISK_GRID,
    )
    o = build_snapshot(case, K.AVIS)["opinion"]
    assert o["recommended_action"] == "Action paulienne"
    assert o["recommended_action_basis"] == "Code civil art. 1341-2"
    assert o["author_is_expert"] is False and o["author_direction"] == ""


def test_the_receipt_of_an_accepted_referral(users):
    case = taken_over(users)
    s = build_snapshot(case, K.ACCUSE)
    r = s["receivability"]
    assert r["outcome"] == "accepted"
    assert r["summary"] == "Dossier déclaré recevable, mis en examen"
    assert r["actor"] == "Hélène Marchand" and r["missing"] == []
    assert r["date"] == long_date(timezone.localdate(case.events.get(transition="accept").at))
    assert "avocat" in s["next_steps"][0]
    assert any("15 mars 2028" in text for text in s["next_steps"])


def test_the_receipt_of_a_returned_referral_lists_what_is_missing(users):
    case = new_case(users)
    submit(case, users)
    missing = "- État hypothécaire de moins de trois mois\n- Relevé de propriété à jour"
    step(case, users, "return_for_completion", reason=missing)
    r = build_snapshot(case, K.ACCUSE)["receivability"]
    assert r["outcome"] == "returned"
    assert r["missing"] == [
        "État hypothécaire de moins de trois mois",
        "Relevé de propriété à jour",
    ]


def test_the_receipt_follows_the_latest_receivability_decision(users):
    case = new_case(users)
    submit(case, users)
    step(case, users, "return_for_completion", reason="- Kbis")
    CaseLifecycle(case, case.created_by).resubmit()
    step(case, users, "decline", reason="Enjeu trop faible au regard du coût de la procédure.")
    s = build_snapshot(case, K.ACCUSE)
    assert s["receivability"]["outcome"] == "declined"
    assert s["receivability"]["reason"].startswith("Enjeu trop faible")
    assert s["receivability"]["missing"] == []
    assert "ne donne pas suite" in s["next_steps"][0]


def test_the_lawyer_mandate(users):
    case = mandated(users)
    s = build_snapshot(case, K.SAISINE_AVOCAT)
    m = s["mandate"]
    assert m["lawyer"] == "Maître Anne Lefèvre-Dambrine" and m["bar"] == "Barreau de Laon"
    assert m["fee_agreement"].startswith("Forfait 1 500 €")
    assert m["mandated_on"] == "1er juin 2026"
    assert m["instructions"].startswith("Publier le commandement")
    assert s["asked"][0] == case.request
    assert "commandement de payer valant saisie immobilière" in s["asked"][1]
    assert s["starting_act"] is None


def test_the_mandate_letter_names_the_starting_act_once_served(users):
    case = mandated(users)
    proceedings.record_starting_act(
        case,
        users["jurist"],
        kind=StartingActKind.COMMANDEMENT,
        court="Tribunal judiciaire de Laon",
        signed_on=D(2026, 6, 10),
        served_on=D(2026, 6, 12),
    )
    s = build_snapshot(case, K.SAISINE_AVOCAT)
    assert s["starting_act"]["kind_label"] == "Commandement de payer valant saisie"
    assert s["starting_act"]["served_on"] == "12 juin 2026"
    # « Procédure engagée le » is the date of service (issue 21), not of signature.
    assert "engagée le 12 juin 2026" in s["asked"][1]
    assert "10 juin 2026" not in s["asked"][1]


def test_the_decision_report(users):
    case = decided(users)
    s = build_snapshot(case, K.COMPTE_RENDU)
    d = s["decision"]
    assert d["court"] == "Juge de l'exécution de Laon"
    assert d["outcome_label"] == "Demande accueillie"
    assert d["amount_awarded"] == euros(Decimal("118000.00"))
    assert d["decided_on"] == "20 octobre 2026" and d["notified_on"] == "27 octobre 2026"
    assert d["judgment_piece"] == len(s["pieces"])  # the judgment was the last piece
    decision = case.decisions.get()
    assert s["appeal_deadline"] == long_date(appeal_deadline(decision))
    assert s["appeal_period"] == "15 jours"
    assert [h["date"] for h in s["hearings"]] == ["15 septembre 2026 à 9 h 30"]
    assert s["recoveries"][0]["amount"] == euros(Decimal("25000"))
    assert s["recovered_total"] == euros(Decimal("25000"))
    assert "en cours d'exécution" in s["next_steps"][0]


def test_the_decision_report_before_notification_and_under_appeal(users):
    case = decided(users, execution=False)
    decision = case.decisions.get()
    s = build_snapshot(case, K.COMPTE_RENDU)
    assert "expire le " + s["appeal_deadline"] in s["next_steps"][0]

    other = mandated(users, "solidarite_dirigeant")
    step(other, users, "engage_action", "await_decision")
    proceedings.record_decision(
        other,
        users["jurist"],
        instance=Instance.FIRST,
        decided_on=D(2026, 10, 2),
        court="Tribunal judiciaire de Laon",
        outcome=DecisionOutcome.PARTLY,
        judgment_file=SimpleUploadedFile("jugement.pdf", sample_pdf("Jugement")),
    )
    step(other, users, "record_decision")
    s = build_snapshot(other, K.COMPTE_RENDU)
    assert s["appeal_deadline"] == "à calculer dès la notification"
    assert s["appeal_period"] == "un mois"
    assert s["decision"]["amount_awarded"] == ""
    assert "courra à compter de la signification" in s["next_steps"][0]

    proceedings.record_appeal(
        case,
        users["jurist"],
        decision=decision,
        lodged_by=AppealParty.OPPONENT,
        lodged_on=D(2026, 11, 5),
        court="Cour d'appel d'Amiens",
        grounds="Contestation du montant de la créance.",
    )
    step(case, users, "appeal", reason="Appel du redevable.")
    s = build_snapshot(fresh(case), K.COMPTE_RENDU)
    assert s["appeals"][0]["lodged_by_label"] == "La partie adverse"
    assert "devant la cour d'appel d'Amiens" in s["next_steps"][0]


def test_the_draft_pleadings_default_or_given(users):
    case = taken_over(users)
    s = build_snapshot(case, K.PROJET_ECRITURES)
    assert [x["key"] for x in s["sections"]] == [
        "parties",
        "faits",
        "discussion",
        "dispositif",
        "pieces",
    ]
    assert s["pleading_title"].startswith("Assignation à l'audience d'orientation")
    given = [{"key": "faits", "title": "Faits", "body": "Texte revu.\n\nEn droit\n\n- a\n- b"}]
    s = build_snapshot(case, K.PROJET_ECRITURES, sections=given)
    assert [(x["key"], x["title"], x["body"]) for x in s["sections"]] == [
        ("faits", "Faits", given[0]["body"])
    ]
    assert s["sections"][0]["blocks"] == [
        {"text": "Texte revu.", "items": []},
        {"heading": "En droit"},
        {"text": "", "items": ["a", "b"]},
    ]


# --- Applicability ----------------------------------------------------------------------


def test_nothing_but_the_inventory_before_anything_happened(users):
    case = new_case(users)
    assert applicability(case, K.AVIS) == "Aucun avis n'a encore été rédigé pour ce dossier."
    assert applicability(case, K.ACCUSE) == "Le dossier n'a pas encore été transmis au pôle."
    assert applicability(case, K.SAISINE_AVOCAT) == "Aucun avocat n'est mandaté sur ce dossier."
    assert applicability(case, K.PROJET_ECRITURES) == (
        "Le projet d'écritures n'est proposé qu'une fois le dossier pris en charge par le pôle."
    )
    assert applicability(case, K.COMPTE_RENDU) == (
        "Aucune décision n'a encore été enregistrée pour ce dossier."
    )
    assert applicability(case, K.BORDEREAU) is None
    submit(case, users)
    assert applicability(case, K.ACCUSE) == (
        "Le pôle ne s'est pas encore prononcé sur la recevabilité de la saisine."
    )


def test_each_document_becomes_available_in_turn(users):
    case = new_case(users)
    submit(case, users)
    step(case, users, "accept")
    assert applicability(case, K.ACCUSE) is None
    assert applicability(case, K.PROJET_ECRITURES) is not None
    step(case, users, "take_over")
    assert applicability(case, K.PROJET_ECRITURES) is None
    proceedings.mandate_lawyer(
        case,
        users["jurist"],
        lawyer=Lawyer.objects.get(bar="Barreau de Laon"),
        mandated_on=D(2026, 6, 1),
    )
    assert applicability(case, K.SAISINE_AVOCAT) is None
    proceedings.revoke_mandate(case.mandates.get(), users["jurist"], reason="Conflit d'intérêts.")
    assert applicability(case, K.SAISINE_AVOCAT) == "Aucun avocat n'est mandaté sur ce dossier."
    assert applicability(decided(users), K.COMPTE_RENDU) is None
    assert applicability(with_opinion(users, validate=False), K.AVIS) is None


def test_a_closed_case_keeps_its_draft_pleadings_only_if_it_was_taken_over(users):
    case = decided(users)
    step(case, users, "close", reason="Créance soldée.", closure_reason="recovered_full")
    assert applicability(case, K.PROJET_ECRITURES) is None
    opinion_case = with_opinion(users)
    CaseLifecycle(opinion_case, opinion_case.created_by).close_after_opinion()
    assert applicability(opinion_case, K.PROJET_ECRITURES) is not None


def test_the_inventory_needs_a_piece(users):
    case = new_case(users)
    for piece in case.pieces.all():
        piece.delete()
    assert applicability(case, K.BORDEREAU) == (
        "Aucune pièce n'a encore été déposée dans ce dossier."
    )


def test_an_unknown_kind_is_refused(users):
    case = new_case(users)
    with pytest.raises(ValueError):
        applicability(case, "lettre_de_relance")
    with pytest.raises(ValueError):
        build_snapshot(case, "lettre_de_relance")
