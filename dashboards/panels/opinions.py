"""Avis d'opportunité: opinions asked for and given, their delays, conclusions and the
follow-up the directions report."""

from __future__ import annotations

from django.db.models import Count, OuterRef, Subquery

from cases.enums import (
    CaseStatus,
    ClosureReason,
    EventKind,
    Mode,
    OpinionConclusion,
    OpinionFollow,
    Role,
)
from cases.models import CaseEvent
from cases.sql import Percentile, days

from .. import figures as fig
from ..filters import Filters
from ..tables import DAYS, SHARE, TEXT, Cell, Chart, Column, Table, share
from .common import (
    Dashboard,
    by_bucket,
    count_cell,
    counts_by,
    delay_aggregates,
    delay_cells,
    delay_columns,
    grouped,
    periods,
    person,
    share_rows,
    share_total,
)


def opinions_per_period(f: Filters) -> Table:
    requested = by_bucket(
        f, fig.REFERRALS.queryset(f).filter(mode=Mode.AVIS), "submitted_at", False, n=Count("pk")
    )
    issued = by_bucket(f, fig.OPINIONS.queryset(f), "reviewed_at", False, n=Count("pk"))
    rows = [
        [
            period,
            count_cell(
                requested.get(key, {}).get("n", 0),
                fig.REFERRALS.link(f, demande=Mode.AVIS, periode=key),
            ),
            count_cell(issued.get(key, {}).get("n", 0), fig.OPINIONS.link(f, periode=key)),
        ]
        for key, period in periods(f)
    ]
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
            count_cell(total_asked, fig.REFERRALS.link(f, demande=Mode.AVIS)),
            count_cell(total_given, fig.OPINIONS.link(f)),
        ],
    )


def opinion_delays(f: Filters) -> Table:
    delay = days("reviewed_at", "case__submitted_at")
    rows_qs = fig.OPINIONS.queryset(f)
    per_bucket = by_bucket(f, rows_qs, "reviewed_at", False, **delay_aggregates(delay))
    overall = rows_qs.aggregate(**delay_aggregates(delay))
    rows = [
        [period, *delay_cells(per_bucket.get(key, {}), fig.OPINIONS.link(f, periode=key))]
        for key, period in periods(f)
    ]
    return Table(
        "opinion_delays",
        "Délai de la saisine à l'avis validé",
        delay_columns("Période de validation", "Avis rendus"),
        rows,
        description="En jours calendaires, de la transmission de la saisine au pôle à la "
        "validation de l'avis. 90ᵉ centile : 9 avis sur 10 sont rendus dans ce délai.",
        chart=Chart(Chart.COLUMNS, [2, 3]),
        total=[Cell("Ensemble de la période"), *delay_cells(overall, fig.OPINIONS.link(f))],
    )


def opinion_conclusions(f: Filters) -> Table:
    counts = counts_by(fig.OPINIONS.queryset(f), "conclusion")
    total = sum(counts.values())
    return Table(
        "opinion_conclusions",
        "Conclusions des avis rendus",
        [Column("Conclusion", TEXT), Column("Avis"), Column("Part", SHARE)],
        share_rows(f, fig.OPINIONS, "conclusion", OpinionConclusion.choices, counts, total),
        chart=Chart(Chart.BARS, [1]),
        total=share_total(f, fig.OPINIONS, total),
    )


def opinion_follow_up(f: Filters) -> Table:
    counts = counts_by(fig.OPINIONS.queryset(f), "follow")
    total = sum(counts.values())
    answered = total - counts.get("", 0)
    choices = [*OpinionFollow.choices, ("", "Suite non encore indiquée")]
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
        share_rows(f, fig.OPINIONS, "suite", choices, counts, total),
        chart=Chart(Chart.BARS, [1]),
        total=share_total(f, fig.OPINIONS, total),
        notes=notes,
    )


def followed_cases(f: Filters) -> Table:
    rows_qs = fig.OPINIONS.queryset(f).filter(fig.followed(f, "oui"))
    groups = grouped(rows_qs, "case__status", "case__closure_reason", n=Count("pk"))
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
        rows.append([Cell(label), count_cell(g["n"], link)])
    total = sum(g["n"] for g in groups)
    return Table(
        "followed_cases",
        "Devenir des dossiers dont l'avis a été suivi",
        [Column("Situation actuelle du dossier", TEXT), Column("Dossiers")],
        rows,
        description="Avis rendus dans la période et suivis (en tout ou partie) par la "
        "direction : où en sont ces dossiers aujourd'hui.",
        chart=Chart(Chart.BARS, [1]),
        total=[Cell("Total"), count_cell(total, fig.OPINIONS.link(f, suivi="oui"))],
    )


def opinions_by_author(f: Filters) -> Table:
    assigned_at = Subquery(
        CaseEvent.objects.filter(case=OuterRef("case_id"), kind=EventKind.ASSIGNED)
        .order_by("at", "pk")
        .values("at")[:1]
    )
    from_referral = days("reviewed_at", "case__submitted_at")
    from_assignment = days("reviewed_at", assigned_at)
    groups = grouped(
        fig.OPINIONS.queryset(f),
        "author_id",
        "author__first_name",
        "author__last_name",
        "author__username",
        "author__role",
        "author__direction__code",
        **delay_aggregates(from_referral),
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
                    person(g["author__first_name"], g["author__last_name"], g["author__username"])
                ),
                Cell(quality),
                count_cell(g["n"], fig.OPINIONS.link(f, auteur=g["author_id"])),
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


DASHBOARD = Dashboard(
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
)
