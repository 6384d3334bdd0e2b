"""Collective proceedings of a debtor (C. com. livre VI), as the pôle records them.

- `competent_court`: where the assignation to open them goes, by the debtor's form and
  activity (pure);
- `proceedings_of(case)`: the proceedings recorded for the case's debtor, on any of its
  cases (same SIREN, or same name and birth date);
- the operations (each validates, saves, writes its history entries, in one transaction;
  no permission check, no status change: the workflow does both, and the deadlines the
  BODACC publication and the declaration start or meet are `deadlines.services`'):
  `record_opening` (which stops the debtor's other pending actions, L.622-21),
  `record_publication`, `record_closing`, `record_subrogation`, `record_declaration`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from . import debtors, decisions, history
from .enums import (
    OPENING_OUTCOMES,
    TAKEN_OVER_STATUSES,
    ClosingCause,
    CollectiveKind,
    DebtorActivity,
    DecisionOutcome,
    EventKind,
    TargetKind,
)
from .formatting import de_name, short_date
from .models import (
    Case,
    CaseEvent,
    ClaimDeclaration,
    CollectiveProceeding,
    Decision,
    StoppedAction,
    User,
)
from .validators import fold_name

COLLECTIVE_ACTION = "procedure_collective"  # the ActionType code of the assignation

# --- The court ------------------------------------------------------------------------

# The tribunaux des activités économiques, from 1 January 2025 for four years (loi
# n° 2023-1059 du 20 novembre 2023, art. 26; arrêté du 5 juillet 2024, art. 2): the
# tribunal de commerce of these seats, for the ressort of the tribunal judiciaire named
# (Avignon: those of Avignon and Carpentras).
TAE_START = datetime.date(2025, 1, 1)
TAE_END = datetime.date(2028, 12, 31)
TAE_SEATS: dict[str, tuple[str, ...]] = {
    "Auxerre": ("Auxerre",),
    "Avignon": ("Avignon", "Carpentras"),
    "Le Havre": ("Le Havre",),
    "Le Mans": ("Le Mans",),
    "Limoges": ("Limoges",),
    "Lyon": ("Lyon",),
    "Marseille": ("Marseille",),
    "Nancy": ("Nancy",),
    "Nanterre": ("Nanterre",),
    "Paris": ("Paris",),
    "Saint-Brieuc": ("Saint-Brieuc",),
    "Versailles": ("Versailles",),
}
TRADERS = frozenset({DebtorActivity.COMMERCIAL, DebtorActivity.ARTISAN})
# Bas-Rhin, Haut-Rhin and Moselle have no tribunal de commerce: the commercial chamber of
# the tribunal judiciaire sits instead (C. com. L.731-1). Their tribunaux judiciaires:
ALSACE_MOSELLE_TJ = frozenset(
    {"strasbourg", "saverne", "colmar", "mulhouse", "metz", "thionville", "sarreguemines"}
)


@dataclass(frozen=True)
class Court:
    kind: str  # "tae", "tc" or "tj"
    name: str  # "Tribunal de commerce de Laon"
    basis: str


def _of(seat: str) -> str:
    """« de Laon », « d'Auxerre », « du Havre »."""
    if seat.startswith("Le "):
        return f"du {seat[3:]}"
    if seat.startswith("Les "):
        return f"des {seat[4:]}"
    return de_name(seat)


def tae_seat(tj_seat: str) -> str | None:
    """The seat of the tribunal des activités économiques whose ressort includes that of
    the tribunal judiciaire of `tj_seat`, or None."""
    key = fold_name(tj_seat)
    for seat, ressorts in TAE_SEATS.items():
        if key in {fold_name(r) for r in ressorts}:
            return seat
    return None


