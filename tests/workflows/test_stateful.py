"""Random walks through the pôle's process (hypothesis.stateful).

One case per example, driven only through `workflows.services` (and the referral's
resubmission) by random people: the step's forms filled with mostly valid data, taking
and releasing, drafts, the head's cancel / undo / reassign, closing and withdrawing.
After every action:

(a) the case's status is a CaseStatus and its history's transitions form one chain
    (DRAFT → … → the current status, each source the previous target);
(b) the process agrees with the status: at most one open human step, allowed at that
    status (STEP_STATUSES, from the process description); a closed or declined case has
    no open step and a finished process; any other case has exactly one open step; an
    opinion step is open only on an opinion it can act on (writing: none awaits review;
    validating: one does; follow-up: it is validated), otherwise the case could never
    move on;
(c) a refused action (unauthorised person, data the step refuses) changes nothing in the
    database; an action that succeeds was open to that person (who each actor of the
    process description is, as role keys, is written here independently of the
    services' own checks).

Each example runs in a savepoint rolled back at its end (the test itself is one
`django_db` transaction), and starts from a case taken a random way along its mode's
usual course (COURSES), so that the deep steps are reached within the step budget.
Refused actions also leave the stored files as they were.

Longer runs: STATEFUL_EXAMPLES=300 (default 30).
"""

import datetime
import os
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, note, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from viewflow.workflow.status import PROCESS

from cases.enums import (
    CaseStatus,
    ClosureReason,
    EventKind,
    HearingStatus,
    Mode,
    OpinionStatus,
)
from cases.lifecycle import LifecycleError
from cases.models import ActionType, Case, Lawyer, Opinion
from cases.pieces import sample_pdf
from cases.services import submit_referral
from tests.factories import RISK_GRID, sitting_moment
from workflows import process, services
from workflows.forms import ReassignForm
from workflows.steps import STEPS

S = CaseStatus
pytestmark = pytest.mark.django_db

REFUSALS = (LifecycleError, ValidationError, PermissionDenied)  # TaskError is a LifecycleError

PEOPLE = [
    "head",
    "jurist",
    "other_jurist",  # on intake duty (workflows.intake)
    "expert",
    "poste_agent",  # the case's poste comptable, who referred it
    "direction_agent",  # the case's direction
    "other_poste_agent",
    "other_direction_agent",
    "management",
    "admin",  # a superuser: every permission, yet no step
]
REFERRERS = {"poste_agent", "direction_agent"}
POLE = {"head", "jurist", "other_jurist"}

# Who each actor of the process description is, for a step's queue (when nobody holds
# it): the specification this walk checks the services against.
QUEUE_ROLES = {
    process.Actor.INTAKE: {"head", "other_jurist"},
    process.Actor.HEAD: {"head"},
    process.Actor.REFERRER: REFERRERS,
    process.Actor.OPINION_AUTHOR: POLE,
    process.Actor.JURIST: POLE,
}
STEP_ROLES = {name: QUEUE_ROLES[step.actor] for name, step in process.PROCESS.items()}

# The statuses the case may have while each step is open.
STEP_STATUSES = process.open_at()
TERMINAL = {S.CLOSED, S.DECLINED}


def day(offset: int = 0) -> str:
    return (timezone.localdate() + datetime.timedelta(days=offset)).isoformat()


def moment(offset: int, hour: int = 9) -> str:
    return sitting_moment(offset, hour)  # a court does not sit on week-ends and holidays


def judgment():
    return SimpleUploadedFile(
        "jugement.pdf", sample_pdf("Jugement"), content_type="application/pdf"
    )


def _lawyer(index: int) -> int:
    return Lawyer.objects.filter(active=True).order_by("pk")[index].pk


OPINION = {
    "conclusion": "favourable",
    "reasons": "Patrimoine libre d'hypothèque.",
    "risk_level": "low",
    "risk_assessment": "Bien estimé au double de la créance.",
    **RISK_GRID,
}

