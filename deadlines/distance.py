"""Délais de distance: the extension of appearance and appeal periods for a party who lives
far from the court (Code de procédure civile, articles 643 to 647). A pure module.

- CPC 643: before a court sitting in metropolitan France, the periods of appearance
  (comparution), appeal, opposition, tierce opposition (586 al. 3), recours en révision and
  pourvoi en cassation are extended by one month for a party living in Guadeloupe, Guyane,
  Martinique, La Réunion, Mayotte, Saint-Barthélemy, Saint-Martin, Saint-Pierre-et-Miquelon,
  French Polynesia, Wallis-et-Futuna, New Caledonia or the TAAF, and by two months for a
  party living abroad.
- CPC 644: before a court sitting in Guadeloupe, Guyane, Martinique, La Réunion, Mayotte,
  Saint-Barthélemy, Saint-Martin, Saint-Pierre-et-Miquelon or Wallis-et-Futuna, the same
  periods (pourvoi en cassation aside) are extended by one month for a party who does not
  live in the collectivity where the court sits — a party living in metropolitan France
  included — and by two months for a party living abroad. A party living in that
  collectivity gets nothing.
- CPC 645: the extensions apply wherever a text does not expressly rule them out
  (`derogation`: the caller names that text, e.g. a special procedure's own period).
- CPC 647: an act handed to the party in person in a place where no (or a shorter)
  extension applies gives only that place's period (`served_in`).

The extension is added to the period (CPC 641 al. 2: months first, then days) and the
last day is counted under CPC 640-642 with the statutory holidays of the court's
département (deadlines.engine). Other periods (a deadline of the pôle's own, a
publication, the R.322-4 window…) get no extension (`kind` "other").
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from enum import StrEnum

from cases.enums import Residence as PartyResidence
from cases.validators import add_months

from .engine import compute_deadline, holiday_subdivision


class ResidenceKind(StrEnum):
    METROPOLE = "metropole"
    OUTRE_MER = "outre_mer"
    ETRANGER = "etranger"


class PeriodKind(StrEnum):
    """The periods 643-644 extend; OTHER is any period they do not name."""

    COMPARUTION = "comparution"
    APPEL = "appel"
    OPPOSITION = "opposition"
    TIERCE_OPPOSITION = "tierce_opposition"
    REVISION = "revision"
    POURVOI = "pourvoi"
    OTHER = "other"


# The overseas places of art. 643 1°, by the code the app uses for them (INSEE code of the
# département, ISO 3166 code of the collectivity).
OVERSEAS_643: dict[str, str] = {
    place.value: place.label
    for place in PartyResidence
    if place not in (PartyResidence.METROPOLE, PartyResidence.ETRANGER)
}
# The court seats of art. 644 (New Caledonia and French Polynesia have their own codes).
COURT_SEATS_644 = ("971", "973", "972", "974", "976", "BL", "MF", "975", "WF")
EXTENDED_643 = frozenset(PeriodKind) - {PeriodKind.OTHER}
EXTENDED_644 = EXTENDED_643 - {PeriodKind.POURVOI}


@dataclass(frozen=True)
class Residence:
    """Where a party lives: metropolitan France, an overseas département or collectivity
    (`place`: a key of OVERSEAS_643), or abroad."""

    kind: ResidenceKind
    place: str | None = None

    def __post_init__(self) -> None:
        if self.kind is ResidenceKind.OUTRE_MER and self.place not in OVERSEAS_643:
            raise ValueError(
                f"Collectivité d'outre-mer inconnue : « {self.place} ». Indiquez l'une de : "
                + ", ".join(f"{code} ({name})" for code, name in OVERSEAS_643.items())
                + "."
            )
        if self.kind is not ResidenceKind.OUTRE_MER and self.place is not None:
            raise ValueError("Seule une résidence outre-mer précise sa collectivité.")

    @property
    def label(self) -> str:
        if self.kind is ResidenceKind.METROPOLE:
            return "en France métropolitaine"
        if self.kind is ResidenceKind.ETRANGER:
            return "à l'étranger"
        return f"outre-mer ({OVERSEAS_643[self.place]})"


METROPOLE = Residence(ResidenceKind.METROPOLE)
ETRANGER = Residence(ResidenceKind.ETRANGER)


def residence_of(value: str) -> Residence:
    """The Residence of a party's recorded `residence` (cases.enums.Residence's value)."""
    if value in ("", PartyResidence.METROPOLE):
        return METROPOLE
    if value == PartyResidence.ETRANGER:
        return ETRANGER
    return Residence(ResidenceKind.OUTRE_MER, value)


@dataclass(frozen=True)
class Extension:
    months: int
    article: str  # "CPC 643" …; "" when none
    reason: str  # French, for the page


def _court_seat(court_departement: str) -> str:
    """The seat's code: a département (checked) or an overseas collectivity of 644."""
    code = str(court_departement).strip().upper()
    if code in COURT_SEATS_644:
        return code
    holiday_subdivision(code)  # raises ValueError (French) for an unknown département
    return code


