"""Two people acting on the same step at the same moment, with two real database
connections (PostgreSQL only).

Each person runs in a thread of their own, hence with a Django connection of their own
and a real transaction; a barrier releases them together, and the first one to hold the
process lock (viewflow's `SELECT … FOR UPDATE` on the process row) keeps it a moment
longer, so that the second one really waits on it and then finds the step done.

These tests commit, so they are transactional (`django_db(transaction=True)`): Django
empties the database after each of them (pytest-django runs them after the other
database tests). On PostgreSQL that flush is a TRUNCATE, which the history's `BEFORE
TRUNCATE` trigger refuses and the application role (the tests' connections) may not run:
tests/database.py runs it as the tables' owner, past the trigger. The flush also takes
the reference data loaded once per run by tests/conftest.py (directions, action types,
postes comptables, lawyers): the `reference_data` fixture loads it again before each
test.
"""

import threading
import time

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from cases.enums import CaseStatus, EventKind, Mode
from cases.lifecycle import LifecycleError
from cases.models import User
from workflows import services
from workflows.steps import STEPS

S = CaseStatus
SLOW = 0.3  # how long the first one keeps the lock after doing the step's work

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="two real connections racing for a row lock need PostgreSQL "
        "(SQLite serialises whole-database writes; run with DATABASE_URL=postgres://…)",
    ),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def users(reference_data, users):
    """tests/conftest.py's users, once the reference data they point to is back; the two
    jurists are on intake duty (receivability)."""
    intake = Permission.objects.get(codename="intake", content_type__app_label="workflows")
    for name in ("jurist", "other_jurist"):
        users[name].user_permissions.add(intake)
    return users


def race(*calls):
    """Run each call in its own thread (own connection), released together; return the
    outcome of each: ("ok", result) or ("error", exception). The one refused must have
    waited for the lock: otherwise the two did not really meet."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)
    durations = [0.0] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            started = time.monotonic()
            try:
                outcomes[index] = ("ok", call())
            finally:
                durations[index] = time.monotonic() - started
        except Exception as error:  # noqa: BLE001 - reported to the test
            outcomes[index] = ("error", error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(t.is_alive() for t in threads), "a thread is stuck (deadlock?)"
    for (kind, _), duration in zip(outcomes, durations, strict=True):
        if kind == "error":
            assert duration >= SLOW * 0.8, f"refused after {duration:.3f} s: no real race"
    return outcomes


def fresh(user) -> User:
    """The user read on the thread's own connection (no shared permission cache)."""
    return User.objects.get(pk=user.pk)


def open_steps(case) -> list[str]:
    return [t.flow_task.name for t in services.active_tasks(case.process)]


def slow_down(monkeypatch, obj, name):
    """Make obj.name keep its transaction (hence the process lock) open a moment longer."""
    real = getattr(obj, name)

    def slow(*args, **kwargs):
        result = real(*args, **kwargs)
        time.sleep(SLOW)
        return result

    monkeypatch.setattr(obj, name, slow)


RECEIVABILITY = {
    "accept": {"decision": "accept", "missing": "", "reason": ""},
    "decline": {"decision": "decline", "missing": "", "reason": "Hors du champ du pôle."},
    "return": {
        "decision": "return",
        "grounds": ["pieces"],
        "missing": "- État hypothécaire",
        "reason": "",
    },
}


