import pytest

from cases.enums import CaseStatus, StartingActKind
from cases.models import PropertyTarget, StartingAct
from tests.factories import CaseFactory


@pytest.fixture
def engaged_case(users):
    """A saisie immobilière of a property in Laon (02), taken over by the jurist."""

    def make(departement: str = "02", **kwargs):
        # The lifecycle alone: each test records the starting act it counts from.
        case = CaseFactory(to=CaseStatus.ACTION_ENGAGED, lifecycle_only=True, **kwargs)
        if departement != "02":
            PropertyTarget.objects.filter(case=case).update(departement=departement)
        case.assigned_jurist = users["jurist"]
        case.save()
        return case

    return make


def starting_act(case, user, served_on, kind=StartingActKind.COMMANDEMENT):
    return StartingAct.objects.create(
        case=case,
        kind=kind,
        court="Tribunal judiciaire de Laon",
        signed_on=served_on,
        served_on=served_on,
        created_by=user,
    )