# Per step: (label, build(machine) -> (POST data, FILES)), valid ones first (hypothesis
# shrinks towards them), then ones the form or the step refuses.
VALID, INVALID = "valid", "invalid"
PAYLOADS = {
    "receivability": [
        (VALID, "accept", lambda m: {"decision": "accept"}),
        (
            VALID,
            "return",
            lambda m: {"decision": "return", "grounds": ["pieces"], "missing": "Kbis\n- État"},
        ),
        (VALID, "decline", lambda m: {"decision": "decline", "reason": "Hors champ."}),
        (INVALID, "return without list", lambda m: {"decision": "return"}),
        (INVALID, "return without grounds", lambda m: {"decision": "return", "missing": "Kbis"}),
        (INVALID, "no decision", lambda m: {}),
    ],
    "assignment": [
        (VALID, "jurist", lambda m: {"jurist": m.pk("jurist")}),
        (VALID, "other jurist", lambda m: {"jurist": m.pk("other_jurist")}),
        (VALID, "expert", lambda m: {"expert": m.pk("expert")}),
        (VALID, "head as jurist", lambda m: {"jurist": m.pk("head")}),
        (INVALID, "nobody", lambda m: {}),
        (INVALID, "an agent as jurist", lambda m: {"jurist": m.pk("poste_agent")}),
    ],
    "write_opinion": [
        (VALID, "favourable", lambda m: OPINION),
        (
            VALID,
            "other action",
            lambda m: {
                **OPINION,
                "conclusion": "other_action",
                "recommended_action": ActionType.objects.order_by("pk").first().pk,
            },
        ),
        (INVALID, "other action unnamed", lambda m: {**OPINION, "conclusion": "other_action"}),
        (INVALID, "risk grid unfilled", lambda m: {**OPINION, "cost_risk": ""}),
        (
            INVALID,
            "high risk unexplained",
            lambda m: {**OPINION, "assets_risk": "high", "assets_comment": ""},
        ),
    ],
    "validate_opinion": [
        (VALID, "validate", lambda m: {"decision": "validate"}),
        (VALID, "return", lambda m: {"decision": "return", "comments": "Chiffrez le risque."}),
        (INVALID, "return without comments", lambda m: {"decision": "return"}),
    ],
    "follow_up": [
        (VALID, "takeover", lambda m: {"follow": "followed", "takeover_requested": "on"}),
        (VALID, "no takeover", lambda m: {"follow": "not_followed", "comment": "Autre voie."}),
        (INVALID, "nothing", lambda m: {}),
    ],
    "takeover_decision": [
        (VALID, "accept", lambda m: {"decision": "accept", "jurist": m.pk("jurist")}),
        (VALID, "accept other", lambda m: {"decision": "accept", "jurist": m.pk("other_jurist")}),
        (VALID, "refuse", lambda m: {"decision": "refuse", "reason": "Enjeu trop faible."}),
        (INVALID, "accept without jurist", lambda m: {"decision": "accept"}),
    ],
    "support": [
        (VALID, "summary", lambda m: {"summary": "Commandement puis saisie."}),
        (INVALID, "no summary", lambda m: {}),
    ],
    "mandate_lawyer": [
        (VALID, "lawyer 1", lambda m: {"lawyer": _lawyer(0), "mandated_on": day(-30)}),
        (VALID, "lawyer 2", lambda m: {"lawyer": _lawyer(1), "mandated_on": day(-20)}),
        (INVALID, "in the future", lambda m: {"lawyer": _lawyer(0), "mandated_on": day(3)}),
    ],
    "starting_act": [
        (
            VALID,
            "commandement",
            lambda m: {
                "kind": "commandement",
                "court": "TJ de Laon",
                "signed_on": day(-25),
                "served_on": day(-20),
            },
        ),
        (
            INVALID,
            "served before signed",
            lambda m: {
                "kind": "assignation",
                "court": "TJ de Laon",
                "signed_on": day(-2),
                "served_on": day(-5),
            },
        ),
    ],
    "hearings": [
        (VALID, "deliberation", lambda m: {"deliberation_on": day(0)}),
        (INVALID, "no date", lambda m: {}),
    ],
    "decision": [
        (
            VALID,
            "decided",
            lambda m: (
                {
                    "result": "decided",
                    "decided_on": day(0),
                    "court": "TJ de Laon",
                    "outcome": "granted",
                    "amount_awarded": "1 000",
                    "notified_on": day(0),
                },
                {"judgment": judgment()},
            ),
        ),
        (VALID, "reopened", lambda m: {"result": "reopened", "reason": "Pièce nouvelle."}),
        (
            INVALID,
            "decided without judgment",
            lambda m: {
                "result": "decided",
                "decided_on": day(0),
                "court": "TJ de Laon",
                "outcome": "rejected",
            },
        ),
    ],
    "appeal_decision": [
        (VALID, "none", lambda m: {"choice": "none"}),
        (
            VALID,
            "pole",
            lambda m: {
                "choice": "pole",
                "lodged_on": day(0),
                "court": "CA d'Amiens",
                "grounds": "Erreur de droit.",
            },
        ),
        (
            VALID,
            "opponent",
            lambda m: {
                "choice": "opponent",
                "lodged_on": day(0),
                "court": "CA d'Amiens",
                "grounds": "Appel adverse.",
            },
        ),
        (INVALID, "pole without court", lambda m: {"choice": "pole", "lodged_on": day(0)}),
    ],
    "execution": [
        (
            VALID,
            "close",
            lambda m: {"closure_reason": ClosureReason.RECOVERED_FULL, "comment": "Soldé."},
        ),
        (INVALID, "no reason", lambda m: {"comment": "Soldé."}),
    ],
}


