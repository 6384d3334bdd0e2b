"""An iCalendar (RFC 5545) feed of deadlines, written by hand: one all-day VEVENT per
deadline, its UID stable across edits, lines folded at 75 octets, CRLF line endings."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone

from .models import Deadline

CRLF = "\r\n"


def escape(text: str) -> str:
    """TEXT values: backslash, semicolon, comma and newlines escaped (RFC 5545 3.3.11)."""
    return (
        (text or "")
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """Lines longer than 75 octets go on with CRLF and a space (never inside a UTF-8
    character)."""
    out, current, size = [], "", 0
    for char in line:
        width = len(char.encode())
        if size + width > 75:
            out.append(current)
            current, size = " ", 1
        current += char
        size += width
    out.append(current)
    return CRLF.join(out)


def _date(day: datetime.date) -> str:
    return f"{day:%Y%m%d}"


def _domain() -> str:
    from urllib.parse import urlsplit

    return urlsplit(settings.SITE_URL).hostname or "localhost"


def calendar(deadlines: Iterable[Deadline], *, name: str) -> str:
    stamp = f"{timezone.now().astimezone(datetime.UTC):%Y%m%dT%H%M%SZ}"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//DGFiP//PNSR actions lourdes//FR",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(name)}",
    ]
    for deadline in deadlines:
        case = deadline.case
        critical = " [critique]" if deadline.critical else ""
        description = (
            f"{deadline.label}\nFondement : {deadline.basis}\nDossier {case.reference} — "
            f"{case.debtor}\n{settings.SITE_URL}{case.get_absolute_url()}"
        )
        lines += [
            "BEGIN:VEVENT",
            f"UID:deadline-{deadline.pk}@{_domain()}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{_date(deadline.due_date)}",
            f"DTEND;VALUE=DATE:{_date(deadline.due_date + datetime.timedelta(days=1))}",
            f"SUMMARY:{escape(f'{case.reference} — {deadline.label}{critical}')}",
            f"DESCRIPTION:{escape(description)}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + CRLF for line in lines)
