"""Full journeys through the pôle's process, with the pages, for each mode."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cases.enums import CaseStatus, ClosureReason, HearingStatus, Mode
from cases.models import Lawyer
from cases.pieces import sample_pdf

from .conftest import open_step_names

S = CaseStatus
pytestmark = pytest.mark.django_db


def days_ago(n: int) -> str:
    return (timezone.localdate() - datetime.timedelta(days=n)).isoformat()


def at(days: int, hour: int = 9) -> str:
    moment = timezone.localdate() + datetime.timedelta(days=days)
    return f"{moment.isoformat()}T{hour:02d}:30"


def judgment():
    return SimpleUploadedFile(
        "jugement.pdf", sample_pdf("Jugement"), content_type="application/pdf"
    )


def test_takeover_journey_with_adjournments_and_appeal(users, submitted_case, journey):
    case = submitted_case(Mode.PRISE_EN_CHARGE)
    assert case.status == S.SUBMITTED
    assert open_step_names(case) == ["receivability"]
    j = journey(case)
    head, jurist = users["head"], users["jurist"]

    j.step(head, "receivability", {"decision": "accept"})
    assert case.status == S.UNDER_EXAMINATION
    j.step(head, "assignment", {"jurist": jurist.pk})
    assert case.status == S.TAKEN_OVER and case.assigned_jurist == jurist
    assert open_step_names(case) == ["mandate_lawyer"]

    lawyer = Lawyer.objects.first()
    j.step(jurist, "mandate_lawyer", {"lawyer": lawyer.pk, "mandated_on": days_ago(30)})
    j.step(
        jurist,
        "starting_act",
        {
            "kind": "commandement",
            "court": "Tribunal judiciaire de Laon",
            "signed_on": days_ago(25),
            "served_on": days_ago(20),
        },
    )
    assert case.status == S.ACTION_ENGAGED
    j.side(
        jurist,
        "hearings",
        "hearing",
        {"court": "TJ de Laon", "scheduled_at": at(-10), "purpose": "Audience d'orientation"},
    )
    first = case.hearings.get()
    j.side(
        jurist,
        "hearings",
        "adjourn",
        {"hearing": first.pk, "new_date": at(-5), "reason": "Renvoi demandé par la défense"},
    )
    second = case.hearings.get(status=HearingStatus.SCHEDULED)
    j.side(
        jurist,
        "hearings",
        "adjourn",
        {"hearing": second.pk, "new_date": at(-2), "reason": "Grève des greffes"},
    )
    third = case.hearings.get(status=HearingStatus.SCHEDULED)
    j.side(jurist, "hearings", "held", {"hearing": third.pk})
    assert case.hearings.filter(status=HearingStatus.ADJOURNED).count() == 2
    j.step(jurist, "hearings", {"deliberation_on": days_ago(1)})
    assert case.status == S.AWAITING_DECISION

    j.step(
        jurist,
        "decision",
        {
            "result": "decided",
            "decided_on": days_ago(1),
            "court": "TJ de Laon",
            "outcome": "rejected",
            "notified_on": days_ago(1),
        },
        files={"judgment": judgment()},
    )
    assert case.status == S.DECIDED
    j.step(
        jurist,
        "appeal_decision",
        {
            "choice": "pole",
            "lodged_on": days_ago(0),
            "court": "Cour d'appel d'Amiens",
            "grounds": "Erreur de droit",
        },
    )
    assert case.status == S.UNDER_APPEAL
    assert open_step_names(case) == ["hearings"]
    j.side(
        jurist,
        "hearings",
        "hearing",
        {"court": "CA d'Amiens", "scheduled_at": at(-1), "purpose": "Plaidoiries"},
    )
    j.side(
        jurist,
        "hearings",
        "held",
        {"hearing": case.hearings.get(status=HearingStatus.SCHEDULED).pk},
    )
    j.step(jurist, "hearings", {"deliberation_on": days_ago(0)})
    j.step(
        jurist,
        "decision",
        {
            "result": "decided",
            "decided_on": days_ago(0),
            "court": "CA d'Amiens",
            "outcome": "granted",
            "amount_awarded": "12 000,00",
        },
        files={"judgment": judgment()},
    )
    j.step(jurist, "appeal_decision", {"choice": "none"})
    assert case.status == S.EXECUTION
    j.side(jurist, "execution", "recovery", {"received_on": days_ago(0), "amount": "5 000"})
    j.step(
        jurist,
        "execution",
        {"closure_reason": ClosureReason.RECOVERED_PARTIAL, "comment": "5 000 € recouvrés."},
    )
    assert case.status == S.CLOSED
    case.process.refresh_from_db()
    assert case.process.status == "DONE"
    assert open_step_names(case) == []