# The usual course of each mode, as (person, step or side action, payload label): an
# example starts after a random number of these, so that deep states are reached often.
TAKEOVER_COURSE = [
    ("jurist", "mandate_lawyer", "lawyer 1"),
    ("jurist", "starting_act", "commandement"),
    ("jurist", "hearing", None),
    ("jurist", "held", None),
    ("jurist", "hearings", "deliberation"),
    ("jurist", "decision", "decided"),
    ("jurist", "appeal_decision", "opponent"),
    ("jurist", "hearing", None),
    ("jurist", "held", None),
    ("jurist", "hearings", "deliberation"),
    ("jurist", "decision", "decided"),
    ("jurist", "appeal_decision", "none"),
    ("jurist", "recovery", None),
]
COURSES = {
    Mode.PRISE_EN_CHARGE: [
        ("head", "receivability", "accept"),
        ("head", "assignment", "jurist"),
        *TAKEOVER_COURSE,
    ],
    Mode.AVIS: [
        ("head", "receivability", "accept"),
        ("head", "assignment", "expert"),
        ("expert", "write_opinion", "favourable"),
        ("head", "validate_opinion", "validate"),
        ("poste_agent", "follow_up", "takeover"),
        ("head", "takeover_decision", "accept"),
        *TAKEOVER_COURSE,
    ],
    Mode.SOUTIEN: [
        ("head", "receivability", "accept"),
        ("head", "assignment", "jurist"),
    ],
}


