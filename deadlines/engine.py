"""Legal deadlines under the Code de procédure civile, articles 640 to 642.

A pure module: no database, no settings, only the calendar.

- CPC 640-641: the day of the act, event or notification that starts a deadline is not
  counted. A deadline in days ends N days later; in months or years, on the day of the last
  month that bears the same number as the starting day, or on the last day of that month if
  it has no such day (cases.validators.add_months / add_years).
- "Jours ouvrables": every day except Sundays and public holidays.
- CPC 642: a deadline ends at 24:00 on its last day; one that would end on a Saturday, a
  Sunday or a public holiday is extended to the next working day.

Public holidays come from the `holidays` package (version 0.76 or later, which names the
French subdivisions by their ISO 3166-2 codes): the national calendar of the Code du travail
(L.3133-1) everywhere, plus the local holidays of Alsace-Moselle (Good Friday, 26 December)
and of the overseas départements (abolition of slavery and others).

Where the package is wider than the law (checked with holidays 0.109): Good Friday is a
holiday in Alsace-Moselle only in communes that have a Protestant temple or a mixed church
(Code du travail L.3134-13), the package counts it in all of 57, 67 and 68; for Guadeloupe
it adds Good Friday, Mi-Carême and 21 July (Victor Schoelcher), for Martinique 21 July,
local or customary days whose status as public holidays should be checked. An extra
holiday can only make a deadline end later: do not count on such an extension for a
deadline the pôle itself must meet, least of all one set à peine de caducité.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from datetime import date
from functools import lru_cache
from types import MappingProxyType

import holidays
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


@lru_cache(maxsize=1024)
def _holidays(subdivision: str | None, year: int) -> Mapping[date, str]:
    """Public holidays of one year in one subdivision's calendar (read-only, cached)."""
    # language="fr" explicitly: otherwise the package picks the names' language from the
    # process locale (English under LANG=C.UTF-8).
    calendar = holidays.France(subdiv=subdivision, years=year, language="fr")
    return MappingProxyType(dict(sorted(calendar.items())))


def _holidays_of(subdivision: str | None, year: int) -> Mapping[date, str]:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(
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


def _next_working_day(day: date, subdivision: str | None) -> date:
    """`day` itself if a deadline can end on it, else the next day one can (CPC art. 642)."""
    while not _is_working_day(day, subdivision):
        day += ONE_DAY
    return day


def _add_jours_ouvrables(start: date, count: int, subdivision: str | None) -> date:
    """The `count`-th jour ouvrable after `start` (the starting day is not counted)."""
    day = start
    while count:
        day += ONE_DAY
        if _is_jour_ouvrable(day, subdivision):
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
    public holidays of `departement` (mainland national calendar when None).

    Raises ValueError (French message) for a missing, extra or negative length, an unknown
    département or a deadline outside the known holiday calendar."""
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
        raise ValueError("Ce délai se terminerait au-delà de l'an 9999.") from None
    if unit == "ouvrables":
        last_day = _add_jours_ouvrables(start, length, subdivision)
    else:
        last_day = plain_last_day

    # CPC 642 applies to every deadline, jours ouvrables included. Counted in jours
    # ouvrables, the last day is never a Sunday or a holiday, but it can be a Saturday:
    # 642 extends a deadline that would expire on a Saturday too, so it moves to the next
    # working day (usually the Monday) like any other deadline. This is the reading that
    # never shortens the time the law gives; a stricter reading (a Saturday is a jour
    # ouvrable, so the deadline ends on it) would be a day earlier.
    return _next_working_day(last_day, subdivision)
