"""Risques, at today's date: deadlines overdue or near, cases near prescription."""

from __future__ import annotations

from django.db.models import Case as CaseWhen
from django.db.models import Count, Value, When

from .. import figures as fig
from ..figures import HORIZONS, PRESCRIPTION_BUCKETS
from ..filters import Filters
from ..tables import TEXT, Chart, Column, Table
from .common import Dashboard, crosstab, direction_label, grouped, person


def _bucket(f: Filters, narrowing, buckets) -> CaseWhen:
    """The key of the bucket a row falls in, by the very narrowing its link applies."""
    return CaseWhen(
        *[When(narrowing(f, key), then=Value(key)) for key, _ in buckets], default=Value("")
    )


def deadlines_by_jurist(f: Filters) -> Table:
    counts = {}
    for r in grouped(
        fig.DEADLINES.queryset(f)
        .annotate(horizon=_bucket(f, fig.deadline_horizon, HORIZONS))
        .exclude(horizon=""),
        "case__assigned_jurist_id",
        "case__assigned_jurist__first_name",
        "case__assigned_jurist__last_name",
        "case__assigned_jurist__username",
        "horizon",
        n=Count("pk"),
    ):
        entry = counts.setdefault(r["case__assigned_jurist_id"], {})
        entry["name"] = (
            person(
                r["case__assigned_jurist__first_name"],
                r["case__assigned_jurist__last_name"],
                r["case__assigned_jurist__username"],
            )
            if r["case__assigned_jurist_id"]
            else "Non attribué"
        )
        entry[r["horizon"]] = r["n"]
    keys = sorted(counts, key=lambda k: (k is None, counts[k]["name"]))
    rows, total = crosstab(
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


def prescription_by_direction(f: Filters) -> Table:
    counts = {}
    names = {}
    for r in grouped(
        fig.PRESCRIPTION.queryset(f).annotate(
            bucket=_bucket(f, fig.prescription_bucket, PRESCRIPTION_BUCKETS)
        ),
        "direction_id",
        "direction__code",
        "direction__name",
        "bucket",
        n=Count("pk"),
    ):
        counts.setdefault(r["direction_id"], {})[r["bucket"]] = r["n"]
        names[r["direction_id"]] = direction_label(r["direction__code"], r["direction__name"])
    names = dict(sorted(names.items(), key=lambda item: item[1]))
    rows, total = crosstab(
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


DASHBOARD = Dashboard(
    "risques",
    "Risques",
    "Échéances dépassées et proches, dossiers proches de la prescription.",
    [deadlines_by_jurist, prescription_by_direction],
    uses_period=False,
)
