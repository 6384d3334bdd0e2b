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

from cases.models import Case, Decision
from cases.validators import add_months

from . import rules
from .engine import compute_deadline, compute_deadline_before

ONE_DAY = datetime.timedelta(days=1)


def calendar_departement(case: Case) -> str | None:
    """The département whose public holidays count for every deadline of `case`.

    A deadline is met where its act is done: at the court, whose registry receives the
    appeal, the cahier des conditions de vente or the surenchère. In this order:

    1. the court's département. The data does not hold it yet: the courts of the action
       type, the starting act, the hearings and the decisions are names in free text
       (« Tribunal judiciaire de Laon »), so this step is where a recorded court
       département will come first;
    2. the seized property's (the first one recorded): a saisie immobilière goes before
       the juge de l'exécution of the place where the property lies. Of the targets only
       a property has a département; a manager or a third-party holder has an address;
    3. the referring direction's: the other actions go before the court of the debtor's
       domicile, as a rule in the direction's département.

    None (the national calendar) only for a direction without a département.
    """
    # .all() rather than a new query, so that a prefetched case costs nothing.
    properties = sorted(case.properties.all(), key=lambda prop: prop.pk)
    return departement_for([prop.departement for prop in properties], case.direction.departement)


def departement_for(property_departements: list[str], direction_departement: str) -> str | None:
    """`calendar_departement`'s rule on plain values (the properties' départements in the
    order they were recorded, the direction's): for callers that hold no saved case, such
    as the demo generator."""
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


def appeal_deadline(decision: Decision) -> datetime.date | None:
    """Last day to appeal `decision` (`appeal_due` from its notification); None while the
    notification date is unknown."""
    if decision.notified_on is None:
        return None
    return appeal_due(decision.case, decision.notified_on)
