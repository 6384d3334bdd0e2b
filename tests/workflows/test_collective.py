"""Collective proceedings of a debtor (C. com. livre VI): the declaration of the claim and
its deadlines, the suspension of the pôle's other actions against the debtor, the
liquidateur's subrogation, the closing judgment, the court of the assignation, and an
assignation to open proceedings conducted from the referral to the closure."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cases import collective
from cases.enums import CaseStatus, ClosingCause, ClosureReason, CollectiveKind, HearingStatus
from cases.models import ActionType, CaseEvent, Lawyer, StoppedAction
from cases.pieces import sample_pdf
from deadlines import rules
from deadlines.enums import DeadlineStatus
from notifications.enums import NotificationKind
from notifications.models import Notification
from tests.factories import CaseFactory, case_at_step, side_action, sitting_moment, take_step
from workflows.steps import StartingActForm

from .conftest import open_step_names, open_task

S = CaseStatus
D = datetime.date
pytestmark = pytest.mark.django_db

OPENING = {
    "kind": CollectiveKind.LIQUIDATION,
    "opened_on": "2026-09-01",
    "court": "Tribunal de commerce de Laon",
    "bodacc_on": "2026-09-08",  # a Tuesday: two months later is Sunday 8 November 2026
    "mandataire": "SELARL Mandataires de l'Aisne",
}


def days_ago(n: int) -> str:
    return (timezone.localdate() - datetime.timedelta(days=n)).isoformat()


def _opened(case, **changes):
    """The debtor's liquidation recorded on a taken-over case, from its hearings step."""
    side_action(case, "hearings", "collective_opening", {**OPENING, **changes})
    return collective.open_proceeding(case)


# --- The declaration of the claim ---------------------------------------------------------


def test_the_declaration_is_due_two_months_after_the_bodacc_publication_as_critical():
    """C. com. R.622-24: two months from the publication of the opening judgment in the
    BODACC; the last day, a Sunday, moves to the Monday (CPC 642, R.662-1)."""
    case = CaseFactory(to=S.ACTION_ENGAGED)
    _opened(case)
    deadline = case.deadlines.get(template=rules.DECLARATION)
    assert deadline.start_date == D(2026, 9, 8)
    assert deadline.due_date == D(2026, 11, 9)
    assert deadline.critical and "R.622-24" in deadline.basis
    assert deadline.status == DeadlineStatus.OPEN


def test_a_declaration_in_time_meets_the_deadline_and_needs_no_releve():
    case = CaseFactory(to=S.ACTION_ENGAGED)
    proceeding = _opened(case)
    jurist = case.assigned_jurist
    declaration = collective.record_declaration(
        case, jurist, proceeding, declared_on=D(2026, 11, 9), amount=88000
    )
    from deadlines.services import on_claim_declared

    on_claim_declared(case, jurist, declaration)
    deadline = case.deadlines.get(template=rules.DECLARATION)
    assert deadline.status == DeadlineStatus.DONE and not deadline.is_late
    assert not case.deadlines.filter(template=rules.RELEVE).exists()


def test_a_late_declaration_opens_the_releve_de_forclusion_deadline():
    """C. com. L.622-26: a claim not declared in time is forclose unless the juge-commissaire
    lifts the forclusion; the action must be brought within six months of the publication
    of the opening judgment (al. 3, since the ordonnance n° 2014-326: no longer the one year
    of the former text; a creditor who could not know its claim counts from the day it could
    no longer ignore it)."""
    case = CaseFactory(to=S.ACTION_ENGAGED)
    proceeding = _opened(case)
    jurist = case.assigned_jurist
    declaration = collective.record_declaration(
        case, jurist, proceeding, declared_on=D(2026, 11, 20), amount=88000
    )
    from deadlines.services import on_claim_declared

    on_claim_declared(case, jurist, declaration)
    declared = case.deadlines.get(template=rules.DECLARATION)
    assert declared.status == DeadlineStatus.DONE and declared.is_late
    releve = case.deadlines.get(template=rules.RELEVE)
    assert releve.start_date == D(2026, 9, 8)
    assert releve.due_date == D(2027, 3, 8)
    assert releve.critical and "L.622-26" in releve.basis
    assert "déclarée tardivement le 20/11/2026" in releve.label


