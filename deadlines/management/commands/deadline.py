"""`python manage.py deadline START (--days N | --months N | --years N | --ouvrables N)
[--department CODE]`: the last day of a legal deadline (CPC art. 640-642), as YYYY-MM-DD.

Needs no database. Every mistake a user can make is reported in French on stderr, with exit
status 2: the command validates its arguments itself rather than leaving argparse to print
its English usage messages.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.core.management.base import CommandError, CommandParser

from cases import commands
from cases.commands import FrenchCommand
from deadlines.engine import compute_deadline

USAGE = (
    "Usage : manage.py deadline AAAA-MM-JJ (--days N | --months N | --years N | "
    "--ouvrables N) [--department CODE]"
)
LENGTH_OPTIONS = {
    "days": "--days",
    "months": "--months",
    "years": "--years",
    "ouvrables": "--ouvrables",
}
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_FRENCH_DATE = re.compile(r"(\d{2})/(\d{2})/(\d{4})")
_NUMBER = re.compile(r"[0-9]+")


def usage_error(message: str) -> CommandError:
    return commands.usage_error(message, USAGE)


def parse_start(value: str | None) -> datetime.date:
    if not value:
        raise usage_error("Indiquez la date de départ du délai (AAAA-MM-JJ).")
    try:
        if match := _ISO_DATE.fullmatch(value):
            year, month, day = match.groups()
        elif match := _FRENCH_DATE.fullmatch(value):
            day, month, year = match.groups()
        else:
            raise ValueError(value)
        return datetime.date(int(year), int(month), int(day))
    except ValueError:
        raise usage_error(
            f"Date de départ invalide : « {value} ». "
            "Indiquez une date réelle au format AAAA-MM-JJ (ou JJ/MM/AAAA)."
        ) from None


def parse_length(options: dict[str, Any]) -> tuple[str, int]:
    given = {unit: options[unit] for unit in LENGTH_OPTIONS if options.get(unit) is not None}
    if not given:
        raise usage_error(
            "Indiquez la durée du délai : --days N, --months N, --years N ou --ouvrables N."
        )
    if len(given) > 1:
        names = ", ".join(LENGTH_OPTIONS[unit] for unit in given)
        raise usage_error(f"Indiquez une seule durée de délai, et non plusieurs ({names}).")
    ((unit, value),) = given.items()
    text = str(value).strip()
    if not _NUMBER.fullmatch(text):
        raise usage_error(
            f"Durée invalide pour {LENGTH_OPTIONS[unit]} : « {value} ». "
            "Indiquez un nombre entier positif ou nul."
        )
    return unit, int(text)


class Command(FrenchCommand):
    usage = USAGE
    help = (
        "Calcule la date d'échéance d'un délai légal (CPC art. 640 à 642) : le jour de départ "
        "ne compte pas, un délai qui finit un samedi, un dimanche ou un jour férié est "
        "prorogé au premier jour ouvré suivant. Affiche la date au format AAAA-MM-JJ."
    )
    requires_system_checks: list[str] = []  # pure calendar work: no database, no checks

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "start",
            nargs="?",
            metavar="AAAA-MM-JJ",
            help="jour de l'acte ou de la notification qui fait courir le délai "
            "(non compté) ; JJ/MM/AAAA est aussi accepté",
        )
        # Lengths are read as text and checked by the command (French messages), and are
        # not an argparse mutually exclusive group (English messages).
        parser.add_argument("--days", metavar="N", help="délai en jours")
        parser.add_argument("--months", metavar="N", help="délai en mois")
        parser.add_argument("--years", metavar="N", help="délai en années")
        parser.add_argument("--ouvrables", metavar="N", help="délai en jours ouvrables")
        parser.add_argument(
            "--department",
            "--departement",
            dest="department",
            metavar="CODE",
            help="département dont les jours fériés s'appliquent (02, 2A, 57, 67, 974…) ; "
            "par défaut, le calendrier national de métropole",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        start = parse_start(options.get("start"))
        unit, length = parse_length(options)
        try:
            deadline = compute_deadline(
                start, departement=options.get("department"), **{unit: length}
            )
        except ValueError as error:
            raise usage_error(str(error)) from None
        self.stdout.write(deadline.isoformat())
