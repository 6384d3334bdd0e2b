"""The appeal period of a decision, and the one calendar every deadline of a case counts
with (deadlines.calendar)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cases import proceedings
from cases.enums import CaseStatus, DecisionOutcome, Instance
from cases.models import ActionType, Direction, PropertyTarget
from cases.pieces import sample_pdf
from deadlines import services
from deadlines.calendar import appeal_deadline, calendar_departement
from deadlines.engine import public_holidays
from deadlines.enums import ProcedureActKind
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def decide(case, user, *, decided_on, notified_on):
    return proceedings.record_decision(
        case,
        user,
        instance=Instance.FIRST,
        decided_on=decided_on,
        court="Tribunal judiciaire de Laon",
        outcome=DecisionOutcome.GRANTED,
        notified_on=notified_on,
        judgment_file=SimpleUploadedFile("jugement.pdf", sample_pdf("Jugement")),
    )


@pytest.mark.parametrize(
    ("action", "notified_on", "direction", "deadline"),
    [
        # One month (CPC 538). Friday 10 April 2026: one month later is Sunday 10 May,
        # extended to Monday 11.
        ("action_paulienne", D(2026, 4, 10), "DDFIP 02", D(2026, 5, 11)),
        # 1 May 2026 (Friday) is a public holiday: Monday 4 May.
        ("action_paulienne", D(2026, 4, 1), "DDFIP 02", D(2026, 5, 4)),
        # 26 December is a holiday in Alsace-Moselle only.
        ("action_paulienne", D(2025, 11, 26), "DDFIP 02", D(2025, 12, 26)),
        ("action_paulienne", D(2025, 11, 26), "DRFIP 67", D(2025, 12, 29)),
        # Juge de l'exécution: 15 days (CPCE R.121-20); 16 April + 15 = Friday 1 May,
        # a holiday: Monday 4 May.
        ("saisie_immobiliere", D(2026, 4, 16), "DDFIP 02", D(2026, 5, 4)),
        # Procédure collective: 10 days (C. com. R.661-3).
        ("procedure_collective", D(2026, 4, 10), "DDFIP 02", D(2026, 4, 20)),
    ],
)
def test_appeal_deadline(users, action, notified_on, direction, deadline):
    case = CaseFactory(
        to=CaseStatus.TAKEN_OVER,
        direction=Direction.objects.get(code=direction),
        action_type=ActionType.objects.get(code=action),
    )
    decision = decide(case, users["jurist"], decided_on=notified_on, notified_on=notified_on)
    assert appeal_deadline(decision) == deadline


def test_no_appeal_deadline_before_notification(users):
    case = CaseFactory(to=CaseStatus.TAKEN_OVER)
    decision = decide(case, users["jurist"], decided_on=D(2026, 5, 15), notified_on=None)
    assert appeal_deadline(decision) is None


def test_the_calendar_is_the_property_s_then_the_direction_s():
    strasbourg = Direction.objects.get(code="DRFIP 67")
    seizure = CaseFactory(complete=True, direction=strasbourg)  # a property in the Aisne
    assert list(seizure.properties.values_list("departement", flat=True)) == ["02"]
    assert calendar_departement(seizure) == "02"
    PropertyTarget.objects.filter(case=seizure).update(departement="57")
    assert calendar_departement(seizure) == "57"
    paulienne = CaseFactory(
        complete=True,
        direction=strasbourg,
        action_type=ActionType.objects.get(code="action_paulienne"),
    )
    assert not paulienne.properties.exists()
    assert calendar_departement(paulienne) == "67"


def test_the_appeal_and_the_templates_of_a_case_count_the_same_public_holidays(users):
    """A saisie immobilière referred by the DRFIP du Bas-Rhin (67) of a property in the
    Aisne (02). 26 December is a public holiday in the Bas-Rhin, the Haut-Rhin and the
    Moselle only (C. trav. art. L.3134-13), and a deadline ending on a public holiday is
    extended to the next working day (CPC art. 642): a deadline of this case ending on
    Friday 26 December 2025 ends that day in the Aisne's calendar, on Monday 29 in the
    Bas-Rhin's. The appeal period (which the appeal step checks the pôle's own appeal
    against) and the surenchère (a template) must give the same answer."""
    assert D(2025, 12, 26) in public_holidays(2025, "67")
    assert D(2025, 12, 26) not in public_holidays(2025, "02")
    jurist = users["jurist"]
    # The lifecycle alone: the factory's commandement, served lately, would put this
    # adjudication out of sequence.
    case = CaseFactory(
        to=CaseStatus.ACTION_ENGAGED,
        direction=Direction.objects.get(code="DRFIP 67"),
        lifecycle_only=True,
    )
    # Surenchère: ten days after the adjudication of Tuesday 16 December (R.322-50).
    services.record_procedure_act(
        case, jurist, kind=ProcedureActKind.ADJUDICATION, date=D(2025, 12, 16)
    )
    surenchere = case.deadlines.get(template="si_surenchere")
    # Juge de l'exécution: 15 days from the notification of Thursday 11 December.
    decision = decide(case, jurist, decided_on=D(2025, 12, 4), notified_on=D(2025, 12, 11))
    services.on_decision(case, jurist, decision)
    appeal = case.deadlines.get(template="appel")
    assert surenchere.due_date == appeal.due_date == appeal_deadline(decision) == D(2025, 12, 26)
