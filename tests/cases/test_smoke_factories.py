"""The factories reach every status the way production does (the course of the process
description), and the deep path leaves what the steps record."""

import pytest

from cases.enums import CaseStatus
from tests.factories import CaseFactory
from workflows.process import PROCESS, course
from workflows.services import active_tasks

S = CaseStatus
pytestmark = pytest.mark.django_db
REACHED = [s for s in S if s not in (S.DRAFT, S.DISCARDED)]  # before any process


def _has_case(model) -> bool:
    return any(f.name == "case" for f in model._meta.get_fields())


def _transitions(case) -> list[str]:
    return list(case.events.filter(kind="transition").values_list("transition", flat=True))


def test_a_draft_is_a_draft():
    case = CaseFactory(to=S.DRAFT)
    assert case.status == S.DRAFT and not case.events.filter(kind="transition").exists()


@pytest.mark.parametrize("status", REACHED)
def test_lifecycle_only_fires_the_course_transitions(status):
    case = CaseFactory(to=status, lifecycle_only=True)
    case.refresh_from_db()
    assert case.status == status
    assert _transitions(case) == course(status, case.mode).transitions
    assert not hasattr(case, "process") or case.process is None


@pytest.mark.parametrize("status", REACHED)
def test_deep_path_takes_the_steps(status):
    case = CaseFactory(to=status)
    case.refresh_from_db()
    path = course(status, case.mode)
    assert case.status == status
    assert _transitions(case) == path.transitions
    # The process is where the course leaves it: the next step open, or finished.
    open_steps = [t.flow_task.name for t in active_tasks(case)]
    assert open_steps == ([path.next_step] if path.next_step else [])
    assert (case.process.finished is None) == bool(path.next_step)
    # Each step finished is a done task, and left what it records.
    done = list(case.process.task_set.filter(flow_task_type="HUMAN", status="DONE").order_by("pk"))
    assert [t.flow_task.name for t in done] == [m.step for m in path.moves]
    for move in path.moves:
        outcome = PROCESS[move.step].outcomes[move.outcome]
        for model in outcome.records:
            of_case = {"case": case} if _has_case(model) else {"event__case": case}
            assert model.objects.filter(**of_case).exists(), (move, model.__name__)
        for kind in outcome.documents:
            assert case.documents.filter(kind=kind).exists(), (move, kind)


def test_a_decided_case_has_what_production_has():
    case = CaseFactory(to=S.DECIDED)
    assert [t.flow_task.name for t in active_tasks(case)] == ["appeal_decision"]
    assert case.mandates.filter(revoked_on__isnull=True).exists()
    assert case.starting_acts.exists() and case.hearings.filter(status="held").exists()
    decision = case.decisions.get()
    assert decision.judgment is not None
    appeal = case.deadlines.filter(source=f"decision:{decision.pk}")
    assert appeal.exists()
