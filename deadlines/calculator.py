"""The « Calculateur de délais » page's sums: a simple deadline with its délai de distance
and the saisie immobilière calendar. Nothing of its own: the engines the case deadlines
and the `procedure_calendar` command use (engine, distance, saisie_calendar, calendar),
put in the shape of a page."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from .calendar import METROPOLITAN_SEAT, registry_last_open_day
from .distance import Extension, PeriodKind, deadline_with_distance, residence_of
from .engine import compute_deadline_details
from .local_law import LocalCalendar, LocalDates, local_calendar
from .saisie_calendar import SaisieCalendar, SaisieDates, saisie_calendar

UNITS = {
    "days": "jours",
    "months": "mois",
    "years": "ans",
    "ouvrables": "jours ouvrables",
}


@dataclass(frozen=True)
class SimpleResult:
    base_last_day: datetime.date  # the period alone (CPC 640-642)
    extension: Extension | None  # the délai de distance, for an appeal or appearance period
    last_day: datetime.date  # with the extension
    non_statutory_days: tuple[tuple[datetime.date, str], ...] = ()
    registry_day: datetime.date | None = None  # last day the registry is open, if earlier
    departement: str | None = None


def simple_deadline(
    start: datetime.date,
    length: int,
    unit: str,
    *,
    departement: str | None,
    residence: str,
    kind: str,
    registry: bool = False,
) -> SimpleResult:
    """A period of `length` `unit` from `start` before a court of `departement` (None: the
    national calendar), for a party living at `residence` (cases.enums.Residence): the
    distance extension applies to the periods 643-644 name (`kind`). Raises ValueError with
    a French message for what cannot be counted."""
    details = compute_deadline_details(start, **{unit: length}, departement=departement)
    extension = None
    last_day = details.last_day
    if PeriodKind(kind) is not PeriodKind.OTHER:
        if unit not in ("days", "months"):
            raise ValueError(
                "Le délai de distance s'ajoute à un délai exprimé en jours ou en mois : "
                "choisissez l'une de ces unités, ou « autre délai »."
            )
        counted = deadline_with_distance(
            start,
            PeriodKind(kind),
            residence_of(residence),
            departement or METROPOLITAN_SEAT,
            **{unit: length},
        )
        extension, last_day = counted.extension, counted.last_day
    registry_day = None
    if registry:
        day = registry_last_open_day(details.counted_last_day, departement)
        registry_day = day if day != details.last_day else None
    return SimpleResult(
        details.last_day,
        extension,
        last_day,
        details.non_statutory_days,
        registry_day,
        departement,
    )


def saisie(dates: SaisieDates) -> SaisieCalendar:
    """The saisie immobilière calendar of the dates entered (the engine's)."""
    return saisie_calendar(dates)


def local(dates: LocalDates) -> LocalCalendar:
    """The exécution forcée immobilière of Alsace-Moselle of the dates entered."""
    return local_calendar(dates)
