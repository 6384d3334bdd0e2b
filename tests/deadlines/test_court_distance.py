"""Whose calendar, distance, lateness (issue 15): the court's public holidays (CPC 642),
the délais de distance (CPC 643-644), the opponent's late appeal (CPC 538, 125), the
non-statutory days and the registry closed on Saturday. Every date below is computed by
hand from the texts."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases import proceedings
from cases.enums import AppealParty, CaseStatus, DecisionOutcome, Instance, Residence
from cases.models import ActionType, Direction
from cases.pieces import sample_pdf
from deadlines import court, services
from deadlines.calendar import (
    LATE_APPEAL,
    appeal_deadline,
    calendar_departement,
    deadline_notes,
    late_appeal,
    opponent_appeal,
    registry_last_open_day,
)
from deadlines.enums import ProcedureActKind
from documents.kinds import compte_rendu
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def paulienne(direction="DDFIP 02", court_departement="", residence=Residence.METROPOLE, **kw):
    """An action paulienne (appeal: one month, CPC 538; no property: the direction's
    calendar by default)."""
    case = CaseFactory(
        to=CaseStatus.DECIDED,
        lifecycle_only=True,
        direction=Direction.objects.get(code=direction),
        action_type=ActionType.objects.get(code=kw.pop("action", "action_paulienne")),
        **kw,
    )
    case.debtor.residence = residence
    case.debtor.save()
    if court_departement:
        case.court_departement = court_departement
        case.save(update_fields=["court_departement"])
    return case


def decide(case, user, notified_on):
    decision = proceedings.record_decision(
        case,
        user,
        instance=Instance.FIRST,
        decided_on=notified_on,
        court="Tribunal judiciaire",
        outcome=DecisionOutcome.GRANTED,
        notified_on=notified_on,
        judgment_file=SimpleUploadedFile("jugement.pdf", sample_pdf("Jugement")),
    )
    services.on_decision(case, user, decision)
    return decision


def opponent_appeals(case, user, decision, lodged_on):
    return proceedings.record_appeal(
        case,
        user,
        decision=decision,
        lodged_by=AppealParty.OPPONENT,
        lodged_on=lodged_on,
        court="Cour d'appel",
        grounds="Erreur de droit.",
    )


# --- CPC 642 on the court's département ------------------------------------------------


@pytest.mark.parametrize(
    ("direction", "court_departement", "notified_on", "deadline"),
    [
        # 26 December is a public holiday in 57, 67 and 68 only (C. trav. L.3134-13).
        # Notified Wednesday 26 November 2025: one month is Friday 26 December 2025.
        ("DDFIP 02", "", D(2025, 11, 26), D(2025, 12, 26)),  # the direction's (02)
        ("DDFIP 02", "67", D(2025, 11, 26), D(2025, 12, 29)),  # the court's: Monday 29
        ("DRFIP 67", "02", D(2025, 11, 26), D(2025, 12, 26)),  # a court in the Aisne
        # Good Friday 2026 is 3 April (Easter Sunday 5 April), a public holiday in 57/67/68:
        # notified 3 March, the month ends on Friday 3 April; in Moselle Saturday, Sunday,
        # then Easter Monday 6 April (L.3133-1): Tuesday 7 April.
        ("DDFIP 02", "", D(2026, 3, 3), D(2026, 4, 3)),
        ("DDFIP 02", "57", D(2026, 3, 3), D(2026, 4, 7)),
        # Martinique: the abolition of slavery on 22 May (L.3422-2, décret 83-1003), a
        # Friday in 2026; Whit Monday is 25 May: Tuesday 26 May.
        ("DDFIP 02", "972", D(2026, 4, 22), D(2026, 5, 26)),
        ("DDFIP 02", "", D(2026, 4, 22), D(2026, 5, 22)),
    ],
)
def test_cpc_642_counts_the_court_s_public_holidays(
    users, direction, court_departement, notified_on, deadline
):
    """CPC 642 with the holidays of the court's département, not the direction's: the
    deadline of the case, the appeal period the pôle's appeal is checked against
    (appeal_deadline) and the stored appeal deadline agree."""
    case = paulienne(direction, court_departement)
    decision = decide(case, users["jurist"], notified_on)
    assert appeal_deadline(decision) == deadline
    assert case.deadlines.get(template="appel").due_date == deadline


def test_the_pole_s_appeal_check_uses_the_court_s_calendar(users):
    """The workflow's appeal step refuses a pôle appeal after appeal_deadline: with the
    court in the Bas-Rhin, an appeal on Monday 29 December 2025 (notified 26 November) is
    in time (26 December, CPC 642, L.3134-13)."""
    from workflows.steps import AppealForm

    case = paulienne("DDFIP 02", "67")
    decide(case, users["jurist"], D(2025, 11, 26))
    data = {"choice": "pole", "lodged_on": "2025-12-29", "court": "CA", "grounds": "Moyens."}
    assert AppealForm(data, case=case, user=users["jurist"]).is_valid()
    case.court_departement = "02"
    case.save(update_fields=["court_departement"])
    form = AppealForm(data, case=case, user=users["jurist"])
    assert not form.is_valid()
    assert "26 décembre 2025" in form.errors["lodged_on"][0]


def test_recording_the_court_s_departement_moves_the_deadlines(users):
    """The pôle records the court (Moselle) of a case referred by the Aisne: the open
    appeal deadline moves from Friday 26 December 2025 to Monday 29 (L.3134-13), with a
    history entry."""
    case = paulienne("DDFIP 02")
    decide(case, users["jurist"], D(2025, 11, 26))
    assert calendar_departement(case) == "02"
    moved = court.set_court_departement(case, users["jurist"], departement="57")
    case.refresh_from_db()
    assert case.court_departement == "57" and calendar_departement(case) == "57"
    assert [d.due_date for d in moved] == [D(2025, 12, 29)]
    assert case.events.filter(summary="Département du tribunal : 02 → 57").exists()
    with pytest.raises(ValidationError) as error:
        court.set_court_departement(case, users["jurist"], departement="99")
    assert "département valide" in str(error.value)
    case.refresh_from_db()
    assert case.court_departement == "57"  # nothing half-saved


def test_the_court_departement_form_on_the_deadlines_page(client, users):
    case = paulienne("DDFIP 02")
    case.assigned_jurist = users["jurist"]
    case.save(update_fields=["assigned_jurist"])
    decide(case, users["jurist"], D(2025, 11, 26))
    client.force_login(users["jurist"])
    url = reverse("deadlines:set_court", args=[case.reference])
    response = client.post(url, {"departement": "ABC"})
    assert response.status_code == 422
    assert "Indiquez un numéro de département valide" in response.content.decode()
    response = client.post(url, {"departement": "67"})
    assert response.status_code == 302
    assert case.deadlines.get(template="appel").due_date == D(2025, 12, 29)


# --- Délais de distance (CPC 643-644) ----------------------------------------------------


def test_cpc_643_overseas_adds_one_month(users):
    """A debtor living in La Réunion before a court in the Aisne (CPC 643 1°): notified
    Friday 10 April 2026, one month ends Sunday 10 May → Monday 11 May (base); with one
    more month, Wednesday 10 June 2026."""
    case = paulienne(residence=Residence.REUNION)
    decision = decide(case, users["jurist"], D(2026, 4, 10))
    period = opponent_appeal(decision)
    assert period.deadline.base_last_day == D(2026, 5, 11)
    assert period.deadline.extension.months == 1
    assert period.deadline.extension.article == "CPC 643"
    assert period.last_day == D(2026, 6, 10)
    # The pôle's own period takes no extension.
    assert appeal_deadline(decision) == D(2026, 5, 11)


def test_cpc_643_abroad_adds_two_months(users):
    """A debtor living abroad (CPC 643 2°): 10 April 2026 + 3 months = Friday 10 July."""
    case = paulienne(residence=Residence.ETRANGER)
    decision = decide(case, users["jurist"], D(2026, 4, 10))
    period = opponent_appeal(decision)
    assert (period.deadline.extension.months, period.last_day) == (2, D(2026, 7, 10))


def test_cpc_643_on_a_period_in_days(users):
    """Juge de l'exécution, 15 days (R.121-20), a debtor abroad: the months first, then the
    days (CPC 641 al. 2): 16 April 2026 + 2 months = 16 June, + 15 days = Wednesday 1 July
    (the period alone: 1 May, a holiday → Monday 4 May)."""
    case = paulienne(residence=Residence.ETRANGER, action="saisie_immobiliere")
    decision = decide(case, users["jurist"], D(2026, 4, 16))
    period = opponent_appeal(decision)
    assert period.deadline.base_last_day == D(2026, 5, 4)
    assert period.last_day == D(2026, 7, 1)


def test_cpc_644_court_overseas(users):
    """A court sitting in La Réunion (CPC 644): a party in metropolitan France gets one
    month (10 April → 10 June 2026), a party living in La Réunion none (11 May)."""
    case = paulienne(court_departement="974")
    decision = decide(case, users["jurist"], D(2026, 4, 10))
    period = opponent_appeal(decision)
    assert (period.deadline.extension.article, period.last_day) == ("CPC 644", D(2026, 6, 10))
    case.debtor.residence = Residence.REUNION
    case.debtor.save()
    decision.refresh_from_db()
    period = opponent_appeal(decision)
    assert (period.deadline.extension.months, period.last_day) == (0, D(2026, 5, 11))


def test_the_manager_is_the_opponent_of_an_l267_action(users):
    """LPF L.267: the action is against the manager; his residence abroad gives 2 months
    (CPC 643), whatever the company's."""
    case = paulienne(action="solidarite_dirigeant")
    manager = case.managers.get()
    manager.residence = Residence.ETRANGER
    manager.save()
    decision = decide(case, users["jurist"], D(2026, 4, 10))
    period = opponent_appeal(decision)
    assert str(manager) in period.party
    assert period.last_day == D(2026, 7, 10)