def test_a_declaration_not_made_in_time_opens_the_releve_the_day_after():
    """C. com. L.622-26: the two months of R.622-24 passed without a declaration, the
    relevé de forclusion gets its deadline (the daily task), once."""
    from deadlines.services import open_overdue_releves

    case = CaseFactory(to=S.ACTION_ENGAGED)
    _opened(case)
    assert open_overdue_releves(D(2026, 11, 9)) == 0  # the last day: still in time
    assert open_overdue_releves(D(2026, 11, 10)) == 1
    assert open_overdue_releves(D(2026, 11, 11)) == 0
    releve = case.deadlines.get(template=rules.RELEVE)
    assert releve.due_date == D(2027, 3, 8) and releve.is_open
    assert "délai de déclaration expiré le 09/11/2026" in releve.label
    # Declared late afterwards: the declaration's deadline is met late, no second relevé.
    from deadlines.services import on_claim_declared

    declaration = collective.record_declaration(
        case,
        case.assigned_jurist,
        collective.open_proceeding(case),
        declared_on=D(2026, 11, 20),
        amount=88000,
    )
    on_claim_declared(case, case.assigned_jurist, declaration)
    assert case.deadlines.filter(template=rules.RELEVE).count() == 1
    assert case.deadlines.get(template=rules.DECLARATION).is_late


# --- The suspension of individual actions, the subrogation ----------------------------------


def test_an_opening_stops_the_pending_saisie_of_the_same_debtor_and_tells_its_jurist(client, users):
    """C. com. L.622-21: the opening judgment stops every individual action and every
    procedure of execution of the creditors for a claim born before it."""
    saisie = CaseFactory(to=S.ACTION_ENGAGED, assigned_jurist=users["other_jurist"])
    other_debtor = CaseFactory(to=S.ACTION_ENGAGED, debtor__siren="732829320")
    # The assignation to open proceedings against the saisie's debtor, up to its decision.
    assignation = case_at_step("declare_claim")
    assert assignation.debtor.siren == saisie.debtor.siren

    stopped = StoppedAction.objects.get(case=saisie)
    assert stopped.proceeding.decision is not None
    assert stopped.proceeding.kind == CollectiveKind.LIQUIDATION
    assert not StoppedAction.objects.filter(case=other_debtor).exists()
    assert not StoppedAction.objects.filter(case=assignation).exists()
    entry = saisie.events.get(data__collective="stopped")
    assert "Action individuelle arrêtée" in entry.summary and "L.622-21" in entry.summary
    told = Notification.objects.filter(event=entry, user=saisie.assigned_jurist)
    assert told.get().kind == NotificationKind.PROCEEDINGS

    client.force_login(saisie.assigned_jurist)
    page = client.get(saisie.get_absolute_url()).content.decode()
    assert "Action individuelle arrêtée" in page and "L.622-21" in page
    assert "Liquidation judiciaire" in page and f"dossier {assignation.reference}" in page


def test_the_liquidateur_is_subrogated_in_the_stopped_saisie(client):
    """C. com. L.642-18 al. 3: the liquidateur is subrogated in the rights of the creditor
    who had engaged the saisie immobilière before the liquidation."""
    saisie = CaseFactory(to=S.ACTION_ENGAGED)
    case_at_step("declare_claim")
    side_action(saisie, "hearings", "subrogation", {"on": days_ago(0), "note": "Par requête."})
    stopped = StoppedAction.objects.get(case=saisie)
    assert stopped.subrogated_on == timezone.localdate()
    assert saisie.events.filter(summary__contains="subrogé dans la saisie").exists()
    client.force_login(saisie.assigned_jurist)
    page = client.get(saisie.get_absolute_url()).content.decode()
    assert "Le liquidateur est subrogé" in page and "L.642-18" in page


def test_only_a_liquidateur_is_subrogated():
    saisie = CaseFactory(to=S.ACTION_ENGAGED)
    other = CaseFactory(to=S.ACTION_ENGAGED)
    _opened(other, kind=CollectiveKind.SAUVEGARDE)
    stopped = StoppedAction.objects.get(case=saisie)
    with pytest.raises(ValidationError, match="L.642-18"):
        collective.record_subrogation(stopped, saisie.assigned_jurist, on=timezone.localdate())
    assert StoppedAction.objects.get(case=saisie).subrogated_on is None


def test_a_second_opening_while_one_is_running_is_refused():
    case = CaseFactory(to=S.ACTION_ENGAGED)
    _opened(case)
    with pytest.raises(ValidationError, match="déjà en cours"):
        collective.record_opening(
            case, case.assigned_jurist, kind="redressement", opened_on=D(2026, 10, 1), court="TC"
        )


# --- The court of the assignation ---------------------------------------------------------


