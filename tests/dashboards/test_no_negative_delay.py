"""No delay the dashboards measure is negative on the demo's or the generated cases (issue
15: the demo showed a decision 87 days before its referral). The delays are those of the
panels: `results.decision_delays` (the submission's day → the decision) and
`opinions.opinion_delays` (the submission → the validated opinion)."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from cases.models import Decision, Opinion
from demo import bulk as bulk_demo

pytestmark = pytest.mark.django_db


def assert_no_negative_delay() -> None:
    decisions = Decision.objects.select_related("case")
    assert decisions.exists()
    for decision in decisions:
        submitted = timezone.localdate(decision.case.submitted_at)
        assert decision.decided_on >= submitted, (decision.case, decision.decided_on, submitted)
    for opinion in Opinion.objects.exclude(reviewed_at=None).select_related("case"):
        assert opinion.reviewed_at >= opinion.case.submitted_at, opinion.case


def test_the_demo_has_no_negative_delay():
    call_command("seed_demo")
    assert_no_negative_delay()


def test_generated_cases_have_no_negative_delay(users):
    bulk_demo.generate(150, seed=3)
    assert_no_negative_delay()
