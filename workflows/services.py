"""Operations on the pôle's process. Each runs under the process lock (viewflow's
`SELECT … FOR UPDATE` on the process row, inside one transaction): the task is re-read
there, so of two people finishing the same step at the same moment exactly one succeeds
and the other gets a French message; if anything fails, the case, the process and the
history stay as they were."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from cases import access, proceedings
from cases.enums import CaseStatus, EventKind, Instance, Role
from cases.formatting import actor_label, long_date
from cases.lifecycle import CaseLifecycle, LifecycleError
from cases.models import Case, User
from cases.services import assign_case, files_removed_on_failure
from deadlines.calendar import appeal_deadline, decision_recourse, recourse_basis

from .flows import CaseFlow
from .models import CaseProcess
from .process import OUT_OF_COURSE, PROCESS
from .steps import STEPS, Context, check_not_stopped

ACTIVE = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)
NO_STEPS = (Role.MANAGEMENT, Role.ADMIN)


class TaskError(LifecycleError):
    """A step refused, with a French message for the user."""


def process_of(case: Case) -> CaseProcess | None:
    return CaseProcess.objects.filter(case=case).first()


def active_tasks(case_or_process):
    process_id = (
        case_or_process.process.pk if isinstance(case_or_process, Case) else case_or_process.pk
    )
    return (
        Task.objects.filter(process_id=process_id, status__in=ACTIVE, flow_task_type="HUMAN")
        .select_related("owner")
        .order_by("created", "pk")
    )


def step_title(task) -> str:
    return str(task.flow_task.task_title)


# Starting and feeding the process from the referral ------------------------------------


def on_submitted(user: User, case: Case) -> None:
    """Once the case is submitted, in the submission's transaction: the first submission
    starts the process; a resubmission after a return finishes the "complete the
    referral" step, which goes back to receivability."""
    process = process_of(case)
    if process is None:
        CaseFlow.start.run(case=case)
        return
    with CaseFlow.lock(process.pk):
        task = (
            Task.objects.filter(process=process, flow_task=CaseFlow.completion, status__in=ACTIVE)
            .order_by("-pk")
            .first()
        )
        if task is None:
            raise TaskError("Aucune demande de complément n'est en cours pour ce dossier.")
        task.data = {"status_before": CaseStatus.RETURNED, "status_after": case.status}
        _finish(task, user)


def on_referral_submitted(sender, case: Case, user: User, **kwargs) -> None:
    """Listens to `cases.events.referral_submitted` (sent by cases.services.submit_referral)."""
    on_submitted(user, case)


# Holding tasks ------------------------------------------------------------------------


def _fresh(task_id: int) -> Task:
    return Task.objects.select_related("owner", "process").get(pk=task_id)


def _case_of(task) -> Case:
    return Case.objects.select_related("action_type", "direction").get(process__pk=task.process_id)


def _refuse_if_finished(task) -> None:
    if task.status == STATUS.DONE:
        who = f" par {task.owner}" if task.owner_id else ""
        when = timezone.localtime(task.finished).strftime("%d/%m/%Y à %H:%M")
        raise TaskError(
            f"L'étape « {step_title(task)} » vient d'être traitée{who} (le {when}) : "
            "rechargez la page du dossier."
        )
    if task.status not in ACTIVE:
        raise TaskError(
            f"L'étape « {step_title(task)} » a été annulée : rechargez la page du dossier."
        )


def acts_on_steps(user: User) -> bool:
    """Management and administrators read cases but take no step (as in the lifecycle);
    an administrator's superuser flag grants every permission, so it is not asked."""
    return user.is_authenticated and user.is_active and user.role not in ("", *NO_STEPS)


def may_take(user: User, task) -> bool:
    """An unheld task the user's permissions put in their queue, or a step held by an
    absent jurist the user replaces (cases.access.replaced_by)."""
    if not acts_on_steps(user):
        return False
    if task.status == STATUS.NEW:
        return task.flow_task.can_assign(user, task)
    return task.status == STATUS.ASSIGNED and access.replaces(user, task.owner_id)


def may_complete(user: User, task, case: Case) -> bool:
    if task.status not in ACTIVE or not acts_on_steps(user):
        return False
    step = STEPS[task.flow_task.name]
    if step.also_by and step.also_by(user, case):
        return True
    if task.owner_id:
        return task.owner_id == user.pk or access.replaces(user, task.owner_id)
    return may_take(user, task)