class CaseMachine(RuleBasedStateMachine):
    """Set by the test: the people (tests/conftest.py's `users`) and the factory of a
    submitted case (tests/workflows/conftest.py's `submitted_case`)."""

    people: dict = {}
    make_case = None

    def __init__(self):
        super().__init__()
        self._atomic = transaction.atomic()
        self._atomic.__enter__()  # rolled back in teardown: each example starts afresh
        self.case = None
        self.task = None  # the open human step, re-read after every action

    def teardown(self):
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    # Helpers ----------------------------------------------------------------------

    def pk(self, key: str) -> int:
        return self.people[key].pk

    def fresh_case(self) -> Case:
        return Case.objects.select_related("process").get(pk=self.case.pk)

    def snapshot(self) -> dict:
        case = self.fresh_case()
        process = case.process
        return {
            "status": case.status,
            "closure_reason": case.closure_reason,
            "assigned": (case.assigned_jurist_id, case.assigned_expert_id),
            "process": (process.status, process.finished),
            "tasks": process.task_set.count(),
            "open": [
                (t.pk, t.flow_task.name, t.status, t.owner_id, t.data)
                for t in services.active_tasks(process)
            ],
            "events": list(case.events.values_list("pk", flat=True)),
            "opinions": list(case.opinions.values_list("version", "status", "follow")),
            "hearings": list(case.hearings.values_list("pk", "status")),
            "mandates": list(case.mandates.values_list("pk", "revoked_on")),
            "rows": [
                getattr(case, name).count()
                for name in ("starting_acts", "decisions", "appeals", "recoveries", "pieces")
            ],
            "files": {str(p) for p in Path(django_settings.MEDIA_ROOT).rglob("*") if p.is_file()},
        }

    def draw_person(self, data, entitled) -> str:
        """Mostly someone the service would let act (so that the walk goes on), else
        anyone."""
        candidates = [key for key in PEOPLE if entitled(self.people[key])]
        if candidates and data.draw(st.integers(0, 3), label="pick an entitled person"):
            return data.draw(st.sampled_from(candidates), label="person")
        return data.draw(st.sampled_from(PEOPLE), label="person")

    def attempt(self, label: str, action, *, allowed: bool) -> bool:
        """Run a service call: refused, nothing changed; done, it had to be allowed."""
        before = self.snapshot()
        try:
            action()
        except REFUSALS as error:
            message = " ".join(error.messages) if isinstance(error, ValidationError) else error
            note(f"{label}: refused ({type(error).__name__}: {message})")
            assert self.snapshot() == before, f"{label} was refused but changed something"
            return False
        note(f"{label}: done → {self.fresh_case().get_status_display()}")
        assert allowed, f"{label} succeeded but should have been refused"
        return True

    def may_act_on(self, key: str, task) -> bool:
        """The oracle: who may finish (or draft on, or act beside) a step."""
        name = task.flow_task.name
        if name == "support" and key in REFERRERS:
            return True
        if task.owner_id:
            return task.owner_id == self.pk(key)
        return key in STEP_ROLES[name]

    def form(self, form_class, data, files, key):
        return form_class(data, files, case=self.fresh_case(), user=self.people[key])

    # Rules --------------------------------------------------------------------------

    def side_payload(self, action: str, offset: int) -> dict:
        case = self.fresh_case()
        if action == "hearing":
            return {
                "court": "TJ de Laon",
                "scheduled_at": moment(offset),
                "kind": "other",
                "purpose": "Fond",
            }
        if action == "recovery":
            return {"received_on": day(min(offset, 0)), "amount": "500"}
        hearing = (
            case.hearings.filter(status=HearingStatus.SCHEDULED).order_by("scheduled_at").first()
            or case.hearings.order_by("pk").first()
        )
        raw = {"hearing": hearing.pk if hearing else ""}
        if action == "adjourn":
            raw |= {"new_date": moment(offset + 7), "reason": "Renvoi."}
        return raw

    @initialize(data=st.data())
    def submit(self, data):
        """A submitted case, taken some way along its usual course."""
        mode = data.draw(st.sampled_from([Mode.PRISE_EN_CHARGE, Mode.AVIS, Mode.SOUTIEN]))
        head_start = data.draw(st.integers(0, len(COURSES[mode])), label="head start")
        self.case = type(self).make_case(mode)
        course = COURSES[mode][:head_start]
        note(f"case submitted, mode {mode.label}, then: {course}")
        for key, name, label in course:
            user = self.people[key]
            (task,) = services.active_tasks(self.fresh_case().process)
            if name in STEPS:
                assert task.flow_task.name == name, (task.flow_task.name, name)
                build = next(b for _, lab, b in PAYLOADS[name] if lab == label)
                built = build(self)
                raw, files = built if isinstance(built, tuple) else (built, {})
                form = self.form(STEPS[name].form_class, raw, files, key)
                assert form.is_valid(), form.errors
                services.complete_task(task.pk, user, form.cleaned_data, raw)
            else:
                step = STEPS[task.flow_task.name]
                form = self.form(
                    step.side_actions[name].form_class, self.side_payload(name, -3), {}, key
                )
                assert form.is_valid(), form.errors
                services.run_side_action(task.pk, user, name, form.cleaned_data)

    def _complete(self, data):
        task, case = self.task, self.fresh_case()
        name = task.flow_task.name
        key = self.draw_person(data, lambda u: services.may_complete(u, task, case))
        user = self.people[key]
        if STEPS[name].perform is None:  # completion: done by resubmitting the referral
            self.attempt(
                f"complete {name} by {key}",
                lambda: services.complete_task(task.pk, user, {}, {}),
                allowed=False,
            )
            return
        payloads = PAYLOADS[name]
        if data.draw(st.integers(0, 4), label="valid data?"):
            payloads = [p for p in payloads if p[0] == VALID]
        _, label, build = data.draw(st.sampled_from(payloads), label="payload")
        built = build(self)
        raw, files = built if isinstance(built, tuple) else (built, {})
        form = self.form(STEPS[name].form_class, raw, files, key)
        if not form.is_valid():
            note(f"complete {name} by {key} with {label}: form refused {dict(form.errors)}")
            return
        self.attempt(
            f"complete {name} by {key} with {label}",
            lambda: services.complete_task(task.pk, user, form.cleaned_data, raw),
            allowed=self.may_act_on(key, task),
        )

    # Twice, so that finishing steps is drawn as often as everything else together.
    @precondition(lambda self: self.task is not None)
    @rule(data=st.data())
    def complete(self, data):
        self._complete(data)

    @precondition(lambda self: self.task is not None)
    @rule(data=st.data())
    def complete_again(self, data):
        self._complete(data)

    @precondition(
        lambda self: self.task is not None and STEPS[self.task.flow_task.name].side_actions
    )
    @rule(data=st.data())
    def side_action(self, data):
        task, case = self.task, self.fresh_case()
        step = STEPS[task.flow_task.name]
        actions = sorted(step.side_actions)
        if "held" in actions and case.hearings.filter(status=HearingStatus.SCHEDULED).exists():
            actions = ["held", *actions]  # what usually comes next (hypothesis favours it)
        action = data.draw(st.sampled_from(actions), label="side action")
        key = self.draw_person(data, lambda u: services.may_complete(u, task, case))
        raw = self.side_payload(action, data.draw(st.integers(-6, 6), label="day offset"))
        form = self.form(step.side_actions[action].form_class, raw, {}, key)
        if not form.is_valid():
            note(f"{action} by {key}: form refused {dict(form.errors)}")
            return
        self.attempt(
            f"{action} by {key} ({raw})",
            lambda: services.run_side_action(task.pk, self.people[key], action, form.cleaned_data),
            allowed=self.may_act_on(key, task),
        )

    @precondition(lambda self: self.task is not None)
    @rule(data=st.data(), what=st.sampled_from(["take", "release", "draft"]))
    def hold(self, data, what):
        task, case = self.task, self.fresh_case()
        if what == "take":
            key = self.draw_person(data, lambda u: services.may_take(u, task))
            allowed = task.owner_id is None and key in STEP_ROLES[task.flow_task.name]
            call = lambda: services.take(task.pk, self.people[key])  # noqa: E731
        elif what == "release":
            key = self.draw_person(data, lambda u: u.pk == task.owner_id)
            allowed = task.owner_id == self.pk(key)
            call = lambda: services.release(task.pk, self.people[key])  # noqa: E731
        else:
            key = self.draw_person(data, lambda u: services.may_complete(u, task, case))
            allowed = self.may_act_on(key, task)
            values = {"reason": "Brouillon", "comments": "À reprendre"}
            call = lambda: services.save_draft(task.pk, self.people[key], values)  # noqa: E731
        self.attempt(f"{what} {task.flow_task.name} by {key}", call, allowed=allowed)

    # The head's actions on the process.

    def head_or_anyone(self, data) -> tuple[str, object]:
        key = self.draw_person(data, lambda u: u.pk == self.pk("head"))
        return key, self.people[key]

    @precondition(lambda self: self.task is not None)
    @rule(data=st.data(), reason=st.sampled_from(["Erreur d'aiguillage", ""]))
    def cancel(self, data, reason):
        task = self.task
        key, user = self.head_or_anyone(data)
        self.attempt(
            f"cancel {task.flow_task.name} by {key} (reason {reason!r})",
            lambda: services.cancel_step(task.pk, user, reason),
            allowed=key == "head",
        )

    @precondition(lambda self: self.task is not None)
    @rule(data=st.data(), reason=st.sampled_from(["Erreur de saisie", ""]))
    def undo(self, data, reason):
        key, user = self.head_or_anyone(data)
        case = self.fresh_case()
        self.attempt(
            f"undo by {key} (reason {reason!r})",
            lambda: services.undo_step(case, user, reason),
            allowed=key == "head",
        )

    @precondition(lambda self: self.task is not None)
    @rule(
        data=st.data(),
        jurist=st.sampled_from(["jurist", "other_jurist", "head", ""]),
        expert=st.sampled_from(["", "expert"]),
    )
    def reassign(self, data, jurist, expert):
        key, user = self.head_or_anyone(data)
        case = self.fresh_case()
        raw = {"jurist": self.pk(jurist) if jurist else "", "expert": expert and self.pk(expert)}
        form = ReassignForm(raw, case=case)
        if not form.is_valid():
            note(f"reassign by {key} ({raw}): form refused")
            return
        self.attempt(
            f"reassign to {jurist or '-'}/{expert or '-'} by {key}",
            lambda: services.reassign(
                case,
                user,
                jurist=form.cleaned_data["jurist"],
                expert=form.cleaned_data.get("expert"),
            ),
            allowed=key == "head",
        )

    # Out of the steps: resubmitting, closing, withdrawing (the only rule left once the
    # case is closed: everything must then be refused).

    @precondition(lambda self: self.task is not None and self.task.flow_task.name == "completion")
    @rule(data=st.data())
    def resubmit(self, data):
        key = self.draw_person(data, lambda u: u.pk in {self.pk(k) for k in REFERRERS})
        user, case = self.people[key], self.fresh_case()
        self.attempt(
            f"resubmit by {key}",
            lambda: submit_referral(user, case, confirm_duplicate=True),
            allowed=key in REFERRERS,
        )

    @rule(data=st.data(), what=st.sampled_from(["close", "withdraw", "resubmit"]))
    def out_of_course(self, data, what):
        # close: the case page offers it to the head only; the service lets the lifecycle
        # decide (the head, or a jurist the case is open to).
        entitled = POLE if what == "close" else REFERRERS
        key = self.draw_person(data, lambda u: u.pk in {self.pk(k) for k in entitled})
        user, case = self.people[key], self.fresh_case()
        if what == "close":
            call = lambda: services.close_case(  # noqa: E731
                case, user, reason="Créance soldée.", closure_reason=ClosureReason.RECOVERED_FULL
            )
        elif what == "withdraw":
            call = lambda: services.withdraw(case, user, reason="Créance réglée.")  # noqa: E731
        else:
            call = lambda: submit_referral(user, case, confirm_duplicate=True)  # noqa: E731
        self.attempt(f"{what} by {key}", call, allowed=key in entitled)

    # Invariants -----------------------------------------------------------------------

    @invariant()
    def status_and_process_agree(self):
        if self.case is None:
            return
        case = self.fresh_case()
        # (a) a known status, reached through one chain of recorded transitions
        assert case.status in S.values
        chain = list(
            case.events.filter(kind=EventKind.TRANSITION)
            .order_by("pk")
            .values_list("source_status", "target_status")
        )
        assert chain and chain[0][0] == S.DRAFT, chain
        for (_, previous_target), (source, _) in zip(chain, chain[1:], strict=False):
            assert source == previous_target, chain
        assert chain[-1][1] == case.status, (chain[-1], case.status)
        # (b) the process and the status agree
        process = case.process
        tasks = list(services.active_tasks(process))
        names = [t.flow_task.name for t in tasks]
        assert len(tasks) <= 1, f"several open steps: {names}"
        if case.status in TERMINAL:
            assert not tasks, f"{case.status} with open steps {names}"
            assert process.status in (PROCESS.DONE, PROCESS.CANCELED), process.status
        else:
            assert len(tasks) == 1, f"{case.status} without an open step"
            assert process.status not in (PROCESS.DONE, PROCESS.CANCELED), process.status
            assert case.status in STEP_STATUSES[names[0]], (
                f"step {names[0]} open while the case is {case.status}"
            )
        self.task = tasks[0] if tasks else None
        # (b') an opinion step agrees with the opinion it works on (else it cannot end)
        opinion = Opinion.objects.current(case)
        opinion_status = opinion.status if opinion else None
        if names == ["write_opinion"]:
            assert opinion_status != OpinionStatus.SUBMITTED, "an opinion already awaits review"
        awaited = {
            "validate_opinion": OpinionStatus.SUBMITTED,
            "follow_up": OpinionStatus.VALIDATED,
        }
        if names and names[0] in awaited:
            expected = awaited[names[0]]
            assert opinion_status == expected, f"{names[0]} open on a {opinion_status} opinion"