def test_the_deadlines_page_shows_the_base_and_the_extension(client, users):
    case = paulienne(residence=Residence.ETRANGER)
    case.assigned_jurist = users["jurist"]
    case.save(update_fields=["assigned_jurist"])
    decide(case, users["jurist"], D(2026, 4, 10))
    client.force_login(users["jurist"])
    html = client.get(reverse("deadlines:case", args=[case.reference])).content.decode()
    assert "11/05/2026 (délai de base), prorogé de 2 mois (CPC 643" in html
    assert ": 10/07/2026" in html


# --- The opponent's late appeal (CPC 538, 125) ----------------------------------------------


def test_cpc_538_late_opponent_appeal_is_flagged(client, users):
    """Notified Friday 10 April 2026 to a debtor in metropolitan France: the month ends
    Monday 11 May (CPC 538, 642). An appeal on 12 May is late; on 11 May, in time; by a
    debtor living in Martinique (+1 month, CPC 643), 12 May is in time."""
    case = paulienne()
    case.assigned_jurist = users["jurist"]
    case.save(update_fields=["assigned_jurist"])
    decision = decide(case, users["jurist"], D(2026, 4, 10))
    in_time = opponent_appeals(case, users["jurist"], decision, D(2026, 5, 11))
    assert late_appeal(in_time) is None
    late = opponent_appeals(case, users["jurist"], decision, D(2026, 5, 12))
    flag = late_appeal(late)
    assert LATE_APPEAL in flag and "11 mai 2026" in flag

    client.force_login(users["jurist"])
    for url in (
        case.get_absolute_url(),
        reverse("deadlines:case", args=[case.reference]),
        reverse("deadlines:mine"),
    ):
        assert "appel tardif (fin de non-recevoir, CPC 538/125)" in client.get(url).content.decode()
    report = compte_rendu.part(case)
    assert [a["late"] != "" for a in report["appeals"]] == [False, True]
    assert "prorogé" not in report["opponent_appeal"]  # metropolitan: no extension

    case.debtor.residence = Residence.MARTINIQUE
    case.debtor.save()
    late.refresh_from_db()
    assert late_appeal(late) is None