def check_may_complete(user: User, task, case: Case) -> None:
    _refuse_if_finished(task)
    if not may_complete(user, task, case):
        if task.owner_id:
            raise TaskError(
                f"L'étape « {step_title(task)} » est confiée à {task.owner} : "
                "vous ne pouvez pas la traiter."
            )
        raise TaskError(f"Vous n'avez pas le droit de traiter l'étape « {step_title(task)} ».")


def take(task_id: int, user: User) -> Task:
    """Take an unheld task from the queue."""
    task = _fresh(task_id)
    with CaseFlow.lock(task.process_id):
        task.refresh_from_db()
        _refuse_if_finished(task)
        if task.owner_id == user.pk:
            raise TaskError(f"L'étape « {step_title(task)} » est déjà la vôtre.")
        if task.owner_id and not may_take(user, task):
            raise TaskError(f"L'étape « {step_title(task)} » a déjà été prise par {task.owner}.")
        if not may_take(user, task):
            raise TaskError(f"Vous n'avez pas le droit de prendre l'étape « {step_title(task)} ».")
        activation = task.flow_task.activation_class(task)
        if task.owner_id:  # the step of the absent jurist one replaces
            activation.reassign(user)
        else:
            activation.assign(user)
        task.refresh_from_db()
        task.assigned = timezone.now()
        task.save(update_fields=["assigned"])
    return task


def may_release(user: User, task) -> bool:
    """A task one took from a queue (not one the flow gave to one's case) goes back."""
    return task.status == STATUS.ASSIGNED and task.owner_id == user.pk and not task.flow_task._owner


def release(task_id: int, user: User) -> Task:
    """Put a task one took back in its queue."""
    task = _fresh(task_id)
    with CaseFlow.lock(task.process_id):
        task.refresh_from_db()
        _refuse_if_finished(task)
        if not may_release(user, task):
            raise TaskError(
                "Vous ne pouvez remettre dans la file que les étapes que vous avez prises."
            )
        task.flow_task.activation_class(task).unassign()
    return task


class StaleDraft(Exception):
    """The step's draft was saved (another tab) since the version the page was loaded
    with: saving would silently replace it. `version` is the current one."""

    def __init__(self, task: Task):
        self.version = task.data.get("draft_version", 0)
        self.by = task.data.get("draft_by") or "un autre onglet"
        self.at = datetime.datetime.fromisoformat(task.data["draft_saved"])
        super().__init__("Le brouillon a été enregistré entre-temps.")


def draft_version(task: Task) -> int:
    return task.data.get("draft_version", 0)


def save_draft(
    task_id: int, user: User, values: dict, *, expected_version: int | None = None
) -> Task:
    """Keep what the user has typed so far; a queue task becomes theirs. A draft saved
    meanwhile over the version the page had (`expected_version`) is not replaced."""
    task = _fresh(task_id)
    with CaseFlow.lock(task.process_id):
        task.refresh_from_db()
        case = _case_of(task)
        check_may_complete(user, task, case)
        if expected_version is not None and expected_version != draft_version(task):
            raise StaleDraft(task)
        if task.status == STATUS.NEW:
            task.flow_task.activation_class(task).assign(user)
        task.data = {
            **task.data,
            "draft": values,
            "draft_saved": timezone.now().isoformat(),
            "draft_by": actor_label(user),
            "draft_version": draft_version(task) + 1,
        }
        task.save(update_fields=["data"])
    return task


# Finishing a step ---------------------------------------------------------------------


def _finish(task, user: User) -> None:
    """Complete a held (or, from the queue, taken at once) task and activate the next
    ones. Called under the lock."""
    activation = task.flow_task.activation_class(task)
    if task.status == STATUS.NEW:
        activation.assign(user)
    elif task.owner_id != user.pk:
        activation.reassign(user)  # someone entitled finishing another's step (support)
    activation.start(None)
    activation.execute()


