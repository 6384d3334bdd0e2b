"""The first hearing's court is the one the starting act brought the case to (it was the
action's generic court, « Tribunal judiciaire », to be retyped each time)."""

import pytest

from tests.factories import case_at_step
from workflows.steps import HearingForm

pytestmark = pytest.mark.django_db


def test_the_first_hearing_is_prefilled_with_the_starting_acts_court():
    case = case_at_step("hearings")
    act = case.starting_acts.get()
    assert act.court == "Tribunal judiciaire de Laon"
    assert act.court != case.action_type.court
    form = HearingForm(case=case, user=case.assigned_jurist)
    assert form.fields["court"].initial == act.court
