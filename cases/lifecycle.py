"""The case lifecycle: the only code that changes `Case.status`.

A `viewflow.fsm` state machine over the case, bound to the user acting. Each transition
declares its sources, its target, who may fire it and whether it needs a reason. Calling
one checks all of that (with a French message on refusal), re-reads the case's status under
a row lock, and saves the case and its history entry in one transaction.

    CaseLifecycle(case, user).accept()
    CaseLifecycle(case, user).decline(reason="Hors du champ du pôle.")
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from viewflow.fsm import State, TransitionConditionsUnmet
from viewflow.fsm.base import TransitionBoundMethod, TransitionDescriptor, TransitionMethod

from . import access
from .enums import TAKEN_OVER_STATUSES, CaseStatus, ClosureReason, EventKind, Mode
from .errors import IllegalTransition, LifecycleError, ReasonRequired, TransitionForbidden
from .models import Case, CaseEvent, User
from .referral import flatten, referral_problems

__all__ = [
    "CaseLifecycle",
    "IllegalTransition",
    "LifecycleError",
    "ReasonRequired",
    "TransitionForbidden",
    "transitions_table",
]

S = CaseStatus


class _GuardedBoundMethod(TransitionBoundMethod):
    """A transition call: permission, reason, fresh state under lock, one transaction."""

    def __call__(self, *args: Any, reason: str = "", **kwargs: Any) -> Any:
        lifecycle: CaseLifecycle = self._instance
        case = lifecycle.case
        transition = self._descriptor.get_transition(self._state.get(lifecycle))
        label = self._func.label
        if transition is None:
            raise IllegalTransition(
                f"Action « {label} » impossible : le dossier {case.reference} est au statut "
                f"« {case.get_status_display()} »."
            )
        if not transition.has_perm(lifecycle, lifecycle.user):
            raise TransitionForbidden(
                f"Vous n'avez pas le droit de faire l'action « {label} » sur ce dossier."
            )
        reason = (reason or "").strip()
        if transition.custom.get("reason_required") and not reason:
            raise ReasonRequired(f"Indiquez le motif de l'action « {label} ».")

        before = case.status
        snapshot = {f.attname: case.__dict__.get(f.attname) for f in case._meta.concrete_fields}
        snapshot["_stored_status"] = getattr(case, "_stored_status", before)
        try:
            with transaction.atomic():
                stored = Case.objects.select_for_update().values_list("status", flat=True)
                if stored.get(pk=case.pk) != before:
                    raise IllegalTransition(
                        f"Le dossier {case.reference} vient d'être modifié par quelqu'un "
                        "d'autre : rechargez la page avant de recommencer."
                    )
                try:
                    return super().__call__(*args, reason=reason, **kwargs)
                except TransitionConditionsUnmet as unmet:
                    raise IllegalTransition(
                        unmet.unmet_message or f"Action « {label} » impossible pour l'instant."
                    ) from None
        except BaseException:
            # The transaction rolled back: the object in memory goes back with it, every
            # field the transition set included.
            case.__dict__.update(snapshot)
            case.__dict__.pop("_lifecycle_wrote_status", None)
            raise


class _GuardedDescriptor(TransitionDescriptor):
    def __get__(self, instance: object, owner: type | None = None):
        if instance is None:
            return TransitionMethod(self._state, self._func, self, owner)
        return _GuardedBoundMethod(self._state, self._func, self, instance)


def _may_refer(lifecycle: CaseLifecycle, user: User) -> bool:
    return access.is_referrer(user, lifecycle.case)


def _may_act_for_pole(lifecycle: CaseLifecycle, user: User) -> bool:
    return access.may_act_for_pole(user, lifecycle.case)


def _may_refer_or_act_for_pole(lifecycle: CaseLifecycle, user: User) -> bool:
    return _may_refer(lifecycle, user) or _may_act_for_pole(lifecycle, user)


def _is_head(lifecycle: CaseLifecycle, user: User) -> bool:
    return access.is_head(user)


def _referral_complete(lifecycle: CaseLifecycle) -> State.CONDITION:
    problems = flatten(referral_problems(lifecycle.case))
    return State.CONDITION(
        not problems, "Le dossier ne peut pas être transmis : " + " ".join(problems)
    )


def _mode_is(mode: Mode):
    def condition(lifecycle: CaseLifecycle) -> State.CONDITION:
        return State.CONDITION(
            lifecycle.case.mode == mode,
            f"Cette étape ne concerne que les demandes de type « {mode.label} » ; "
            f"ce dossier est une demande de « {lifecycle.case.get_mode_display()} ».",
        )

    condition.__name__ = f"mode_is_{mode.value}"
    return condition


SAISIE_IMMOBILIERE = "saisie_immobiliere"  # the action type's code (cases.ActionType)


def _is_saisie(lifecycle: CaseLifecycle) -> State.CONDITION:
    case = lifecycle.case
    code = case.action_type.code if case.action_type_id else None
    return State.CONDITION(
        code == SAISIE_IMMOBILIERE,
        "Cette étape ne concerne que la saisie immobilière (vente amiable ou forcée du bien "
        "saisi, distribution du prix).",
    )


def _transition(
    state: State,
    source,
    target,
    *,
    label: str,
    done: str,
    permission,
    reason_required: bool = False,
    conditions=None,
):
    """Register a guarded transition on the lifecycle's state."""

    def decorator(func):
        func.label = label
        descriptor = _GuardedDescriptor(state, func)
        return state.transition(
            source=source,
            target=target,
            label=label,
            permission=permission,
            conditions=conditions,
            custom={"reason_required": reason_required, "done": done},
        )(descriptor)

    return decorator