def complete_task(task_id: int, user: User, cleaned_data: dict, submitted: dict) -> Task:
    """Run the step's operation with the form's cleaned data, then finish the task.
    `submitted` is the form's raw values, kept on the task (and reused on undo)."""
    task = _fresh(task_id)
    step = STEPS[task.flow_task.name]
    if step.perform is None:
        raise TaskError("Cette étape se termine depuis la page du dossier.")
    with files_removed_on_failure(), CaseFlow.lock(task.process_id):
        task.refresh_from_db()
        case = _case_of(task)
        check_may_complete(user, task, case)
        check_not_stopped(case, task.flow_task.name)  # C. com. L.622-21
        status_before = case.status
        step.perform(Context(task, case, user), cleaned_data)
        task.data = {
            "submitted": submitted,
            "status_before": status_before,
            "status_after": case.status,
        }
        _finish(task, user)
    return task


def run_side_action(task_id: int, user: User, name: str, cleaned_data: dict) -> None:
    """Record something that does not finish the step (a hearing, an adjournment…)."""
    task = _fresh(task_id)
    action = STEPS[task.flow_task.name].side_actions.get(name)
    if action is None:
        raise TaskError("Action inconnue pour cette étape.")
    with files_removed_on_failure(), CaseFlow.lock(task.process_id):  # a cost's invoice
        task.refresh_from_db()
        case = _case_of(task)
        check_may_complete(user, task, case)
        check_not_stopped(case, task.flow_task.name, name)  # C. com. L.622-21
        action.perform(Context(task, case, user), cleaned_data)


# The head of the pôle: reassign, cancel or undo a step, close ------------------------


def is_manager(user: User) -> bool:
    """The head of the pôle manages the process (not a superuser administrator, whom
    Django would grant viewflow's `manage` permission)."""
    return access.is_head(user)


def _require_manager(user: User) -> None:
    if not is_manager(user):
        raise PermissionDenied("Seul le chef du pôle peut faire cela.")


def _reset_owner(task) -> None:
    """Give a (new or revived) task the holder and queue its node decides now."""
    activation = task.flow_task.activation_class(task)
    node = task.flow_task
    task.owner_permission = node.calc_owner_permission(activation)
    task.owner = node.calc_owner(activation) if node._owner else None
    task.status = STATUS.ASSIGNED if task.owner else STATUS.NEW
    task.assigned = timezone.now() if task.owner else None
    task.save()


def reassign(case: Case, user: User, *, jurist: User | None, expert: User | None) -> None:
    """Give the case to another jurist or expert; their open steps follow them."""
    process = process_of(case)
    if process is None:
        raise TaskError("Ce dossier n'a pas encore été transmis au pôle.")
    with CaseFlow.lock(process.pk):
        process.refresh_from_db()
        if process.finished is not None:
            raise TaskError("Ce dossier est clos : il ne se réattribue plus.")
        case = Case.objects.get(pk=case.pk)
        assign_case(user, case, jurist=jurist, expert=expert)
        for task in active_tasks(process):
            if task.flow_task._owner:
                _reset_owner(task)


def cancel_step(task_id: int, user: User, reason: str) -> Task:
    """The head cancels an open step: its draft and holder are dropped and the step is
    created afresh (back in its queue, or with the case's assignee)."""
    _require_manager(user)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Indiquez le motif de l'annulation.")
    task = _fresh(task_id)
    with CaseFlow.lock(task.process_id):
        task.refresh_from_db()
        _refuse_if_finished(task)
        case = _case_of(task)
        activation = task.flow_task.activation_class(task)
        activation.cancel()
        revived = activation.revive()
        revived.data = {}
        _reset_owner(revived)
        proceedings.record_step_change(
            case,
            user,
            kind=EventKind.STEP_CANCELLED,
            step_label=step_title(task),
            reason=reason,
            internal=PROCESS[task.flow_task.name].internal,
        )
    return revived


def previous_step(task):
    """The human step completed just before `task` (through the gateways between)."""
    current = task
    while True:
        previous = current.previous.order_by("-pk").first()
        if previous is None or previous.flow_task_type in ("START",):
            return None
        if previous.flow_task_type == "HUMAN":
            return previous
        current = previous


