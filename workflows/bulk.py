"""Bulk actions on the pôle's cases (issue 22, « Work »): reassign a jurist's open cases
and steps to another jurist (an absence, a departure), put a label on or take it off,
send one message to the referring side of each case.

`plan` says, per case, what the action will do or why it will not, without writing;
`run` does it, each case in its own transaction under its process lock, rechecked there:
one case refused or failing leaves the others done and itself untouched. Who may do what
is `cases.access`'s (`bulk_actions`, `may_label`, `may_message_referrers`, and the
assignment's own rules in `cases.services.assign_case`)."""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import nullcontext
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet

from cases import access, services, workspace
from cases.enums import CLOSED_STATUSES
from cases.formatting import person_name
from cases.lifecycle import LifecycleError
from cases.models import Case, CaseLabel, Label, User

from .flows import CaseFlow
from .services import ACTIVE, active_tasks, process_of, reassign, step_title

BULK_MAX = 500

TODO, DONE, UNCHANGED, REFUSED = "todo", "done", "unchanged", "refused"


class _Refused(Exception):
    pass


class _Unchanged(Exception):
    pass


@dataclass(frozen=True)
class Bulk:
    """One bulk action and what it needs: the label, the jurist the cases go to (and the
    one they leave, when all of a jurist's work moves), the message."""

    action: str
    label: Label | None = None
    jurist: User | None = None
    from_jurist: User | None = None
    body: str = ""


@dataclass
class Line:
    """What happens (or happened) to one case: `outcome` one of TODO (on the confirmation
    page), DONE, UNCHANGED (nothing to do), REFUSED; `text` says what, or why not."""

    case: Case
    outcome: str
    text: str


def jurist_work(user: User, jurist: User) -> QuerySet[Case]:
    """Every open case given to `jurist` and every case where they hold an open step."""
    held = CaseFlow.task_class.objects.filter(
        flow_task_type="HUMAN", status__in=ACTIVE, owner=jurist
    ).values("process_id")
    return (
        access.visible_cases(user)
        .filter(Q(assigned_jurist=jurist) | Q(process__pk__in=held))
        .exclude(status__in=CLOSED_STATUSES)
    )


def selected(user: User, ids: Iterable) -> QuerySet[Case]:
    return access.visible_cases(user).filter(pk__in=list(ids))


def _ordered(cases: QuerySet[Case]) -> list[Case]:
    return list(
        cases.select_related("direction", "poste_comptable", "assigned_jurist", "debtor")
        .distinct()
        .order_by("reference", "pk")[:BULK_MAX]
    )


# --- One case ------------------------------------------------------------------------------


def _may_hold(user: User, task) -> bool:
    return not task.owner_permission or user.has_perm(task.owner_permission)


def _reassign(user: User, bulk: Bulk, case: Case, execute: bool) -> str:
    to = bulk.jurist
    process = process_of(case)
    if process is None:
        raise _Refused("Ce dossier n'a pas encore été transmis au pôle.")
    if process.finished is not None:
        raise _Refused("Ce dossier est clos : il ne se réattribue plus.")
    leaving = bulk.from_jurist or case.assigned_jurist
    moves_case = (
        case.assigned_jurist_id is not None
        and case.assigned_jurist_id != to.pk
        and (leaving is None or case.assigned_jurist_id == leaving.pk)
    )
    tasks = list(active_tasks(process))
    following = [t for t in tasks if t.flow_task._owner and t.owner_id == case.assigned_jurist_id]
    held = [
        t
        for t in tasks
        if leaving is not None and t.owner_id == leaving.pk and not t.flow_task._owner
    ]
    if not moves_case and not held:
        if case.assigned_jurist_id == to.pk:
            raise _Unchanged(f"Ce dossier est déjà attribué à {person_name(to)}.")
        if case.assigned_jurist_id is None:
            raise _Refused(
                "Ce dossier n'est encore attribué à aucun juriste : attribuez-le à l'étape "
                "« Attribution du dossier »."
            )
        raise _Unchanged(f"Ni le dossier ni ses étapes ne sont à {person_name(leaving)}.")
    said = []
    if moves_case:
        said.append(
            f"dossier réattribué de {person_name(case.assigned_jurist)} à {person_name(to)}"
        )
        said += [f"l'étape « {step_title(t)} » suit" for t in following]
    for task in held:
        if _may_hold(to, task):
            said.append(f"l'étape « {step_title(task)} » est confiée à {person_name(to)}")
        else:
            said.append(
                f"l'étape « {step_title(task)} » revient dans la file ({person_name(to)} ne "
                "peut pas la prendre)"
            )
    if execute:
        if moves_case:
            reassign(case, user, jurist=to, expert=None)
        for task in held:
            activation = task.flow_task.activation_class(task)
            if _may_hold(to, task):
                activation.reassign(to)
            else:
                activation.unassign()
    text = " ; ".join(said)
    return text[0].upper() + text[1:] + "."


