"""Reads for the task pages: viewflow's task managers, scoped by cases.access."""

from django.db.models import Count, Func, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from viewflow.workflow.fields import get_flow_ref
from viewflow.workflow.status import STATUS

from cases import access
from cases.enums import Role
from cases.models import Case, User

from .flows import CaseFlow
from .models import CaseProcess
from .services import ACTIVE, active_tasks, acts_on_steps, may_complete, may_take
from .steps import STEPS

FLOWS = [CaseFlow]


def _with_case(tasks):
    return tasks.select_related("owner", "process__caseprocess__case__debtor").order_by(
        "created", "pk"
    )


def inbox(user: User):
    """The tasks held by the user."""
    return _with_case(CaseFlow.task_class.objects.inbox(FLOWS, user))


def replaced_tasks(user: User):
    """The open steps held by the absent jurists `user` replaces today (cases.access)."""
    return CaseFlow.task_class.objects.filter(
        process__flow_class=CaseFlow,
        flow_task_type="HUMAN",
        status=STATUS.ASSIGNED,
        owner__in=access.replaced_by(user),
    )


def queue(user: User):
    """Unheld tasks the user's permissions let them take (viewflow's queue would show a
    superuser every task: administrators and management take none), and the steps held
    by an absent jurist the user replaces."""
    if not acts_on_steps(user):
        return CaseFlow.task_class.objects.none()
    unheld = CaseFlow.task_class.objects.queue(FLOWS, user).values("pk")
    return _with_case(
        CaseFlow.task_class.objects.filter(Q(pk__in=unheld) | Q(pk__in=replaced_tasks(user)))
    )


def archive(user: User):
    return (
        CaseFlow.task_class.objects.archive(FLOWS, user)
        .filter(flow_task_type="HUMAN", status="DONE")
        .select_related("process__caseprocess__case__debtor")
        .order_by("-finished", "-pk")
    )


def counts(user: User) -> dict:
    return {"inbox": inbox(user).count(), "queue": queue(user).count()}


def case_of(task) -> Case:
    return task.process.caseprocess.case


def _count(queryset):
    """A correlated COUNT(*) of `queryset`, as an annotation (0 when none)."""
    counted = queryset.order_by().annotate(n=Func("pk", function="COUNT")).values("n")
    return Coalesce(Subquery(counted), 0)


def team_load():
    """For the head: open steps per holder, and unheld ones per step."""
    open_tasks = CaseFlow.task_class.objects.filter(
        process__flow_class=CaseFlow, flow_task_type="HUMAN", status__in=ACTIVE
    )
    people = (
        User.objects.filter(role__in=[Role.JURIST, Role.HEAD, Role.EXPERT], is_active=True)
        .annotate(
            # One subquery per figure: two aggregates over joins would multiply each other
            # (a jurist's steps counted once per case they follow).
            open_steps=_count(open_tasks.filter(owner=OuterRef("pk"))),
            cases=_count(
                Case.objects.filter(assigned_jurist=OuterRef("pk")).exclude(
                    status__in=["closed", "declined", "draft"]
                )
            ),
        )
        .select_related("direction")
        .order_by("role", "last_name", "username")
    )
    unheld = (
        open_tasks.filter(owner__isnull=True)
        .values("flow_task")
        .annotate(count=Count("pk"))
        .order_by("flow_task")
    )
    return people, [{"title": row["flow_task"].task_title, "count": row["count"]} for row in unheld]


def process_for(case: Case):
    return CaseProcess.objects.filter(case=case).first()


def open_steps(user: User, case: Case, process: CaseProcess | None = None) -> list[dict]:
    """The case's current steps: each task, its step, and whether the user may finish or
    take it (the case page and the API show the same)."""
    process = process or process_for(case)
    if process is None:
        return []
    return [
        {
            "task": task,
            "step": STEPS[task.flow_task.name],
            "can_act": may_complete(user, task, case),
            "can_take": may_take(user, task),
        }
        for task in active_tasks(process)
    ]


# --- The header's counts (pnsr.context_processors.HeaderCounts, on every page) -------------
# The same tasks as inbox() and queue(), told as a flow's by their own `flow_task`
# ("app/module.Flow.node") instead of a join to every process, so that counting them is a
# lookup in the task table's owner and status indexes, whatever the number of processes.


def _tasks_of_flows(user: User):
    refs = [get_flow_ref(flow) for flow in FLOWS if flow.instance.has_view_permission(user)]
    if not refs:
        return CaseFlow.task_class.objects.none()
    of_flows = Q()
    for ref in refs:
        of_flows |= Q(flow_task__startswith=f"{ref}.")
    return CaseFlow.task_class.objects.filter(of_flows)


def inbox_to_count(user: User):
    """inbox(user), to be counted."""
    return _tasks_of_flows(user).filter(owner=user, status=STATUS.ASSIGNED)


def queue_to_count(user: User):
    """queue(user), to be counted."""
    if not acts_on_steps(user):
        return CaseFlow.task_class.objects.none()
    tasks = _tasks_of_flows(user)
    unheld = tasks.user_queue(user).filter(status=STATUS.NEW)
    # The absent jurists' steps in the same query (no query more to count them).
    return unheld | tasks.filter(status=STATUS.ASSIGNED, owner__in=access.replaced_by(user))
