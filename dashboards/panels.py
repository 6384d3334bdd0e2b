"""The four dashboards, table by table. Every number is computed by the database (one
grouped query per figure of a table, never a loop over cases); Python only lays the
groups out in rows, so a page costs the same number of queries at any volume."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Case as CaseWhen
from django.db.models import Count, DecimalField, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce, TruncDate

from cases import access
from cases.enums import (
    CaseStatus,
    ClosureReason,
    DecisionOutcome,
    EventKind,
    ExperimentRole,
    Instance,
    Mode,
    OpinionConclusion,
    OpinionFollow,
    ReturnGround,
    Role,
)
from cases.models import ActionType, CaseEvent, Claim, Direction, User

from . import figures as fig
from .filters import Filters, bucket_key, bucket_label, bucket_short
from .sql import DaysBetween, Percentile
from .tables import DAYS, EUROS, SHARE, TEXT, Cell, Chart, Column, Table, share

PARIS = ZoneInfo(settings.TIME_ZONE)
MODES = list(Mode)


@dataclass(frozen=True)
class Dashboard:
    slug: str
    title: str
    lead: str
    tables: list[Callable[[Filters], Table]]
    uses_period: bool = True

    def table(self, key: str) -> Callable[[Filters], Table] | None:
        return next((t for t in self.tables if t.__name__ == key), None)


# --- helpers ----------------------------------------------------------------------------


def _as_day(value) -> datetime.date:
    """A truncated date or datetime (PostgreSQL and SQLite) as the day it starts."""
    if isinstance(value, datetime.datetime):
        return value.astimezone(PARIS).date() if value.tzinfo else value.date()
    if isinstance(value, str):  # SQLite may hand back text
        return datetime.date.fromisoformat(value[:10])
    return value


def _grouped(rows, *fields, **aggregates) -> list[dict]:
    return list(rows.order_by().values(*fields).annotate(**aggregates))


def _by_bucket(f: Filters, rows, date: str, is_date: bool, **aggregates) -> dict[str, dict]:
    result = {}
    for row in _grouped(rows.annotate(bucket=f.trunc(date, is_date)), "bucket", **aggregates):
        result[bucket_key(_as_day(row["bucket"]), f.step)] = row
    return result


def _days(end: str, start: str, *, end_is_date: bool = False, start_is_date: bool = False):
    def as_day(path, is_date):
        return path if is_date else TruncDate(path, tzinfo=PARIS)

    return DaysBetween(as_day(end, end_is_date), as_day(start, start_is_date))


def _delay_aggregates(delay) -> dict:
    return {
        "n": Count("pk"),
        "median": Percentile(delay, 0.5),
        "p90": Percentile(delay, 0.9),
    }


def _person(first: str, last: str, username: str) -> str:
    return f"{first} {last}".strip() or username


def _experiment_note(role: str) -> str:
    return {
        ExperimentRole.SENDING: "Transmet",
        ExperimentRole.HELPING: "Aidante",
    }.get(role, "")


def _period_cell(start: datetime.date, f: Filters) -> Cell:
    return Cell(bucket_label(start, f.step), short=bucket_short(start, f.step))


def _count_cell(value: int, link: str) -> Cell:
    return Cell(value, link if value else "")


def _crosstab(f, figure, names: dict, counts: dict, row_param: str, columns, column_param: str):
    """Rows (one per key of `names`, in that order) of counts per column, each linked to
    its cases, and the total row."""
    rows = [
        [Cell(name)]
        + [
            _count_cell(
                counts.get(key, {}).get(value, 0),
                figure.link(f, **{row_param: key, column_param: value}),
            )
            for value, _ in columns
        ]
        for key, name in names.items()
    ]
    total = [Cell("Total")] + [
        _count_cell(
            sum(c.get(value, 0) for c in counts.values()),
            figure.link(f, **{column_param: value}),
        )
        for value, _ in columns
    ]
    return rows, total


# --- Expert opinions ---------------------------------------------------------------------


def opinions_per_period(f: Filters) -> Table:
    requested = _by_bucket(
        f, fig.REFERRALS.queryset(f).filter(mode=Mode.AVIS), "submitted_at", False, n=Count("pk")
    )
    issued = _by_bucket(f, fig.OPINIONS.queryset(f), "reviewed_at", False, n=Count("pk"))
    rows = []
    for start in f.buckets():
        key = bucket_key(start, f.step)
        asked = requested.get(key, {}).get("n", 0)
        given = issued.get(key, {}).get("n", 0)
        rows.append(
            [
                _period_cell(start, f),
                _count_cell(asked, fig.REFERRALS.link(f, demande=Mode.AVIS, periode=key)),
                _count_cell(given, fig.OPINIONS.link(f, periode=key)),
            ]
        )
    total_asked = sum(r["n"] for r in requested.values())
    total_given = sum(r["n"] for r in issued.values())
    return Table(
        "opinions_per_period",
        "Avis demandés et rendus",
        [Column("Période", TEXT), Column("Avis demandés"), Column("Avis rendus")],
        rows,
        description="Demandés : saisines en mode avis transmises dans la période. "
        "Rendus : avis validés par le chef du pôle dans la période.",
        chart=Chart(Chart.COLUMNS, [1, 2]),
        total=[
            Cell("Total"),
            _count_cell(total_asked, fig.REFERRALS.link(f, demande=Mode.AVIS)),
            _count_cell(total_given, fig.OPINIONS.link(f)),
        ],
    )


def opinion_delays(f: Filters) -> Table:
    delay = _days("reviewed_at", "case__submitted_at")
    rows_qs = fig.OPINIONS.queryset(f)
    per_bucket = _by_bucket(f, rows_qs, "reviewed_at", False, **_delay_aggregates(delay))
    overall = rows_qs.aggregate(**_delay_aggregates(delay))
    rows = []
    for start in f.buckets():
        key = bucket_key(start, f.step)
        row = per_bucket.get(key, {})
        rows.append(
            [
                _period_cell(start, f),
                _count_cell(row.get("n", 0), fig.OPINIONS.link(f, periode=key)),
                Cell(row.get("median")),
                Cell(row.get("p90")),
            ]
        )
    return Table(
        "opinion_delays",
        "Délai de la saisine à l'avis validé",
        [
            Column("Période de validation", TEXT),
            Column("Avis rendus"),
            Column("Médiane", DAYS),
            Column("90ᵉ centile", DAYS),
        ],
        rows,
        description="En jours calendaires, de la transmission de la saisine au pôle à la "
        "validation de l'avis. 90ᵉ centile : 9 avis sur 10 sont rendus dans ce délai.",
        chart=Chart(Chart.COLUMNS, [2, 3]),
        total=[
            Cell("Ensemble de la période"),
            _count_cell(overall["n"], fig.OPINIONS.link(f)),
            Cell(overall["median"]),
            Cell(overall["p90"]),
        ],
    )


def opinion_conclusions(f: Filters) -> Table:
    counts = {
        r["conclusion"]: r["n"]
        for r in _grouped(fig.OPINIONS.queryset(f), "conclusion", n=Count("pk"))
    }
    total = sum(counts.values())
    rows = [
        [
            Cell(label),
            _count_cell(counts.get(value, 0), fig.OPINIONS.link(f, conclusion=value)),
            Cell(share(counts.get(value, 0), total)),
        ]
        for value, label in OpinionConclusion.choices
    ]
    return Table(
        "opinion_conclusions",
        "Conclusions des avis rendus",
        [Column("Conclusion", TEXT), Column("Avis"), Column("Part", SHARE)],
        rows,
        chart=Chart(Chart.BARS, [1]),
        total=[Cell("Total"), _count_cell(total, fig.OPINIONS.link(f)), Cell(share(total, total))],
    )


def opinion_follow_up(f: Filters) -> Table:
    counts = {
        r["follow"]: r["n"] for r in _grouped(fig.OPINIONS.queryset(f), "follow", n=Count("pk"))
    }
    total = sum(counts.values())
    answered = total - counts.get("", 0)
    choices = [*OpinionFollow.choices, ("", "Suite non encore indiquée")]
    rows = [
        [
            Cell(label),
            _count_cell(counts.get(value, 0), fig.OPINIONS.link(f, suite=value)),
            Cell(share(counts.get(value, 0), total)),
        ]
        for value, label in choices
    ]
    followed = counts.get(OpinionFollow.FOLLOWED, 0) + counts.get(OpinionFollow.PARTLY, 0)
    rate = share(followed, answered)
    notes = []
    if rate is not None:
        notes.append(
            f"Taux de suivi : {Cell(rate).display(SHARE)} des avis dont la direction a "
            f"indiqué la suite ({followed} sur {answered}) ont été suivis en tout ou partie."
        )
    return Table(
        "opinion_follow_up",
        "Suite donnée aux avis par les directions",
        [Column("Suite", TEXT), Column("Avis"), Column("Part", SHARE)],
        rows,
        chart=Chart(Chart.BARS, [1]),
        total=[Cell("Total"), _count_cell(total, fig.OPINIONS.link(f)), Cell(share(total, total))],
        notes=notes,
    )


def followed_cases(f: Filters) -> Table:
    rows_qs = fig.OPINIONS.queryset(f).filter(fig.followed(f, "oui"))
    groups = _grouped(rows_qs, "case__status", "case__closure_reason", n=Count("pk"))
    order = {status: i for i, status in enumerate(CaseStatus.values)}
    groups.sort(key=lambda g: (order.get(g["case__status"], 99), g["case__closure_reason"]))
    rows = []
    for g in groups:
        label = CaseStatus(g["case__status"]).label
        if g["case__closure_reason"]:
            label += " — " + ClosureReason(g["case__closure_reason"]).label.lower()
        link = fig.OPINIONS.link(
            f, suivi="oui", statut=g["case__status"], cloture=g["case__closure_reason"]
        )
        rows.append([Cell(label), _count_cell(g["n"], link)])
    total = sum(g["n"] for g in groups)
    return Table(
        "followed_cases",
        "Devenir des dossiers dont l'avis a été suivi",
        [Column("Situation actuelle du dossier", TEXT), Column("Dossiers")],
        rows,
        description="Avis rendus dans la période et suivis (en tout ou partie) par la "
        "direction : où en sont ces dossiers aujourd'hui.",
        chart=Chart(Chart.BARS, [1]),
        total=[Cell("Total"), _count_cell(total, fig.OPINIONS.link(f, suivi="oui"))],
    )


def opinions_by_author(f: Filters) -> Table:
    assigned_at = Subquery(
        CaseEvent.objects.filter(case=OuterRef("case_id"), kind=EventKind.ASSIGNED)
        .order_by("at", "pk")
        .values("at")[:1]
    )
    from_referral = _days("reviewed_at", "case__submitted_at")
    from_assignment = DaysBetween(
        TruncDate("reviewed_at", tzinfo=PARIS), TruncDate(assigned_at, tzinfo=PARIS)
    )
    groups = _grouped(
        fig.OPINIONS.queryset(f),
        "author_id",
        "author__first_name",
        "author__last_name",
        "author__username",
        "author__role",
        "author__direction__code",
        n=Count("pk"),
        median=Percentile(from_referral, 0.5),
        p90=Percentile(from_referral, 0.9),
        writing=Percentile(from_assignment, 0.5),
    )
    groups.sort(key=lambda g: (-g["n"], g["author__last_name"], g["author__username"]))
    rows = []
    for g in groups:
        if g["author__role"] == Role.EXPERT:
            quality = f"Expert {g['author__direction__code'] or ''}".strip()
        else:
            quality = Role(g["author__role"]).label if g["author__role"] else ""
        rows.append(
            [
                Cell(
                    _person(g["author__first_name"], g["author__last_name"], g["author__username"])
                ),
                Cell(quality),
                _count_cell(g["n"], fig.OPINIONS.link(f, auteur=g["author_id"])),
                Cell(g["median"]),
                Cell(g["p90"]),
                Cell(g["writing"]),
            ]
        )
    return Table(
        "opinions_by_author",
        "Avis rendus par expert",
        [
            Column("Auteur", TEXT),
            Column("Qualité", TEXT),
            Column("Avis rendus"),
            Column("Délai médian depuis la saisine", DAYS),
            Column("90ᵉ centile depuis la saisine", DAYS),
            Column("Délai médian depuis l'attribution", DAYS),
        ],
        rows,
        description="Juristes du pôle et experts des directions aidantes ; délais en jours "
        "calendaires jusqu'à la validation de l'avis.",
    )


# --- Activity ----------------------------------------------------------------------------


def _mode_columns() -> list[Column]:
    return [Column(label) for _, label in Mode.choices] + [Column("Total")]


def referrals_per_period(f: Filters) -> Table:
    counts = defaultdict(dict)
    rows_qs = fig.REFERRALS.queryset(f).annotate(bucket=f.trunc("submitted_at", False))
    for r in _grouped(rows_qs, "bucket", "mode", n=Count("pk")):
        counts[bucket_key(_as_day(r["bucket"]), f.step)][r["mode"]] = r["n"]
    rows = []
    for start in f.buckets():
        key = bucket_key(start, f.step)
        by_mode = counts.get(key, {})
        rows.append(
            [_period_cell(start, f)]
            + [
                _count_cell(by_mode.get(m, 0), fig.REFERRALS.link(f, periode=key, demande=m))
                for m in MODES
            ]
            + [_count_cell(sum(by_mode.values()), fig.REFERRALS.link(f, periode=key))]
        )
    totals = defaultdict(int)
    for by_mode in counts.values():
        for m, n in by_mode.items():
            totals[m] += n
    return Table(
        "referrals_per_period",
        "Saisines reçues par période",
        [Column("Période", TEXT), *_mode_columns()],
        rows,
        description="Saisines transmises au pôle, par date de première transmission.",
        chart=Chart(Chart.COLUMNS, [1, 2, 3]),
        total=[Cell("Total")]
        + [_count_cell(totals[m], fig.REFERRALS.link(f, demande=m)) for m in MODES]
        + [_count_cell(sum(totals.values()), fig.REFERRALS.link(f))],
    )


def referrals_by_direction(f: Filters) -> Table:
    counts = defaultdict(dict)
    for r in _grouped(fig.REFERRALS.queryset(f), "direction_id", "mode", n=Count("pk")):
        counts[r["direction_id"]][r["mode"]] = r["n"]
    # The directions with referrals, and every direction of the experiment in the scope.
    directions = access.filterable_directions(f.user).filter(
        Q(pk__in=list(counts)) | ~Q(experiment_role=ExperimentRole.NONE)
    )
    if f.direction:
        directions = directions.filter(pk=f.direction.pk)
    directions = directions.order_by("code")
    rows = []
    for d in directions:
        by_mode = counts.get(d.pk, {})
        rows.append(
            [Cell(f"{d.code} — {d.name}", note=_experiment_note(d.experiment_role))]
            + [
                _count_cell(by_mode.get(m, 0), fig.REFERRALS.link(f, direction=d.pk, demande=m))
                for m in MODES
            ]
            + [_count_cell(sum(by_mode.values()), fig.REFERRALS.link(f, direction=d.pk))]
        )
    return Table(
        "referrals_by_direction",
        "Saisines par direction",
        [Column("Direction", TEXT), *_mode_columns()],
        rows,
        description="« Transmet » : direction expérimentatrice qui transmet des dossiers ; "
        "« Aidante » : direction dont les experts rendent des avis.",
        total=[Cell("Total")]
        + [
            _count_cell(sum(c.get(m, 0) for c in counts.values()), fig.REFERRALS.link(f, demande=m))
            for m in MODES
        ]
        + [_count_cell(sum(sum(c.values()) for c in counts.values()), fig.REFERRALS.link(f))],
    )


def referrals_by_direction_period(f: Filters) -> Table:
    counts = defaultdict(dict)
    rows_qs = fig.REFERRALS.queryset(f).annotate(bucket=f.trunc("submitted_at", False))
    for r in _grouped(rows_qs, "direction_id", "bucket", n=Count("pk")):
        counts[r["direction_id"]][bucket_key(_as_day(r["bucket"]), f.step)] = r["n"]
    periods = [(bucket_key(start, f.step), _period_cell(start, f)) for start in f.buckets()]
    directions = access.filterable_directions(f.user).filter(pk__in=list(counts)).order_by("code")
    names = {d.pk: d.code for d in directions}  # the code: the periods need the width
    rows, total = _crosstab(
        f, fig.REFERRALS, names, counts, "direction", [(k, "") for k, _ in periods], "periode"
    )
    notes = {d.pk: _experiment_note(d.experiment_role) for d in directions}
    for row, key in zip(rows, names, strict=True):
        row[0].note = notes[key]
    return Table(
        "referrals_by_direction_period",
        "Saisines par direction et par période",
        [Column("Direction", TEXT)] + [Column(cell.short) for _, cell in periods],
        rows,
        description="Directions ayant transmis au moins une saisine dans la période.",
        total=total,
    )


def referrals_by_action(f: Filters) -> Table:
    counts = {
        r["action_type_id"]: r["n"]
        for r in _grouped(fig.REFERRALS.queryset(f), "action_type_id", n=Count("pk"))
    }
    total = sum(counts.values())
    rows = [
        [
            Cell(action.label),
            _count_cell(counts.get(action.pk, 0), fig.REFERRALS.link(f, action=action.pk)),
            Cell(share(counts.get(action.pk, 0), total)),
        ]
        for action in ActionType.objects.order_by("position", "label")
        if action.pk in counts or not f.action_type
    ]
    return Table(
        "referrals_by_action",
        "Saisines par action",
        [Column("Action", TEXT), Column("Saisines"), Column("Part", SHARE)],
        rows,
        chart=Chart(Chart.BARS, [1]),
        total=[Cell("Total"), _count_cell(total, fig.REFERRALS.link(f)), Cell(share(total, total))],
    )


def return_grounds(f: Filters) -> Table:
    returns = fig.RETURNS.queryset(f).aggregate(
        n=Count("pk"), cases=Count("case_id", distinct=True)
    )
    referrals = fig.REFERRALS.queryset(f).count()
    counts = {
        r["ground"]: r["n"] for r in _grouped(fig.GROUNDS.queryset(f), "ground", n=Count("pk"))
    }
    rows = [
        [
            Cell(label),
            _count_cell(counts.get(value, 0), fig.GROUNDS.link(f, motif=value)),
            Cell(share(counts.get(value, 0), returns["n"])),
        ]
        for value, label in ReturnGround.choices
    ]
    notes = [
        f"{returns['n']} renvoi{'s' if returns['n'] > 1 else ''} pour complément dans la "
        f"période, sur {returns['cases']} dossier{'s' if returns['cases'] > 1 else ''} "
        f"({referrals} saisine{'s' if referrals > 1 else ''} reçue{'s' if referrals > 1 else ''})."
    ]
    return Table(
        "return_grounds",
        "Renvois pour complément et leurs motifs",
        [Column("Motif", TEXT), Column("Renvois"), Column("Part des renvois", SHARE)],
        rows,
        description="Un renvoi peut avoir plusieurs motifs : les parts ne s'additionnent pas.",
        chart=Chart(Chart.BARS, [1]),
        total=[
            Cell("Renvois (tous motifs)"),
            _count_cell(returns["n"], fig.RETURNS.link(f)),
            Cell(None),
        ],
        notes=notes,
    )


OPEN_STATUSES = [
    s for s in CaseStatus if s not in (CaseStatus.DRAFT, CaseStatus.DECLINED, CaseStatus.CLOSED)
]


def open_by_stage(f: Filters) -> Table:
    counts = {r["status"]: r["n"] for r in _grouped(fig.OPEN.queryset(f), "status", n=Count("pk"))}
    rows = [
        [Cell(status.label), _count_cell(counts.get(status, 0), fig.OPEN.link(f, statut=status))]
        for status in OPEN_STATUSES
    ]
    total = sum(counts.values())
    return Table(
        "open_by_stage",
        "Dossiers en cours par étape, à ce jour",
        [Column("Étape", TEXT), Column("Dossiers")],
        rows,
        chart=Chart(Chart.BARS, [1]),
        total=[Cell("Total"), _count_cell(total, fig.OPEN.link(f))],
    )


def jurist_load(f: Filters) -> Table:
    counts = defaultdict(dict)
    for r in _grouped(fig.OPEN.queryset(f), "assigned_jurist_id", "mode", n=Count("pk")):
        counts[r["assigned_jurist_id"]][r["mode"]] = r["n"]
    overdue = {
        r["case__assigned_jurist_id"]: r["n"]
        for r in _grouped(
            fig.DEADLINES.queryset(f).filter(fig.deadline_horizon(f, "depassee")),
            "case__assigned_jurist_id",
            n=Count("pk"),
        )
    }
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
    rows = []
    for key in keys:
        by_mode = counts.get(key, {})
        rows.append(
            [Cell(people.get(key, "Non attribué"))]
            + [
                _count_cell(by_mode.get(m, 0), fig.OPEN.link(f, attribution=key, demande=m))
                for m in MODES
            ]
            + [
                _count_cell(sum(by_mode.values()), fig.OPEN.link(f, attribution=key)),
                _count_cell(
                    overdue.get(key, 0),
                    fig.DEADLINES.link(f, attribution=key, echeance="depassee"),
                ),
            ]
        )
    return Table(
        "jurist_load",
        "Charge des juristes, à ce jour",
        [Column("Juriste", TEXT), *_mode_columns(), Column("Échéances dépassées")],
        rows,
        description="Dossiers en cours attribués à chaque juriste du pôle, par demande.",
    )


# --- Results -----------------------------------------------------------------------------


def _stake_by(cases_of_rows, dim: str) -> dict:
    """Remaining amounts of the claims of the cases behind rows, grouped by a case
    field (each case counted once)."""
    return {
        r[f"case__{dim}"]: r["total"]
        for r in _grouped(
            Claim.objects.filter(case__in=cases_of_rows), f"case__{dim}", total=Sum("remaining")
        )
    }


def _engaged(f: Filters, key: str, dim: str, param: str, label: str, labels: dict) -> Table:
    rows_qs = fig.ENGAGED.queryset(f)
    counts = {r[f"case__{dim}"]: r["n"] for r in _grouped(rows_qs, f"case__{dim}", n=Count("pk"))}
    stake = _stake_by(rows_qs.values("case_id"), dim)
    rows = [
        [
            Cell(name),
            _count_cell(counts.get(k, 0), fig.ENGAGED.link(f, **{param: k})),
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
            _count_cell(sum(counts.values()), fig.ENGAGED.link(f)),
            Cell(sum(stake.values()) if stake else None),
        ],
    )


def _action_labels() -> dict:
    return {a.pk: a.label for a in ActionType.objects.order_by("position", "label")}


def _direction_labels() -> dict:
    return {d.pk: f"{d.code} — {d.name}" for d in Direction.objects.order_by("code")}


def engaged_by_action(f: Filters) -> Table:
    return _engaged(f, "engaged_by_action", "action_type_id", "action", "Action", _action_labels())


def engaged_by_direction(f: Filters) -> Table:
    return _engaged(
        f, "engaged_by_direction", "direction_id", "direction", "Direction", _direction_labels()
    )


OUTCOMES = list(DecisionOutcome)


def decisions_by_outcome(f: Filters) -> Table:
    counts = defaultdict(dict)
    for r in _grouped(fig.DECISIONS.queryset(f), "outcome", "instance", n=Count("pk")):
        counts[r["outcome"]][r["instance"]] = r["n"]
    total = sum(sum(v.values()) for v in counts.values())
    rows = []
    for outcome in OUTCOMES:
        by_instance = counts.get(outcome, {})
        n = sum(by_instance.values())
        rows.append(
            [Cell(outcome.label)]
            + [
                _count_cell(by_instance.get(i, 0), fig.DECISIONS.link(f, sens=outcome, instance=i))
                for i in Instance
            ]
            + [_count_cell(n, fig.DECISIONS.link(f, sens=outcome)), Cell(share(n, total))]
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
        + [_count_cell(per_instance[i], fig.DECISIONS.link(f, instance=i)) for i in Instance]
        + [_count_cell(total, fig.DECISIONS.link(f)), Cell(share(total, total))],
    )


def _amounts(f: Filters, key: str, dim: str, param: str, label: str, labels: dict) -> Table:
    decisions = fig.DECISIONS.queryset(f)
    by_decision = {
        r[f"case__{dim}"]: r
        for r in _grouped(
            decisions,
            f"case__{dim}",
            n=Count("pk"),
            awarded=Coalesce(Sum("amount_awarded"), Value(0), output_field=DecimalField()),
        )
    }
    stake = _stake_by(decisions.values("case_id"), dim)
    recovered = {
        r[f"case__{dim}"]: r["total"]
        for r in _grouped(fig.RECOVERIES.queryset(f), f"case__{dim}", total=Sum("amount"))
    }
    keys = [k for k in labels if k in by_decision or k in recovered]
    rows = []
    for k in keys:
        d = by_decision.get(k, {})
        rows.append(
            [
                Cell(labels[k]),
                _count_cell(d.get("n", 0), fig.DECISIONS.link(f, **{param: k})),
                Cell(stake.get(k)),
                Cell(d.get("awarded")),
                Cell(
                    recovered.get(k), fig.RECOVERIES.link(f, **{param: k}) if k in recovered else ""
                ),
            ]
        )
    return Table(
        key,
        f"Montants par {label.lower()}",
        [
            Column(label, TEXT),
            Column("Décisions"),
            Column("Montant en jeu", EUROS),
            Column("Montant alloué", EUROS),
            Column("Montant recouvré", EUROS),
        ],
        rows,
        description="Décisions rendues dans la période ; en jeu : reste à recouvrer des "
        "créances de leurs dossiers ; alloué : condamnations prononcées ; recouvré : "
        "encaissements de la période.",
        chart=Chart(Chart.BARS, [3, 4]),
        total=[
            Cell("Total"),
            _count_cell(sum(d["n"] for d in by_decision.values()), fig.DECISIONS.link(f)),
            Cell(sum(stake.values()) if stake else None),
            Cell(sum(d["awarded"] for d in by_decision.values()) if by_decision else None),
            Cell(
                sum(recovered.values()) if recovered else None,
                fig.RECOVERIES.link(f) if recovered else "",
            ),
        ],
    )


def amounts_by_action(f: Filters) -> Table:
    return _amounts(f, "amounts_by_action", "action_type_id", "action", "Action", _action_labels())


def amounts_by_direction(f: Filters) -> Table:
    return _amounts(
        f, "amounts_by_direction", "direction_id", "direction", "Direction", _direction_labels()
    )


def decision_delays(f: Filters) -> Table:
    delay = _days("decided_on", "case__submitted_at", end_is_date=True)
    first = fig.DECISIONS.queryset(f).filter(instance=Instance.FIRST)
    groups = {
        r["case__action_type_id"]: r
        for r in _grouped(first, "case__action_type_id", **_delay_aggregates(delay))
    }
    overall = first.aggregate(**_delay_aggregates(delay))
    rows = [
        [
            Cell(action.label),
            _count_cell(
                groups[action.pk]["n"],
                fig.DECISIONS.link(f, action=action.pk, instance=Instance.FIRST),
            ),
            Cell(groups[action.pk]["median"]),
            Cell(groups[action.pk]["p90"]),
        ]
        for action in ActionType.objects.order_by("position", "label")
        if action.pk in groups
    ]
    return Table(
        "decision_delays",
        "Délai de la saisine à la décision de première instance",
        [
            Column("Action", TEXT),
            Column("Décisions"),
            Column("Médiane", DAYS),
            Column("90ᵉ centile", DAYS),
        ],
        rows,
        description="En jours calendaires, de la transmission de la saisine au jugement, "
        "pour les décisions de première instance rendues dans la période.",
        chart=Chart(Chart.BARS, [2]),
        total=[
            Cell("Ensemble"),
            _count_cell(overall["n"], fig.DECISIONS.link(f, instance=Instance.FIRST)),
            Cell(overall["median"]),
            Cell(overall["p90"]),
        ],
    )


# --- Risks -------------------------------------------------------------------------------

HORIZONS = [("depassee", "Dépassées"), ("7j", "Dans les 7 jours"), ("30j", "Dans 8 à 30 jours")]


def deadlines_by_jurist(f: Filters) -> Table:
    rows_qs = fig.DEADLINES.queryset(f)
    bucket = CaseWhen(
        *[When(fig.deadline_horizon(f, key), then=Value(key)) for key, _ in HORIZONS],
        default=Value(""),
    )
    counts = defaultdict(dict)
    for r in _grouped(
        rows_qs.annotate(horizon=bucket).exclude(horizon=""),
        "case__assigned_jurist_id",
        "case__assigned_jurist__first_name",
        "case__assigned_jurist__last_name",
        "case__assigned_jurist__username",
        "horizon",
        n=Count("pk"),
    ):
        entry = counts[r["case__assigned_jurist_id"]]
        entry["name"] = (
            _person(
                r["case__assigned_jurist__first_name"],
                r["case__assigned_jurist__last_name"],
                r["case__assigned_jurist__username"],
            )
            if r["case__assigned_jurist_id"]
            else "Non attribué"
        )
        entry[r["horizon"]] = r["n"]
    keys = sorted(counts, key=lambda k: (k is None, counts[k]["name"]))
    rows, total = _crosstab(
        f,
        fig.DEADLINES,
        {k: counts[k]["name"] for k in keys},
        counts,
        "attribution",
        HORIZONS,
        "echeance",
    )
    return Table(
        "deadlines_by_jurist",
        "Échéances dépassées et à venir, à ce jour",
        [Column("Juriste", TEXT)] + [Column(label) for _, label in HORIZONS],
        rows,
        description="Échéances ouvertes des dossiers en cours, par juriste attributaire.",
        chart=Chart(Chart.BARS, [1, 2, 3]),
        total=total,
    )


PRESCRIPTION_BUCKETS = [
    ("prescrit", "Date dépassée"),
    ("3mois", "Moins de 3 mois"),
    ("6mois", "3 à 6 mois"),
]


def prescription_by_direction(f: Filters) -> Table:
    bounds = fig.prescription_horizons(f.today)
    bucket = CaseWhen(
        When(earliest__lt=bounds["prescrit"], then=Value("prescrit")),
        When(earliest__lt=bounds["3mois"], then=Value("3mois")),
        default=Value("6mois"),
    )
    counts = defaultdict(dict)
    names = {}
    for r in _grouped(
        fig.PRESCRIPTION.queryset(f).annotate(bucket=bucket),
        "direction_id",
        "direction__code",
        "direction__name",
        "bucket",
        n=Count("pk"),
    ):
        counts[r["direction_id"]][r["bucket"]] = r["n"]
        names[r["direction_id"]] = f"{r['direction__code']} — {r['direction__name']}"
    names = dict(sorted(names.items(), key=lambda item: item[1]))
    rows, total = _crosstab(
        f, fig.PRESCRIPTION, names, counts, "direction", PRESCRIPTION_BUCKETS, "prescription"
    )
    return Table(
        "prescription_by_direction",
        "Dossiers en cours proches de la prescription, à ce jour",
        [Column("Direction", TEXT)] + [Column(label) for _, label in PRESCRIPTION_BUCKETS],
        rows,
        description="Selon la plus proche date de prescription (LPF L.274) des créances "
        "du dossier.",
        chart=Chart(Chart.BARS, [1, 2, 3]),
        total=total,
    )


DASHBOARDS = {
    d.slug: d
    for d in (
        Dashboard(
            "avis",
            "Avis d'opportunité",
            "Avis demandés et rendus, délais, conclusions, suite donnée par les directions.",
            [
                opinions_per_period,
                opinion_delays,
                opinion_conclusions,
                opinion_follow_up,
                followed_cases,
                opinions_by_author,
            ],
        ),
        Dashboard(
            "activite",
            "Activité",
            "Saisines reçues, renvois pour complément, dossiers en cours et charge des juristes.",
            [
                referrals_per_period,
                referrals_by_direction,
                referrals_by_direction_period,
                referrals_by_action,
                return_grounds,
                open_by_stage,
                jurist_load,
            ],
        ),
        Dashboard(
            "resultats",
            "Résultats",
            "Actions engagées, décisions, montants en jeu, alloués et recouvrés, délais "
            "de jugement.",
            [
                engaged_by_action,
                engaged_by_direction,
                decisions_by_outcome,
                amounts_by_action,
                amounts_by_direction,
                decision_delays,
            ],
        ),
        Dashboard(
            "risques",
            "Risques",
            "Échéances dépassées et proches, dossiers proches de la prescription.",
            [deadlines_by_jurist, prescription_by_direction],
            uses_period=False,
        ),
    )
}