def _extension_at(kind: PeriodKind, residence: Residence, seat: str) -> Extension:
    if seat in COURT_SEATS_644:
        if kind not in EXTENDED_644:
            return Extension(0, "", "délai non concerné par l'article 644 du CPC")
        if residence.kind is ResidenceKind.ETRANGER:
            return Extension(2, "CPC 644", "partie demeurant à l'étranger")
        if residence.kind is ResidenceKind.OUTRE_MER and residence.place == seat:
            return Extension(0, "CPC 644", "partie demeurant dans la collectivité du tribunal")
        return Extension(
            1,
            "CPC 644",
            f"partie demeurant {residence.label}, hors de la collectivité où siège le tribunal",
        )
    if kind not in EXTENDED_643:
        return Extension(0, "", "délai non concerné par l'article 643 du CPC")
    if residence.kind is ResidenceKind.ETRANGER:
        return Extension(2, "CPC 643", "partie demeurant à l'étranger")
    if residence.kind is ResidenceKind.OUTRE_MER:
        return Extension(1, "CPC 643", f"partie demeurant {residence.label}")
    return Extension(0, "CPC 643", "partie demeurant en France métropolitaine")


def distance_extension(
    kind: PeriodKind,
    residence: Residence,
    court_departement: str,
    *,
    served_in: Residence | None = None,
    derogation: str | None = None,
) -> Extension:
    """The months a party living at `residence` gets on a period of `kind` before a court
    sitting in `court_departement` (a département code, or BL/MF/WF), under CPC 643-647."""
    kind = PeriodKind(kind)
    seat = _court_seat(court_departement)
    if derogation:
        return Extension(0, "CPC 645", f"délai de distance écarté par {derogation}")
    extension = _extension_at(kind, residence, seat)
    if served_in is not None and served_in != residence:
        there = _extension_at(kind, served_in, seat)
        if there.months < extension.months:
            return Extension(
                there.months,
                "CPC 647",
                f"acte remis à la personne {served_in.label} : délai applicable en ce lieu",
            )
    return extension


@dataclass(frozen=True)
class DistanceDeadline:
    base_last_day: datetime.date  # the period alone
    extension: Extension
    last_day: datetime.date  # the period and its extension


def deadline_with_distance(
    start: datetime.date,
    kind: PeriodKind,
    residence: Residence,
    court_departement: str,
    *,
    days: int | None = None,
    months: int | None = None,
    served_in: Residence | None = None,
    derogation: str | None = None,
) -> DistanceDeadline:
    """A period of `days` or `months` from `start` and the same period extended for the
    distance, both counted with the holidays of the court's département; a page shows the
    two and the extension's reason."""
    extension = distance_extension(
        kind, residence, court_departement, served_in=served_in, derogation=derogation
    )
    seat = _court_seat(court_departement)
    # The engine knows holidays by département; a court seated in Saint-Barthélemy,
    # Saint-Martin or Wallis-et-Futuna is counted on the national calendar.
    departement = None if seat in ("BL", "MF", "WF") else seat
    base = compute_deadline(start, days=days, months=months, departement=departement)
    if not extension.months:
        return DistanceDeadline(base, extension, base)
    if months is not None:
        last = compute_deadline(start, months=months + extension.months, departement=departement)
    else:
        # CPC 641 al. 2: a period in months and days counts the months first, then the days.
        last = compute_deadline(
            add_months(start, extension.months), days=days, departement=departement
        )
    return DistanceDeadline(base, extension, last)
