"""The sets of rows the dashboards count, one `Figure` each: its rows for given filters,
the date that places a row in a period, and the parameters that narrow it (a table's
row or column). A table groups a figure's rows in SQL; the link under each of its
numbers opens the cases behind those very rows (`Figure.cases`), so a figure and the
list behind it cannot disagree.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.urls import reverse

from cases.enums import CLOSED_STATUSES, CaseStatus, OpinionFollow, OpinionStatus
from cases.models import (
    Case,
    CaseEvent,
    Claim,
    Cost,
    Decision,
    Opinion,
    Recovery,
    ReturnGroundRecord,
    condemnation,
    pursued_claim,
)
from cases.validators import add_months
from deadlines.models import Deadline
from workflows import targets
from workflows.flows import CaseFlow
from workflows.models import TARGETED_STEPS

from .filters import Filters

NONE = "aucun"  # parameter value for "no jurist", "no author"…

# A link may narrow a figure by direction, action or mode: it then carries the narrower
# value as that filter (the filters apply to the cases of every figure), not as a figure
# parameter.


class BadParameter(ValueError):
    """A figure parameter that names nothing (a hand-edited link)."""


# How a parameter narrows rows: a field path (the value compared as given, or NULL for
# NONE), or a function of the filters and the value returning a Q.
Narrowing = str | Callable[[Filters, str], Q]


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    rows: Callable[[Filters], QuerySet]
    case: str = "case_id"
    date: str = ""  # "" for a figure of today's state (no period)
    is_date: bool = False
    dims: dict[str, Narrowing] = field(default_factory=dict)

    def queryset(self, f: Filters) -> QuerySet:
        return self.rows(f).order_by()

    def narrowed(self, f: Filters, params: dict[str, str]) -> QuerySet:
        rows = self.queryset(f)
        for name, value in params.items():
            if name == "periode":
                if not self.date:
                    raise BadParameter(name)
                days = f.bucket_range(value)
                if days is None:
                    raise BadParameter(name)
                rows = rows.filter(f.within(self.date, self.is_date, *days))
                continue
            narrowing = self.dims.get(name)
            if narrowing is None:
                raise BadParameter(name)
            if callable(narrowing):
                rows = rows.filter(narrowing(f, value))
            elif value == NONE:
                rows = rows.filter(**{f"{narrowing}__isnull": True})
            else:
                rows = rows.filter(**{narrowing: value})
        return rows

    def cases(self, f: Filters, params: dict[str, str]) -> QuerySet[Case]:
        """The cases behind the rows (each once)."""
        return Case.objects.filter(pk__in=self.narrowed(f, params).values(self.case))

    def link(self, f: Filters, **params) -> str:
        values = {k: (NONE if v is None else v) for k, v in params.items()}
        return f"{reverse('dashboards:cases')}?{f.querystring(figure=self.key, **values)}"


# --- the rows ---------------------------------------------------------------------------


def submitted_cases(f: Filters) -> QuerySet[Case]:
    return f.cases().exclude(status__in=(CaseStatus.DRAFT, CaseStatus.DISCARDED))


def open_cases(f: Filters) -> QuerySet[Case]:
    return submitted_cases(f).exclude(status__in=CLOSED_STATUSES)


def _referrals(f: Filters) -> QuerySet[Case]:
    return submitted_cases(f).filter(f.within("submitted_at", False))


def _opinions(f: Filters) -> QuerySet[Opinion]:
    return Opinion.objects.filter(
        f.within("reviewed_at", False), status=OpinionStatus.VALIDATED, case__in=f.cases()
    )


def _returns(f: Filters) -> QuerySet[CaseEvent]:
    return CaseEvent.objects.filter(
        f.within("at", False), transition="return_for_completion", case__in=f.cases()
    )


def _grounds(f: Filters) -> QuerySet[ReturnGroundRecord]:
    return ReturnGroundRecord.objects.filter(event__in=_returns(f))


def _engaged(f: Filters) -> QuerySet[CaseEvent]:
    return CaseEvent.objects.filter(
        f.within("at", False), transition="engage_action", case__in=f.cases()
    )


def _decisions(f: Filters) -> QuerySet[Decision]:
    return Decision.objects.filter(f.within("decided_on", True), case__in=f.cases())


def _condemnations(f: Filters) -> QuerySet[Decision]:
    """Only real condemnations: a decision that condemns to pay an amount
    (`cases.models.condemnation`), not a radiation, a caducité, a désistement…"""
    return _decisions(f).filter(condemnation())


def _costs(f: Filters) -> QuerySet[Cost]:
    return Cost.objects.filter(f.within("incurred_on", True), case__in=f.cases())


def _recoveries(f: Filters) -> QuerySet[Recovery]:
    return Recovery.objects.filter(f.within("received_on", True), case__in=f.cases())


def _open_deadlines(f: Filters) -> QuerySet[Deadline]:
    return Deadline.objects.open().filter(case__in=open_cases(f))


def earliest_prescription() -> Subquery:
    return Subquery(
        Claim.objects.filter(case=OuterRef("pk"))
        .filter(pursued_claim())
        .order_by("prescription_date")
        .values("prescription_date")[:1]
    )


def prescription_horizons(today: datetime.date) -> dict[str, datetime.date]:
    """Upper bounds (excluded) of the prescription buckets."""
    return {"prescrit": today, "3mois": add_months(today, 3), "6mois": add_months(today, 6)}


def _near_prescription(f: Filters) -> QuerySet[Case]:
    return (
        open_cases(f)
        .annotate(earliest=earliest_prescription())
        .filter(earliest__lt=prescription_horizons(f.today)["6mois"])
    )


# --- narrowings that are not a plain field ------------------------------------------------


# The values of the `echeance` and `prescription` parameters, in a table's order, and what
# they are called (columns of the risks dashboard, heading of the list behind them).
HORIZONS = [("depassee", "Dépassées"), ("7j", "Dans les 7 jours"), ("30j", "Dans 8 à 30 jours")]
PRESCRIPTION_BUCKETS = [
    ("prescrit", "Date dépassée"),
    ("3mois", "Moins de 3 mois"),
    ("6mois", "3 à 6 mois"),
]


def deadline_horizon(f: Filters, value: str) -> Q:
    today = f.today
    week, month = today + datetime.timedelta(days=7), today + datetime.timedelta(days=30)
    horizons = {
        "depassee": Q(due_date__lt=today),
        "7j": Q(due_date__gte=today, due_date__lte=week),
        "30j": Q(due_date__gt=week, due_date__lte=month),
    }
    if value not in horizons:
        raise BadParameter("echeance")
    return horizons[value]


def prescription_bucket(f: Filters, value: str) -> Q:
    bounds = prescription_horizons(f.today)
    if value == "prescrit":
        return Q(earliest__lt=bounds["prescrit"])
    if value == "3mois":
        return Q(earliest__gte=bounds["prescrit"], earliest__lt=bounds["3mois"])
    if value == "6mois":
        return Q(earliest__gte=bounds["3mois"], earliest__lt=bounds["6mois"])
    raise BadParameter("prescription")


def followed(f: Filters, value: str) -> Q:
    if value != "oui":
        raise BadParameter("suivi")
    return Q(follow__in=[OpinionFollow.FOLLOWED, OpinionFollow.PARTLY])


REFERRALS = Figure("saisines", "Saisines reçues", _referrals, case="pk", date="submitted_at")
OPINIONS = Figure(
    "avis",
    "Avis validés",
    _opinions,
    date="reviewed_at",
    dims={
        "conclusion": "conclusion",
        "suite": "follow",
        "suivi": followed,
        "auteur": "author_id",
        "statut": "case__status",
        "cloture": "case__closure_reason",
    },
)
RETURNS = Figure("renvois", "Renvois pour complément", _returns, date="at")
GROUNDS = Figure(
    "motifs",
    "Renvois pour complément",
    _grounds,
    case="event__case_id",
    date="event__at",
    dims={"motif": "ground"},
)
OPEN = Figure(
    "ouverts",
    "Dossiers en cours",
    open_cases,
    case="pk",
    dims={"statut": "status", "attribution": "assigned_jurist_id"},
)
ENGAGED = Figure("engagees", "Actions engagées", _engaged, date="at")
DECISIONS = Figure(
    "decisions",
    "Décisions rendues",
    _decisions,
    date="decided_on",
    is_date=True,
    dims={"sens": "outcome", "instance": "instance"},
)
CONDEMNATIONS = Figure(
    "condamnations",
    "Condamnations prononcées",
    _condemnations,
    date="decided_on",
    is_date=True,
    dims={"sens": "outcome", "instance": "instance"},
)
COSTS = Figure("frais", "Frais engagés", _costs, date="incurred_on", is_date=True)
RECOVERIES = Figure(
    "encaissements",
    "Encaissements",
    _recoveries,
    date="received_on",
    is_date=True,
)
DEADLINES = Figure(
    "echeances",
    "Échéances en cours",
    _open_deadlines,
    dims={
        "attribution": "case__assigned_jurist_id",
        "echeance": deadline_horizon,
    },
)


def _pole_steps(f: Filters) -> QuerySet:
    """The pôle's open steps that have a time target, on the open cases of the filters."""
    return targets.open_targeted(targets.targets()).filter(
        process__caseprocess__case__in=open_cases(f).values("pk")
    )


def step_named(f: Filters, value: str) -> Q:
    if value not in TARGETED_STEPS:
        raise BadParameter("etape")
    return Q(flow_task=getattr(CaseFlow, value))


def step_late(f: Filters, value: str) -> Q:
    if value != "oui":
        raise BadParameter("retard")
    return targets.late(targets.targets())


STEPS = Figure(
    "etapes",
    "Étapes du pôle en cours",
    _pole_steps,
    case="process__caseprocess__case",
    dims={"etape": step_named, "retard": step_late},
)
PRESCRIPTION = Figure(
    "prescription",
    "Dossiers proches de la prescription",
    _near_prescription,
    case="pk",
    dims={"prescription": prescription_bucket},
)

FIGURES = {
    figure.key: figure
    for figure in (
        REFERRALS,
        OPINIONS,
        RETURNS,
        GROUNDS,
        OPEN,
        ENGAGED,
        DECISIONS,
        CONDEMNATIONS,
        RECOVERIES,
        COSTS,
        DEADLINES,
        PRESCRIPTION,
        STEPS,
    )
}
