import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cases import access, services
from cases.enums import CaseStatus, EventKind, Mode
from tests.factories import CaseFactory


@pytest.mark.django_db
def test_head_assigns_an_expert_who_then_sees_the_case(users):
    case = CaseFactory(to=CaseStatus.UNDER_EXAMINATION, mode=Mode.AVIS)
    assert not access.can_view(users["expert"], case)
    services.assign_case(users["head"], case, jurist=users["jurist"], expert=users["expert"])
    case.refresh_from_db()
    assert case.assigned_expert == users["expert"] and case.assigned_jurist == users["jurist"]
    assert access.can_view(users["expert"], case)
    assert list(access.visible_cases(users["expert"])) == [case]
    event = case.events.last()
    assert event.kind == EventKind.ASSIGNED and "expert" in event.summary


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["jurist", "poste_agent", "management", "admin", "expert"])
def test_only_the_head_assigns(users, role):
    case = CaseFactory(to=CaseStatus.SUBMITTED)
    with pytest.raises(PermissionDenied):
        services.assign_case(users[role], case, jurist=users["jurist"])
    case.refresh_from_db()
    assert case.assigned_jurist is None


@pytest.mark.django_db
def test_assigning_someone_of_the_wrong_role_is_refused(users):
    case = CaseFactory(to=CaseStatus.SUBMITTED)
    events = case.events.count()
    with pytest.raises(ValidationError, match="juriste"):
        services.assign_case(users["head"], case, jurist=users["poste_agent"])
    with pytest.raises(ValidationError, match="expert"):
        services.assign_case(users["head"], case, expert=users["jurist"])
    assert case.events.count() == events


@pytest.mark.django_db
def test_an_assigned_jurist_excludes_the_others_from_pole_transitions(users):
    case = CaseFactory(to=CaseStatus.SUBMITTED)
    services.assign_case(users["head"], case, jurist=users["jurist"])
    assert access.may_act_for_pole(users["jurist"], case)
    assert not access.may_act_for_pole(users["other_jurist"], case)
    assert access.may_act_for_pole(users["head"], case)
