"""A failure in the middle of a step leaves the case and its process as they were.

`workflows.services.complete_task` (and `run_side_action`) run the step's operation, its
lifecycle transition and viewflow's bookkeeping under the process lock, in one
transaction. Here something breaks after some of those writes happened (a row saved, a
transition made, the judgment stored, the next step created) and everything is checked
to be as before: the case's status, the open step (same status, same holder), the
process, the history, the proceedings rows and the files in storage.
"""

import datetime
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from viewflow.workflow.status import STATUS

import notifications.services
from cases import proceedings
from cases.enums import CaseStatus, HearingStatus, Mode
from cases.models import Lawyer
from cases.pieces import sample_pdf
from tests.factories import RISK_GRID, sitting_moment
from workflows import services
from workflows.steps import STEPS

S = CaseStatus
pytestmark = pytest.mark.django_db


class Breakdown(Exception):
    """The failure injected in the middle of a step."""


def days_ago(n: int) -> str:
    return (timezone.localdate() - datetime.timedelta(days=n)).isoformat()


def at(days: int, hour: int = 9) -> str:
    return sitting_moment(days, hour)  # a court does not sit on week-ends and holidays


def judgment() -> SimpleUploadedFile:
    return SimpleUploadedFile(
        "jugement.pdf", sample_pdf("Jugement"), content_type="application/pdf"
    )


def open_task(case):
    tasks = list(services.active_tasks(case.process))
    assert len(tasks) == 1, [t.flow_task.name for t in tasks]
    return tasks[0]


def cleaned(case, user, task, data, files=None, *, side=None) -> dict:
    """The step's (or side action's) form, validated as the page does."""
    step = STEPS[task.flow_task.name]
    form_class = step.side_actions[side].form_class if side else step.form_class
    form = form_class(data, files or {}, case=case, user=user)
    assert form.is_valid(), form.errors
    return form.cleaned_data


def complete(case, user, data, files=None) -> None:
    """Finish the open step through the service, as the step's page does."""
    task = open_task(case)
    services.complete_task(task.pk, user, cleaned(case, user, task, data, files), data)
    case.refresh_from_db()


def side(case, user, action, data) -> None:
    task = open_task(case)
    services.run_side_action(task.pk, user, action, cleaned(case, user, task, data, side=action))


def stored_files() -> set[str]:
    root = Path(django_settings.MEDIA_ROOT)
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


def snapshot(case) -> dict:
    """Everything a step may write, read afresh from the database (and the storage)."""
    case.refresh_from_db()
    process = case.process
    process.refresh_from_db()
    return {
        "status": case.status,
        "assigned": (case.assigned_jurist_id, case.assigned_expert_id),
        "closure_reason": case.closure_reason,
        "process": (process.status, process.finished),
        "tasks": process.task_set.count(),
        "open": [
            (t.flow_task.name, t.status, t.owner_id, t.data) for t in services.active_tasks(process)
        ],
        "events": list(case.events.values_list("pk", "kind", "transition")),
        "rows": {
            name: getattr(case, name).count()
            for name in (
                "mandates",
                "starting_acts",
                "hearings",
                "decisions",
                "appeals",
                "recoveries",
                "opinions",
                "pieces",
            )
        },
        "hearing_statuses": sorted(case.hearings.values_list("status", flat=True)),
        "files": stored_files(),
    }


def break_after(monkeypatch, module, name: str) -> list:
    """Make module.name run, then fail; returns the list of its results (to prove it ran)."""
    real = getattr(module, name)
    ran = []

    def broken(*args, **kwargs):
        ran.append(real(*args, **kwargs))
        raise Breakdown(f"panne après {name}")

    monkeypatch.setattr(module, name, broken)
    return ran


@pytest.fixture
def head(users):
    return users["head"]


@pytest.fixture
def jurist(users):
    return users["jurist"]