@pytest.mark.parametrize(
    ("activity", "seat", "on", "court"),
    [
        # C. com. L.621-2: trader or artisan, the tribunal de commerce; the others, the TJ.
        ("commercial", "Laon", D(2026, 6, 1), "Tribunal de commerce de Laon"),
        ("artisan", "Laon", D(2026, 6, 1), "Tribunal de commerce de Laon"),
        ("agricultural", "Laon", D(2026, 6, 1), "Tribunal judiciaire de Laon"),
        ("liberal", "Laon", D(2026, 6, 1), "Tribunal judiciaire de Laon"),
        ("civil", "Laon", D(2026, 6, 1), "Tribunal judiciaire de Laon"),
        # Loi n° 2023-1059 art. 26, arrêté du 5 juillet 2024: the tribunal des activités
        # économiques for every debtor from 1 January 2025, where one sits...
        ("commercial", "Lyon", D(2025, 1, 2), "Tribunal des activités économiques de Lyon"),
        ("civil", "Lyon", D(2026, 6, 1), "Tribunal des activités économiques de Lyon"),
        ("agricultural", "Carpentras", D(2026, 6, 1), "Tribunal des activités économiques d"),
        ("liberal", "Saint-Brieuc", D(2026, 6, 1), "Tribunal des activités économiques de S"),
        # ... but the regulated legal professions (C. com. L.722-6-1 al. 2), and not before.
        ("legal_profession", "Lyon", D(2026, 6, 1), "Tribunal judiciaire de Lyon"),
        ("commercial", "Lyon", D(2024, 12, 31), "Tribunal de commerce de Lyon"),
        # No tribunal de commerce in Alsace-Moselle: the TJ's commercial chamber (L.731-1).
        ("commercial", "Strasbourg", D(2026, 6, 1), "Chambre commerciale du tribunal judiciaire"),
        ("civil", "Strasbourg", D(2026, 6, 1), "Tribunal judiciaire de Strasbourg"),
        ("civil", "Lyon", D(2024, 12, 31), "Tribunal judiciaire de Lyon"),
    ],
)
def test_the_court_follows_the_debtors_form_and_activity(activity, seat, on, court):
    assert collective.competent_court(activity, seat, on).name.startswith(court)


def test_avignon_sits_for_carpentras_too():
    """Arrêté du 5 juillet 2024, art. 2: Avignon for the ressort of the tribunaux
    judiciaires of Avignon and Carpentras."""
    court = collective.competent_court("agricultural", "Carpentras", D(2026, 6, 1))
    assert court.name == "Tribunal des activités économiques d'Avignon"
    assert collective.competent_court("commercial", "Le Havre", D(2026, 6, 1)).name == (
        "Tribunal des activités économiques du Havre"
    )


def test_the_assignation_to_the_wrong_court_is_refused():
    case = CaseFactory(
        to=S.TAKEN_OVER, action_type=ActionType.objects.get(code="procedure_collective")
    )
    data = {
        "kind": "assignation",
        "court": "Tribunal judiciaire de Laon",
        "signed_on": days_ago(3),
        "debtor_activity": "commercial",
        "court_seat": "Laon",
    }
    form = StartingActForm(data, case=case, user=case.assigned_jurist)
    assert not form.is_valid()
    assert "tribunal de commerce" in form.errors["court"][0]
    form = StartingActForm({**data, "court": ""}, case=case, user=case.assigned_jurist)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["court"] == "Tribunal de commerce de Laon"


def test_the_saisie_form_has_no_collective_fields():
    case = CaseFactory(to=S.TAKEN_OVER)
    form = StartingActForm(case=case, user=case.assigned_jurist)
    assert "debtor_activity" not in form.fields and "co_plaintiff" not in form.fields


# --- The assignation to open collective proceedings, from the referral to the closure -----


def judgment():
    return SimpleUploadedFile(
        "jugement.pdf", sample_pdf("Jugement"), content_type="application/pdf"
    )


