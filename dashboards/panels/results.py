"""Résultats: actions engaged, decisions, the amounts at stake, awarded and recovered,
and the delay to judgment."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DecimalField, Sum, Value
from django.db.models.functions import Coalesce

from cases.comparables import FIRST_INSTANCE, decision_delay
from cases.enums import DecisionOutcome, Instance
from cases.models import Claim

from .. import figures as fig
from ..filters import Filters
from ..tables import EUROS, SHARE, TEXT, Cell, Chart, Column, Table, share
from .common import (
    Dashboard,
    action_labels,
    count_cell,
    counts_by,
    crossed_counts,
    delay_aggregates,
    delay_cells,
    delay_columns,
    direction_labels,
    grouped,
)


@dataclass(frozen=True)
class Dimension:
    """What a table of results groups by: a field of the case, the parameter that narrows
    a link to it, the heading of its column and the labels of its rows (in their order)."""

    field: str
    param: str
    label: str
    labels: Callable[[], dict]


ACTION = Dimension("action_type_id", "action", "Action", action_labels)
DIRECTION = Dimension("direction_id", "direction", "Direction", direction_labels)


def _stake_by(cases_of_rows, dim: str) -> dict:
    """Remaining amounts of the claims of the cases behind rows, grouped by a case
    field (each case counted once)."""
    return {
        r[f"case__{dim}"]: r["total"]
        for r in grouped(
            Claim.objects.filter(case__in=cases_of_rows), f"case__{dim}", total=Sum("remaining")
        )
    }


def _engaged(f: Filters, key: str, by: Dimension) -> Table:
    dim, param, label, labels = by.field, by.param, by.label, by.labels()
    rows_qs = fig.ENGAGED.queryset(f)
    counts = counts_by(rows_qs, f"case__{dim}")
    stake = _stake_by(rows_qs.values("case_id"), dim)
    rows = [
        [
            Cell(name),
            count_cell(counts.get(k, 0), fig.ENGAGED.link(f, **{param: k})),
            Cell(stake.get(k)),
        ]
        for k, name in labels.items()
        if k in counts
    ]
    return Table(
        key,
        f"Actions engagées par {label.lower()}",
        [Column(label, TEXT), Column("Actions engagées"), Column("Montant en jeu", EUROS)],
        rows,
        description="Actions engagées par le pôle dans la période (acte introductif "
        "signifié) ; montant en jeu : reste à recouvrer des créances de ces dossiers.",
        chart=Chart(Chart.BARS, [1]),
        total=[
            Cell("Total"),
            count_cell(sum(counts.values()), fig.ENGAGED.link(f)),
            Cell(sum(stake.values()) if stake else None),
        ],
    )


def engaged_by_action(f: Filters) -> Table:
    return _engaged(f, "engaged_by_action", ACTION)


def engaged_by_direction(f: Filters) -> Table:
    return _engaged(f, "engaged_by_direction", DIRECTION)


def decisions_by_outcome(f: Filters) -> Table:
    counts = crossed_counts(fig.DECISIONS.queryset(f), "outcome", "instance")
    total = sum(sum(v.values()) for v in counts.values())
    rows = []
    for outcome in DecisionOutcome:
        by_instance = counts.get(outcome, {})
        n = sum(by_instance.values())
        rows.append(
            [Cell(outcome.label)]
            + [
                count_cell(by_instance.get(i, 0), fig.DECISIONS.link(f, sens=outcome, instance=i))
                for i in Instance
            ]
            + [count_cell(n, fig.DECISIONS.link(f, sens=outcome)), Cell(share(n, total))]
        )
    per_instance = {i: sum(v.get(i, 0) for v in counts.values()) for i in Instance}
    return Table(
        "decisions_by_outcome",
        "Décisions rendues",
        [Column("Sens de la décision", TEXT)]
        + [Column(i.label) for i in Instance]
        + [Column("Total"), Column("Part", SHARE)],
        rows,
        chart=Chart(Chart.BARS, [3]),
        total=[Cell("Total")]
        + [count_cell(per_instance[i], fig.DECISIONS.link(f, instance=i)) for i in Instance]
        + [count_cell(total, fig.DECISIONS.link(f)), Cell(share(total, total))],
    )


def _sum_by(rows, dim: str, field: str) -> dict:
    return {r[f"case__{dim}"]: r["total"] for r in grouped(rows, f"case__{dim}", total=Sum(field))}


def _amounts(f: Filters, key: str, by: Dimension) -> Table:
    """Only real condemnations count (`figures.CONDEMNATIONS`); the net recovery is what
    was recovered in the period less the costs incurred in it (`cases.money.Sums.net`)."""
    dim, param, label, labels = by.field, by.param, by.label, by.labels()
    condemnations = fig.CONDEMNATIONS.queryset(f)
    by_decision = {
        r[f"case__{dim}"]: r
        for r in grouped(
            condemnations,
            f"case__{dim}",
            n=Count("pk"),
            awarded=Coalesce(Sum("amount_awarded"), Value(0), output_field=DecimalField()),
        )
    }
    stake = _stake_by(condemnations.values("case_id"), dim)
    recovered = _sum_by(fig.RECOVERIES.queryset(f), dim, "amount")
    costs = _sum_by(fig.COSTS.queryset(f), dim, "amount")
    zero = Decimal("0")
    keys = [k for k in labels if k in by_decision or k in recovered or k in costs]
    rows = []
    for k in keys:
        d = by_decision.get(k, {})
        rows.append(
            [
                Cell(labels[k]),
                count_cell(d.get("n", 0), fig.CONDEMNATIONS.link(f, **{param: k})),
                Cell(stake.get(k)),
                Cell(d.get("awarded")),
                Cell(
                    recovered.get(k), fig.RECOVERIES.link(f, **{param: k}) if k in recovered else ""
                ),
                Cell(costs.get(k), fig.COSTS.link(f, **{param: k}) if k in costs else ""),
                Cell(recovered.get(k, zero) - costs.get(k, zero)),
            ]
        )
    total_recovered, total_costs = sum(recovered.values(), zero), sum(costs.values(), zero)
    return Table(
        key,
        f"Montants par {label.lower()}",
        [
            Column(label, TEXT),
            Column("Condamnations"),
            Column("Montant en jeu", EUROS),
            Column("Montant alloué", EUROS),
            Column("Montant recouvré", EUROS),
            Column("Frais engagés", EUROS),
            Column("Recouvrement net", EUROS),
        ],
        rows,
        description="Condamnations prononcées dans la période (une décision qui condamne à "
        "payer une somme ; ni radiation, ni caducité, ni désistement, ni rejet) ; en jeu : "
        "reste à recouvrer des créances de leurs dossiers ; alloué : sommes qu'elles "
        "allouent ; recouvré : encaissements de la période ; frais : frais de procédure et "
        "honoraires engagés dans la période ; net : recouvré moins frais.",
        chart=Chart(Chart.BARS, [3, 4]),
        total=[
            Cell("Total"),
            count_cell(sum(d["n"] for d in by_decision.values()), fig.CONDEMNATIONS.link(f)),
            Cell(sum(stake.values()) if stake else None),
            Cell(sum(d["awarded"] for d in by_decision.values()) if by_decision else None),
            Cell(
                total_recovered if recovered else None, fig.RECOVERIES.link(f) if recovered else ""
            ),
            Cell(total_costs if costs else None, fig.COSTS.link(f) if costs else ""),
            Cell(total_recovered - total_costs),
        ],
    )


def amounts_by_action(f: Filters) -> Table:
    return _amounts(f, "amounts_by_action", ACTION)


def amounts_by_direction(f: Filters) -> Table:
    return _amounts(f, "amounts_by_direction", DIRECTION)


def decision_delays(f: Filters) -> Table:
    delay = decision_delay()  # the comparables beside an opinion measure the same
    first = fig.DECISIONS.queryset(f).filter(FIRST_INSTANCE)
    groups = {
        r["case__action_type_id"]: r
        for r in grouped(first, "case__action_type_id", **delay_aggregates(delay))
    }
    overall = first.aggregate(**delay_aggregates(delay))
    rows = [
        [
            Cell(label),
            *delay_cells(groups[pk], fig.DECISIONS.link(f, action=pk, instance=Instance.FIRST)),
        ]
        for pk, label in action_labels().items()
        if pk in groups
    ]
    return Table(
        "decision_delays",
        "Délai de la saisine à la décision de première instance",
        delay_columns("Action", "Décisions"),
        rows,
        description="En jours calendaires, de la transmission de la saisine au jugement, "
        "pour les décisions de première instance rendues dans la période.",
        chart=Chart(Chart.BARS, [2]),
        total=[
            Cell("Ensemble"),
            *delay_cells(overall, fig.DECISIONS.link(f, instance=Instance.FIRST)),
        ],
    )


DASHBOARD = Dashboard(
    "resultats",
    "Résultats",
    "Actions engagées, décisions, montants en jeu, alloués et recouvrés, délais de jugement.",
    [
        engaged_by_action,
        engaged_by_direction,
        decisions_by_outcome,
        amounts_by_action,
        amounts_by_direction,
        decision_delays,
    ],
)