@pytest.fixture
def intake_duty(users):
    users["other_jurist"].user_permissions.add(
        Permission.objects.get(codename="intake", content_type__app_label="workflows")
    )
    users["other_jurist"] = type(users["other_jurist"]).objects.get(pk=users["other_jurist"].pk)


def test_random_walks_keep_the_case_and_its_process_in_agreement(
    users, intake_duty, submitted_case
):
    machine = type(
        "PoleWalk", (CaseMachine,), {"people": users, "make_case": staticmethod(submitted_case)}
    )
    run_state_machine_as_test(
        machine,
        settings=settings(
            max_examples=int(os.environ.get("STATEFUL_EXAMPLES", 30)),
            stateful_step_count=30,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        ),
    )


# Undo: the shortest sequences the walk above once found stuck ---------------------------
#
# An undo used to revive the completion step after a resubmission, and opinion steps whose
# review it could not take back. Undo now refuses a step that changed the status (the
# completion included) or that is final (the opinion's review), and takes back what an
# undoable step recorded (the opinion goes back to its author, the mandate is revoked).


def _complete(case, user, data, files=None):
    (task,) = services.active_tasks(case.process)
    form = STEPS[task.flow_task.name].form_class(data, files or {}, case=case, user=user)
    assert form.is_valid(), form.errors
    services.complete_task(task.pk, user, form.cleaned_data, data)
    case.refresh_from_db()