def test_an_assignation_to_open_proceedings_walked_to_its_closure(
    client, users, submitted_case, journey
):
    pc = ActionType.objects.get(code="procedure_collective")
    case = submitted_case(action_type=pc)
    j = journey(case)
    head, jurist = users["head"], users["jurist"]
    j.step(head, "receivability", {"decision": "accept"})
    j.step(head, "assignment", {"jurist": jurist.pk})
    lawyer = Lawyer.objects.filter(active=True).first()
    j.step(jurist, "mandate_lawyer", {"lawyer": lawyer.pk, "mandated_on": days_ago(40)})
    j.step(
        jurist,
        "starting_act",
        {
            "kind": "assignation",
            "court": "",
            "signed_on": days_ago(35),
            "served_on": days_ago(33),
            "debtor_activity": "commercial",
            "court_seat": "Laon",
            "co_plaintiff": "URSSAF de Picardie",
        },
    )
    act = case.starting_acts.get()
    assert (act.court, act.co_plaintiff) == ("Tribunal de commerce de Laon", "URSSAF de Picardie")
    hearing = {
        "court": act.court,
        "scheduled_at": sitting_moment(-20),
        "kind": "plaidoirie",
        "purpose": "Audience d'ouverture",
    }
    j.side(jurist, "hearings", "hearing", hearing)
    held = case.hearings.get(status=HearingStatus.SCHEDULED)
    j.side(jurist, "hearings", "held", {"hearing": held.pk})
    j.step(jurist, "hearings", {"deliberation_on": days_ago(15)})
    j.step(
        jurist,
        "decision",
        {
            "result": "decided",
            "decided_on": days_ago(14),
            "court": act.court,
            "outcome": "opening_lj",
            "notified_on": days_ago(13),
        },
        files={"judgment": judgment()},
    )
    # The opening recorded for the debtor; the appeal period is C. com. R.661-3's.
    proceeding = collective.case_proceeding(case)
    assert proceeding.kind == CollectiveKind.LIQUIDATION and proceeding.decision is not None
    assert "R.661-3" in case.deadlines.get(template="appel").basis
    j.step(jurist, "appeal_decision", {"choice": "none"})
    assert case.status == S.DECIDED and open_step_names(case) == ["declare_claim"]

    j.side(
        jurist,
        "declare_claim",
        "collective_publication",
        {"bodacc_on": days_ago(10), "mandataire": "SELARL Mandataires de l'Aisne"},
    )
    deadline = case.deadlines.get(template=rules.DECLARATION)
    assert deadline.critical and deadline.is_open
    client.force_login(jurist)
    page = client.get(reverse("workflows:task", args=[open_task(case).pk])).content.decode()
    assert "Procédure collective du débiteur" in page and "R.622-24" in page
    assert "SELARL Mandataires de l&#x27;Aisne" in page

    j.step(jurist, "declare_claim", {"declared_on": days_ago(2), "amount": "88 000,00"})
    assert case.status == S.EXECUTION and open_step_names(case) == ["execution"]
    deadline.refresh_from_db()
    assert deadline.status == DeadlineStatus.DONE and not deadline.is_late
    assert case.claim_declarations.get().amount == 88000
    # The declaration interrupts the prescription until the closure (C. com. L.622-25-1).
    suspension = case.suspensions.get(cause="procedure_collective")
    assert suspension.start == timezone.localdate() - datetime.timedelta(days=2)
    assert suspension.end is None

    j.side(
        jurist,
        "execution",
        "collective_closing",
        {"closed_on": days_ago(0), "cause": ClosingCause.INSUFFISANCE_ACTIF},
    )
    suspension.refresh_from_db()
    assert suspension.end == timezone.localdate()
    page = client.get(case.get_absolute_url()).content.decode()
    assert "piste d'une action L.267" in page and "LPF L.267" in page
    j.step(
        jurist,
        "execution",
        {"closure_reason": ClosureReason.IRRECOVERABLE, "comment": "Clôture pour insuffisance."},
    )
    assert case.status == S.CLOSED and open_step_names(case) == []
    summaries = list(case.events.values_list("summary", flat=True))
    assert any("Liquidation judiciaire du débiteur ouverte" in s for s in summaries)
    assert any("Pas d'appel du jugement d'ouverture" in s for s in summaries)
    assert any("publié au BODACC" in s for s in summaries)
    assert any("déclarée le" in s for s in summaries)
    assert any("close le" in s for s in summaries)
    assert CaseEvent.objects.filter(case=case, data__collective="declared").count() == 1


def test_a_rejected_opening_goes_on_to_execution_as_before():
    case = case_at_step("decision", action_type=ActionType.objects.get(code="procedure_collective"))
    take_step(case, "decision", "decided", {"outcome": "rejected", "amount_awarded": ""})
    assert not collective.awaits_declaration(case) and collective.case_proceeding(case) is None
    take_step(case, "appeal_decision", "no_appeal")
    assert case.status == S.EXECUTION and open_step_names(case) == ["execution"]