@pytest.mark.parametrize(
    "first, second",
    [
        (("head", "accept"), ("jurist", "decline")),
        (("jurist", "return"), ("other_jurist", "accept")),
    ],
    ids=["head-and-jurist", "two-jurists"],
)
def test_two_people_completing_the_same_step(monkeypatch, users, submitted_case, first, second):
    case = submitted_case(Mode.PRISE_EN_CHARGE)
    (task,) = services.active_tasks(case.process)
    assert task.flow_task.name == "receivability" and task.status == STATUS.NEW
    slow_down(monkeypatch, STEPS["receivability"], "perform")
    people = {name: users[name] for name, _ in (first, second)}

    def complete(name, choice):
        data = RECEIVABILITY[choice]
        return lambda: services.complete_task(task.pk, fresh(people[name]), data, data)

    outcomes = race(complete(*first), complete(*second))

    succeeded = [i for i, (kind, _) in enumerate(outcomes) if kind == "ok"]
    failed = [outcome for kind, outcome in outcomes if kind == "error"]
    assert len(succeeded) == 1 and len(failed) == 1, outcomes
    error = failed[0]
    assert isinstance(error, (services.TaskError, LifecycleError)), repr(error)
    assert "vient d'être traitée" in str(error), str(error)
    winner_name, winner_choice = (first, second)[succeeded[0]]

    case.refresh_from_db()
    expected = {"accept": S.UNDER_EXAMINATION, "decline": S.DECLINED, "return": S.RETURNED}
    assert case.status == expected[winner_choice]
    transitions = case.events.filter(kind=EventKind.TRANSITION, source_status=S.SUBMITTED)
    assert transitions.count() == 1
    assert transitions.get().actor_id == people[winner_name].pk
    task.refresh_from_db()
    assert task.status == STATUS.DONE and task.owner_id == people[winner_name].pk
    # One way out of the step (its gateway), and one next step at most.
    assert Task.objects.filter(previous=task).count() == 1
    next_steps = {"accept": ["assignment"], "decline": [], "return": ["completion"]}
    assert open_steps(case) == next_steps[winner_choice]
    assert str(people[winner_name]) in str(error)  # says who did it


def test_two_jurists_taking_the_same_queue_step(monkeypatch, users, submitted_case):
    case = submitted_case(Mode.AVIS)
    (task,) = services.active_tasks(case.process)
    assert task.owner_id is None
    slow_down(monkeypatch, services, "may_take")
    jurists = [users["jurist"], users["other_jurist"]]

    outcomes = race(*[lambda j=j: services.take(task.pk, fresh(j)) for j in jurists])

    succeeded = [i for i, (kind, _) in enumerate(outcomes) if kind == "ok"]
    failed = [outcome for kind, outcome in outcomes if kind == "error"]
    assert len(succeeded) == 1 and len(failed) == 1, outcomes
    holder = jurists[succeeded[0]]
    assert isinstance(failed[0], services.TaskError)
    assert "a déjà été prise par" in str(failed[0]) and str(holder) in str(failed[0])
    task.refresh_from_db()
    assert task.status == STATUS.ASSIGNED and task.owner_id == holder.pk
    assert open_steps(case) == ["receivability"]
    case.refresh_from_db()
    assert case.status == S.SUBMITTED


def test_completing_while_the_head_cancels_the_step(monkeypatch, users, submitted_case):
    """The jurist finishes the step while the head cancels it: whoever comes second is
    refused, and the process has one open step that agrees with the case's status."""
    case = submitted_case(Mode.PRISE_EN_CHARGE)
    (task,) = services.active_tasks(case.process)
    slow_down(monkeypatch, STEPS["receivability"], "perform")
    slow_down(monkeypatch, services, "_reset_owner")
    head, jurist = users["head"], users["jurist"]
    data = RECEIVABILITY["accept"]

    outcomes = race(
        lambda: services.complete_task(task.pk, fresh(jurist), data, data),
        lambda: services.cancel_step(task.pk, fresh(head), "Erreur d'aiguillage"),
    )

    kinds = [kind for kind, _ in outcomes]
    assert kinds.count("ok") == 1, outcomes
    error = next(outcome for kind, outcome in outcomes if kind == "error")
    assert isinstance(error, services.TaskError), repr(error)
    case.refresh_from_db()
    if kinds[0] == "ok":  # the jurist was first: the head finds the step done
        assert "vient d'être traitée" in str(error)
        assert case.status == S.UNDER_EXAMINATION
        assert open_steps(case) == ["assignment"]
    else:  # the head was first: the jurist finds the step cancelled
        assert "a été annulée" in str(error)
        assert case.status == S.SUBMITTED
        assert open_steps(case) == ["receivability"]
        assert case.events.filter(kind=EventKind.STEP_CANCELLED).count() == 1