def _open_steps(case) -> list[str]:
    return [t.flow_task.name for t in services.active_tasks(case.process)]


def _undo_or_refusal(case, user) -> bool:
    try:
        services.undo_step(case, user, "Erreur de saisie")
    except LifecycleError:
        return False
    case.refresh_from_db()
    return True


def test_undo_after_a_resubmission(users, submitted_case):
    case = submitted_case(Mode.PRISE_EN_CHARGE)
    head = users["head"]
    _complete(case, head, {"decision": "return", "grounds": ["pieces"], "missing": "Kbis"})
    submit_referral(users["poste_agent"], case, confirm_duplicate=True)
    case.refresh_from_db()
    assert (case.status, _open_steps(case)) == (S.SUBMITTED, ["receivability"])

    _undo_or_refusal(case, head)

    (name,) = _open_steps(case)
    assert case.status in STEP_STATUSES[name], f"{name} open while the case is {case.status}"


def test_undo_of_the_opinion_writing(users, submitted_case):
    case = submitted_case(Mode.AVIS)
    head, jurist = users["head"], users["jurist"]
    _complete(case, head, {"decision": "accept"})
    _complete(case, head, {"jurist": jurist.pk})
    _complete(case, jurist, OPINION)
    assert _open_steps(case) == ["validate_opinion"]

    if _undo_or_refusal(case, head):
        assert _open_steps(case) == ["write_opinion"]
        _complete(case, jurist, {**OPINION, "risk_level": "medium"})
    assert _open_steps(case) == ["validate_opinion"]


def test_undo_of_an_opinion_returned_to_its_author(users, submitted_case):
    case = submitted_case(Mode.AVIS)
    head, jurist = users["head"], users["jurist"]
    _complete(case, head, {"decision": "accept"})
    _complete(case, head, {"jurist": jurist.pk})
    _complete(case, jurist, OPINION)
    _complete(case, head, {"decision": "return", "comments": "Chiffrez le risque."})
    assert _open_steps(case) == ["write_opinion"]

    if _undo_or_refusal(case, head):
        assert _open_steps(case) == ["validate_opinion"]
        _complete(case, head, {"decision": "validate"})
        assert case.status == S.OPINION_GIVEN
    else:
        assert _open_steps(case) == ["write_opinion"]