@pytest.fixture
def at_decision(submitted_case, head, jurist):
    """A takeover case whose open step is the decision (a hearing held, deliberation)."""
    case = submitted_case(Mode.PRISE_EN_CHARGE)
    complete(case, head, {"decision": "accept"})
    complete(case, head, {"jurist": jurist.pk})
    lawyer = Lawyer.objects.filter(active=True).first()
    complete(case, jurist, {"lawyer": lawyer.pk, "mandated_on": days_ago(30)})
    complete(
        case,
        jurist,
        {"kind": "commandement", "court": "TJ de Laon", "signed_on": days_ago(25)},
    )
    side(
        case,
        jurist,
        "hearing",
        {"court": "TJ de Laon", "scheduled_at": at(-3), "kind": "other", "purpose": "Fond"},
    )
    side(case, jurist, "held", {"hearing": case.hearings.get().pk})
    complete(case, jurist, {"deliberation_on": days_ago(1)})
    assert case.status == S.AWAITING_DECISION
    assert open_task(case).flow_task.name == "decision"
    return case


def test_receivability_failing_after_the_transition_and_the_next_step(
    monkeypatch, submitted_case, head
):
    """The case went to UNDER_EXAMINATION and the assignment step was created when the
    failure happens: both are undone, the receivability step is still in the queue."""
    case = submitted_case(Mode.PRISE_EN_CHARGE)
    task = open_task(case)
    before = snapshot(case)
    assert before["open"] == [("receivability", STATUS.NEW, None, {})]
    ran = break_after(monkeypatch, services, "_finish")

    with pytest.raises(Breakdown):
        services.complete_task(task.pk, head, {"decision": "accept"}, {"decision": "accept"})

    assert ran, "the step was finished (and the next one created) before the failure"
    assert snapshot(case) == before
    assert case.status == S.SUBMITTED
    monkeypatch.undo()
    complete(case, head, {"decision": "accept"})  # and the step can still be done
    assert case.status == S.UNDER_EXAMINATION
    assert open_task(case).flow_task.name == "assignment"


def test_receivability_failing_while_recording_the_transition(monkeypatch, submitted_case, users):
    """The case row was saved with its new status and the event inserted when the
    notification outbox fails; a jurist had taken the step: they still hold it."""
    case = submitted_case(Mode.AVIS)
    jurist = users["jurist"]
    jurist.user_permissions.add(Permission.objects.get(codename="intake"))
    jurist = type(jurist).objects.get(pk=jurist.pk)  # drop the permission cache
    task = open_task(case)
    services.take(task.pk, jurist)
    before = snapshot(case)
    assert before["open"] == [("receivability", STATUS.ASSIGNED, jurist.pk, {})]
    ran = break_after(monkeypatch, notifications.services, "notify_case_event")

    data = {"decision": "return", "grounds": ["pieces"], "missing": "État hypothécaire"}
    with pytest.raises(Breakdown):
        services.complete_task(task.pk, jurist, cleaned(case, jurist, task, data), data)

    assert ran
    assert snapshot(case) == before


def test_decision_failing_after_the_judgment_was_stored(monkeypatch, at_decision, jurist):
    """The judgment file is in storage and its piece and decision rows saved when the
    lifecycle's transition fails: the rows go, and the file with them."""
    case = at_decision
    task = open_task(case)
    before = snapshot(case)
    assert before["open"] == [("decision", STATUS.ASSIGNED, jurist.pk, {})]
    decisions = break_after(monkeypatch, proceedings, "record_decision")
    data = {
        "result": "decided",
        "decided_on": days_ago(0),
        "court": "TJ de Laon",
        "outcome": "granted",
        "amount_awarded": "1 000",
    }
    form_data = cleaned(case, jurist, task, data, {"judgment": judgment()})

    with pytest.raises(Breakdown):
        services.complete_task(task.pk, jurist, form_data, data)

    assert decisions and decisions[0].judgment.file.name
    assert snapshot(case) == before, "the stored judgment must not outlive its rows"


def test_decision_failing_in_the_lifecycle_after_the_judgment_was_stored(
    monkeypatch, at_decision, jurist
):
    """Same, the failure coming later: in the transition's history entry."""
    case = at_decision
    task = open_task(case)
    before = snapshot(case)
    ran = break_after(monkeypatch, notifications.services, "notify_case_event")
    data = {
        "result": "decided",
        "decided_on": days_ago(0),
        "court": "TJ de Laon",
        "outcome": "rejected",
    }
    form_data = cleaned(case, jurist, task, data, {"judgment": judgment()})

    with pytest.raises(Breakdown):
        services.complete_task(task.pk, jurist, form_data, data)

    assert ran
    assert snapshot(case) == before, "the stored judgment must not outlive its rows"