def competent_court(activity: str, tj_seat: str, on: datetime.date) -> Court:
    """The court of a collective proceeding of a debtor of `activity` whose seat lies in
    the ressort of the tribunal judiciaire of `tj_seat`, for an assignation on `on`.

    C. com. L.621-2: the tribunal de commerce for a trader or an artisan, the tribunal
    judiciaire otherwise (civil companies, liberal professions, farmers). Loi n° 2023-1059
    art. 26: from 1 January 2025 the tribunal des activités économiques, where one sits,
    for every debtor but the regulated legal professions (C. com. L.722-6-1 al. 2)."""
    if activity not in DebtorActivity.values:
        raise ValidationError({"debtor_activity": "Choisissez la forme et l'activité du débiteur."})
    seat = (tj_seat or "").strip()
    if not seat:
        raise ValidationError(
            {"court_seat": "Indiquez le tribunal judiciaire du siège du débiteur."}
        )
    tae = tae_seat(seat)
    if tae and TAE_START <= on <= TAE_END and activity != DebtorActivity.LEGAL_PROFESSION:
        return Court(
            "tae",
            f"Tribunal des activités économiques {_of(tae)}",
            "Loi n° 2023-1059 du 20 novembre 2023, art. 26 ; arrêté du 5 juillet 2024",
        )
    if activity in TRADERS and fold_name(seat) in ALSACE_MOSELLE_TJ:
        return Court(
            "tj",
            f"Chambre commerciale du tribunal judiciaire {_of(seat)}",
            "C. com. art. L.621-2 et L.731-1 (Bas-Rhin, Haut-Rhin, Moselle)",
        )
    if activity in TRADERS:
        return Court("tc", f"Tribunal de commerce {_of(seat)}", "C. com. art. L.621-2")
    return Court("tj", f"Tribunal judiciaire {_of(seat)}", "C. com. art. L.621-2")


COURT_WORDS = {
    "tae": "tribunal des activités économiques",
    "tc": "tribunal de commerce",
    "tj": "tribunal judiciaire",
}


def check_court(typed: str, expected: Court) -> None:
    """Refuse a court of the wrong kind for the debtor (the seat is the jurist's)."""
    if fold_name(COURT_WORDS[expected.kind]) not in fold_name(typed):
        raise ValidationError(
            {
                "court": f"Pour ce débiteur, l'assignation va au {COURT_WORDS[expected.kind]} "
                f"({expected.basis}) : {expected.name}."
            }
        )


# --- The debtor's proceedings ----------------------------------------------------------


def same_debtor(case: Case) -> Q | None:
    """The cases of the same debtor (cases/debtors.py): those of its entity, which a draft
    joins once sent (its own row until then, found by the same identity)."""
    if case.debtor.identity_key:
        return Q(debtor_id=case.debtor_id)
    key = debtors.key_of(case.debtor)
    return Q(debtor__identity_key=key) if key else None


def debtor_cases(case: Case) -> QuerySet[Case]:
    same = same_debtor(case)
    if same is None:
        return Case.objects.filter(pk=case.pk)
    return Case.objects.filter(same | Q(pk=case.pk))


def proceedings_of(case: Case) -> QuerySet[CollectiveProceeding]:
    """The collective proceedings recorded for the case's debtor, on any of its cases."""
    return CollectiveProceeding.objects.filter(case__in=debtor_cases(case)).order_by(
        "-opened_on", "-pk"
    )


def open_proceeding(case: Case) -> CollectiveProceeding | None:
    return proceedings_of(case).filter(closed_on__isnull=True).first()


def case_proceeding(case: Case) -> CollectiveProceeding | None:
    """The proceeding recorded on this case (the last one)."""
    return case.collective_proceedings.order_by("-opened_on", "-pk").first()


def opening_decision(case: Case) -> Decision | None:
    """The case's decision in force (`cases.decisions.in_force`: the last one, or the one
    a confirmation or an abandoned recourse left in force) when it opens a collective
    proceeding."""
    decision = decisions.in_force(case.decisions.order_by("-decided_on", "-pk"))
    return decision if decision and decision.outcome in OPENING_OUTCOMES else None


def awaits_declaration(case: Case) -> bool:
    """A `procedure_collective` case whose decision opened the proceeding: once no appeal
    is lodged, its claim is declared (C. com. L.622-24)."""
    code = case.action_type.code if case.action_type_id else None
    return code == COLLECTIVE_ACTION and opening_decision(case) is not None


def _record(case: Case, user: User | None, summary: str, what: str, **data) -> CaseEvent:
    return CaseEvent.record(
        case, user, EventKind.PROCEDURE_ACT, summary, data={"collective": what, **data}
    )


