"""Activité: referrals received, returns for completion, open cases and the jurists'
load."""

from __future__ import annotations

from django.db.models import Case as CaseWhen
from django.db.models import Count, DateField, Q, Value, When

from cases import access
from cases.enums import CLOSED_STATUSES, CaseStatus, ExperimentRole, Mode, ReturnGround, Role
from cases.models import User
from cases.sql import Percentile, days
from workflows import targets
from workflows.flows import CaseFlow
from workflows.models import TARGETED_STEPS
from workflows.process import PROCESS

from .. import figures as fig
from ..figures import Figure
from ..filters import Filters
from ..tables import DAYS, SHARE, TEXT, Cell, Chart, Column, Table
from .common import (
    Dashboard,
    action_labels,
    bucket_of,
    count_cell,
    counts_by,
    crossed_counts,
    crosstab,
    direction_label,
    periods,
    share_rows,
    share_total,
)

OPEN_STATUSES = [
    s
    for s in CaseStatus
    if s not in (CaseStatus.DRAFT, CaseStatus.DISCARDED) and s not in CLOSED_STATUSES
]


def _experiment_note(role: str) -> str:
    return {
        ExperimentRole.SENDING: "Transmet",
        ExperimentRole.HELPING: "Aidante",
    }.get(role, "")


def _mode_columns() -> list[Column]:
    return [Column(label) for _, label in Mode.choices] + [Column("Total")]


def _mode_cells(f: Filters, figure: Figure, by_mode: dict, **params) -> list[Cell]:
    """A count per mode, then their total, each linked to its rows."""
    return [
        count_cell(by_mode.get(mode, 0), figure.link(f, **params, demande=mode)) for mode in Mode
    ] + [count_cell(sum(by_mode.values()), figure.link(f, **params))]


def _mode_totals(counts: dict) -> dict:
    return {mode: sum(by_mode.get(mode, 0) for by_mode in counts.values()) for mode in Mode}


def referrals_per_period(f: Filters) -> Table:
    rows_qs = fig.REFERRALS.queryset(f).annotate(bucket=f.trunc("submitted_at", False))
    counts = {
        bucket_of(f, bucket): by_mode
        for bucket, by_mode in crossed_counts(rows_qs, "bucket", "mode").items()
    }
    rows = [
        [period, *_mode_cells(f, fig.REFERRALS, counts.get(key, {}), periode=key)]
        for key, period in periods(f)
    ]
    return Table(
        "referrals_per_period",
        "Saisines reçues par période",
        [Column("Période", TEXT), *_mode_columns()],
        rows,
        description="Saisines transmises au pôle, par date de première transmission.",
        chart=Chart(Chart.COLUMNS, [1, 2, 3]),
        total=[Cell("Total"), *_mode_cells(f, fig.REFERRALS, _mode_totals(counts))],
    )


def referrals_by_direction(f: Filters) -> Table:
    counts = crossed_counts(fig.REFERRALS.queryset(f), "direction_id", "mode")
    # The directions with referrals, and every direction of the experiment in the scope.
    directions = access.filterable_directions(f.user).filter(
        Q(pk__in=list(counts)) | ~Q(experiment_role=ExperimentRole.NONE)
    )
    if f.direction:
        directions = directions.filter(pk=f.direction.pk)
    rows = [
        [
            Cell(direction_label(d.code, d.name), note=_experiment_note(d.experiment_role)),
            *_mode_cells(f, fig.REFERRALS, counts.get(d.pk, {}), direction=d.pk),
        ]
        for d in directions.order_by("code")
    ]
    return Table(
        "referrals_by_direction",
        "Saisines par direction",
        [Column("Direction", TEXT), *_mode_columns()],
        rows,
        description="« Transmet » : direction expérimentatrice qui transmet des dossiers ; "
        "« Aidante » : direction dont les experts rendent des avis.",
        total=[Cell("Total"), *_mode_cells(f, fig.REFERRALS, _mode_totals(counts))],
    )


def referrals_by_direction_period(f: Filters) -> Table:
    rows_qs = fig.REFERRALS.queryset(f).annotate(bucket=f.trunc("submitted_at", False))
    counts = {
        direction: {bucket_of(f, bucket): n for bucket, n in by_bucket.items()}
        for direction, by_bucket in crossed_counts(rows_qs, "direction_id", "bucket").items()
    }
    columns = periods(f)
    directions = access.filterable_directions(f.user).filter(pk__in=list(counts)).order_by("code")
    names = {d.pk: d.code for d in directions}  # the code: the periods need the width
    rows, total = crosstab(f, fig.REFERRALS, names, counts, "direction", columns, "periode")
    notes = {d.pk: _experiment_note(d.experiment_role) for d in directions}
    for row, key in zip(rows, names, strict=True):
        row[0].note = notes[key]
    return Table(
        "referrals_by_direction_period",
        "Saisines par direction et par période",
        [Column("Direction", TEXT)] + [Column(cell.short) for _, cell in columns],
        rows,
        description="Directions ayant transmis au moins une saisine dans la période.",
        total=total,
    )


def referrals_by_action(f: Filters) -> Table:
    counts = counts_by(fig.REFERRALS.queryset(f), "action_type_id")
    total = sum(counts.values())
    actions = [
        (pk, label) for pk, label in action_labels().items() if pk in counts or not f.action_type
    ]
    return Table(
        "referrals_by_action",
        "Saisines par action",
        [Column("Action", TEXT), Column("Saisines"), Column("Part", SHARE)],
        share_rows(f, fig.REFERRALS, "action", actions, counts, total),
        chart=Chart(Chart.BARS, [1]),
        total=share_total(f, fig.REFERRALS, total),
    )


