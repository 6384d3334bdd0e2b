"""The one description of the process (`workflows.process`) agrees with the code that
runs it: the flow built from it, the steps' code, the lifecycle, and what each ending
really records when the step is taken."""

import pytest
from viewflow.workflow.nodes import If, Switch

from cases.enums import CaseStatus
from cases.lifecycle import transitions_table
from cases.models import Case
from tests.factories import case_for_ending, take_step
from workflows.flows import CaseFlow, HumanStep, gateway_name
from workflows.process import (
    END,
    PROCESS,
    SUBMISSION,
    course,
    open_at,
    outcome_status,
    steps_open_at,
)
from workflows.services import active_tasks
from workflows.steps import STEPS

S = CaseStatus
TERMINAL = {S.CLOSED, S.DECLINED}
# Lifecycle transitions outside the course of the steps: the referring side withdraws.
OUT_OF_COURSE = {"withdraw", "discard"}  # discard: a draft deleted before any process
ENDINGS = [(step, outcome) for step, spec in PROCESS.items() for outcome in spec.outcomes]


def _sources(transition: str) -> set[str]:
    return {t.source for t in transitions_table()[transition]}


def test_the_flow_has_a_human_node_per_step_with_its_title():
    nodes = {
        name: node for name, node in CaseFlow._nodes_by_name.items() if isinstance(node, HumanStep)
    }
    assert set(nodes) == set(PROCESS) == set(STEPS)
    for name, node in nodes.items():
        assert str(node.task_title) == PROCESS[name].title


@pytest.mark.parametrize("name", list(PROCESS))
def test_the_flow_routes_each_step_as_described(name):
    step = PROCESS[name]
    node = getattr(CaseFlow, name)
    (edge,) = list(node._outgoing())
    if len(step.outcomes) == 1:
        assert edge.dst.name == next(iter(step.outcomes.values())).then
        return
    gateway = getattr(CaseFlow, gateway_name(name))
    assert edge.dst is gateway and isinstance(gateway, If | Switch)
    assert str(gateway.task_title) == step.question
    assert {e.dst.name for e in gateway._outgoing()} == set(step.routes.values())


@pytest.mark.parametrize(("name", "outcome"), ENDINGS)
def test_each_ending_fires_a_transition_from_where_its_step_is_open(name, outcome):
    transition = PROCESS[name].outcomes[outcome].transition
    if transition is not None:
        assert open_at()[name] <= _sources(transition)


def test_every_lifecycle_transition_is_fired_by_the_process_or_out_of_course():
    fired = {SUBMISSION.transition} | {
        o.transition for step in PROCESS.values() for o in step.outcomes.values()
    }
    assert set(transitions_table()) - fired == OUT_OF_COURSE


def test_every_status_is_reached_and_every_open_one_has_a_step():
    for status in S:
        if status not in (S.DRAFT, S.DISCARDED):
            assert any(course(status, mode) for mode in ("prise_en_charge", "avis", "soutien"))
        assert bool(steps_open_at(status)) == (status not in TERMINAL | {S.DRAFT, S.DISCARDED}), (
            status
        )


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "outcome"), ENDINGS)
def test_taking_each_ending_does_what_the_description_says(name, outcome):
    ending = PROCESS[name].outcomes[outcome]
    case = case_for_ending(name, outcome, ending.mode)
    assert case.status in open_at()[name]
    counts = {model: _rows(model, case) for model in ending.records}
    documents = {kind: case.documents.filter(kind=kind).count() for kind in ending.documents}

    take_step(case, name, outcome)

    case = Case.objects.get(pk=case.pk)
    assert case.status == outcome_status(name, outcome)
    assert [t.flow_task.name for t in active_tasks(case)] == (
        [] if ending.then == END else [ending.then]
    )
    for model, before in counts.items():
        assert _rows(model, case) > before, model.__name__
    for kind, before in documents.items():
        assert case.documents.filter(kind=kind).count() > before, kind


def _rows(model, case) -> int:
    if any(f.name == "case" for f in model._meta.get_fields()):
        return model.objects.filter(case=case).count()
    return model.objects.filter(event__case=case).count()
