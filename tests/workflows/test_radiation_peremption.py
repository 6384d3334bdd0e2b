"""Issue 17: a radiation suspends the instance (CPC 381), which lapses when no party
accomplishes a diligence for two years (CPC 386): the pôle has a critical deadline to have
the case reinstated (rétablissement, CPC 383), met by the new hearing. On appeal, the
péremption runs from the notification of the radiation (CPC 524). Dates counted by hand."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import proceedings
from cases.enums import DecisionOutcome, Instance
from deadlines import rules
from deadlines import services as deadline_services
from deadlines.enums import DeadlineStatus
from tests.factories import case_at_step, sitting_moment, take_step
from tests.workflows.conftest import open_task
from tests.workflows.test_parties_decisions import decided_case, judgment

pytestmark = pytest.mark.django_db
D = datetime.date


def radiate(case, user, decided_on, *, instance=Instance.FIRST, notified_on=None):
    decision = proceedings.record_decision(
        case,
        user,
        instance=instance,
        decided_on=decided_on,
        court="Tribunal judiciaire de Laon",
        outcome=DecisionOutcome.RADIATION,
        notified_on=notified_on,
        judgment_file=judgment(),
    )
    deadline_services.on_radiation(case, user, decision)
    return case.deadlines.get(template=rules.PEREMPTION_INSTANCE)


def test_cpc_386_two_years_from_a_first_instance_radiation(users):
    """Radiation ordered Monday 16 March 2026: two years without diligence end Thursday
    16 March 2028 (CPC 386, 641). Critical: the péremption extinguishes the instance (CPC
    389) and wipes out the interruption of the prescription (C. civ. 2243)."""
    case = decided_case()
    deadline = radiate(case, users["jurist"], D(2026, 3, 16), notified_on=D(2026, 3, 20))
    assert (deadline.start_date, deadline.due_date) == (D(2026, 3, 16), D(2028, 3, 16))
    assert deadline.critical and deadline.status == DeadlineStatus.OPEN
    assert deadline.basis.startswith("CPC art. 386 : instance périmée")
    assert deadline.label == "Rétablir l'affaire radiée avant la péremption de l'instance"


def test_cpc_524_on_appeal_from_the_notification_of_the_radiation(users):
    """An appeal radiated Friday 10 April 2026, the radiation notified Wednesday 15 April:
    two years from the notification (CPC 524) end Saturday 15 April 2028, carried over the
    week-end and Easter Monday 17 April 2028 to Tuesday 18 April 2028 (CPC 642)."""
    case = decided_case()
    deadline = radiate(
        case, users["jurist"], D(2026, 4, 10), instance=Instance.APPEAL, notified_on=D(2026, 4, 15)
    )
    assert (deadline.start_date, deadline.due_date) == (D(2026, 4, 15), D(2028, 4, 18))


def test_the_new_hearing_reinstates_the_case_and_meets_the_deadline(users, client):
    """CPC 383: the case radiated goes back to its hearings; the hearing the jurist fixes
    there on the step page reinstates it: the péremption's deadline is met that day."""
    case = case_at_step("decision")
    take_step(case, "decision", "radiation")
    deadline = case.deadlines.get(template=rules.PEREMPTION_INSTANCE)
    radiation = case.decisions.get()
    assert deadline.start_date == radiation.decided_on
    assert deadline.due_date.year == radiation.decided_on.year + 2
    assert deadline.status == DeadlineStatus.OPEN

    client.force_login(case.assigned_jurist)
    task = open_task(case, "hearings")
    response = client.post(
        reverse("workflows:side_action", args=[task.pk, "hearing"]),
        {
            "court": "Tribunal judiciaire de Laon",
            "scheduled_at": sitting_moment(30),
            "kind": "plaidoirie",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    deadline.refresh_from_db()
    assert deadline.status == DeadlineStatus.DONE
    assert deadline.done_on == timezone.localdate()
    assert deadline.done_act.startswith("Affaire rétablie : nouvelle audience fixée (CPC 383)")
    page = client.get(reverse("deadlines:case", args=[case.reference])).content.decode()
    assert "Rétablir l&#x27;affaire radiée avant la péremption de l&#x27;instance" in page


def test_a_hearing_without_a_radiation_meets_nothing(users):
    case = case_at_step("hearings")
    assert not case.deadlines.filter(template=rules.PEREMPTION_INSTANCE).exists()
    assert not case.events.filter(summary__contains="Affaire rétablie").exists()
