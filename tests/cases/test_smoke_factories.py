import pytest

from cases.enums import CaseStatus
from tests.factories import PATHS, CaseFactory


@pytest.mark.django_db
@pytest.mark.parametrize("status", list(PATHS))
def test_factory_reaches_every_status_through_the_lifecycle(status):
    case = CaseFactory(to=status)
    case.refresh_from_db()
    assert case.status == status
    transitions = [e.target_status for e in case.events.filter(kind="transition")]
    assert len(transitions) == len(PATHS[status])
    if status != CaseStatus.DRAFT:
        assert transitions[-1] == status
