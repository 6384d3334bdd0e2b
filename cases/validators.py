"""Field validators and small date helpers of the case domain, with French messages."""

import calendar
import datetime
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.deconstruct import deconstructible

from .formatting import short_date

# Text a person types: far above what anyone writes in a field, low enough for the PDF
# renderer and the worker (a million characters of « faits » held a worker 35 s).
ADDRESS_MAX_LENGTH = 500
TEXT_MAX_LENGTH = 10_000
LONG_TEXT_MAX_LENGTH = 20_000

# 01-95 without 20 (Corsica became 2A and 2B in 1976), and the five overseas départements.
_DEPARTEMENT = re.compile(r"^(0[1-9]|1[0-9]|2[1-9]|[3-8][0-9]|9[0-5]|2A|2B|97[1-6])$")
_NINE_DIGITS = re.compile(r"[0-9]{9}")  # ASCII only: str.isdigit() also accepts "²"


def luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def normalize_siren(value: str) -> str:
    return re.sub(r"[\s.\-]", "", value or "")


def validate_siren(value: str) -> None:
    """A SIREN is nine digits whose Luhn check digit is right (La Poste's 356 000 000
    group is the one documented exception: its SIRET numbers, not its SIREN, break Luhn)."""
    siren = normalize_siren(value)
    if not _NINE_DIGITS.fullmatch(siren):
        raise ValidationError(
            "Le SIREN doit comporter exactement 9 chiffres (par exemple 552 100 554).",
            code="siren_format",
        )
    if siren == "000000000":
        raise ValidationError(
            "Ce SIREN n'existe pas : aucun SIREN n'est composé uniquement de zéros.",
            code="siren_zero",
        )
    if not luhn_ok(siren):
        raise ValidationError(
            "Ce SIREN n'est pas valide : sa clé de contrôle ne correspond pas. "
            "Vérifiez les 9 chiffres.",
            code="siren_checksum",
        )


_ASCII_NUMBER = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)")


def is_ascii_number(text: str) -> bool:
    """'12345.67', '-5', '.5': a number written with the digits 0-9 only. Python's int()
    and Decimal() also read Arabic-Indic (١٢٣), fullwidth (１２３) or Devanagari digits,
    which no agent types and a copy-paste can hide."""
    return bool(_ASCII_NUMBER.fullmatch(text))


def fold_name(value: str) -> str:
    """A name as compared for duplicates: no accents, no case, single spaces
    ("LEFÈVRE  Anne" and "lefevre anne" fold alike, on any database)."""
    decomposed = unicodedata.normalize("NFKD", value or "")
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(bare.casefold().split())


def validate_departement(value: str) -> None:
    if not _DEPARTEMENT.match((value or "").upper()):
        raise ValidationError(
            "Indiquez un numéro de département valide : 01 à 95, 2A, 2B ou 971 à 976.",
            code="departement",
        )


def validate_not_future(value: datetime.date) -> None:
    if value and value > timezone.localdate():
        raise ValidationError("Cette date ne peut pas être dans le futur.", code="future")


@deconstructible
class PlausibleDate:
    """A date (or a datetime's day, in Paris time) a person could really mean: from
    `earliest` to `years_ahead` years after today. Out of range, year 1 or 9999 would be
    stored (PostgreSQL keeps year 1 as BC and cannot give it back) or break the holiday
    engine and the dashboards' arithmetic later, far from the form that let it in."""

    def __init__(self, earliest: datetime.date, years_ahead: int = 0):
        self.earliest = earliest
        self.years_ahead = years_ahead

    def latest(self) -> datetime.date:
        return add_years(timezone.localdate(), self.years_ahead)

    def __call__(self, value: datetime.date | datetime.datetime | None) -> None:
        if value is None:
            return
        day = value
        if isinstance(value, datetime.datetime):
            try:
                day = timezone.localtime(value).date() if timezone.is_aware(value) else value
            except OverflowError:  # year 1 or 9999 moved across midnight by the offset
                day = value
            day = day.date() if isinstance(day, datetime.datetime) else day
        latest = self.latest()
        if not self.years_ahead and day > latest:
            validate_not_future(day)
        if not self.earliest <= day <= latest:
            raise ValidationError(
                f"Indiquez une date comprise entre le {short_date(self.earliest)} "
                f"et le {short_date(latest)}.",
                code="date_range",
            )

    def __eq__(self, other) -> bool:
        return isinstance(other, PlausibleDate) and (self.earliest, self.years_ahead) == (
            other.earliest,
            other.years_ahead,
        )


# The kinds of dates the application takes. Acts, hearings and deadlines: the pôle's
# records start in 1990 and nothing is scheduled more than ten years ahead (the holiday
# engine knows 1803-2100); a birth from 1900; a tax claim's dates from 1970.
EARLIEST_ACT = datetime.date(1990, 1, 1)
YEARS_AHEAD = 10
validate_birth_date = PlausibleDate(datetime.date(1900, 1, 1))
# A piece's own date (a deed, a company's statutes may be old; never in the future).
validate_piece_date = PlausibleDate(datetime.date(1900, 1, 1))
validate_claim_date = PlausibleDate(datetime.date(1970, 1, 1), YEARS_AHEAD)
validate_act_date = PlausibleDate(EARLIEST_ACT, YEARS_AHEAD)
validate_period_date = PlausibleDate(EARLIEST_ACT, YEARS_AHEAD)


def add_months(start: datetime.date, months: int) -> datetime.date:
    """Same day `months` later; a day the target month lacks ends on its last day
    (CPC art. 641)."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return start.replace(
        year=year, month=month, day=min(start.day, calendar.monthrange(year, month)[1])
    )


def add_years(start: datetime.date, years: int) -> datetime.date:
    """Same day and month `years` later; 29 February ends on 28 February (CPC art. 641)."""
    return add_months(start, 12 * years)