def _label(user: User, bulk: Bulk, case: Case, execute: bool) -> str:
    if not access.may_label(user, case):
        raise _Refused("Seul le pôle étiquette ses dossiers.")
    on = CaseLabel.objects.filter(case=case, label=bulk.label).exists()
    name = bulk.label.name
    if bulk.action == access.BULK_LABEL_ADD:
        if on:
            raise _Unchanged(f"L'étiquette « {name} » y est déjà.")
        if execute:
            workspace.add_label(user, case, bulk.label)
        return f"Étiquette « {name} » ajoutée."
    if not on:
        raise _Unchanged(f"L'étiquette « {name} » n'y est pas.")
    if execute:
        workspace.remove_label(user, case, bulk.label)
    return f"Étiquette « {name} » retirée."


def _message(user: User, bulk: Bulk, case: Case, execute: bool) -> str:
    if not access.may_message_referrers(user, case):
        if case.status in access.NEVER_SENT:
            raise _Refused("Ce dossier n'a pas été transmis au pôle : il n'a pas de fil.")
        raise _Refused("Vous ne pouvez pas écrire sur ce dossier.")
    if execute:
        services.post_message(user, case, bulk.body)
    to = f"{case.direction}" + (f" et {case.poste_comptable}" if case.poste_comptable_id else "")
    return f"Message envoyé à {to}."


OPERATIONS = {
    access.BULK_REASSIGN: _reassign,
    access.BULK_LABEL_ADD: _label,
    access.BULK_LABEL_REMOVE: _label,
    access.BULK_MESSAGE: _message,
}


def _one(user: User, bulk: Bulk, case: Case, execute: bool) -> Line:
    try:
        if execute:
            process = process_of(case)
            lock = CaseFlow.lock(process.pk) if process is not None else nullcontext()
            with transaction.atomic(), lock:
                case = Case.objects.select_related(
                    "direction", "poste_comptable", "assigned_jurist", "debtor"
                ).get(pk=case.pk)
                text = OPERATIONS[bulk.action](user, bulk, case, True)
        else:
            text = OPERATIONS[bulk.action](user, bulk, case, False)
    except _Refused as refusal:
        return Line(case, REFUSED, str(refusal))
    except _Unchanged as nothing:
        return Line(case, UNCHANGED, str(nothing))
    except ValidationError as error:
        return Line(case, REFUSED, " ".join(error.messages))
    except (PermissionDenied, LifecycleError) as error:
        return Line(case, REFUSED, str(error))
    return Line(case, DONE if execute else TODO, text)


def _check(user: User, bulk: Bulk) -> None:
    if bulk.action not in access.bulk_actions(user):
        raise PermissionDenied("Vous ne pouvez pas faire cette action sur plusieurs dossiers.")


def plan(user: User, bulk: Bulk, cases: QuerySet[Case]) -> list[Line]:
    """What the action would do to each case (nothing written)."""
    _check(user, bulk)
    return [_one(user, bulk, case, False) for case in _ordered(cases)]


def run(user: User, bulk: Bulk, cases: QuerySet[Case]) -> list[Line]:
    """Do it, case by case, each in its own transaction."""
    _check(user, bulk)
    return [_one(user, bulk, case, True) for case in _ordered(cases)]