def undo_step(case: Case, user: User, reason: str):
    """The head takes back the last completed step so that it can be done again; only a
    step that did not change the case's status (the lifecycle has no way back)."""
    _require_manager(user)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Indiquez le motif.")
    process = process_of(case)
    if process is None:
        raise TaskError("Ce dossier n'a pas de circuit en cours.")
    with CaseFlow.lock(process.pk):
        open_tasks = list(active_tasks(process))
        if len(open_tasks) != 1:
            raise TaskError("Aucune étape en cours à laquelle revenir.")
        current = open_tasks[0]
        previous = previous_step(current)
        if previous is None or previous.status != STATUS.DONE:
            raise TaskError("Il n'y a pas d'étape précédente à défaire.")
        step = STEPS[previous.flow_task.name]
        if not step.undoable:
            raise TaskError(
                f"L'étape « {step_title(previous)} » ne peut pas être défaite : ce qu'elle a "
                "enregistré est définitif."
            )
        before, after = previous.data.get("status_before"), previous.data.get("status_after")
        if before != after:
            raise TaskError(
                f"L'étape « {step_title(previous)} » a changé le statut du dossier "
                f"({CaseStatus(before).label} → {CaseStatus(after).label}) : elle ne peut "
                "pas être défaite."
            )
        chain = []  # current, the gateways, previous: cancelled from the newest
        node = current
        while node.pk != previous.pk:
            chain.append(node)
            node = node.previous.order_by("-pk").first()
        chain[0].flow_task.activation_class(chain[0]).cancel()
        for gateway in chain[1:]:
            gateway.flow_task.activation_class(gateway).undo()
        activation = previous.flow_task.activation_class(previous)
        activation.undo()
        revived = activation.revive()
        revived.data = {"draft": previous.data.get("submitted", {})}
        _reset_owner(revived)
        case = Case.objects.get(pk=process.case_id)
        proceedings.record_step_change(
            case,
            user,
            kind=EventKind.STEP_UNDONE,
            step_label=step_title(previous),
            reason=reason,
            internal=PROCESS[previous.flow_task.name].internal,
        )
        if step.undo is not None:
            step.undo(Context(previous, case, user), reason)
    return revived


def _end_process(process: CaseProcess, status: str) -> None:
    for task in active_tasks(process):
        task.flow_task.activation_class(task).cancel()
    process.status = status
    process.finished = timezone.now()
    process.save(update_fields=["status", "finished"])


def close_case(case: Case, user: User, *, reason: str, closure_reason: str) -> None:
    """Close a case out of its normal course (the debtor paid, the claim is prescribed…):
    the head of the pôle; the lifecycle closes it, the open steps are cancelled, the
    process ends."""
    _require_manager(user)
    process = process_of(case)
    with transaction.atomic(), CaseFlow.lock(process.pk if process else 0):
        case = Case.objects.get(pk=case.pk)
        CaseLifecycle(case, user).close(reason=reason, closure_reason=closure_reason)
        if process is not None:
            _end_process(process, OUT_OF_COURSE["close"])


def withdraw(case: Case, user: User, *, reason: str) -> None:
    """The referring side withdraws its request while the pôle examines it."""
    process = process_of(case)
    with transaction.atomic(), CaseFlow.lock(process.pk if process else 0):
        case = Case.objects.get(pk=case.pk)
        CaseLifecycle(case, user).withdraw(reason=reason)
        if process is not None:
            _end_process(process, OUT_OF_COURSE["withdraw"])


def out_of_course_actions(user: User, case: Case) -> list[str]:
    """'close' for the head, 'withdraw' for the referring side, when the lifecycle allows."""
    names = {t["name"] for t in CaseLifecycle(case, user).available()}
    result = []
    if "close" in names and access.is_head(user):
        result.append("close")
    if "withdraw" in names:
        result.append("withdraw")
    return result


def deadline_note(case: Case) -> str:
    """The appeal deadline of the last decision, for the appeal step."""
    decision = case.decisions.order_by("-decided_on", "-pk").first()
    if decision is None:
        return ""
    # Issue 17: the recourse the decision opens (a pourvoi, CPC 612; an opposition, CPC 538).
    recourse = decision_recourse(decision)
    deadline = appeal_deadline(decision, recourse)
    of, one = {
        Instance.CASSATION: ("de pourvoi", "un pourvoi"),
        Instance.OPPOSITION: ("d'opposition", "une opposition"),
        Instance.RENVOI: ("de saisine de la juridiction de renvoi", "une saisine"),
    }.get(recourse, ("d'appel", "un appel"))
    if deadline is None:
        return f"Date de notification inconnue : le délai {of} ne peut être calculé."
    if deadline < timezone.localdate():
        return f"Délai {of} expiré le {long_date(deadline)} : {one} du pôle serait irrecevable."
    return f"Délai {of} : jusqu'au {long_date(deadline)} inclus ({recourse_basis(decision)})."
