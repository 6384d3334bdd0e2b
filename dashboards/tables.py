"""A dashboard table: columns, rows of cells (a value and the link to the cases behind
it), an optional chart drawn from some of its columns, and its exports (CSV, XLSX)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from cases.formatting import NARROW_NBSP, NBSP, euros, percent

TEXT, COUNT, SHARE, DAYS, EUROS = "text", "count", "share", "days", "euros"


@dataclass
class Column:
    label: str
    kind: str = COUNT

    @property
    def numeric(self) -> bool:
        return self.kind != TEXT


@dataclass
class Cell:
    value: Any
    link: str = ""
    note: str = ""  # a badge shown after a text value (e.g. the direction's role)
    short: str = ""  # the label under a chart's column, when the value is too long

    def display(self, kind: str) -> str:
        return display(self.value, kind)


@dataclass
class Chart:
    """Bars drawn from one or more numeric columns, labelled by the first column.

    `columns`: a time series (vertical bars, series side by side); `bars`: categories
    (horizontal bars)."""

    kind: str
    series: list[int]

    COLUMNS, BARS = "columns", "bars"


@dataclass
class Table:
    key: str
    title: str
    columns: list[Column]
    rows: list[list[Cell]]
    description: str = ""
    chart: Chart | None = None
    total: list[Cell] | None = None
    notes: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        """A share, a delay or an amount opens the same cases as the count before it in
        its row (the opinions whose median it is, the decisions whose amounts…)."""
        for row in self.records():
            link = ""
            for cell, column in zip(row, self.columns, strict=True):
                if column.kind == COUNT:
                    link = cell.link
                elif column.numeric and not cell.link and cell.value is not None:
                    cell.link = link

    @property
    def beside(self) -> bool:
        """Narrow tables sit beside their chart on wide screens."""
        return self.chart is not None and len(self.columns) <= 4

    # --- chart geometry (SVG units), computed here so templates only draw -----------

    PALETTE = ("#000091", "#e1000f", "#18753c", "#b34000")

    def svg(self) -> dict | None:
        if not self.chart or not self.rows:
            return None
        series = self.chart.series
        peak = _true_peak(self.rows, series) or 1.0
        legend = [
            {"label": self.columns[i].label, "colour": self.PALETTE[n % len(self.PALETTE)]}
            for n, i in enumerate(series)
        ]
        if self.chart.kind == Chart.BARS:
            return self._bars(series, peak, legend)
        return self._columns(series, peak, legend)

    def _bars(self, series, peak, legend) -> dict:
        label_width, width, bar, gap = 330, 760, 16, 10
        group = bar * len(series) + gap
        bars = []
        for r, row in enumerate(self.rows):
            for n, i in enumerate(series):
                value = float(row[i].value or 0)
                bars.append(
                    {
                        "x": label_width,
                        "y": r * group + n * bar,
                        "w": max(value / peak * (width - label_width - 90), 0),
                        "h": bar - 2,
                        "colour": legend[n]["colour"],
                        "text": display(row[i].value, self.columns[i].kind),
                        "tx": label_width + max(value / peak * (width - label_width - 90), 0) + 4,
                        "ty": r * group + n * bar + bar - 4,
                    }
                )
        labels = [
            {"x": label_width - 6, "y": r * group + group / 2 + 1, "text": _short(row[0].value)}
            for r, row in enumerate(self.rows)
        ]
        return {
            "kind": "bars",
            "width": width,
            "height": len(self.rows) * group,
            "bars": bars,
            "labels": labels,
            "legend": legend if len(series) > 1 else [],
        }

    def _columns(self, series, peak, legend) -> dict:
        height, top, bottom, width = 220, 16, 40, 760
        count = len(self.rows)
        slot = width / max(count, 1)
        bar = min(28.0, (slot - 6) / len(series))
        plot = height - top - bottom
        bars, labels = [], []
        step = max(1, -(-count // 8))  # at most eight labels under the axis
        for r, row in enumerate(self.rows):
            x0 = r * slot + (slot - bar * len(series)) / 2
            for n, i in enumerate(series):
                value = float(row[i].value or 0)
                h = value / peak * plot
                bars.append(
                    {
                        "x": x0 + n * bar,
                        "y": top + plot - h,
                        "w": max(bar - 1, 1),
                        "h": h,
                        "colour": legend[n]["colour"],
                        "text": f"{row[0].value} : {display(row[i].value, self.columns[i].kind)}",
                    }
                )
            if r % step == 0:
                labels.append(
                    {
                        "x": r * slot + slot / 2,
                        "y": height - bottom + 16,
                        "text": row[0].short or _short(row[0].value, 14),
                    }
                )
        return {
            "kind": "columns",
            "width": width,
            "height": height,
            "axis_y": top + plot,
            "peak": display(_true_peak(self.rows, series), self.columns[series[0]].kind),
            "bars": bars,
            "labels": labels,
            "legend": legend if len(series) > 1 else [],
        }

    # --- exports -------------------------------------------------------------------

    def header(self) -> list[str]:
        return [column.label for column in self.columns]

    def records(self) -> list[list[Cell]]:
        return self.rows + ([self.total] if self.total else [])

    def to_csv(self) -> bytes:
        """Semicolon-separated, decimal comma, UTF-8 with its BOM: what a French
        spreadsheet opens as it is."""
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
        writer.writerow(self.header())
        for row in self.records():
            writer.writerow(
                [
                    _csv_value(cell.value, column.kind)
                    for cell, column in zip(row, self.columns, strict=True)
                ]
            )
        return ("\ufeff" + out.getvalue()).encode("utf-8")

    def to_xlsx(self) -> bytes:
        import xlsxwriter  # not a cycle: ~90 ms to load, paid by an XLSX export only

        out = io.BytesIO()
        book = xlsxwriter.Workbook(out, {"in_memory": True})
        sheet = book.add_worksheet(sheet_name(self.title))
        bold = book.add_format({"bold": True, "text_wrap": True, "valign": "top"})
        formats = {
            COUNT: book.add_format({"num_format": "#,##0"}),
            SHARE: book.add_format({"num_format": "0.0%"}),
            DAYS: book.add_format({"num_format": "0.0"}),
            EUROS: book.add_format({"num_format": '#,##0.00 "€"'}),
            TEXT: None,
        }
        sheet.write_row(0, 0, self.header(), bold)
        for r, row in enumerate(self.records(), start=1):
            for c, (cell, column) in enumerate(zip(row, self.columns, strict=True)):
                value = cell.value
                if value is None:
                    sheet.write_blank(r, c, None)
                elif column.kind == TEXT:
                    sheet.write_string(r, c, str(value))
                else:
                    sheet.write_number(r, c, float(value), formats[column.kind])
        sheet.set_column(0, 0, 40)
        sheet.set_column(1, len(self.columns) - 1, 16)
        sheet.freeze_panes(1, 0)
        book.close()
        return out.getvalue()


SHEET_NAME_MAX = 31  # Excel's limit on a sheet's name
SHEET_NAME_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})


def sheet_name(title: str) -> str:
    """A table's title as a sheet name: Excel's 31 characters, cut between two words
    (never inside one) and marked « … » when cut, without the characters Excel refuses."""
    words = title.translate(SHEET_NAME_FORBIDDEN).split()
    name = " ".join(words)
    if len(name) <= SHEET_NAME_MAX:
        return name or "Tableau"
    kept = ""
    for word in words:
        candidate = f"{kept} {word}".strip()
        if len(candidate) + 1 > SHEET_NAME_MAX:  # room for the ellipsis
            break
        kept = candidate
    kept = kept.rstrip(" ,;.-–—(")
    return f"{kept}…" if kept else name[: SHEET_NAME_MAX - 1] + "…"


def display(value: Any, kind: str) -> str:
    if value is None:
        return "—"
    if kind == TEXT:
        return str(value)
    if kind == EUROS:
        return euros(value)
    if kind == SHARE:
        return percent(value)
    if kind == DAYS:
        number = f"{float(value):.1f}".replace(".", ",").removesuffix(",0")
        return f"{number}{NBSP}j"
    return _thousands(int(value))


def _thousands(number: int) -> str:
    return f"{number:,}".replace(",", NARROW_NBSP)


def _csv_value(value: Any, kind: str) -> str:
    if value is None:
        return ""
    if kind == TEXT:
        return str(value)
    if kind == COUNT:
        return str(int(value))
    if kind == EUROS:
        return f"{Decimal(value):.2f}".replace(".", ",")
    if kind == SHARE:
        return f"{float(value):.4f}".replace(".", ",")
    return f"{float(value):.1f}".replace(".", ",")


def _short(text: Any, limit: int = 42) -> str:
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _true_peak(rows, series) -> float:
    return max([float(row[i].value or 0) for row in rows for i in series] + [0])


def share(part, whole) -> float | None:
    return (part / whole) if whole else None