def test_the_pole_s_own_appeal_is_never_flagged_as_the_opponent_s(users):
    case = paulienne()
    decision = decide(case, users["jurist"], D(2026, 4, 10))
    appeal = proceedings.record_appeal(
        case,
        users["jurist"],
        decision=decision,
        lodged_by=AppealParty.POLE,
        lodged_on=D(2026, 6, 1),
        court="CA",
        grounds="Moyens.",
    )
    assert late_appeal(appeal) is None


# --- Non-statutory days and the registry closed on Saturday ----------------------------------


def test_a_non_statutory_day_is_a_warning_not_an_extension(users):
    """Good Friday is in the `holidays` package for Guadeloupe but is not a public holiday
    there (only 57/67/68, L.3134-13): a month from 3 March 2026 ends on Good Friday 3 April
    2026 before a court in Guadeloupe, and the page warns."""
    case = paulienne(court_departement="971")
    decision = decide(case, users["jurist"], D(2026, 3, 3))
    deadline = case.deadlines.get(template="appel")
    assert appeal_deadline(decision) == deadline.due_date == D(2026, 4, 3)
    notes = deadline_notes(deadline)
    assert any("03/04/2026 (Vendredi saint) n'est pas un jour férié légal" in n for n in notes)


def test_the_registry_s_last_open_day_beside_the_surenchere(users):
    """R.322-50: ten days after the adjudication of Wednesday 10 June 2026 is Saturday 20
    June: the legal last day is Monday 22 June (CPC 642); the registry, closed on Saturday,
    is last open on Friday 19 June."""
    case = CaseFactory(to=CaseStatus.ACTION_ENGAGED, lifecycle_only=True)
    services.record_procedure_act(
        case, users["jurist"], kind=ProcedureActKind.ADJUDICATION, date=D(2026, 6, 10)
    )
    deadline = case.deadlines.get(template="si_surenchere")
    assert deadline.due_date == D(2026, 6, 22)
    assert any("le 19 juin 2026 (terme légal : 22 juin 2026" in n for n in deadline_notes(deadline))