def _not_future(day: datetime.date | None, field: str) -> None:
    if day and day > timezone.localdate():
        raise ValidationError({field: "Cette date ne peut pas être dans le futur."})


# --- The operations -----------------------------------------------------------------------


@transaction.atomic
def record_opening(
    case: Case,
    user: User,
    *,
    kind: str,
    opened_on: datetime.date,
    court: str,
    bodacc_on: datetime.date | None = None,
    mandataire: str = "",
    decision: Decision | None = None,
) -> CollectiveProceeding:
    """Record the opening of a collective proceeding of the case's debtor, and stop every
    other pending action of the pôle against that debtor (C. com. L.622-21: the opening
    judgment stops every individual action for a claim born before it, and every
    procedure of execution; L.631-14 and L.641-3 for the redressement and the
    liquidation)."""
    if kind not in CollectiveKind.values:
        raise ValidationError({"kind": "Choisissez la procédure ouverte."})
    if open_proceeding(case) is not None and decision is None:
        raise ValidationError(
            {
                "kind": "Une procédure collective de ce débiteur est déjà en cours : "
                "enregistrez sa clôture avant d'en ouvrir une autre."
            }
        )
    _not_future(opened_on, "opened_on")
    _not_future(bodacc_on, "bodacc_on")
    proceeding = CollectiveProceeding(
        case=case,
        decision=decision,
        kind=kind,
        opened_on=opened_on,
        bodacc_on=bodacc_on,
        court=(court or "").strip(),
        mandataire=(mandataire or "").strip(),
        created_by=user,
    )
    proceeding.full_clean()
    proceeding.save()
    _record(case, user, history.collective_opened(proceeding), "opened", proceeding=proceeding.pk)
    stop_individual_actions(proceeding, user)
    return proceeding


# The actions aimed at someone else than the debtor, which L.622-21 does not stop: the
# manager's own liability (LPF L.267: an action against the manager personally, open
# during and after the proceeding) and the holder's own debt (LPF L.262, CPCE L.211-2:
# the SATD notified before the opening keeps its effect attributif).
NOT_AGAINST_THE_DEBTOR = (TargetKind.MANAGER, TargetKind.THIRD_PARTY)


def stop_individual_actions(proceeding: CollectiveProceeding, user: User | None) -> list[Case]:
    """Flag stopped every pending taken-over case of the debtor but the proceeding's own,
    the other assignations to open one and the actions against a manager or a holder
    (`NOT_AGAINST_THE_DEBTOR`): a history entry on each, which tells its jurist and its
    referring side (notifications.rules: PROCEDURE_ACT)."""
    stopped = []
    pending = (
        debtor_cases(proceeding.case)
        .filter(status__in=TAKEN_OVER_STATUSES)
        .exclude(pk=proceeding.case_id)
        .exclude(action_type__code=COLLECTIVE_ACTION)
        .exclude(action_type__target_kind__in=NOT_AGAINST_THE_DEBTOR)
        .exclude(stopped_actions__proceeding=proceeding)
        .order_by("pk")
    )
    for other in pending:
        StoppedAction.objects.create(case=other, proceeding=proceeding)
        _record(
            other, user, history.action_stopped(proceeding), "stopped", proceeding=proceeding.pk
        )
        stopped.append(other)
    return stopped


def pending_stop(case: Case) -> StoppedAction | None:
    """The stop of L.622-21 the case is under (not lifted by a reversal of the opening)."""
    return (
        case.stopped_actions.filter(resumed_on__isnull=True)
        .select_related("proceeding")
        .order_by("-stopped_at", "-pk")
        .first()
    )


