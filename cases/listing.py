"""The case list's columns, sorts and exports (`/dossiers/`, its CSV and XLSX exports).

A column the kernel cannot compute (the next open deadline lives in the deadlines layer)
is registered by the app above it in its `AppConfig.ready()` (`register_annotation`), as
the case page's panels are (cases/panels.py): the list annotates its cases with what is
registered, and a column, sort or filter whose annotation is missing is simply not offered.

An export streams its rows (CSV through a generator, XLSX through xlsxwriter's
constant-memory mode into a temporary file): 100,000 rows never sit in memory at once.
"""

from __future__ import annotations

import csv
import datetime
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.db.models import F, Max, OuterRef, Subquery

from .formatting import actor_label
from .models import Case, CaseEvent

# --- Annotations registered by the layers above -------------------------------------------

_annotations: dict[str, Callable[[], models.Expression]] = {}


def register_annotation(name: str, expression: Callable[[], models.Expression]) -> None:
    """`expression()` gives, for a case (OuterRef("pk")), the value of column `name`."""
    _annotations[name] = expression


def last_activity() -> models.Expression:
    """The moment of the case's latest history entry (its (case, id) index)."""
    return Subquery(
        CaseEvent.objects.filter(case=OuterRef("pk"))
        .order_by()
        .values("case")
        .annotate(latest=Max("at"))
        .values("latest"),
        output_field=models.DateTimeField(),
    )


register_annotation("last_activity", last_activity)


def annotate(cases: models.QuerySet[Case], names: set[str]) -> models.QuerySet[Case]:
    """The registered annotations among `names` (those a page shows, sorts or filters on:
    an annotation costs a subquery per row)."""
    wanted = {name: _annotations[name]() for name in sorted(names) if name in _annotations}
    return cases.annotate(**wanted) if wanted else cases


def available(name: str) -> bool:
    return name in _annotations


# --- Columns ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    sort: str | None  # the field or annotation the list sorts on; None: not sortable
    annotation: str = ""  # a registered annotation it needs
    pole_only: bool = False  # the pôle's own (its labels)


REFERENCE = Column("reference", "Référence", "reference")
COLUMNS: tuple[Column, ...] = (
    Column("debtor", "Redevable", "debtor__name"),
    Column("direction", "Direction / poste", "direction__code"),
    Column("action", "Action et demande", "action_type__label"),
    Column("status", "Statut", "status"),
    Column("jurist", "Juriste", "assigned_jurist__last_name"),
    Column("expert", "Expert", "assigned_expert__last_name"),
    Column("amount", "Reste à recouvrer", "total_remaining"),
    Column("prescription", "Prescription", "earliest_prescription"),
    Column("next_deadline", "Prochaine échéance", "next_deadline", annotation="next_deadline"),
    Column("last_activity", "Dernière activité", "last_activity", annotation="last_activity"),
    Column("created", "Créé le", "created_at"),
    Column("labels", "Étiquettes", None, pole_only=True),
)
DEFAULT_COLUMNS = ("debtor", "direction", "action", "status", "amount", "prescription", "labels")
DEFAULT_SORT = "-created"
BY_KEY = {column.key: column for column in (REFERENCE, *COLUMNS)}


def columns_for(user_sees_labels: bool) -> list[Column]:
    """The columns a user may choose among."""
    return [
        column
        for column in COLUMNS
        if (user_sees_labels or not column.pole_only)
        and (not column.annotation or available(column.annotation))
    ]


def sort_choices(user_sees_labels: bool) -> list[tuple[str, str]]:
    choices = []
    for column in (REFERENCE, *columns_for(user_sees_labels)):
        if column.sort:
            choices.append((column.key, f"{column.label} (croissant)"))
            choices.append((f"-{column.key}", f"{column.label} (décroissant)"))
    return choices


