"""Walking a case through its lifecycle with the `users` fixture's people, and naming who
was notified."""

from cases import services
from cases.enums import ClosureReason, Mode
from cases.lifecycle import CaseLifecycle
from notifications.models import Notification

REFERRER_TRANSITIONS = ("submit", "resubmit", "withdraw", "close_after_opinion")
REASONS = {
    "return_for_completion": "Il manque l'état hypothécaire à jour.",
    "decline": "Enjeu trop faible au regard du coût de la procédure.",
    "reopen_hearings": "Le juge demande une pièce complémentaire.",
    "suspend_instance": "Radiation (TJ de Laon, le 1er mars 2026).",
    "lapse_instance": "Caducité (TJ de Laon, le 1er mars 2026).",
    "appeal": "Appel interjeté par le redevable.",
    "close": "Créance soldée.",
    "withdraw": "Le redevable a payé.",
    "end_support": "Modèle d'assignation fourni ; la direction poursuit seule.",
    "suspend_saisie": "Délais de grâce de douze mois accordés au débiteur.",
    "reject_local_request": "Copie du livre foncier trop ancienne.",
}

TAKEN_OVER = ["submit", "accept", "take_over"]
DECIDED = [*TAKEN_OVER, "engage_action", "await_decision", "record_decision"]

# transition -> (the transitions before it, the mode the case needs)
SCENARIOS = {
    "submit": ([], Mode.PRISE_EN_CHARGE),
    "resubmit": (["submit", "return_for_completion"], Mode.PRISE_EN_CHARGE),
    "return_for_completion": (["submit"], Mode.PRISE_EN_CHARGE),
    "accept": (["submit"], Mode.PRISE_EN_CHARGE),
    "decline": (["submit"], Mode.PRISE_EN_CHARGE),
    "give_opinion": (["submit", "accept"], Mode.AVIS),
    "start_support": (["submit", "accept"], Mode.SOUTIEN),
    "take_over": (["submit", "accept"], Mode.PRISE_EN_CHARGE),
    "take_over_after_opinion": (["submit", "accept", "give_opinion"], Mode.AVIS),
    "engage_action": (TAKEN_OVER, Mode.PRISE_EN_CHARGE),
    "await_decision": ([*TAKEN_OVER, "engage_action"], Mode.PRISE_EN_CHARGE),
    "reopen_hearings": ([*TAKEN_OVER, "engage_action", "await_decision"], Mode.PRISE_EN_CHARGE),
    "record_decision": ([*TAKEN_OVER, "engage_action", "await_decision"], Mode.PRISE_EN_CHARGE),
    "suspend_instance": ([*TAKEN_OVER, "engage_action", "await_decision"], Mode.PRISE_EN_CHARGE),
    "lapse_instance": ([*TAKEN_OVER, "engage_action", "await_decision"], Mode.PRISE_EN_CHARGE),
    "appeal": (DECIDED, Mode.PRISE_EN_CHARGE),
    "start_execution": (DECIDED, Mode.PRISE_EN_CHARGE),
    "close": ([*DECIDED, "start_execution"], Mode.PRISE_EN_CHARGE),
    "withdraw": (["submit"], Mode.PRISE_EN_CHARGE),
    "close_after_opinion": (["submit", "accept", "give_opinion"], Mode.AVIS),
    "end_support": (["submit", "accept", "start_support"], Mode.SOUTIEN),
    # Saisie immobilière (the default case's action), after the orientation judgment
    "authorise_amicable_sale": (DECIDED, Mode.PRISE_EN_CHARGE),
    "order_forced_sale": (DECIDED, Mode.PRISE_EN_CHARGE),
    "suspend_saisie": (DECIDED, Mode.PRISE_EN_CHARGE),
    "distribute_price": ([*DECIDED, "order_forced_sale"], Mode.PRISE_EN_CHARGE),
    # Alsace-Moselle (a property in Strasbourg: LOCAL_LAW below)
    "request_local_enforcement": (TAKEN_OVER, Mode.PRISE_EN_CHARGE),
    "order_local_enforcement": ([*TAKEN_OVER, "request_local_enforcement"], Mode.PRISE_EN_CHARGE),
    "reject_local_request": ([*TAKEN_OVER, "request_local_enforcement"], Mode.PRISE_EN_CHARGE),
}
# The transitions of the local law's exécution forcée: a saisie of a property in Alsace-Moselle.
LOCAL_LAW = frozenset(
    {"request_local_enforcement", "order_local_enforcement", "reject_local_request"}
)


def fire(case, users, name: str, actor=None):
    """Fire a transition: the referrer's by the SIE de Laon's agent, the pôle's by the
    head of the pôle (unless `actor` is given). Returns the history entry."""
    if actor is None:
        actor = users["poste_agent"] if name in REFERRER_TRANSITIONS else users["head"]
    kwargs = {"reason": REASONS.get(name, "")}
    if name == "close":
        kwargs["closure_reason"] = ClosureReason.RECOVERED_FULL
    getattr(CaseLifecycle(case, actor), name)(**kwargs)
    return case.events.order_by("-pk").first()


def walk(case, users, names, *, assign: bool = True):
    """Fire `names` in order; once submitted, the head gives the case to the jurist and
    the expert (if `assign`)."""
    for name in names:
        fire(case, users, name)
        if name == "submit" and assign:
            services.assign_case(
                users["head"], case, jurist=users["jurist"], expert=users["expert"]
            )
    return case


def names_of(notifications, users) -> set[str]:
    """Who got these notifications: keys of the `users` fixture, or "mailbox"."""
    by_pk = {user.pk: key for key, user in users.items()}
    return {
        by_pk.get(n.user_id, f"user:{n.user_id}") if n.user_id else "mailbox" for n in notifications
    }


def notified(event, users) -> set[str]:
    return names_of(Notification.objects.filter(event=event), users)


def channels(event, users) -> dict[str, str]:
    by_pk = {user.pk: key for key, user in users.items()}
    return {
        (by_pk[n.user_id] if n.user_id else "mailbox"): n.channel
        for n in Notification.objects.filter(event=event)
    }