def check_not_stopped(case: Case, what: str) -> None:
    """Refuse a new act of procedure or of execution (`what`: « l'acte introductif »…) on a
    case the debtor's collective proceeding stopped: the opening judgment interrupts or
    forbids every action and procedure of execution of the creditors for a claim born
    before it (C. com. L.622-21); the liquidateur subrogated pursues the saisie himself
    (L.642-18)."""
    stopped = pending_stop(case)
    if stopped is None:
        return
    proceeding = stopped.proceeding
    who = (
        f" Le liquidateur, subrogé le {short_date(stopped.subrogated_on)}, poursuit la saisie "
        "(C. com. L.642-18)."
        if stopped.subrogated_on
        else " Déclarez la créance au passif."
    )
    raise ValidationError(
        f"Impossible d'enregistrer {what} : le jugement d'ouverture "
        f"({proceeding.get_kind_display().lower()} "
        f"du {short_date(proceeding.opened_on)}) arrête les poursuites individuelles contre le "
        f"débiteur (C. com. L.622-21).{who}"
    )


def _locked(proceeding: CollectiveProceeding) -> CollectiveProceeding:
    return (
        CollectiveProceeding.objects.select_for_update()
        .select_related("case")
        .get(pk=proceeding.pk)
    )


@transaction.atomic
def record_publication(
    proceeding: CollectiveProceeding,
    user: User,
    *,
    bodacc_on: datetime.date | None = None,
    mandataire: str = "",
    on_case: Case | None = None,
) -> CollectiveProceeding:
    """The BODACC publication of the opening judgment (and the mandataire judiciaire or
    liquidateur named in it): recorded once. The declaration's deadline runs from it
    (deadlines.services.on_collective_publication)."""
    proceeding = _locked(proceeding)
    case = on_case or proceeding.case
    mandataire = (mandataire or "").strip()
    if bodacc_on is not None and proceeding.bodacc_on is None:
        _not_future(bodacc_on, "bodacc_on")
        proceeding.bodacc_on = bodacc_on
        proceeding.full_clean()
        proceeding.save(update_fields=["bodacc_on"])
        _record(
            case,
            user,
            history.collective_published(proceeding),
            "published",
            proceeding=proceeding.pk,
            date=bodacc_on.isoformat(),
        )
    elif bodacc_on is not None and bodacc_on != proceeding.bodacc_on:
        raise ValidationError(
            {
                "bodacc_on": "La publication au BODACC est déjà enregistrée au "
                f"{short_date(proceeding.bodacc_on)}."
            }
        )
    if mandataire and mandataire != proceeding.mandataire:
        proceeding.mandataire = mandataire
        proceeding.full_clean()
        proceeding.save(update_fields=["mandataire"])
        _record(
            case,
            user,
            history.collective_mandataire(proceeding),
            "mandataire",
            proceeding=proceeding.pk,
        )
    return proceeding


@transaction.atomic
def record_closing(
    proceeding: CollectiveProceeding,
    user: User,
    *,
    closed_on: datetime.date,
    cause: str,
    on_case: Case | None = None,
) -> CollectiveProceeding:
    """The closing judgment. Closed for insuffisance d'actif (L.643-9), the way to an
    action against the manager (LPF L.267) is open: the case page says so."""
    proceeding = _locked(proceeding)
    if proceeding.closed_on is not None:
        raise ValidationError(
            {
                "closed_on": f"Cette procédure est déjà close depuis le "
                f"{short_date(proceeding.closed_on)}."
            }
        )
    if cause not in ClosingCause.values:
        raise ValidationError({"cause": "Choisissez la cause de la clôture."})
    _not_future(closed_on, "closed_on")
    proceeding.closed_on, proceeding.closing_cause = closed_on, cause
    proceeding.full_clean()
    proceeding.save(update_fields=["closed_on", "closing_cause"])
    _record(
        on_case or proceeding.case,
        user,
        history.collective_closed(proceeding),
        "closed",
        proceeding=proceeding.pk,
    )
    return proceeding


