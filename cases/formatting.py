"""French formatting of money and dates, for pages, messages and documents."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip
NARROW_NBSP = "\u202f"
NBSP = "\u00a0"


def euros(amount: Decimal | int | None) -> str:
    """125432.17 -> '125 432,17 €' (narrow no-break space between thousands)."""
    if amount is None:
        return "—"
    value = Decimal(amount).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    sign = "-" if value < 0 else ""
    units, cents = f"{abs(value):.2f}".split(".")
    groups = []
    while units:
        groups.insert(0, units[-3:])
        units = units[:-3]
    return f"{sign}{NARROW_NBSP.join(groups)},{cents}{NBSP}€"


def long_date(value: datetime.date | None) -> str:
    """2026-11-23 -> '23 novembre 2026' (1er for the first of the month)."""
    if value is None:
        return "—"
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {MONTHS[value.month - 1]} {value.year}"


def megabytes(size: int) -> str:
    """5 * 2**20 / 2 -> '2,5 Mo'; 2 * 2**20 -> '2 Mo'."""
    text = f"{size / 1_048_576:.1f}".replace(".", ",").removesuffix(",0")
    return f"{text} Mo"
