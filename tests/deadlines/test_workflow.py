"""The steps of the pôle create and move the deadlines, and move the prescription."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cases.enums import EventKind, HearingKind, HearingStatus, Mode
from cases.models import Lawyer
from cases.pieces import sample_pdf
from cases.services import submit_referral
from deadlines.calendar import appeal_deadline
from deadlines.engine import compute_deadline, compute_deadline_before
from deadlines.enums import DeadlineStatus
from deadlines.services import sitting_day_on_or_before
from tests.factories import CaseFactory
from tests.workflows.conftest import Journey

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def day(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


def at(n: int) -> str:
    return f"{day(n).isoformat()}T09:30"


def sitting(case, n: int) -> datetime.date:
    """`n` days from today, moved back to a day the court sits."""
    return sitting_day_on_or_before(case, day(n))


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

    served = day(-58)
    j.step(
        jurist,
        "starting_act",
        {
            "kind": "commandement",
            "court": "Tribunal judiciaire de Laon",
            "signed_on": day(-60),
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

    j.side(jurist, "hearings", "procedure_act", {"kind": "publication", "date": day(-50)})
    publication.refresh_from_db()
    assert publication.status == DeadlineStatus.DONE
    assert case.deadlines.filter(template="si_assignation", status="open").exists()

    # R.322-4: the assignation records the hearing date written in it; both limits are
    # judged on it at once.
    written = sitting(case, -10)
    j.side(
        jurist,
        "hearings",
        "procedure_act",
        {"kind": "assignation", "date": day(-45), "hearing_on": written},
    )
    minimum = case.deadlines.get(template="si_orientation_min")
    assert minimum.due_date == compute_deadline_before(written, months=1, departement="02")
    assert minimum.status == DeadlineStatus.DONE and not minimum.is_late
    assert case.deadlines.get(template="si_orientation_max").status == DeadlineStatus.DONE

    j.side(
        jurist,
        "hearings",
        "hearing",
        {"court": "TJ de Laon", "scheduled_at": f"{written}T09:30", "kind": "orientation"},
    )
    hearing = case.hearings.get()
    assert hearing.kind == HearingKind.ORIENTATION
    j.side(
        jurist,
        "hearings",
        "adjourn",
        {
            "hearing": hearing.pk,
            "new_date": f"{sitting(case, -3)}T09:30",
            "reason": "Renvoi à la demande du débiteur",
        },
    )
    # A renvoi does not move the R.322-4 minimum: it was judged on the written date.
    minimum.refresh_from_db()
    assert minimum.due_date == compute_deadline_before(written, months=1, departement="02")
    assert not case.events.filter(kind=EventKind.DEADLINES_RECOMPUTED).exists()

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
