"""The pôle's process for a case, from its submission to its closure.

Every human step completes through `workflows.services.complete_task`, which runs the
step's domain operation and its case lifecycle transition under the process lock; the
gateways below then read the case status (the single source of truth) to choose the
next step. Step forms and operations live in `workflows.steps`.
"""

from viewflow import this
from viewflow.workflow import flow, lock

from cases.enums import CaseStatus, Mode

from . import permissions
from .models import CaseProcess

S = CaseStatus


class Step(flow.View):
    """A human step. Its page is `workflows.views.task_page`, the same for every step
    (the step's form comes from `workflows.steps`), so no per-node view is given."""

    def __init__(self, title: str, **kwargs):
        super().__init__(view=None, **kwargs)
        self.Annotation(title=title)


def _case(activation):
    return activation.process.case


def _status_is(*statuses):
    return lambda activation: _case(activation).status in statuses


def _mode_is(mode):
    return lambda activation: _case(activation).mode == mode


def _referrer(activation) -> str:
    return permissions.referrer_permission(_case(activation))


def _jurist(activation):
    return _case(activation).assigned_jurist


def _opinion_author(activation):
    case = _case(activation)
    return case.assigned_expert or case.assigned_jurist


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
        .Next(this.receivability)
    )
    receivability = (
        Step("Examiner la recevabilité")
        .Permission(permissions.INTAKE)
        .Next(this.after_receivability)
    )
    after_receivability = (
        flow.Switch()
        .Annotation(title="Recevable ?")
        .Case(this.completion, _status_is(S.RETURNED))
        .Case(this.end, _status_is(S.DECLINED, S.CLOSED))
        .Default(this.assignment)
    )
    completion = (
        Step("Compléter et retransmettre le dossier")
        .Permission(_referrer)
        .Next(this.after_completion)
    )
    after_completion = (
        flow.Switch()
        .Annotation(title="Retransmis ?")
        .Case(this.end, _status_is(S.CLOSED))
        .Default(this.receivability)
    )
    assignment = Step("Attribuer le dossier").Permission(permissions.HEAD).Next(this.by_mode)
    by_mode = (
        flow.Switch()
        .Annotation(title="Demande")
        .Case(this.end, _status_is(S.DECLINED, S.CLOSED))
        .Case(this.write_opinion, _mode_is(Mode.AVIS))
        .Case(this.support, _mode_is(Mode.SOUTIEN))
        .Default(this.mandate_lawyer)
    )

    # Avis d'opportunité
    write_opinion = (
        Step("Rédiger l'avis d'opportunité")
        .Assign(_opinion_author)
        .Permission(permissions.POLE)
        .Next(this.validate_opinion)
    )
    validate_opinion = (
        Step("Valider l'avis").Permission(permissions.HEAD).Next(this.opinion_validated)
    )
    opinion_validated = (
        flow.If(_status_is(S.OPINION_GIVEN))
        .Annotation(title="Avis validé ?")
        .Then(this.follow_up)
        .Else(this.write_opinion)
    )
    follow_up = (
        Step("Indiquer la suite donnée à l'avis")
        .Permission(_referrer)
        .Next(this.takeover_requested)
    )
    takeover_requested = (
        flow.If(_status_is(S.OPINION_GIVEN))
        .Annotation(title="Prise en charge demandée ?")
        .Then(this.takeover_decision)
        .Else(this.end)
    )
    takeover_decision = (
        Step("Décider de la prise en charge")
        .Permission(permissions.HEAD)
        .Next(this.takeover_accepted)
    )
    takeover_accepted = (
        flow.If(_status_is(S.TAKEN_OVER))
        .Annotation(title="Prise en charge ?")
        .Then(this.mandate_lawyer)
        .Else(this.end)
    )

    # Soutien technique
    support = (
        Step("Conduire le soutien technique")
        .Assign(_jurist)
        .Permission(permissions.POLE)
        .Next(this.end)
    )

    # Prise en charge
    mandate_lawyer = (
        Step("Mandater un avocat")
        .Assign(_jurist)
        .Permission(permissions.POLE)
        .Next(this.starting_act)
    )
    starting_act = (
        Step("Enregistrer l'acte introductif")
        .Assign(_jurist)
        .Permission(permissions.POLE)
        .Next(this.hearings)
    )
    hearings = (
        Step("Suivre les audiences")
        .Assign(_jurist)
        .Permission(permissions.POLE)
        .Next(this.decision)
    )
    decision = (
        Step("Enregistrer la décision")
        .Assign(_jurist)
        .Permission(permissions.POLE)
        .Next(this.decided)
    )
    decided = (
        flow.If(_status_is(S.DECIDED))
        .Annotation(title="Décision rendue ?")
        .Then(this.appeal_decision)
        .Else(this.hearings)
    )
    appeal_decision = (
        Step("Décider d'un appel").Assign(_jurist).Permission(permissions.POLE).Next(this.appealed)
    )
    appealed = (
        flow.If(_status_is(S.UNDER_APPEAL))
        .Annotation(title="Appel ?")
        .Then(this.hearings)
        .Else(this.execution)
    )
    execution = (
        Step("Suivre l'exécution et clore")
        .Assign(_jurist)
        .Permission(permissions.POLE)
        .Next(this.end)
    )

    end = flow.End().Annotation(title="Fin")

    def start_process(self, activation, case):
        activation.process.case = case
        activation.process.save()
        return activation.process