def return_grounds(f: Filters) -> Table:
    returns = fig.RETURNS.queryset(f).aggregate(
        n=Count("pk"), cases=Count("case_id", distinct=True)
    )
    referrals = fig.REFERRALS.queryset(f).count()
    counts = counts_by(fig.GROUNDS.queryset(f), "ground")
    notes = [
        f"{returns['n']} renvoi{'s' if returns['n'] > 1 else ''} pour complément dans la "
        f"période, sur {returns['cases']} dossier{'s' if returns['cases'] > 1 else ''} "
        f"({referrals} saisine{'s' if referrals > 1 else ''} reçue{'s' if referrals > 1 else ''})."
    ]
    return Table(
        "return_grounds",
        "Renvois pour complément et leurs motifs",
        [Column("Motif", TEXT), Column("Renvois"), Column("Part des renvois", SHARE)],
        share_rows(f, fig.GROUNDS, "motif", ReturnGround.choices, counts, returns["n"]),
        description="Un renvoi peut avoir plusieurs motifs : les parts ne s'additionnent pas.",
        chart=Chart(Chart.BARS, [1]),
        total=[
            Cell("Renvois (tous motifs)"),
            count_cell(returns["n"], fig.RETURNS.link(f)),
            Cell(None),
        ],
        notes=notes,
    )


def open_by_stage(f: Filters) -> Table:
    counts = counts_by(fig.OPEN.queryset(f), "status")
    rows = [
        [Cell(status.label), count_cell(counts.get(status, 0), fig.OPEN.link(f, statut=status))]
        for status in OPEN_STATUSES
    ]
    total = sum(counts.values())
    return Table(
        "open_by_stage",
        "Dossiers en cours par étape, à ce jour",
        [Column("Étape", TEXT), Column("Dossiers")],
        rows,
        chart=Chart(Chart.BARS, [1]),
        total=[Cell("Total"), count_cell(total, fig.OPEN.link(f))],
    )


def jurist_load(f: Filters) -> Table:
    counts = crossed_counts(fig.OPEN.queryset(f), "assigned_jurist_id", "mode")
    overdue = counts_by(
        fig.DEADLINES.queryset(f).filter(fig.deadline_horizon(f, "depassee")),
        "case__assigned_jurist_id",
    )
    people = {
        u.pk: str(u)
        for u in User.objects.filter(
            Q(pk__in=[k for k in counts if k])
            | Q(role__in=[Role.JURIST, Role.HEAD], is_active=True)
        ).order_by("last_name", "first_name", "username")
    }
    if f.jurist:
        people = {f.jurist.pk: people.get(f.jurist.pk, str(f.jurist))}
    keys = list(people) + ([None] if None in counts else [])
    rows = [
        [
            Cell(people.get(key, "Non attribué")),
            *_mode_cells(f, fig.OPEN, counts.get(key, {}), attribution=key),
            count_cell(
                overdue.get(key, 0), fig.DEADLINES.link(f, attribution=key, echeance="depassee")
            ),
        ]
        for key in keys
    ]
    return Table(
        "jurist_load",
        "Charge des juristes, à ce jour",
        [Column("Juriste", TEXT), *_mode_columns(), Column("Échéances dépassées")],
        rows,
        description="Dossiers en cours attribués à chaque juriste du pôle, par demande.",
    )


def step_targets(f: Filters) -> Table:
    """The pôle's own steps against the head's time targets (workflows.targets)."""
    by_step = targets.targets()
    steps = [step for step in TARGETED_STEPS if step in by_step]
    late = targets.late(by_step)
    age = days(Value(f.today, DateField()), "created", end_is_date=True)
    figures = {}
    if steps:
        aggregates = {}
        for step in steps:
            node = Q(flow_task=getattr(CaseFlow, step))
            aggregates[f"{step}_open"] = Count("pk", filter=node)
            aggregates[f"{step}_late"] = Count("pk", filter=node & late)
            # The filter as a CASE: Percentile writes its own SQL (NULLs are ignored).
            aggregates[f"{step}_age"] = Percentile(CaseWhen(When(node, then=age)), 0.5)
        figures = fig.STEPS.queryset(f).aggregate(**aggregates)
    rows = [
        [
            Cell(PROCESS[step].title),
            Cell(by_step[step].days),
            count_cell(figures[f"{step}_open"], fig.STEPS.link(f, etape=step)),
            count_cell(figures[f"{step}_late"], fig.STEPS.link(f, etape=step, retard="oui")),
            Cell(figures[f"{step}_age"]),
        ]
        for step in steps
    ]
    notes = (
        []
        if steps
        else [
            "Aucun délai cible n'est fixé : le chef du pôle les fixe sur la page « Délais "
            "cibles des étapes »."
        ]
    )
    return Table(
        "step_targets",
        "Étapes du pôle et leur délai cible, à ce jour",
        [
            Column("Étape", TEXT),
            Column("Délai cible", DAYS),
            Column("En cours"),
            Column("En retard"),
            Column("Ancienneté médiane", DAYS),
        ],
        rows,
        description="Étapes ouvertes des dossiers en cours ; en retard : ouvertes depuis "
        "plus longtemps que leur délai cible (jours calendaires).",
        notes=notes,
    )


DASHBOARD = Dashboard(
    "activite",
    "Activité",
    "Saisines reçues, renvois pour complément, dossiers en cours, charge des juristes et "
    "étapes du pôle en retard sur leur délai cible.",
    [
        referrals_per_period,
        referrals_by_direction,
        referrals_by_direction_period,
        referrals_by_action,
        return_grounds,
        open_by_stage,
        jurist_load,
        step_targets,
    ],
)