def test_the_registry_s_last_open_day_beside_the_cahier(users):
    """R.322-10: 5 jours ouvrables after an assignation on Monday 1 June 2026 (2, 3, 4, 5,
    then Saturday 6 June) end on Saturday 6 June, carried to Monday 8 June (CPC 642); the
    registry is last open on Friday 5 June. After an assignation on Wednesday 1 April 2026
    the count skips Easter Monday (2, 3, 4, 7, 8 April): Wednesday 8 April, the registry
    open that day: no note."""
    case = CaseFactory(to=CaseStatus.ACTION_ENGAGED, lifecycle_only=True)
    services.record_procedure_act(
        case,
        users["jurist"],
        kind=ProcedureActKind.ASSIGNATION,
        date=D(2026, 6, 1),
        hearing_on=D(2026, 7, 1),  # the orientation hearing written in it (R.322-4)
    )
    deadline = case.deadlines.get(template="si_cahier")
    assert deadline.due_date == D(2026, 6, 8)
    assert any("le 5 juin 2026 (terme légal : 8 juin 2026" in n for n in deadline_notes(deadline))
    services.correct_procedure_act(
        case.procedure_acts.get(), users["jurist"], date=D(2026, 4, 1), reason="Erreur de date."
    )
    deadline.refresh_from_db()
    assert deadline.due_date == D(2026, 4, 8)
    assert not [n for n in deadline_notes(deadline) if "greffe" in n]


def test_the_registry_day_is_counted_from_the_day_the_count_reaches():
    assert registry_last_open_day(D(2026, 6, 6), "02") == D(2026, 6, 5)
    # Friday 3 April 2026 in Guadeloupe: Good Friday may close the registry (custom): the
    # day before.
    assert registry_last_open_day(D(2026, 4, 3), "971") == D(2026, 4, 2)


def test_the_deadlines_page_asks_the_same_queries_for_one_case_or_four(client, users):
    """The appeal periods' notes (the opponent's délai de distance) read each deadline's
    decision, its case's parties and calendar from what the page fetched once: the count of
    queries does not grow with the number of cases listed (issue 20)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def listed(count: int) -> tuple[int, str]:
        for _ in range(count):
            case = paulienne(residence=Residence.ETRANGER)
            case.assigned_jurist = users["jurist"]
            case.save(update_fields=["assigned_jurist"])
            decide(case, users["jurist"], D(2026, 4, 10))
        with CaptureQueriesContext(connection) as queries:
            html = client.get(reverse("deadlines:mine")).content.decode()
        return len(queries), html

    client.force_login(users["jurist"])
    note = "Délai d&#x27;appel de la partie adverse"
    one, html = listed(1)
    assert note in html
    four, html = listed(3)
    assert html.count(note) == 4
    assert four == one
