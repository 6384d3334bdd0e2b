"""Whose calendar a deadline of a case counts with, and the due dates it gives.

Every date the application computes for a case goes through `calendar_departement`: the
deadlines the acts start (`compute_due`, for `deadlines.services`), the appeal period of a
decision (`appeal_deadline`, which the workflow's appeal step checks the pôle's own appeal
against and the decision report prints). One case, one answer to "whose public holidays
count" (CPC art. 642 extends a deadline that would end on one of them). Manual deadlines are
entered with their date and the reminders count calendar days, so neither asks.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from cases import decisions
from cases.enums import AppealParty, Instance, PartyRole, TargetKind
from cases.formatting import long_date, short_date
from cases.models import Appeal, Case, Decision
from cases.validators import add_months

from . import rules
from .distance import DistanceDeadline, PeriodKind, deadline_with_distance, residence_of
from .engine import (
    compute_deadline,
    compute_deadline_before,
    compute_deadline_details,
    is_working_day,
    non_statutory_days,
)

ONE_DAY = datetime.timedelta(days=1)


def calendar_departement(case: Case) -> str | None:
    """The département whose public holidays count for every deadline of `case`.

    A deadline is met where its act is done: at the court, whose registry receives the
    appeal, the cahier des conditions de vente or the surenchère. In this order:

    1. the competent court's département, recorded on the case by the pôle
       (`Case.court_departement`): one court per case, the one that hears it at first
       instance, whose registry receives its acts (an appeal's own court is named in free
       text and its deadlines run from the decision, before that court is known);
    2. failing it, the seized property's (the first one recorded): a saisie immobilière
       goes before the juge de l'exécution of the place where the property lies. Of the
       targets only a property has a département;
    3. failing it, the referring direction's: the other actions go before the court of the
       debtor's domicile, as a rule in the direction's département.

    None (the national calendar) only for a direction without a département.
    """
    if case.court_departement:
        return case.court_departement
    return default_court_departement(case)


def default_court_departement(case: Case) -> str | None:
    """The court's département when the pôle has recorded none (steps 2 and 3 of
    `calendar_departement`): what the page proposes."""
    # .all() rather than a new query, so that a prefetched case costs nothing.
    properties = sorted(case.properties.all(), key=lambda prop: prop.pk)
    return departement_for([prop.departement for prop in properties], case.direction.departement)


def departement_for(
    property_departements: list[str], direction_departement: str, court_departement: str = ""
) -> str | None:
    """`calendar_departement`'s rule on plain values (the court's département if recorded,
    the properties' départements in the order they were recorded, the direction's): for
    callers that hold no saved case, such as the demo generator."""
    if court_departement:
        return court_departement
    for departement in property_departements:
        if departement:
            return departement
    return direction_departement or None


def compute_due(template: rules.Template, case: Case, start: datetime.date) -> datetime.date:
    """The last day of the deadline `template` opens on `case` for an act dated `start`."""
    if template.length == rules.APPEAL:
        return appeal_due(case, start)
    return template_due(template, calendar_departement(case), start)


def template_due(
    template: rules.Template, departement: str | None, start: datetime.date
) -> datetime.date:
    """`compute_due` on plain values (the calendar's département), for the demo generator;
    not for the appeal templates (`appeal_due_in`)."""
    if template.before:
        return compute_deadline_before(start, **template.length, departement=departement)
    if template.plain:
        ((unit, length),) = template.length.items()
        return add_months(start, length) if unit == "months" else start + ONE_DAY * length
    return compute_deadline(start, **template.length, departement=departement)


def appeal_due(case: Case, notified_on: datetime.date) -> datetime.date:
    """Last day to appeal a decision of `case` notified on `notified_on` (the action
    type's period, `rules.appeal_period`), extended to the next working day of the case's
    calendar (CPC art. 640-642)."""
    days = case.action_type.appeal_days if case.action_type_id else None
    return appeal_due_in(calendar_departement(case), days, notified_on)


def appeal_due_in(
    departement: str | None, appeal_days: int | None, notified_on: datetime.date
) -> datetime.date:
    """`appeal_due` on plain values: the calendar's département, the action type's period
    in days (None: one month)."""
    return compute_deadline(
        notified_on, **rules.appeal_period(appeal_days), departement=departement
    )


def appeal_deadline(decision: Decision, recourse: str | None = None) -> datetime.date | None:
    """Last day of the recourse against `decision` from its notification, on the case's
    calendar (CPC 640-642); None while the notification date is unknown.

    `recourse` (an Instance value): an appeal by default, the action type's period
    (`appeal_due`: what the stored « appel » deadline counts); a pourvoi en cassation, two
    months (CPC 612); an opposition to a judgment given by default, one month (CPC 538,
    571-572); the saisine of the juridiction de renvoi after a cassation, two months (CPC
    1034). The recourse a decision opens: `decision_recourse`."""
    if decision.notified_on is None:
        return None
    recourse = recourse or Instance.APPEAL
    months = decisions.RECOURSE_MONTHS.get(recourse)
    if months is None:
        return appeal_due(decision.case, decision.notified_on)
    return compute_deadline(
        decision.notified_on, months=months, departement=calendar_departement(decision.case)
    )


def decision_recourse(decision: Decision) -> str:
    """The recourse a decision's deadline is counted for: a pourvoi after an appeal's
    decision, an opposition after a default judgment not appealable, an appeal otherwise."""
    found = decisions.recourses(decision.instance, decision.outcome, by_default=decision.by_default)
    return found[0] if found else Instance.APPEAL


def recourse_basis(decision: Decision, recourse: str | None = None) -> str:
    """The article of the recourse period (for a page or a report)."""
    recourse = recourse or decision_recourse(decision)
    if recourse == Instance.APPEAL:
        case = decision.case
        return rules.appeal_basis(case.action_type.appeal_days if case.action_type_id else None)
    return decisions.RECOURSE_BASIS[recourse]


# --- Délais de distance (CPC 643-645) and the opponent's appeal ----------------------

# A court whose département is unknown sits in metropolitan France: its extensions are
# those of art. 643 and its holidays the national calendar (Paris has no local ones).
METROPOLITAN_SEAT = "75"


def opponents(case: Case) -> list:
    """The parties the pôle faces, whose residence extends their periods: the manager(s)
    in an L.267 action, the third-party holder(s) in an action against them, the debtor
    otherwise (and when the targets are not recorded); and every party the pôle recorded
    on the case (`cases.models.Party`: an acquirer, a third-party debtor, a co-owner…)
    but a co-plaintiff, who stands with the administration."""
    kind = case.action_type.target_kind if case.action_type_id else None
    if kind == TargetKind.MANAGER:
        found = list(case.managers.all())
    elif kind == TargetKind.THIRD_PARTY:
        found = list(case.holders.all())
    else:
        found = []
    # .all() rather than a new query, so that a prefetched case costs nothing.
    parties = sorted(case.parties.all(), key=lambda party: party.pk)
    recorded = [party for party in parties if party.role != PartyRole.CO_PLAINTIFF]
    return (found or [case.debtor]) + recorded


@dataclass(frozen=True)
class OpponentAppeal:
    """The opponent's appeal period on a decision: the period alone, the extension its
    residence gives (CPC 643-644) and the last day (the latest of the opponents')."""

    party: str  # who, in French: « SARL X (demeurant à l'étranger) »
    deadline: DistanceDeadline

    @property
    def last_day(self) -> datetime.date:
        return self.deadline.last_day

    @property
    def text(self) -> str:
        """« 15/05/2026 (délai de base), prorogé de 2 mois (CPC 643, partie demeurant à
        l'étranger) : 15/07/2026 »."""
        base = short_date(self.deadline.base_last_day)
        extension = self.deadline.extension
        if not extension.months:
            return f"{short_date(self.last_day)} (aucun délai de distance : {extension.reason})"
        return (
            f"{base} (délai de base), prorogé de {extension.months} mois "
            f"({extension.article}, {extension.reason}) : {short_date(self.last_day)}"
        )


def opponent_appeal(decision: Decision, recourse: str | None = None) -> OpponentAppeal | None:
    """The opponent's appeal period on `decision` (its notification, the action type's
    period, each opponent's délai de distance); None while the notification is unknown.

    The pôle's own period (`appeal_deadline`) takes no extension: the administration acts
    from its direction, and a deadline the pôle must meet is never counted on its most
    generous reading."""
    if decision.notified_on is None:
        return None
    case = decision.case
    departement = calendar_departement(case) or METROPOLITAN_SEAT
    days = case.action_type.appeal_days if case.action_type_id else None
    # Issue 17: the recourse (an appeal by default, as `appeal_deadline`): its period and
    # its kind for CPC 643-644.
    recourse = recourse or Instance.APPEAL
    kind, length = PeriodKind.APPEL, rules.appeal_period(days)
    if recourse in decisions.RECOURSE_MONTHS:
        # CPC 643-644 name the pourvoi and the opposition, not the saisine of the
        # juridiction de renvoi (CPC 1034): no extension for it.
        kind = {
            Instance.CASSATION: PeriodKind.POURVOI,
            Instance.OPPOSITION: PeriodKind.OPPOSITION,
        }.get(recourse, PeriodKind.OTHER)
        length = {"months": decisions.RECOURSE_MONTHS[recourse]}
    found = None
    for party in opponents(case):
        deadline = deadline_with_distance(
            decision.notified_on,
            kind,
            residence_of(party.residence),
            departement,
            **length,
        )
        if found is None or deadline.last_day > found.deadline.last_day:
            found = OpponentAppeal(f"{party} ({residence_of(party.residence).label})", deadline)
    return found


LATE_APPEAL = "appel tardif (fin de non-recevoir, CPC 538/125)"


def late_appeal(appeal: Appeal) -> str | None:
    """The flag of an opponent's appeal lodged after its period (the distance extension
    included): the pôle raises the fin de non-recevoir (CPC 122, 125: the court must raise
    it of its own motion when a period of appeal is not observed). None when in time, or
    when the period cannot be counted."""
    if appeal.lodged_by != AppealParty.OPPONENT:
        return None
    period = opponent_appeal(appeal.decision, appeal.instance)
    if period is None or appeal.lodged_on <= period.last_day:
        return None
    return (
        f"Appel de la partie adverse du {short_date(appeal.lodged_on)} : {LATE_APPEAL} — "
        f"le délai expirait le {long_date(period.last_day)}."
    )


def late_appeals(case: Case) -> list[str]:
    """The flags of the case's late opponent appeals, in the order they were lodged."""
    appeals = case.appeals.select_related("decision__case").order_by("lodged_on", "pk")
    return [flag for flag in map(late_appeal, appeals) if flag]


# --- What a deadline page shows beside the legal last day -----------------------------


def registry_last_open_day(
    counted_last_day: datetime.date, departement: str | None
) -> datetime.date:
    """The last day on or before the day the deadline's count reaches (before CPC 642
    extends it: `ComputedDeadline.counted_last_day`) that the court registry is open:
    Monday to Friday, not a public holiday, not a day a local custom may close it (the
    `holidays` package's non-statutory days). CPC 642 carries the legal last day past a
    Saturday; a registry closed on Saturday makes the prudent day the one before."""
    day = counted_last_day
    # A working day (CPC 642's) is never a Saturday, a Sunday or a public holiday.
    while not is_working_day(day, departement) or non_statutory_days(day, day, departement):
        day -= ONE_DAY
    return day


def deadline_notes(deadline) -> list[str]:
    """The warnings a deadline page shows beside a deadline of the case's calendar:
    the days the `holidays` package lists but the law does not (they do not extend it),
    the last day the registry is open (an act done at a registry closed on Saturday), and
    for the appeal period the opponent's own, extended by the délai de distance."""
    case = deadline.case
    departement = calendar_departement(case)
    template = rules.BY_CODE.get(deadline.template) if deadline.template else None
    notes: list[str] = []
    met: tuple = ()
    counted = None
    if template is not None and deadline.start_date and not template.before:
        if template.length == rules.APPEAL:
            days = case.action_type.appeal_days if case.action_type_id else None
            length = rules.appeal_period(days)
        else:
            length = template.length
        details = compute_deadline_details(deadline.start_date, **length, departement=departement)
        met, counted = details.non_statutory_days, details.counted_last_day
    else:
        met = tuple(non_statutory_days(deadline.due_date, deadline.due_date, departement).items())
    for day, name in met:
        notes.append(
            f"Le {short_date(day)} ({name}) n'est pas un jour férié légal : il ne proroge pas "
            "le délai, mais le greffe peut être fermé ce jour-là selon l'usage local."
        )
    if template is not None and template.registry_act and counted is not None:
        open_day = registry_last_open_day(counted, departement)
        if open_day != deadline.due_date:
            notes.append(
                f"Acte au greffe, fermé le samedi : dernier jour d'ouverture avant le terme, "
                f"le {long_date(open_day)} (terme légal : {long_date(deadline.due_date)}, "
                "CPC 642)."
            )
    if template is not None and template.length == rules.APPEAL:
        decision = _decision_of(deadline)
        period = opponent_appeal(decision) if decision is not None else None
        if period is not None:
            notes.append(f"Délai d'appel de la partie adverse, {period.party} : {period.text}.")
    return notes


def _decision_pk(deadline) -> int | None:
    """The decision a deadline runs from (its source « decision:<pk> »), if any."""
    kind, _, pk = deadline.source.partition(":")
    return int(pk) if kind == "decision" and pk.isdigit() else None


def prefetch_source_decisions(deadlines) -> None:
    """The decisions the deadlines run from, in one query, each given its deadline's case
    (and what was prefetched on it): `deadline_notes` then asks no more of the database."""
    pks = {_decision_pk(deadline) for deadline in deadlines} - {None}
    found = Decision.objects.in_bulk(pks) if pks else {}
    for deadline in deadlines:
        decision = found.get(_decision_pk(deadline))
        if decision is not None and decision.case_id == deadline.case_id:
            decision.case = deadline.case
            deadline.source_decision = decision
        else:
            deadline.source_decision = None


def _decision_of(deadline) -> Decision | None:
    if hasattr(deadline, "source_decision"):
        return deadline.source_decision
    pk = _decision_pk(deadline)
    if pk is None:
        return None
    decision = Decision.objects.filter(pk=pk, case=deadline.case).first()
    if decision is not None:
        decision.case = deadline.case
    return decision
