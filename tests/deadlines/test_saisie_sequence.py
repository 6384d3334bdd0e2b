"""Sequence checks of a saisie immobilière, through the workflow's steps as the jurist
takes them (issue 15): each refusal is a French message and nothing is saved."""

import datetime
import html

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cases.enums import HearingStatus, Mode
from cases.models import Lawyer
from cases.pieces import sample_pdf
from cases.services import submit_referral
from deadlines.services import sitting_day_on_or_before
from tests.factories import CaseFactory
from tests.workflows.conftest import Journey, open_task

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def day(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


def refused(client, case, user, step, action, data) -> str:
    """Post a side action that must be refused: the page's text."""
    task = open_task(case, step)
    client.force_login(user)
    response = client.post(reverse("workflows:side_action", args=[task.pk, action]), data)
    assert response.status_code == 409, response.status_code
    return html.unescape(response.content.decode())


@pytest.fixture
def at_hearings(client, users):
    """A saisie immobilière at the hearings step: commandement signed 60 days ago, served
    58 days ago."""
    agent, head, jurist = users["poste_agent"], users["head"], users["jurist"]
    case = CaseFactory(
        complete=True,
        mode=Mode.PRISE_EN_CHARGE,
        created_by=agent,
        poste_comptable=agent.poste_comptable,
    )
    submit_referral(agent, case, confirm_duplicate=True)
    case.refresh_from_db()
    j = Journey(client, case)
    j.step(head, "receivability", {"decision": "accept"})
    j.step(head, "assignment", {"jurist": jurist.pk})
    j.step(jurist, "mandate_lawyer", {"lawyer": Lawyer.objects.first().pk, "mandated_on": day(-61)})
    j.step(
        jurist,
        "starting_act",
        {
            "kind": "commandement",
            "court": "Tribunal judiciaire de Laon",
            "signed_on": day(-60),
            "served_on": day(-58),
        },
    )
    return j, jurist


def test_a_starting_act_cannot_precede_its_claims(client, users):
    """The commandement enforces claims put into recovery on 15 March 2024: signed on
    1 March 2024 it would enforce what was not yet due."""
    agent, head, jurist = users["poste_agent"], users["head"], users["jurist"]
    case = CaseFactory(
        complete=True,
        mode=Mode.PRISE_EN_CHARGE,
        created_by=agent,
        poste_comptable=agent.poste_comptable,
    )
    assert case.claims.get().assessment_date == datetime.date(2024, 3, 15)
    submit_referral(agent, case, confirm_duplicate=True)
    j = Journey(client, case)
    j.step(head, "receivability", {"decision": "accept"})
    j.step(head, "assignment", {"jurist": jurist.pk})
    j.step(jurist, "mandate_lawyer", {"lawyer": Lawyer.objects.first().pk, "mandated_on": day(-1)})
    response = j.step(
        jurist,
        "starting_act",
        {
            "kind": "commandement",
            "court": "TJ de Laon",
            "signed_on": "2024-03-01",
            "served_on": "2024-03-04",
        },
        expect=409,
    )
    text = html.unescape(response.content.decode())
    assert "ne peut précéder la mise en recouvrement" in text
    assert not case.starting_acts.exists()


def test_publication_after_service_and_assignation_after_publication(client, at_hearings):
    """Commandement served < published < assignation (R.321-6, R.322-4)."""
    j, jurist = at_hearings
    case = j.case
    text = refused(
        client, case, jurist, "hearings", "procedure_act", {"kind": "publication", "date": day(-59)}
    )
    assert "la publication du commandement" in text and "doit venir après" in text
    assert not case.procedure_acts.exists()
    j.side(jurist, "hearings", "procedure_act", {"kind": "publication", "date": day(-50)})
    text = refused(
        client,
        case,
        jurist,
        "hearings",
        "procedure_act",
        {"kind": "assignation", "date": day(-52), "hearing_on": day(-10)},
    )
    assert "l'assignation du débiteur" in text and "doit venir après" in text
    assert not case.procedure_acts.filter(kind="assignation").exists()


def test_the_orientation_hearing_comes_after_the_assignation(client, at_hearings):
    j, jurist = at_hearings
    case = j.case
    j.side(jurist, "hearings", "procedure_act", {"kind": "publication", "date": day(-50)})
    written = sitting_day_on_or_before(case, day(-10))
    j.side(
        jurist,
        "hearings",
        "procedure_act",
        {"kind": "assignation", "date": day(-45), "hearing_on": written},
    )
    before = sitting_day_on_or_before(case, day(-47))
    text = refused(
        client,
        case,
        jurist,
        "hearings",
        "hearing",
        {"court": "TJ de Laon", "scheduled_at": f"{before}T09:30", "kind": "orientation"},
    )
    assert "l'audience d'orientation" in text and "doit venir après" in text
    assert not case.hearings.exists()


@pytest.mark.parametrize(
    "when, why",
    [
        (datetime.date(2027, 1, 3), "un dimanche"),
        (datetime.date(2027, 1, 2), "un samedi"),
        (datetime.date(2027, 7, 14), "un jour férié"),
    ],
)
def test_a_hearing_on_a_day_the_court_does_not_sit_is_refused(client, at_hearings, when, why):
    """The court's département (the Aisne): Sunday 3 January 2027, Saturday 2 January
    2027, 14 July 2027 (C. trav. L.3133-1)."""
    j, jurist = at_hearings
    text = refused(
        client,
        j.case,
        jurist,
        "hearings",
        "hearing",
        {"court": "TJ de Laon", "scheduled_at": f"{when}T09:30", "kind": "plaidoirie"},
    )
    assert why in text and "le tribunal ne siège pas" in text
    assert not j.case.hearings.exists()


def test_a_hearing_in_the_future_cannot_be_marked_held(client, at_hearings):
    j, jurist = at_hearings
    future = sitting_day_on_or_before(j.case, day(30))
    j.side(
        jurist,
        "hearings",
        "hearing",
        {"court": "TJ de Laon", "scheduled_at": f"{future}T09:30", "kind": "plaidoirie"},
    )
    hearing = j.case.hearings.get()
    text = refused(client, j.case, jurist, "hearings", "held", {"hearing": hearing.pk})
    assert "n'a pas encore eu lieu" in text
    hearing.refresh_from_db()
    assert hearing.status == HearingStatus.SCHEDULED


def test_a_decision_cannot_precede_the_hearing_it_follows(client, at_hearings):
    j, jurist = at_hearings
    held = sitting_day_on_or_before(j.case, day(-5))
    j.side(
        jurist,
        "hearings",
        "hearing",
        {"court": "TJ de Laon", "scheduled_at": f"{held}T09:30", "kind": "plaidoirie"},
    )
    j.side(jurist, "hearings", "held", {"hearing": j.case.hearings.get().pk})
    j.step(jurist, "hearings", {"deliberation_on": day(-1)})
    judgment = SimpleUploadedFile("jugement.pdf", sample_pdf("Jugement"), "application/pdf")
    response = j.step(
        jurist,
        "decision",
        {
            "result": "decided",
            "decided_on": held - datetime.timedelta(days=2),
            "court": "JEX de Laon",
            "outcome": "granted",
        },
        files={"judgment": judgment},
        expect=409,
    )
    assert "ne peut précéder l'audience qu'elle suit" in html.unescape(response.content.decode())
    assert not j.case.decisions.exists()


def test_a_corrected_date_is_checked_too(users, engaged_case):
    """Correcting the publication to a day before the service is refused, nothing moves."""
    from deadlines import services

    from .conftest import starting_act

    case = engaged_case()
    jurist = users["jurist"]
    services.on_starting_act(case, jurist, starting_act(case, jurist, datetime.date(2026, 1, 15)))
    act = services.record_procedure_act(
        case, jurist, kind="publication", date=datetime.date(2026, 2, 20)
    )
    with pytest.raises(ValidationError, match="doit venir après"):
        services.correct_procedure_act(
            act, jurist, date=datetime.date(2026, 1, 10), reason="Erreur de saisie"
        )
    act.refresh_from_db()
    assert act.date == datetime.date(2026, 2, 20)
