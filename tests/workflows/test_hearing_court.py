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


def test_the_rg_number_is_taken_with_the_hearing_and_kept_for_the_next_one():
    """The registry's number (répertoire général) of the instance, which the bordereau
    de pièces bears: entered with a hearing, proposed again for the next one, and kept by
    a hearing the judge fixes at the same court (the adjudication after the orientation)."""
    import datetime

    from django.utils import timezone

    from cases import proceedings
    from cases.enums import HearingKind, Instance

    case = case_at_step("hearings")
    court = case.starting_acts.get().court
    form = HearingForm(
        {
            "court": court,
            "scheduled_at": "2026-01-05T09:30",
            "kind": "orientation",
            "rg_number": " 26/00417 ",
        },
        case=case,
        user=case.assigned_jurist,
    )
    assert form.is_valid(), form.errors
    data = {k: v for k, v in form.cleaned_data.items() if k in ("court", "kind", "rg_number")}
    hearing = proceedings.schedule_hearing(
        case,
        case.assigned_jurist,
        instance=Instance.FIRST,
        scheduled_at=form.cleaned_data["scheduled_at"],
        **data,
    )
    assert hearing.rg_number == "26/00417"
    assert HearingForm(case=case, user=case.assigned_jurist).fields["rg_number"].initial == (
        "26/00417"
    )
    later = proceedings.schedule_hearing(
        case,
        case.assigned_jurist,
        instance=Instance.FIRST,
        court=court,
        scheduled_at=timezone.make_aware(datetime.datetime(2026, 4, 8, 14, 0)),
        kind=HearingKind.ADJUDICATION,
    )
    assert later.rg_number == "26/00417"
