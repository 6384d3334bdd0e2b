"""Issue 17: the deadline a notified decision starts is that of the recourse it opens: the
appeal against a first-instance judgment, the pourvoi en cassation against a decision
given on appeal (CPC 612), the opposition against a default judgment (CPC 538, 571-572);
none when no recourse lies (an abandoned recourse, CPC 403)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cases import proceedings
from cases.enums import CaseStatus, DecisionOutcome, Instance
from cases.models import ActionType
from cases.pieces import sample_pdf
from deadlines import rules
from deadlines import services as deadline_services
from deadlines.calendar import appeal_deadline
from tests.factories import CaseFactory

D = datetime.date
Out = DecisionOutcome
pytestmark = pytest.mark.django_db
RECOURSES = ("appel", "pourvoi", "opposition")


def decided_case(code="solidarite_dirigeant"):
    return CaseFactory(
        to=CaseStatus.DECIDED,
        lifecycle_only=True,
        action_type=ActionType.objects.get(code=code),
    )


def decide(case, user, notified_on, *, instance=Instance.FIRST, outcome=Out.GRANTED, **kw):
    decision = proceedings.record_decision(
        case,
        user,
        instance=instance,
        decided_on=notified_on,
        court="Cour d'appel d'Amiens",
        outcome=outcome,
        notified_on=notified_on,
        judgment_file=SimpleUploadedFile(
            "arret.pdf", sample_pdf("Arrêt"), content_type="application/pdf"
        ),
        **kw,
    )
    deadline_services.on_decision(case, user, decision)
    return decision


def recourse_rows(case):
    return list(case.deadlines.filter(template__in=RECOURSES).values_list("template", flat=True))


def test_cpc_612_an_appeal_s_decision_starts_the_pourvoi_deadline_not_an_appeal(users):
    """CPC 612: two months from the notification of the decision given on appeal:
    notified Friday 10 April 2026, the pourvoi runs to Wednesday 10 June 2026; no appeal
    lies against it, so no « appel » deadline."""
    case = decided_case()
    decision = decide(
        case, users["jurist"], D(2026, 4, 10), instance=Instance.APPEAL, outcome=Out.CONFIRMED
    )
    assert recourse_rows(case) == ["pourvoi"]
    deadline = case.deadlines.get(template="pourvoi")
    assert deadline.due_date == D(2026, 6, 10) == appeal_deadline(decision, Instance.CASSATION)
    assert "CPC art. 612" in deadline.basis
    assert deadline.source == f"decision:{decision.pk}"


def test_cpc_571_a_default_judgment_starts_the_opposition_deadline(users):
    """CPC 538, 571-572: one month from the notification of a default judgment: notified
    Friday 10 April 2026, Sunday 10 May, so Monday 11 May 2026 (CPC 642)."""
    case = decided_case("action_paulienne")
    decide(case, users["jurist"], D(2026, 4, 10), by_default=True)
    assert recourse_rows(case) == ["opposition"]
    deadline = case.deadlines.get(template="opposition")
    assert deadline.due_date == D(2026, 5, 11)
    assert "571-572" in deadline.basis


def test_cpc_538_a_first_instance_judgment_still_starts_the_appeal_deadline(users):
    case = decided_case()
    decide(case, users["jurist"], D(2026, 4, 10))
    assert recourse_rows(case) == ["appel"]


def test_cpc_403_a_withdrawn_appeal_starts_no_recourse_deadline(users):
    """CPC 403: the désistement d'appel: the first judgment is in force; nothing lies
    against the order recording it, no deadline is started."""
    case = decided_case()
    decide(case, users["jurist"], D(2026, 4, 10), instance=Instance.APPEAL, outcome=Out.WITHDRAWN)
    assert recourse_rows(case) == []


@pytest.mark.parametrize(
    "instance, outcome, by_default, trigger",
    [
        (Instance.FIRST, Out.GRANTED, False, rules.Trigger.DECISION_NOTIFIED),
        (Instance.APPEAL, Out.REVERSED, False, rules.Trigger.DECISION_NOTIFIED_LAST_RESORT),
        (Instance.FIRST, Out.GRANTED, True, rules.Trigger.DECISION_NOTIFIED_BY_DEFAULT),
        (
            Instance.CASSATION,
            Out.CASSATION_GRANTED,
            False,
            rules.Trigger.DECISION_NOTIFIED_CASSATION,
        ),
        (Instance.CASSATION, Out.CASSATION_NO_RENVOI, False, None),
        (Instance.CASSATION, Out.CASSATION_REJECTED, False, None),
        (Instance.RENVOI, Out.CONFIRMED, False, rules.Trigger.DECISION_NOTIFIED_LAST_RESORT),
        (Instance.CASSATION, Out.WITHDRAWN, False, None),
    ],
)
def test_the_trigger_follows_the_recourse_the_decision_opens(
    instance, outcome, by_default, trigger
):
    """CPC 538 (appeal), 612 (pourvoi), 571 (opposition), 1034 (the juridiction de renvoi
    after a cassation avec renvoi, CPC 626); none after a pourvoi rejected, a cassation
    sans renvoi (CPC 627) or a pourvoi withdrawn (CPC 1024); the renvoi court's decision
    takes a pourvoi like the appeal's it replaces."""
    assert rules.decision_trigger(instance, outcome, by_default=by_default) == trigger
