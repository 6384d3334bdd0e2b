"""What a dashboard is computed on: the user's cases, narrowed by the filters, and the
period with its buckets (months, quarters or years)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.db.models import Q, QuerySet
from django.db.models.functions import TruncMonth, TruncQuarter, TruncYear
from django.utils import timezone

from cases import access
from cases.enums import Mode, Role
from cases.formatting import MONTHS
from cases.forms import ActDateField, DateInput
from cases.models import ActionType, Case, Direction, User
from cases.sql import PARIS
from cases.validators import add_months

MONTH = "mois"
QUARTER = "trimestre"
YEAR = "annee"
STEPS = [(MONTH, "Mois"), (QUARTER, "Trimestre"), (YEAR, "Année")]
TRUNC = {MONTH: TruncMonth, QUARTER: TruncQuarter, YEAR: TruncYear}
MONTHS_PER_STEP = {MONTH: 1, QUARTER: 3, YEAR: 12}
MAX_YEARS = 15


def default_period(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The twelve months up to today: from the first day of the month eleven months ago."""
    return add_months(today.replace(day=1), -11), today


def default_step(start: datetime.date, end: datetime.date) -> str:
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    if months <= 18:
        return MONTH
    if months <= 72:
        return QUARTER
    return YEAR


def _quarter(day: datetime.date) -> int:
    return (day.month - 1) // 3 + 1


def bucket_start(day: datetime.date, step: str) -> datetime.date:
    if step == YEAR:
        return day.replace(month=1, day=1)
    if step == QUARTER:
        return day.replace(month=3 * _quarter(day) - 2, day=1)
    return day.replace(day=1)


def bucket_key(start: datetime.date, step: str) -> str:
    if step == YEAR:
        return f"{start.year}"
    if step == QUARTER:
        return f"{start.year}-T{_quarter(start)}"
    return f"{start.year}-{start.month:02d}"


def bucket_label(start: datetime.date, step: str) -> str:
    if step == YEAR:
        return f"{start.year}"
    if step == QUARTER:
        return f"T{_quarter(start)} {start.year}"
    return f"{MONTHS[start.month - 1]} {start.year}"


SHORT_MONTHS = (
    "janv.", "févr.", "mars", "avr.", "mai", "juin",
    "juil.", "août", "sept.", "oct.", "nov.", "déc.",
)  # fmt: skip


def bucket_short(start: datetime.date, step: str) -> str:
    """'déc. 25', 'T4 25', '2025': under a chart's columns."""
    if step == MONTH:
        return f"{SHORT_MONTHS[start.month - 1]} {start.year % 100:02d}"
    if step == QUARTER:
        return f"T{_quarter(start)} {start.year % 100:02d}"
    return f"{start.year}"


def parse_bucket(key: str) -> tuple[datetime.date, str] | None:
    """'2025' / '2025-T2' / '2025-03' -> (first day, step); None if malformed."""
    try:
        if len(key) == 4:
            return datetime.date(int(key), 1, 1), YEAR
        year, rest = key.split("-")
        if rest.startswith("T"):
            quarter = int(rest[1:])
            if not 1 <= quarter <= 4:
                return None
            return datetime.date(int(year), 3 * quarter - 2, 1), QUARTER
        return datetime.date(int(year), int(rest), 1), MONTH
    except (ValueError, TypeError):
        return None


