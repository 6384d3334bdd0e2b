"""How the documents print what they show, where it differs from the site's phrasing
(cases.formatting): an unknown date or amount is left blank rather than shown as "—", and
a section's plain text is cut into the blocks the templates lay out."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from cases.formatting import euros, long_date


def day(value: datetime.date | datetime.datetime | None) -> str:
    """A date, or the local date of a datetime, in long French form; "" when unknown."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return long_date(value)


def money(amount: Decimal | int | None) -> str:
    """An amount in euros; "" when unknown."""
    return euros(amount) if amount is not None else ""


def blocks(body: str) -> list[dict]:
    """A section's plain text as blocks to print: a short line alone ("En droit") is a
    heading, lines starting with "- " are a list (the lines before it its lead-in), the
    rest are paragraphs. [{"heading": str} | {"text": str, "items": [str]}]"""
    result: list[dict] = []
    for chunk in body.replace("\r\n", "\n").split("\n\n"):
        rows = [row.strip() for row in chunk.strip().splitlines() if row.strip()]
        if not rows:
            continue
        single = rows[0] if len(rows) == 1 else ""
        if single and len(single) <= 40 and single[-1] not in ".:;,)" and single[:2] != "- ":
            result.append({"heading": rows[0]})
            continue
        text = [row for row in rows if not row.startswith("- ")]
        items = [row[2:].strip() for row in rows if row.startswith("- ")]
        result.append({"text": "\n".join(text), "items": items})
    return result
