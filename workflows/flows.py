"""The pôle's process for a case, from its submission to its closure, as a viewflow flow.

The nodes are built from `workflows.process.PROCESS`, the one description of the process:
a human node per step (its queue and holder from the step's actor), and after a step that
can end several ways a gateway that reads the case status (the single source of truth)
to choose the next step. Every human step completes through
`workflows.services.complete_task`, which runs the step's domain operation and its case
lifecycle transition under the process lock. Step forms and operations live in
`workflows.steps`.
"""

from viewflow import this
from viewflow.workflow import flow, lock

from . import permissions
from .models import CaseProcess
from .process import PROCESS, SUBMISSION, Actor


class HumanStep(flow.View):
    """A human step. Its page is `workflows.views.task_page`, the same for every step
    (the step's form comes from `workflows.steps`), so no per-node view is given."""

    def __init__(self, title: str, **kwargs):
        super().__init__(view=None, **kwargs)
        self.Annotation(title=title)


def _case(activation):
    return activation.process.case


def _status_is(status):
    return lambda activation: _case(activation).status == status


def _referrer(activation) -> str:
    return permissions.referrer_permission(_case(activation))


def _jurist(activation):
    return _case(activation).assigned_jurist


def _opinion_author(activation):
    case = _case(activation)
    return case.assigned_expert or case.assigned_jurist


# Who takes a step (workflows.process.Actor): the queue it is filed in, and for the
# case's own people the holder it is given to.
QUEUE = {
    Actor.INTAKE: permissions.INTAKE,
    Actor.HEAD: permissions.HEAD,
    Actor.REFERRER: _referrer,
    Actor.OPINION_AUTHOR: permissions.POLE,
    Actor.JURIST: permissions.POLE,
}
HOLDER = {Actor.OPINION_AUTHOR: _opinion_author, Actor.JURIST: _jurist}


def gateway_name(step: str) -> str:
    return f"after_{step}"


def _nodes() -> dict:
    """A human node per step of `PROCESS`; after a step that can end several ways, a
    gateway on the status the step left the case in."""
    nodes = {}
    for name, step in PROCESS.items():
        node = HumanStep(step.title)
        if step.actor in HOLDER:
            node = node.Assign(HOLDER[step.actor])
        node = node.Permission(QUEUE[step.actor])
        routes = step.routes
        if len(step.outcomes) == 1:
            (then,) = routes.values()
            nodes[name] = node.Next(getattr(this, then))
            continue
        nodes[name] = node.Next(getattr(this, gateway_name(name)))
        nodes[gateway_name(name)] = _gateway(routes).Annotation(title=step.question)
    return nodes


def _gateway(routes: dict[str, str]):
    """Two ways on: an If (its chart says oui / non), the first status declared being
    "oui"; more: a Switch."""
    if len(routes) == 2:
        (status, then), (_, otherwise) = routes.items()
        return flow.If(_status_is(status)).Then(getattr(this, then)).Else(getattr(this, otherwise))
    switch = flow.Switch()
    for status, then in routes.items():
        switch = switch.Case(getattr(this, then), _status_is(status))
    return switch


class CaseFlow(flow.Flow):
    """Traitement d'un dossier par le pôle

    De la saisine à la clôture : recevabilité, attribution, puis avis d'opportunité,
    soutien technique ou prise en charge de la procédure jusqu'à la décision du juge.
    """

    process_class = CaseProcess
    # Wait for the process row lock (SELECT … FOR UPDATE) rather than fail at once: the
    # second of two simultaneous completions then sees the task already done.
    lock_impl = lock.SelectForUpdateLock(nowait=False, attempts=1)

    start = (
        flow.StartHandle(this.start_process)
        .Annotation(title="Saisine du pôle")
        .Next(getattr(this, SUBMISSION.then))
    )
    # The steps and their gateways, from the one description of the process (the class
    # namespace is a plain dict: viewflow collects the nodes from it when the class is made).
    vars().update(_nodes())
    end = flow.End().Annotation(title="Fin")

    def start_process(self, activation, case):
        activation.process.case = case
        activation.process.save()
        return activation.process