class FilterForm(forms.Form):
    debut = ActDateField(label="Du", required=False, widget=DateInput())
    fin = ActDateField(label="Au", required=False, widget=DateInput())
    pas = forms.ChoiceField(label="Par", required=False, choices=[("", "Automatique"), *STEPS])
    direction = forms.ModelChoiceField(
        label="Direction", required=False, queryset=Direction.objects.none(), empty_label="Toutes"
    )
    action = forms.ModelChoiceField(
        label="Action", required=False, queryset=ActionType.objects.all(), empty_label="Toutes"
    )
    demande = forms.ChoiceField(
        label="Demande", required=False, choices=[("", "Toutes"), *Mode.choices]
    )
    juriste = forms.ModelChoiceField(
        label="Juriste", required=False, queryset=User.objects.none(), empty_label="Tous"
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["direction"].queryset = access.filterable_directions(user).order_by("code")
        self.fields["juriste"].queryset = User.objects.filter(
            role__in=[Role.JURIST, Role.HEAD]
        ).order_by("last_name", "first_name", "username")
        for field in self.fields.values():
            css = "fr-select" if isinstance(field.widget, forms.Select) else "fr-input"
            field.widget.attrs["class"] = css

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        start, end = data.get("debut"), data.get("fin")
        if "debut" in self.errors or "fin" in self.errors:
            return data
        default_start, default_end = default_period(today)
        start = start or (add_months(end.replace(day=1), -11) if end else default_start)
        end = end or default_end
        if start > end:
            self.add_error("fin", "La fin de la période doit suivre son début.")
        elif start < add_months(end, -12 * MAX_YEARS):
            self.add_error("debut", f"La période ne peut pas dépasser {MAX_YEARS} ans.")
        data["debut"], data["fin"] = start, end
        data["pas"] = data.get("pas") or default_step(start, end)
        return data


@dataclass
class Filters:
    user: User
    start: datetime.date
    end: datetime.date
    step: str
    direction: Direction | None = None
    action_type: ActionType | None = None
    mode: str = ""
    jurist: User | None = None

    @classmethod
    def from_form(cls, form: FilterForm) -> Filters:
        data = form.cleaned_data
        return cls(
            user=form.user,
            start=data["debut"],
            end=data["fin"],
            step=data["pas"],
            direction=data.get("direction"),
            action_type=data.get("action"),
            mode=data.get("demande") or "",
            jurist=data.get("juriste"),
        )

    @property
    def today(self) -> datetime.date:
        return timezone.localdate()

    def cases(self) -> QuerySet[Case]:
        """The user's cases narrowed by the filters (every period)."""
        cases = access.visible_cases(self.user)
        if self.direction:
            cases = cases.filter(direction=self.direction)
        if self.action_type:
            cases = cases.filter(action_type=self.action_type)
        if self.mode:
            cases = cases.filter(mode=self.mode)
        if self.jurist:
            cases = cases.filter(assigned_jurist=self.jurist)
        return cases

    def within(self, path: str, is_date: bool, start: datetime.date | None = None, end=None) -> Q:
        """`path` falls in [start, end] (days, both included; the filters' period by
        default). Datetimes are compared with the bounds of those days in Paris time, so
        that an index on the column serves."""
        start, end = start or self.start, end or self.end
        if is_date:
            return Q(**{f"{path}__gte": start, f"{path}__lte": end})
        return Q(**{f"{path}__gte": _midnight(start), f"{path}__lt": _midnight(end, 1)})

    def buckets(self) -> list[datetime.date]:
        first = bucket_start(self.start, self.step)
        result = []
        while first <= self.end:
            result.append(first)
            first = add_months(first, MONTHS_PER_STEP[self.step])
        return result

    def bucket_range(self, key: str) -> tuple[datetime.date, datetime.date] | None:
        """The days of a bucket, within the period; None when the key is not a bucket of
        this step."""
        parsed = parse_bucket(key)
        if parsed is None or parsed[1] != self.step:
            return None
        first, step = parsed
        last = add_months(first, MONTHS_PER_STEP[step]) - datetime.timedelta(days=1)
        return max(first, self.start), min(last, self.end)

    def trunc(self, path: str, is_date: bool):
        if is_date:
            return TRUNC[self.step](path)
        return TRUNC[self.step](path, tzinfo=PARIS)

    def params(self) -> dict[str, str]:
        """The filters as query parameters (for links to the cases behind a figure and
        to the exports)."""
        params = {
            "debut": self.start.isoformat(),
            "fin": self.end.isoformat(),
            "pas": self.step,
            "direction": self.direction.pk if self.direction else "",
            "action": self.action_type.pk if self.action_type else "",
            "demande": self.mode,
            "juriste": self.jurist.pk if self.jurist else "",
        }
        return {key: str(value) for key, value in params.items() if value != ""}

    def querystring(self, **extra) -> str:
        return urlencode({**self.params(), **{k: v for k, v in extra.items() if v is not None}})


def _midnight(day: datetime.date, plus_days: int = 0) -> datetime.datetime:
    day = day + datetime.timedelta(days=plus_days)
    return datetime.datetime.combine(day, datetime.time(), tzinfo=PARIS)