def _is_local_saisie(lifecycle: CaseLifecycle) -> State.CONDITION:
    return State.CONDITION(
        lifecycle.case.is_alsace_moselle,
        "Cette étape ne concerne que l'exécution forcée immobilière du droit local (loi du "
        "1er juin 1924), pour un bien situé en Moselle, dans le Bas-Rhin ou le Haut-Rhin.",
    )


def _not_local_saisie(lifecycle: CaseLifecycle) -> State.CONDITION:
    return State.CONDITION(
        not lifecycle.case.is_alsace_moselle,
        "En Alsace-Moselle la saisie immobilière suit la loi du 1er juin 1924 : la requête en "
        "exécution forcée est déposée au tribunal de l'exécution, sans les audiences de la "
        "saisie du code des procédures civiles d'exécution.",
    )


REFERRER_DURING_INSTRUCTION = [S.SUBMITTED, S.RETURNED, S.UNDER_EXAMINATION]
CLOSABLE_BY_POLE = [S.OPINION_GIVEN, S.SUPPORT_IN_PROGRESS, *TAKEN_OVER_STATUSES]


class CaseLifecycle:
    status = State(CaseStatus, default=CaseStatus.DRAFT)

    def __init__(self, case: Case, user: User):
        self.case = case
        self.user = user

    @status.getter()
    def _get_status(self) -> str:
        return self.case.status

    @status.setter()
    def _set_status(self, value: str) -> None:
        self.case.__dict__["status"] = value
        self.case.__dict__["_lifecycle_wrote_status"] = True

    @status.on_success()
    def _record(self, descriptor, source: str, target: str, reason: str = "", **kwargs) -> None:
        transition = descriptor._descriptor.get_transition(source)
        self.case.save()
        self.last_event = CaseEvent.record(
            self.case,
            self.user,
            EventKind.TRANSITION,
            transition.custom["done"],
            transition=descriptor._func.__name__,
            source_status=source,
            target_status=target,
            reason=reason,
            data={k: str(v) for k, v in kwargs.items() if v not in (None, "")},
        )

    def available(self) -> list[dict]:
        """The transitions this user may fire now, for buttons on the case page."""
        result = []
        for transition in CaseLifecycle.status.get_outgoing_transitions(self.case.status):
            if transition.has_perm(self, self.user) and transition.conditions_met(self):
                result.append(
                    {
                        "name": transition.func.__name__,
                        "label": transition.label,
                        "reason_required": transition.custom.get("reason_required", False),
                        "target": transition.target,
                    }
                )
        return sorted(result, key=lambda t: t["label"])

    # The transitions. Bodies only set what the transition itself decides; the guard above
    # has already checked state, permission and reason, and _record saves and logs.
    # `submit` and `resubmit` are fired by cases.services.submit_referral only, the one
    # entry point of a submission, which announces it so that the pôle's process follows.

    @_transition(
        status,
        S.DRAFT,
        S.SUBMITTED,
        label="Transmettre au pôle",
        permission=_may_refer,
        conditions=[_referral_complete],
        done="Dossier transmis au pôle",
    )
    def submit(self, reason: str = "") -> None:
        self.case.submitted_at = self.case.submitted_at or timezone.now()

    @_transition(
        status,
        S.DRAFT,
        S.DISCARDED,
        label="Supprimer le brouillon",
        permission=_may_refer,
        done="Brouillon supprimé",
    )
    def discard(self, reason: str = "") -> None:
        pass

    @_transition(
        status,
        S.RETURNED,
        S.SUBMITTED,
        label="Retransmettre au pôle",
        permission=_may_refer,
        conditions=[_referral_complete],
        done="Dossier complété et retransmis au pôle",
    )
    def resubmit(self, reason: str = "") -> None:
        pass

    @_transition(
        status,
        S.SUBMITTED,
        S.RETURNED,
        label="Renvoyer pour complément",
        permission=_may_act_for_pole,
        reason_required=True,
        done="Dossier renvoyé à la direction pour complément",
    )
    def return_for_completion(self, reason: str = "") -> None:
        pass

    @_transition(
        status,
        S.SUBMITTED,
        S.UNDER_EXAMINATION,
        label="Déclarer recevable",
        permission=_may_act_for_pole,
        done="Dossier déclaré recevable, mis en examen",
    )
    def accept(self, reason: str = "") -> None:
        pass

    @_transition(
        status,
        [S.SUBMITTED, S.UNDER_EXAMINATION],
        S.DECLINED,
        label="Refuser la demande",
        permission=_may_act_for_pole,
        reason_required=True,
        done="Demande refusée",
    )
    def decline(self, reason: str = "") -> None:
        pass

    @_transition(
        status,
        S.UNDER_EXAMINATION,
        S.OPINION_GIVEN,
        label="Valider l'avis d'opportunité",
        permission=_is_head,
        conditions=[_mode_is(Mode.AVIS)],
        done="Avis d'opportunité validé et rendu",
    )
    def give_opinion(self, reason: str = "") -> None:
        pass

    @_transition(
        status,
        S.UNDER_EXAMINATION,
        S.SUPPORT_IN_PROGRESS,
        label="Ouvrir le soutien technique",
        permission=_may_act_for_pole,
        conditions=[_mode_is(Mode.SOUTIEN)],
        done="Soutien technique ouvert",
    )
    def start_support(self, reason: str = "") -> None:
        pass

    @_transition(
        status,
        S.UNDER_EXAMINATION,
        S.TAKEN_OVER,
        label="Prendre en charge",
        permission=_may_act_for_pole,
        conditions=[_mode_is(Mode.PRISE_EN_CHARGE)],
        done="Dossier pris en charge par le pôle",
    )
    def take_over(self, reason: str = "") -> None:
        pass

    @_transition(
        status,
        S.OPINION_GIVEN,
        S.TAKEN_OVER,
        label="Prendre en charge après l'avis",
        permission=_may_act_for_pole,
        done="Dossier pris en charge par le pôle après l'avis",
    )
    def take_over_after_opinion(self, reason: str = "") -> None:
        pass

    @_transition(
        status,
        S.TAKEN_OVER,
        S.ACTION_ENGAGED,
        label="Engager l'action",
        permission=_may_act_for_pole,
        conditions=[_not_local_saisie],
        done="Action engagée",
    )
    def engage_action(self, reason: str = "") -> None:
        pass

    @_transition(
        status,
        [S.ACTION_ENGAGED, S.UNDER_APPEAL],
        S.AWAITING_DECISION,
        label="Mettre en délibéré",
        permission=_may_act_for_pole,
        done="Affaire mise en délibéré",
    )
    def await_decision(self, reason: str = "") -> None:
        pass

    @_transition(
        status,
        S.AWAITING_DECISION,
        S.ACTION_ENGAGED,
        label="Rouvrir les débats",
        permission=_may_act_for_pole,
        reason_required=True,
        done="Débats rouverts",
    )
    def reopen_hearings(self, reason: str = "") -> None:
        pass

    @_transition(
        status,
        S.AWAITING_DECISION,
        S.DECIDED,
        label="Enregistrer la décision",
        permission=_may_act_for_pole,
        done="Décision enregistrée",
    )
    def record_decision(self, reason: str = "") -> None:
        pass

    # Issue 17: a radiation suspends the instance (CPC 381-383): the case goes back to its
    # hearings (rétablissement), not to the appeal or the execution.
    @_transition(
        status,
        S.AWAITING_DECISION,
        S.ACTION_ENGAGED,
        label="Enregistrer une radiation",
        permission=_may_act_for_pole,
        reason_required=True,
        done="Affaire radiée : l'instance est suspendue jusqu'à son rétablissement",
    )
    def suspend_instance(self, reason: str = "") -> None:
        pass

    # Issue 17: a caducité extinguishes the instance (CPC 385, 406-407): the action starts
    # again by a new starting act, or the case is closed (`close` from TAKEN_OVER).
    @_transition(
        status,
        S.AWAITING_DECISION,
        S.TAKEN_OVER,
        label="Enregistrer une caducité",
        permission=_may_act_for_pole,
        reason_required=True,
        done="Instance éteinte (caducité) : nouvel acte introductif ou clôture du dossier",
    )
    def lapse_instance(self, reason: str = "") -> None:
        pass

    @_transition(
        status,
        S.DECIDED,
        S.UNDER_APPEAL,
        label="Enregistrer un appel",
        permission=_may_act_for_pole,
        reason_required=True,
        done="Appel enregistré",
    )
    def appeal(self, reason: str = "") -> None:
        pass

    @_transition(
        status,
        S.DECIDED,
        S.EXECUTION,
        label="Passer à l'exécution",
        permission=_may_act_for_pole,
        done="Exécution de la décision engagée",
    )
    def start_execution(self, reason: str = "") -> None:
        pass

    @_transition(
        status,
        CLOSABLE_BY_POLE,
        S.CLOSED,
        label="Clore le dossier",
        permission=_may_act_for_pole,
        reason_required=True,
        done="Dossier clos",
    )
    def close(self, reason: str = "", closure_reason: str = "") -> None:
        if closure_reason not in ClosureReason.values:
            raise IllegalTransition("Choisissez le motif de clôture dans la liste.")
        self.case.closure_reason = closure_reason

    @_transition(
        status,
        S.OPINION_GIVEN,
        S.CLOSED,
        label="Clore après l'avis",
        permission=_may_refer,
        done="Dossier clos après l'avis, sans demande de prise en charge",
    )
    def close_after_opinion(self, reason: str = "") -> None:
        self.case.closure_reason = ClosureReason.OPINION_GIVEN

    @_transition(
        status,
        S.SUPPORT_IN_PROGRESS,
        S.CLOSED,
        label="Clore le soutien technique",
        permission=_may_refer_or_act_for_pole,
        reason_required=True,
        done="Soutien technique clos",
    )
    def end_support(self, reason: str = "") -> None:
        self.case.closure_reason = ClosureReason.SUPPORT_COMPLETED

    @_transition(
        status,
        REFERRER_DURING_INSTRUCTION,
        S.CLOSED,
        label="Retirer la demande",
        permission=_may_refer,
        reason_required=True,
        done="Demande retirée par la direction",
    )
    def withdraw(self, reason: str = "") -> None:
        self.case.closure_reason = ClosureReason.WITHDRAWN

    # --- Saisie immobilière: after the orientation judgment (CPCE R.322-15 s.) ---------

    @_transition(
        status,
        S.DECIDED,
        S.AMICABLE_SALE,
        label="Suivre la vente amiable",
        permission=_may_act_for_pole,
        conditions=[_is_saisie],
        done="Vente amiable autorisée : suivi jusqu'à l'audience de rappel",
    )
    def authorise_amicable_sale(self, reason: str = "") -> None:
        pass

    @_transition(
        status,
        [S.DECIDED, S.AMICABLE_SALE],
        S.FORCED_SALE,
        label="Conduire la vente forcée",
        permission=_may_act_for_pole,
        conditions=[_is_saisie],
        done="Vente forcée ordonnée : préparation de l'audience d'adjudication",
    )
    def order_forced_sale(self, reason: str = "") -> None:
        pass

    @_transition(
        status,
        S.DECIDED,
        S.ACTION_ENGAGED,
        label="Suspendre la saisie",
        permission=_may_act_for_pole,
        reason_required=True,
        conditions=[_is_saisie],
        done="Saisie suspendue : reprise à une nouvelle audience",
    )
    def suspend_saisie(self, reason: str = "") -> None:
        pass

    @_transition(
        status,
        [S.FORCED_SALE, S.AMICABLE_SALE, S.LOCAL_ORDERED],
        S.PRICE_DISTRIBUTION,
        label="Distribuer le prix",
        permission=_may_act_for_pole,
        conditions=[_is_saisie],
        done="Prix de vente consigné : distribution du prix",
    )
    def distribute_price(self, reason: str = "") -> None:
        pass

    # --- Saisie immobilière in Alsace-Moselle: the local law (loi du 1er juin 1924) -----

    @_transition(
        status,
        S.TAKEN_OVER,
        S.LOCAL_REQUESTED,
        label="Déposer la requête en exécution forcée",
        permission=_may_act_for_pole,
        conditions=[_is_local_saisie],
        done="Requête en exécution forcée immobilière déposée au tribunal de l'exécution",
    )
    def request_local_enforcement(self, reason: str = "") -> None:
        pass

    @_transition(
        status,
        S.LOCAL_REQUESTED,
        S.LOCAL_ORDERED,
        label="Enregistrer l'ordonnance d'exécution forcée",
        permission=_may_act_for_pole,
        conditions=[_is_local_saisie],
        done="Exécution forcée ordonnée : inscription au livre foncier, adjudication par le "
        "notaire commis",
    )
    def order_local_enforcement(self, reason: str = "") -> None:
        pass

    @_transition(
        status,
        S.LOCAL_REQUESTED,
        S.TAKEN_OVER,
        label="Enregistrer le rejet de la requête",
        permission=_may_act_for_pole,
        reason_required=True,
        conditions=[_is_local_saisie],
        done="Requête en exécution forcée rejetée : nouvelle requête ou clôture du dossier",
    )
    def reject_local_request(self, reason: str = "") -> None:
        pass


def transitions_table() -> dict[str, list]:
    """name -> list of Transition, for tests and documentation."""
    return {
        method.slug: list(transitions)
        for method, transitions in CaseLifecycle.status.get_transitions().items()
    }
