"""Which court a demo case goes before, and a lawyer of the right bar for it.

A lawyer pleads before the courts of his directory entry (`Lawyer.courts`, one a line:
fixtures/lawyers.json): a court there covers its formations (the juge de l'exécution or
the président of a tribunal judiciaire, its chambre commerciale in Alsace-Moselle). So a
court is compared by its seat: « Juge de l'exécution du tribunal judiciaire de Laon » is
before the « Tribunal judiciaire de Laon ».
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from cases.models import Lawyer

_KINDS = (
    "tribunal judiciaire",
    "tribunal de commerce",
    "tribunal des activites economiques",
    "cour d'appel",
    "cour de cassation",
)
_SEAT = re.compile(
    r"(" + "|".join(re.escape(kind) for kind in _KINDS) + r")\b(.*?)(?:\s+[(–-]\s?.*)?$"
)


def _plain(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.replace("’", "'"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.lower().split())


def seat(court: str) -> str:
    """The court a formation belongs to, in plain lower case ('' when none is named):
    'Juge de l'exécution du tribunal judiciaire de Laon' -> 'tribunal judiciaire de laon'."""
    found = _SEAT.search(_plain(court))
    return (found.group(1) + found.group(2)).strip() if found else ""


def pleads_before(lawyer: Lawyer, court: str) -> bool:
    """Whether `court` (or the court it is a formation of) is in the lawyer's list."""
    wanted = seat(court)
    return bool(wanted) and any(seat(line) == wanted for line in lawyer.court_list)


def lawyer_for(court: str, lawyers: Iterable[Lawyer] | None = None) -> Lawyer | None:
    """The first active lawyer (directory order) who pleads before `court`."""
    if lawyers is None:
        lawyers = Lawyer.objects.filter(active=True).order_by("pk")
    return next((lawyer for lawyer in lawyers if pleads_before(lawyer, court)), None)


def rg_number(reference: str) -> str:
    """A plausible number of the court's registry (répertoire général) for a demo case's
    first instance: « 26/00005 » for PNSR-2026-000005."""
    year, number = reference.split("-")[1:3]
    return f"{year[2:]}/{number[-5:]}"
