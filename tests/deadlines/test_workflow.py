"""The steps of the pôle create and move the deadlines, and move the prescription."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cases.enums import EventKind, HearingStatus, Mode
from cases.models import Lawyer
from cases.pieces import sample_pdf
from cases.services import submit_referral
from deadlines.calendar import appeal_deadline
from deadlines.engine import compute_deadline
from deadlines.enums import DeadlineStatus
from tests.factories import CaseFactory
from tests.workflows.conftest import Journey

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def day(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


def at(n: int) -> str:
    return f"{day(n).isoformat()}T09:30"


def test_the_takeover_steps_create_and_move_deadlines(client, users):
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
    j.step(jurist, "mandate_lawyer", {"lawyer": Lawyer.objects.first().pk, "mandated_on": day(-30)})

    served = day(-20)
    j.step(
        jurist,
        "starting_act",
        {
            "kind": "commandement",
            "court": "Tribunal judiciaire de Laon",
            "signed_on": day(-25),
            "served_on": served,
        },
    )
    publication = case.deadlines.get(template="si_publication")
    assert publication.due_date == compute_deadline(served, months=2, departement="02")
    # The commandement served on the debtor interrupts the prescription (C. civ. 2244;
    # LPF L.274); the poste's declared act stays as declared.
    claim = case.claims.get()
    assert claim.last_interruptive_act is None
    assert claim.prescription_date == served.replace(year=served.year + 4)
    assert case.events.filter(kind=EventKind.PRESCRIPTION_MOVED).exists()

    j.side(jurist, "hearings", "procedure_act", {"kind": "publication", "date": day(-10)})
    publication.refresh_from_db()
    assert publication.status == DeadlineStatus.DONE
    assert case.deadlines.filter(template="si_assignation", status="open").exists()

    j.side(
        jurist,
        "hearings",
        "hearing",
        {"court": "TJ de Laon", "scheduled_at": at(60), "purpose": "Audience d'orientation"},
    )
    before = case.deadlines.get(template="si_assignation_delai")
    first_due = before.due_date
    hearing = case.hearings.get()
    j.side(
        jurist,
        "hearings",
        "adjourn",
        {"hearing": hearing.pk, "new_date": at(95), "reason": "Renvoi à la demande du débiteur"},
    )
    before.refresh_from_db()
    assert before.due_date > first_due
    assert before.source == f"hearing:{case.hearings.get(status=HearingStatus.SCHEDULED).pk}"
    event = case.events.get(kind=EventKind.DEADLINES_RECOMPUTED)
    assert event.summary.startswith("Échéances recalculées")

    j.side(
        jurist,
        "hearings",
        "held",
        {"hearing": case.hearings.get(status=HearingStatus.SCHEDULED).pk},
    )
    j.step(jurist, "hearings", {"deliberation_on": day(-1)})
    judgment = SimpleUploadedFile("jugement.pdf", sample_pdf("Jugement"), "application/pdf")
    j.step(
        jurist,
        "decision",
        {
            "result": "decided",
            "decided_on": day(-2),
            "court": "JEX de Laon",
            "outcome": "granted",
            "notified_on": day(-1),
        },
        files={"judgment": judgment},
    )
    decision = case.decisions.get()
    appeal = case.deadlines.get(template="appel")
    assert appeal.due_date == appeal_deadline(decision)
    assert "R.121-20" in appeal.basis  # JEX: 15 days

    j.step(jurist, "appeal_decision", {"choice": "none"})
    j.side(jurist, "execution", "recovery", {"received_on": day(0), "amount": "5 000"})
    claim.refresh_from_db()
    assert claim.prescription_date == TODAY.replace(year=TODAY.year + 4)  # C. civ. 2240
    assert case.events.filter(kind=EventKind.PRESCRIPTION_MOVED).count() == 2