def test_appeal_failing_after_the_appeal_row(monkeypatch, at_decision, jurist):
    case = at_decision
    complete(
        case,
        jurist,
        {
            "result": "decided",
            "decided_on": days_ago(0),
            "court": "TJ de Laon",
            "outcome": "rejected",
            "notified_on": days_ago(0),
        },
        {"judgment": judgment()},
    )
    task = open_task(case)
    assert task.flow_task.name == "appeal_decision"
    before = snapshot(case)
    appeals = break_after(monkeypatch, proceedings, "record_appeal")
    data = {
        "choice": "pole",
        "lodged_on": days_ago(0),
        "court": "CA d'Amiens",
        "grounds": "Erreur de droit",
    }

    with pytest.raises(Breakdown):
        services.complete_task(task.pk, jurist, cleaned(case, jurist, task, data), data)

    assert appeals and appeals[0].pk
    assert snapshot(case) == before
    assert case.status == S.DECIDED


@pytest.mark.parametrize("action", ["hearing", "adjourn", "held"])
def test_hearings_side_action_failing_after_its_rows(
    monkeypatch, submitted_case, head, jurist, action
):
    """A side action of the hearings step (fix, adjourn, mark held) whose history entry
    fails after its hearing rows were written: the hearings are as they were and the
    step is still open with its holder."""
    case = submitted_case(Mode.PRISE_EN_CHARGE)
    complete(case, head, {"decision": "accept"})
    complete(case, head, {"jurist": jurist.pk})
    lawyer = Lawyer.objects.filter(active=True).first()
    complete(case, jurist, {"lawyer": lawyer.pk, "mandated_on": days_ago(30)})
    complete(case, jurist, {"kind": "assignation", "court": "TJ de Laon", "signed_on": days_ago(9)})
    side(
        case,
        jurist,
        "hearing",
        {"court": "TJ de Laon", "scheduled_at": at(-2), "kind": "other", "purpose": "Fond"},
    )
    hearing = case.hearings.get()
    data = {
        "hearing": {
            "court": "TJ de Laon",
            "scheduled_at": at(5),
            "kind": "other",
            "purpose": "Plaidoiries",
        },
        "adjourn": {"hearing": hearing.pk, "new_date": at(9), "reason": "Renvoi"},
        "held": {"hearing": hearing.pk},
    }[action]
    task = open_task(case)
    form_data = cleaned(case, jurist, task, data, side=action)
    before = snapshot(case)
    assert before["open"] == [("hearings", STATUS.ASSIGNED, jurist.pk, {})]
    ran = break_after(monkeypatch, notifications.services, "notify_case_event")

    with pytest.raises(Breakdown):
        services.run_side_action(task.pk, jurist, action, form_data)

    assert ran
    assert snapshot(case) == before
    assert case.hearings.get().status == HearingStatus.SCHEDULED


def test_opinion_validation_failing_after_the_review(monkeypatch, submitted_case, head, users):
    """The opinion was marked validated and the case moved to OPINION_GIVEN when the
    failure happens (after the follow-up step was created)."""
    case = submitted_case(Mode.AVIS)
    expert = users["expert"]
    complete(case, head, {"decision": "accept"})
    complete(case, head, {"expert": expert.pk})
    complete(
        case,
        expert,
        {
            "conclusion": "favourable",
            "reasons": "Patrimoine libre.",
            "risk_level": "low",
            "risk_assessment": "Faible.",
            **RISK_GRID,
        },
    )
    task = open_task(case)
    assert task.flow_task.name == "validate_opinion"
    before = snapshot(case)
    opinion_status = case.opinions.get().status
    break_after(monkeypatch, services, "_finish")
    data = {"decision": "validate", "comments": ""}

    with pytest.raises(Breakdown):
        services.complete_task(task.pk, head, cleaned(case, head, task, data), data)

    assert snapshot(case) == before
    assert case.opinions.get().status == opinion_status
