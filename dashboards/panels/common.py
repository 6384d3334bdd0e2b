"""What every dashboard's tables share: the dashboard itself, grouping a figure's rows in
SQL, delays in days, and the cells a table is made of (a count and the link to the
cases behind it, a period, a share)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Count

from cases.formatting import person_name
from cases.models import ActionType, Direction, User
from cases.sql import PARIS, Percentile

from ..figures import Figure
from ..filters import Filters, bucket_key, bucket_label, bucket_short
from ..tables import DAYS, TEXT, Cell, Column, Table, share


@dataclass(frozen=True)
class Dashboard:
    slug: str
    title: str
    lead: str
    tables: list[Callable[[Filters], Table]]
    uses_period: bool = True

    def table(self, key: str) -> Callable[[Filters], Table] | None:
        return next((t for t in self.tables if t.__name__ == key), None)


# --- grouping in SQL ----------------------------------------------------------------------


def grouped(rows, *fields, **aggregates) -> list[dict]:
    return list(rows.order_by().values(*fields).annotate(**aggregates))


def counts_by(rows, field: str) -> dict[object, int]:
    """{value of the field: number of rows}."""
    return {r[field]: r["n"] for r in grouped(rows, field, n=Count("pk"))}


def crossed_counts(rows, row: str, column: str) -> dict[object, dict[object, int]]:
    """{row value: {column value: number of rows}}."""
    counts = defaultdict(dict)
    for r in grouped(rows, row, column, n=Count("pk")):
        counts[r[row]][r[column]] = r["n"]
    return counts


def as_day(value) -> datetime.date:
    """A truncated date or datetime (PostgreSQL and SQLite) as the day it starts."""
    if isinstance(value, datetime.datetime):
        return value.astimezone(PARIS).date() if value.tzinfo else value.date()
    if isinstance(value, str):  # SQLite may hand back text
        return datetime.date.fromisoformat(value[:10])
    return value


def bucket_of(f: Filters, truncated) -> str:
    """The key of the period a truncated date (`Filters.trunc`) starts."""
    return bucket_key(as_day(truncated), f.step)


def by_bucket(f: Filters, rows, date: str, is_date: bool, **aggregates) -> dict[str, dict]:
    return {
        bucket_of(f, row["bucket"]): row
        for row in grouped(rows.annotate(bucket=f.trunc(date, is_date)), "bucket", **aggregates)
    }


# --- delays -------------------------------------------------------------------------------


def delay_aggregates(delay) -> dict:
    return {
        "n": Count("pk"),
        "median": Percentile(delay, 0.5),
        "p90": Percentile(delay, 0.9),
    }


def delay_columns(label: str, count: str) -> list[Column]:
    return [
        Column(label, TEXT),
        Column(count),
        Column("Médiane", DAYS),
        Column("90ᵉ centile", DAYS),
    ]


def delay_cells(aggregates: dict, link: str) -> list[Cell]:
    """How many, the median and the 90th percentile of `delay_aggregates`."""
    return [
        count_cell(aggregates.get("n", 0), link),
        Cell(aggregates.get("median")),
        Cell(aggregates.get("p90")),
    ]


# --- cells and rows -----------------------------------------------------------------------


def count_cell(value: int, link: str) -> Cell:
    return Cell(value, link if value else "")


def periods(f: Filters) -> list[tuple[str, Cell]]:
    """Each period of the filters: its key (the `periode` of links) and its first cell."""
    return [
        (
            bucket_key(start, f.step),
            Cell(bucket_label(start, f.step), short=bucket_short(start, f.step)),
        )
        for start in f.buckets()
    ]


def person(first_name: str, last_name: str, username: str) -> str:
    """A user's name from grouped values (no user fetched), as `person_name` writes it."""
    return person_name(User(first_name=first_name, last_name=last_name, username=username))


def direction_label(code: str, name: str) -> str:
    return f"{code} — {name}"


def direction_labels() -> dict:
    return {d.pk: direction_label(d.code, d.name) for d in Direction.objects.order_by("code")}


def action_labels() -> dict:
    return {a.pk: a.label for a in ActionType.objects.order_by("position", "label")}


def share_rows(
    f: Filters, figure: Figure, param: str, choices: Iterable, counts: dict, whole: int
) -> list[list[Cell]]:
    """One row per (value, label) of `choices`: its count, linked to its rows, and its
    share of `whole`."""
    return [
        [
            Cell(label),
            count_cell(counts.get(value, 0), figure.link(f, **{param: value})),
            Cell(share(counts.get(value, 0), whole)),
        ]
        for value, label in choices
    ]


def share_total(f: Filters, figure: Figure, total: int) -> list[Cell]:
    return [Cell("Total"), count_cell(total, figure.link(f)), Cell(share(total, total))]


def crosstab(f, figure, names: dict, counts: dict, row_param: str, columns, column_param: str):
    """Rows (one per key of `names`, in that order) of counts per column, each linked to
    its cases, and the total row."""
    rows = [
        [Cell(name)]
        + [
            count_cell(
                counts.get(key, {}).get(value, 0),
                figure.link(f, **{row_param: key, column_param: value}),
            )
            for value, _ in columns
        ]
        for key, name in names.items()
    ]
    total = [Cell("Total")] + [
        count_cell(
            sum(c.get(value, 0) for c in counts.values()),
            figure.link(f, **{column_param: value}),
        )
        for value, _ in columns
    ]
    return rows, total