def ordering(sort: str) -> list:
    """The ORDER BY of a sort key (« amount », « -amount »): empty values last whichever the
    direction, the primary key last so that a page is the same at each load."""
    descending = sort.startswith("-")
    column = BY_KEY.get(sort.removeprefix("-"))
    if column is None or column.sort is None:
        return ["-created_at", "-pk"]
    field = F(column.sort)
    return [
        field.desc(nulls_last=True) if descending else field.asc(nulls_last=True),
        "-pk" if descending else "pk",
    ]


def needed_annotations(columns: list[str], sort: str, filters: dict) -> set[str]:
    names = {BY_KEY[key].annotation for key in columns if key in BY_KEY}
    names.add(BY_KEY.get(sort.removeprefix("-"), REFERENCE).annotation)
    if filters.get("deadline_within"):
        names.add("next_deadline")
    return {name for name in names if name}


# --- Exports ----------------------------------------------------------------------------------


def _value(case: Case, key: str):
    """A column's value in an export: text, a number, a date or None."""
    match key:
        case "reference":
            return case.reference
        case "debtor":
            return str(case.debtor) if case.debtor_id else ""
        case "direction":
            poste = f" / {case.poste_comptable}" if case.poste_comptable_id else ""
            return f"{case.direction}{poste}"
        case "action":
            mode = f" ({case.get_mode_display()})" if case.mode else ""
            return f"{case.action_type or ''}{mode}"
        case "status":
            return case.get_status_display()
        case "jurist":
            return actor_label(case.assigned_jurist) if case.assigned_jurist_id else ""
        case "expert":
            return actor_label(case.assigned_expert) if case.assigned_expert_id else ""
        case "amount":
            return case.total_remaining
        case "prescription":
            return case.earliest_prescription
        case "next_deadline":
            return getattr(case, "next_deadline", None)
        case "last_activity":
            moment = getattr(case, "last_activity", None)
            return moment.date() if moment else None
        case "created":
            return case.created_at.date()
        case "labels":
            return ", ".join(label.name for label in case.labels.all())
    raise KeyError(key)


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}".replace(".", ",")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    text = str(value)
    # A cell a spreadsheet would run as a formula (CSV injection) is read as text.
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_rows(cases: models.QuerySet[Case], keys: list[str]) -> Iterator[str]:
    """The CSV a spreadsheet opens in French (semicolons, decimal comma, BOM), a line at a
    time from a server-side cursor."""
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")
    yield "\ufeff" + writer.writerow([BY_KEY[key].label for key in keys])
    for case in cases.iterator(chunk_size=2000):
        yield writer.writerow([_csv_cell(_value(case, key)) for key in keys])


def xlsx_file(cases: models.QuerySet[Case], keys: list[str]):
    """The XLSX in a temporary file (xlsxwriter's constant memory mode writes each row as it
    comes), open at its start for a FileResponse; the file is gone once closed."""
    import xlsxwriter  # ~90 ms to load, paid by an XLSX export only

    out = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 (closed by the FileResponse)
    book = xlsxwriter.Workbook(out, {"constant_memory": True, "tmpdir": tempfile.gettempdir()})
    sheet = book.add_worksheet("Dossiers")
    bold = book.add_format({"bold": True})
    euros = book.add_format({"num_format": '#,##0.00 "€"'})
    dates = book.add_format({"num_format": "dd/mm/yyyy"})
    sheet.write_row(0, 0, [BY_KEY[key].label for key in keys], bold)
    for r, case in enumerate(cases.iterator(chunk_size=2000), start=1):
        for c, key in enumerate(keys):
            value = _value(case, key)
            if value is None or value == "":
                sheet.write_blank(r, c, None)
            elif isinstance(value, Decimal):
                sheet.write_number(r, c, float(value), euros)
            elif isinstance(value, datetime.date):
                sheet.write_datetime(r, c, datetime.datetime.combine(value, datetime.time()), dates)
            else:
                sheet.write_string(r, c, str(value))
    book.close()
    out.seek(0)
    return out