@transaction.atomic
def record_subrogation(
    stopped: StoppedAction, user: User, *, on: datetime.date, note: str = ""
) -> StoppedAction:
    """The liquidateur is subrogated in the rights of the creditor who engaged a saisie
    immobilière before the opening and whom the opening stopped (C. com. L.642-18 al. 3):
    the saisie goes on, by him."""
    stopped = (
        StoppedAction.objects.select_for_update().select_related("proceeding").get(pk=stopped.pk)
    )
    if stopped.proceeding.kind != CollectiveKind.LIQUIDATION:
        raise ValidationError(
            {
                "on": "Seul le liquidateur d'une liquidation judiciaire est subrogé dans la "
                "saisie (C. com. L.642-18)."
            }
        )
    if stopped.subrogated_on is not None:
        raise ValidationError(
            {"on": f"La subrogation est déjà enregistrée au {short_date(stopped.subrogated_on)}."}
        )
    _not_future(on, "on")
    if on < stopped.proceeding.opened_on:
        raise ValidationError(
            {
                "on": "La subrogation ne peut précéder le jugement d'ouverture "
                f"({short_date(stopped.proceeding.opened_on)})."
            }
        )
    stopped.subrogated_on, stopped.subrogated_by = on, user
    stopped.subrogation_note = (note or "").strip()
    stopped.full_clean()
    stopped.save(update_fields=["subrogated_on", "subrogated_by", "subrogation_note"])
    _record(
        stopped.case,
        user,
        history.subrogation(on, stopped.proceeding.mandataire),
        "subrogation",
        proceeding=stopped.proceeding_id,
    )
    return stopped


@transaction.atomic
def record_declaration(
    case: Case,
    user: User,
    proceeding: CollectiveProceeding,
    *,
    declared_on: datetime.date,
    amount: Decimal,
) -> ClaimDeclaration:
    """The declaration of the Trésor's claims (C. com. L.622-24). The deadline it meets
    and, late, the relevé de forclusion it needs are deadlines.services'."""
    if amount is None or amount <= 0:
        raise ValidationError({"amount": "Le montant déclaré doit être positif."})
    _not_future(declared_on, "declared_on")
    if declared_on < proceeding.opened_on:
        raise ValidationError(
            {
                "declared_on": "La déclaration ne peut précéder le jugement d'ouverture "
                f"({short_date(proceeding.opened_on)})."
            }
        )
    declaration = ClaimDeclaration(
        case=case,
        proceeding=proceeding,
        declared_on=declared_on,
        amount=amount,
        created_by=user,
    )
    declaration.full_clean()
    declaration.save()
    _record(case, user, history.claim_declared(declaration), "declared", declaration=declaration.pk)
    return declaration


@transaction.atomic
def record_reversal(case: Case, user: User, decision: Decision) -> CollectiveProceeding | None:
    """A decision on a recourse that reverses the judgment attacked (infirmé on appeal,
    retracted on opposition): when that judgment opened the debtor's proceeding, the
    proceeding ends on the day of the reversal (closing cause « Jugement d'ouverture
    infirmé sur recours ») and the individual actions its opening stopped (L.622-21) go
    on: each records when, and its jurist is told (a history entry). The proceeding ended,
    or None when the decision reverses no opening."""
    if decision.outcome != DecisionOutcome.REVERSED or decision.instance not in (
        decisions.RECOURSE_INSTANCES
    ):
        return None
    appeal = case.appeals.filter(instance=decision.instance).order_by("-lodged_on", "-pk").first()
    if appeal is None:
        return None
    found = CollectiveProceeding.objects.filter(decision_id=appeal.decision_id).first()
    if found is None:
        return None
    proceeding = _locked(found)
    if proceeding.closed_on is not None:
        return None
    proceeding.closed_on, proceeding.closing_cause = decision.decided_on, ClosingCause.REVERSED
    proceeding.full_clean()
    proceeding.save(update_fields=["closed_on", "closing_cause"])
    _record(case, user, history.collective_closed(proceeding), "reversed", proceeding=proceeding.pk)
    stopped = (
        StoppedAction.objects.select_for_update()
        .filter(proceeding=proceeding, resumed_on__isnull=True)
        .select_related("case")
        .order_by("pk")
    )
    for action in stopped:
        action.resumed_on = proceeding.closed_on
        action.full_clean()
        action.save(update_fields=["resumed_on"])
        _record(
            action.case,
            user,
            history.action_resumed(proceeding),
            "resumed",
            proceeding=proceeding.pk,
        )
    return proceeding


def no_appeal_of_opening(case: Case, user: User) -> CaseEvent:
    """The opening judgment is not appealed: the claim is to be declared."""
    return _record(case, user, history.opening_not_appealed(), "not_appealed")
