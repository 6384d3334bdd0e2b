"""Legal deadlines under the Code de procédure civile, articles 640 to 642.

A pure module: no database, no settings, only the calendar.

- CPC 640-641: the day of the act, event or notification that starts a deadline is not
  counted. A deadline in days ends N days later; in months or years, on the day of the last
  month that bears the same number as the starting day, or on the last day of that month if
  it has no such day (cases.validators.add_months / add_years).
- "Jours ouvrables": every day except Sundays and public holidays.
- CPC 642: a deadline ends at 24:00 on its last day; one that would end on a Saturday, a
  Sunday or a public holiday is extended to the next working day.

Public holidays: only the statutory ones extend a deadline or are skipped by jours ouvrables.
- Everywhere, the eleven fêtes légales of the Code du travail, L.3133-1: 1 January, Easter
  Monday, 1 May, 8 May, Ascension, Whit Monday, 14 July, 15 August, 1 November,
  11 November, 25 December. Whit Monday stays a fête légale in 2005-2007: the loi
  n° 2004-626 of 30 June 2004 made it, by default, the journée de solidarité (a day worked)
  without taking it off the list, which is what CPC 642 reads.
- In Moselle, Bas-Rhin and Haut-Rhin (57, 67, 68), Good Friday and 26 December
  (C. trav. L.3134-13). The text gives Good Friday only "dans les communes ayant un temple
  protestant ou une église mixte"; every town that seats a tribunal judiciaire there
  (Metz, Thionville, Sarreguemines, Strasbourg, Saverne, Colmar, Mulhouse) has one, so it
  is counted for the whole département.
- Overseas, the commemoration of the abolition of slavery (C. trav. L.3422-2), on the date
  fixed for each by décret n° 83-1003 of 23 November 1983 as amended (ABOLITION_DAYS).

The `holidays` package (version 0.76 or later, which names the French subdivisions by
their ISO 3166-2 codes) gives the dates and their history (8 May not a holiday 1960-1981,
11 November from 1922…); a day it lists counts only if it is one of the statutory days
above (NATIONAL_FIXED_DAYS and the rules after it). The package is wider than the law
(checked with holidays 0.109): Good Friday, Mi-Carême and 21 July (Victor Schoelcher) in
Guadeloupe, 21 July in Martinique. Those days never extend a deadline:
`non_statutory_days` and `compute_deadline_details` report them so that a page can warn
that a local custom may close the registry on them. It is also narrower once: it drops
Whit Monday in 2005-2007, which the engine adds back.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from types import MappingProxyType

import holidays
from dateutil.easter import easter as dateutil_easter
from django.core.exceptions import ValidationError

from cases.validators import add_months, add_years, validate_departement

ONE_DAY = datetime.timedelta(days=1)
SATURDAY, SUNDAY = 5, 6  # date.weekday()

# Département code → subdivision of holidays.France. A département not listed here, but
# valid (01-95, 2A, 2B), follows the national calendar (subdivision None).
DEPARTEMENT_SUBDIVISIONS: Mapping[str, str] = MappingProxyType(
    {
        "57": "57",  # Moselle: Good Friday and 26 December (local law)
        "67": "6AE",  # Bas-Rhin: the package's "Alsace" subdivision, same local holidays
        "68": "6AE",  # Haut-Rhin
        "971": "971",  # Guadeloupe
        "972": "972",  # Martinique
        "973": "973",  # Guyane
        "974": "974",  # La Réunion
        # Saint-Pierre-et-Miquelon: INSEE code 975, a collectivity since 1985; the package
        # gives it no holiday of its own today, so it follows the national calendar.
        "975": "PM",
        "976": "976",  # Mayotte
    }
)

# Years the package knows France's holidays for; outside them it silently returns none.
FIRST_YEAR: int = holidays.France.start_year
LAST_YEAR: int = holidays.France.end_year

_LENGTH_UNITS = ("days", "months", "years", "ouvrables")


def holiday_subdivision(departement: str | None) -> str | None:
    """The `holidays.France` subdivision whose calendar applies in `departement`
    (None: the national calendar). An unknown département raises ValueError."""
    if departement is None:
        return None
    code = str(departement).strip().upper()
    try:
        validate_departement(code)
    except ValidationError as error:
        raise ValueError(f"Département inconnu : « {departement} ». {error.messages[0]}") from None
    return DEPARTEMENT_SUBDIVISIONS.get(code)


# The statutory public holidays, as rules: (month, day) or days after Easter Sunday.
NATIONAL_FIXED_DAYS = ((1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25))
NATIONAL_EASTER_OFFSETS = (1, 39, 50)  # Easter Monday, Ascension, Whit Monday
WHIT_MONDAY_OFFSET = 50
ALSACE_MOSELLE_SUBDIVISIONS = ("57", "6AE")
ALSACE_MOSELLE_FIXED_DAYS = ((12, 26),)  # C. trav. L.3134-13: second day of Christmas
ALSACE_MOSELLE_EASTER_OFFSETS = (-2,)  # C. trav. L.3134-13: Good Friday
# C. trav. L.3422-2: the abolition of slavery, on the date décret n° 83-1003 gives each.
ABOLITION_DAYS: Mapping[str, tuple[int, int]] = MappingProxyType(
    {
        "971": (5, 27),  # Guadeloupe
        "972": (5, 22),  # Martinique
        "973": (6, 10),  # Guyane
        "974": (12, 20),  # La Réunion
        "976": (4, 27),  # Mayotte
    }
)
WHIT_MONDAY_NAME = "Lundi de Pentecôte"


def _statutory_rule_dates(subdivision: str | None, year: int) -> set[date]:
    """The days the texts make public holidays in `year` (the rules above)."""
    easter = dateutil_easter(year)
    fixed = list(NATIONAL_FIXED_DAYS)
    offsets = list(NATIONAL_EASTER_OFFSETS)
    if subdivision in ALSACE_MOSELLE_SUBDIVISIONS:
        fixed += ALSACE_MOSELLE_FIXED_DAYS
        offsets += ALSACE_MOSELLE_EASTER_OFFSETS
    if subdivision in ABOLITION_DAYS:
        fixed.append(ABOLITION_DAYS[subdivision])
    days = {date(year, month, day) for month, day in fixed}
    return days | {easter + datetime.timedelta(days=offset) for offset in offsets}


@lru_cache(maxsize=1024)
def _package_holidays(subdivision: str | None, year: int) -> Mapping[date, str]:
    """Every public holiday the `holidays` package lists (read-only, cached)."""
    # language="fr" explicitly: otherwise the package picks the names' language from the
    # process locale (English under LANG=C.UTF-8).
    calendar = holidays.France(subdiv=subdivision, years=year, language="fr")
    return MappingProxyType(dict(sorted(calendar.items())))


@lru_cache(maxsize=1024)
def _holidays(subdivision: str | None, year: int) -> Mapping[date, str]:
    """The statutory public holidays of one year in one subdivision (read-only, cached):
    the package's days that the texts make holidays, plus Whit Monday where the package
    drops it (2005-2007, see the module's docstring)."""
    rules = _statutory_rule_dates(subdivision, year)
    listed = _package_holidays(subdivision, year)
    statutory = {day: name for day, name in listed.items() if day in rules}
    whit_monday = dateutil_easter(year) + datetime.timedelta(days=WHIT_MONDAY_OFFSET)
    if year >= 1886:  # a fête légale since the loi du 8 mars 1886
        statutory.setdefault(whit_monday, WHIT_MONDAY_NAME)
    return MappingProxyType(dict(sorted(statutory.items())))


@lru_cache(maxsize=1024)
def _non_statutory(subdivision: str | None, year: int) -> Mapping[date, str]:
    statutory = _holidays(subdivision, year)
    listed = _package_holidays(subdivision, year)
    return MappingProxyType({day: name for day, name in listed.items() if day not in statutory})


class OutOfCalendar(ValueError):
    """A deadline outside the years the engine counts (its message is French, for the
    user: the pages show it on the form instead of failing)."""


def _holidays_of(subdivision: str | None, year: int) -> Mapping[date, str]:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise OutOfCalendar(
            f"Les jours fériés ne sont connus que de {FIRST_YEAR} à {LAST_YEAR} : "
            f"impossible de calculer un délai en {year}."
        )
    return _holidays(subdivision, year)


def _is_holiday(day: date, subdivision: str | None) -> bool:
    return day in _holidays_of(subdivision, day.year)


def _is_working_day(day: date, subdivision: str | None) -> bool:
    return day.weekday() not in (SATURDAY, SUNDAY) and not _is_holiday(day, subdivision)


def _is_jour_ouvrable(day: date, subdivision: str | None) -> bool:
    return day.weekday() != SUNDAY and not _is_holiday(day, subdivision)


def _check_day(day: date) -> None:
    # A datetime is a date too, but it would never match the holiday dates, and its day
    # depends on a time zone: ask the caller for the (Paris) date.
    if not isinstance(day, date) or isinstance(day, datetime.datetime):
        raise TypeError(f"Une date (datetime.date) est attendue, et non « {day!r} ».")


def public_holidays(year: int, departement: str | None = None) -> dict[date, str]:
    """The public holidays of `year` in `departement` (national calendar by default),
    by date, with their French names."""
    return dict(_holidays_of(holiday_subdivision(departement), year))


def is_working_day(day: date, departement: str | None = None) -> bool:
    """Neither a Saturday, a Sunday nor a public holiday: a day a deadline can end on
    (CPC art. 642)."""
    _check_day(day)
    return _is_working_day(day, holiday_subdivision(departement))


def is_jour_ouvrable(day: date, departement: str | None = None) -> bool:
    """Neither a Sunday nor a public holiday (Saturdays are jours ouvrables)."""
    _check_day(day)
    return _is_jour_ouvrable(day, holiday_subdivision(departement))


def _is_customary_holiday(day: date, subdivision: str | None) -> bool:
    """A day the `holidays` package lists beyond the statutory ones (a warning only)."""
    return day in _non_statutory(subdivision, day.year)


def _next_working_day(day: date, subdivision: str | None, customary: bool = False) -> date:
    """`day` itself if a deadline can end on it, else the next day one can (CPC art. 642).
    `customary`: also skip the package's non-statutory days (for the warning only)."""
    while not _is_working_day(day, subdivision) or (
        customary and _is_customary_holiday(day, subdivision)
    ):
        day += ONE_DAY
    return day


def _add_jours_ouvrables(
    start: date, count: int, subdivision: str | None, customary: bool = False
) -> date:
    """The `count`-th jour ouvrable after `start` (the starting day is not counted)."""
    day = start
    while count:
        day += ONE_DAY
        if _is_jour_ouvrable(day, subdivision) and not (
            customary and _is_customary_holiday(day, subdivision)
        ):
            count -= 1
    return day


def _plain_last_day(start: date, unit: str, length: int) -> date:
    """The last day by plain arithmetic, before any holiday or week-end is looked at (for
    jours ouvrables, the lower bound start + N days: a Sunday or holiday only adds days)."""
    if unit == "months":
        return add_months(start, length)
    if unit == "years":
        return add_years(start, length)
    return start + datetime.timedelta(days=length)


@dataclass(frozen=True)
class ComputedDeadline:
    """A deadline's last day, with what a page needs to explain it.

    `non_statutory_days`: the days the `holidays` package lists but the law does not make
    public holidays (Mi-Carême, 21 July…) that would have made the deadline end later had
    they been counted; they do not extend it. `customary_last_day`: where it would then
    have ended (equal to `last_day` when no such day is met)."""

    last_day: date
    plain_last_day: date
    customary_last_day: date
    non_statutory_days: tuple[tuple[date, str], ...] = ()
    # The day the count reaches before CPC 642 extends it (in jours ouvrables, the N-th
    # one: it may be a Saturday); None only when built by hand.
    counted_last_day: date | None = None


def compute_deadline_details(
    start: date,
    *,
    days: int | None = None,
    months: int | None = None,
    years: int | None = None,
    ouvrables: int | None = None,
    departement: str | None = None,
) -> ComputedDeadline:
    """`compute_deadline`, with the plain arithmetic day and the non-statutory days met on
    the way (see ComputedDeadline). Same arguments and errors."""
    _check_day(start)
    lengths = dict(zip(_LENGTH_UNITS, (days, months, years, ouvrables), strict=True))
    given = {unit: length for unit, length in lengths.items() if length is not None}
    if len(given) != 1:
        raise ValueError(
            "Indiquez une et une seule durée de délai : en jours, en mois, en années "
            "ou en jours ouvrables."
        )
    ((unit, length),) = given.items()
    if isinstance(length, bool) or not isinstance(length, int) or length < 0:
        raise ValueError(
            f"La durée du délai doit être un nombre entier positif ou nul, et non « {length} »."
        )
    subdivision = holiday_subdivision(departement)

    try:
        plain_last_day = _plain_last_day(start, unit, length)
    except (OverflowError, ValueError):
        raise OutOfCalendar("Ce délai se terminerait au-delà de l'an 9999.") from None

    def last_day_of(customary: bool) -> date:
        if unit == "ouvrables":
            counted = _add_jours_ouvrables(start, length, subdivision, customary)
        else:
            counted = plain_last_day
        # CPC 642 applies to every deadline, jours ouvrables included. Counted in jours
        # ouvrables, the last day is never a Sunday or a holiday, but it can be a Saturday:
        # 642 extends a deadline that would expire on a Saturday too, so it moves to the
        # next working day (usually the Monday) like any other deadline. This is the
        # reading that never shortens the time the law gives; a stricter reading (a
        # Saturday is a jour ouvrable, so the deadline ends on it) would be a day earlier.
        return _next_working_day(counted, subdivision, customary)

    last_day = last_day_of(customary=False)
    customary_last_day = last_day_of(customary=True)
    met: tuple[tuple[date, str], ...] = ()
    if customary_last_day != last_day:
        # Counted in jours ouvrables, a customary day anywhere in the count mattered;
        # otherwise only those from the plain last day on.
        first = start + ONE_DAY if unit == "ouvrables" else plain_last_day
        met = tuple(non_statutory_days(first, customary_last_day, departement).items())
    counted = (
        _add_jours_ouvrables(start, length, subdivision) if unit == "ouvrables" else plain_last_day
    )
    return ComputedDeadline(last_day, plain_last_day, customary_last_day, met, counted)


def compute_deadline(
    start: date,
    *,
    days: int | None = None,
    months: int | None = None,
    years: int | None = None,
    ouvrables: int | None = None,
    departement: str | None = None,
) -> date:
    """The last day of a deadline of exactly one of `days`, `months`, `years` or
    `ouvrables` (jours ouvrables) running from `start`, under CPC art. 640-642, with the
    statutory public holidays of `departement` (mainland national calendar when None).
    `compute_deadline_details` gives the same day with its explanation.

    Raises ValueError (French message) for a missing, extra or negative length, an unknown
    département or a deadline outside the known holiday calendar."""
    return compute_deadline_details(
        start, days=days, months=months, years=years, ouvrables=ouvrables, departement=departement
    ).last_day


def compute_deadline_before(
    anchor: date,
    *,
    days: int | None = None,
    months: int | None = None,
    departement: str | None = None,
) -> date:
    """The last day to act for a deadline counted back from `anchor` (a hearing): "at the
    latest N days or months before". The same day number N months earlier (CPC 641), and
    when that day is not a working day, the working day before: CPC 642 only extends
    deadlines that run forward, and a deadline the pôle itself must meet is never counted
    on its most generous reading."""
    _check_day(anchor)
    given = {unit: n for unit, n in (("days", days), ("months", months)) if n is not None}
    if len(given) != 1:
        raise ValueError("Indiquez une et une seule durée à rebours : en jours ou en mois.")
    ((unit, length),) = given.items()
    if isinstance(length, bool) or not isinstance(length, int) or length < 0:
        raise ValueError(
            f"La durée du délai doit être un nombre entier positif ou nul, et non « {length} »."
        )
    subdivision = holiday_subdivision(departement)
    try:
        if unit == "months":
            day = add_months(anchor, -length)
        else:
            day = anchor - datetime.timedelta(days=length)
    except (OverflowError, ValueError):
        raise ValueError("Ce délai commencerait avant l'an 1.") from None
    while not _is_working_day(day, subdivision):
        day -= ONE_DAY
    return day


def non_statutory_holidays(year: int, departement: str | None = None) -> dict[date, str]:
    """The days the `holidays` package lists in `year` for `departement` that are not
    statutory public holidays (Guadeloupe: Good Friday, Mi-Carême, 21 July…): they never
    extend a deadline, a page shows them as a warning."""
    subdivision = holiday_subdivision(departement)
    _holidays_of(subdivision, year)  # the same range check as the statutory calendar
    return dict(_non_statutory(subdivision, year))


def non_statutory_days(first: date, last: date, departement: str | None = None) -> dict[date, str]:
    """The non-statutory days (see non_statutory_holidays) from `first` to `last`
    included, by date."""
    _check_day(first)
    _check_day(last)
    found: dict[date, str] = {}
    for year in range(first.year, last.year + 1):
        for day, name in non_statutory_holidays(year, departement).items():
            if first <= day <= last:
                found[day] = name
    return found
