"""The kernel announces what happened (cases.events); the layers above listen. Every event
is heard, a listener's failure undoes the operation that announced it, and a submission
has one entry point."""

import ast
from pathlib import Path

import pytest
from django.dispatch import Signal
from viewflow.workflow.models import Process

from cases import events, services
from cases.enums import CaseStatus
from cases.models import Case, CaseEvent, Message
from deadlines import events as deadline_events
from notifications.models import Notification
from tests.factories import CaseFactory

ROOT = Path(__file__).resolve().parents[2]
APPLICATION = ["pnsr", "cases", "notifications", "workflows", "documents", "deadlines",
               "dashboards", "api", "demo"]  # fmt: skip
# Every module that announces events: the kernel's, and the deadlines layer's (a reminder).
ANNOUNCERS = (events, deadline_events)
EVENTS = {
    f"{module.__name__}.{name}": signal
    for module in ANNOUNCERS
    for name, signal in vars(module).items()
    if isinstance(signal, Signal)
}


class Breakdown(Exception):
    """The failure of a listener."""


def test_the_kernel_announces_events():
    assert set(EVENTS) == {
        "cases.events.case_event_recorded",
        "cases.events.claims_importing",
        "cases.events.message_posted",
        "cases.events.referral_submitted",
        "deadlines.events.reminder_due",
    }


@pytest.mark.parametrize("name", sorted(EVENTS))
def test_every_event_has_a_listener(name):
    """An event nobody listens to is a notification, a process start… silently lost."""
    assert EVENTS[name].receivers, f"{name} has no listener: connect one in ready()"


@pytest.fixture
def failing(request):
    """Connect a listener that raises to an event, for the test's duration."""
    connected = []

    def connect(signal: Signal, seen=None):
        def listener(sender, **kwargs):
            if seen is not None:
                seen()  # what the listeners before this one wrote
            raise Breakdown

        signal.connect(listener, weak=False)
        connected.append((signal, listener))

    yield connect
    for signal, listener in connected:
        signal.disconnect(listener)


def assert_process_started(case):
    assert Process.objects.filter(caseprocess__case=case).exists()


@pytest.mark.django_db
def test_a_failing_submission_listener_leaves_the_draft_untouched(users, failing):
    agent = users["poste_agent"]
    case = CaseFactory(complete=True, created_by=agent, poste_comptable=agent.poste_comptable)
    events_before = case.events.count()
    notifications_before = Notification.objects.count()
    failing(events.referral_submitted, seen=lambda: assert_process_started(case))
    with pytest.raises(Breakdown):
        services.submit_referral(agent, case, confirm_duplicate=True)
    stored = Case.objects.get(pk=case.pk)
    assert stored.status == CaseStatus.DRAFT
    assert stored.submitted_at is None
    assert case.events.count() == events_before
    assert not Process.objects.exists()
    assert Notification.objects.count() == notifications_before


@pytest.mark.django_db
def test_a_failing_history_listener_undoes_the_operation(users, failing):
    case = CaseFactory(to=CaseStatus.SUBMITTED)
    events_before = CaseEvent.objects.count()
    notifications_before = Notification.objects.count()
    failing(events.case_event_recorded)
    with pytest.raises(Breakdown):
        services.assign_case(users["head"], case, jurist=users["jurist"])
    assert Case.objects.get(pk=case.pk).assigned_jurist is None
    assert CaseEvent.objects.count() == events_before
    assert Notification.objects.count() == notifications_before


@pytest.mark.django_db
def test_a_failing_message_listener_undoes_the_message(users, failing):
    case = CaseFactory(to=CaseStatus.SUBMITTED)
    notifications_before = Notification.objects.count()
    failing(events.message_posted)
    with pytest.raises(Breakdown):
        services.post_message(users["poste_agent"], case, "Pièce complémentaire jointe.")
    assert not Message.objects.exists()
    assert Notification.objects.count() == notifications_before


NAMES = ("submit", "resubmit")


def _lifecycle_submissions(path: Path) -> list[int]:
    """Lines where `path` fires a `submit` or `resubmit`: `x.submit(…)`, or `getattr(x,
    "submit")`."""
    lines = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        fired = isinstance(func, ast.Attribute) and func.attr in NAMES
        by_name = (
            isinstance(func, ast.Name)
            and func.id == "getattr"
            and len(node.args) > 1
            and isinstance(node.args[1], ast.Constant)
            and node.args[1].value in NAMES
        )
        if fired or by_name:
            lines.append(node.lineno)
    return lines


def test_submission_has_one_entry_point():
    """Only cases.services.submit_referral fires the lifecycle's `submit` and `resubmit`:
    it checks the referral, fires the transition and announces it, so that the process
    starts (tests fire the bare transition to test the state machine itself)."""
    found = {}
    for package in APPLICATION:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            lines = _lifecycle_submissions(path)
            if lines:
                found[str(path.relative_to(ROOT))] = lines
    assert list(found) == ["cases/services.py"], found
