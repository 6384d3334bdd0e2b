"""SQL pieces that Django does not ship: a percentile aggregate and a number of days
between two dates, on PostgreSQL and on the embedded SQLite. The dashboards count with them,
and so do the comparables beside an opinion (`cases.comparables`): one definition of a
median and of a delay in days for both.

PostgreSQL computes percentiles natively (`percentile_cont … WITHIN GROUP`). SQLite has
no percentile function in the builds Python ships, so the same aggregate is registered on
each SQLite connection (`pnsr_percentile`), with PostgreSQL's definition: linear
interpolation between the two nearest ranks. Either way the figure comes out of the
database as one aggregate per group.
"""

from __future__ import annotations

import math
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Aggregate, FloatField, Func, IntegerField
from django.db.models.functions import TruncDate

PARIS = ZoneInfo(settings.TIME_ZONE)  # whose days and months a period or a delay counts


class Percentile(Aggregate):
    """`percentile_cont(fraction)` of an expression, per group (NULLs ignored)."""

    name = "Percentile"
    function = "percentile_cont"
    output_field = FloatField()
    allow_distinct = False

    def __init__(self, expression, fraction: float, **extra):
        if not 0 <= fraction <= 1:
            raise ValueError("fraction must be between 0 and 1")
        self.fraction = float(fraction)
        super().__init__(expression, **extra)

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template=f"percentile_cont({self.fraction!r}) WITHIN GROUP (ORDER BY %(expressions)s)",
            **extra_context,
        )

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template=f"pnsr_percentile(%(expressions)s, {self.fraction!r})",
            **extra_context,
        )


class DaysBetween(Func):
    """Whole days from `start` to `end`, both dates (use TruncDate on datetimes)."""

    output_field = IntegerField()

    def __init__(self, end, start, **extra):
        super().__init__(end, start, **extra)

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler, connection, template="(%(expressions)s)", arg_joiner=" - ", **extra_context
        )

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra_context,
        )


def days(end, start, *, end_is_date: bool = False, start_is_date: bool = False) -> DaysBetween:
    """Calendar days from `start` to `end` (field paths or expressions), datetimes taken
    as their day in Paris."""

    def as_date(path, is_date):
        return path if is_date else TruncDate(path, tzinfo=PARIS)

    return DaysBetween(as_date(end, end_is_date), as_date(start, start_is_date))


def percentile_cont(values: list[float], fraction: float) -> float | None:
    """PostgreSQL's percentile_cont on a list (the SQLite aggregate's arithmetic)."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    low = math.floor(position)
    high = math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


class _SQLitePercentile:
    def __init__(self):
        self.values: list[float] = []
        self.fraction = 0.5

    def step(self, value, fraction):
        if value is not None:
            self.values.append(value)
        self.fraction = fraction

    def finalize(self):
        return percentile_cont(self.values, self.fraction)


def register_sqlite_functions(sender, connection, **kwargs) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_aggregate("pnsr_percentile", 2, _SQLitePercentile)
