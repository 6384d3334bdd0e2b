"""`python manage.py deadline START (--days N | --months N | --years N | --ouvrables N)
[--department CODE]`: the last day of a legal deadline (CPC art. 640-642), as YYYY-MM-DD.

Needs no database. Every mistake a user can make is reported in French on stderr, with exit
status 2: the command validates its arguments itself rather than leaving argparse to print
its English usage messages.
"""

from __future__ import annotations

import datetime
import re
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cases.deadlines import compute_deadline

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
    return CommandError(f"{message}\n{USAGE}", returncode=2)


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


class Command(BaseCommand):
    help = (
        "Calcule la date d'échéance d'un délai légal (CPC art. 640 à 642) : le jour de départ "
        "ne compte pas, un délai qui finit un samedi, un dimanche ou un jour férié est "
        "prorogé au premier jour ouvré suivant. Affiche la date au format AAAA-MM-JJ."
    )
    requires_system_checks: list[str] = []  # pure calendar work: no database, no checks

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        # argparse's own messages are English; a usage mistake it detects itself (an
        # unknown option, an option without its value…) is reported in French instead.
        parser.error = self.parser_error  # type: ignore[method-assign]
        return parser

    def parser_error(self, message: str) -> None:
        if match := re.match(r"unrecognized arguments: (.*)", message):
            detail = f"Argument(s) non reconnu(s) : {match.group(1)}."
        elif match := re.match(r"argument (\S+?)(?:/\S+)?: expected one argument", message):
            detail = f"L'option {match.group(1)} attend une valeur."
        else:
            detail = "Arguments invalides."
        error = usage_error(detail)
        if getattr(self, "_called_from_command_line", False):
            # Django parses the command line outside the try that reports CommandError.
            self.exit_with(error)
        raise error

    def exit_with(self, error: CommandError) -> None:
        """Report `error` the way a user should read it: its French message alone (Django
        would prefix it with "CommandError: "), then exit with its status."""
        self.stderr.write(f"Erreur : {error}")
        sys.exit(error.returncode)

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

    def execute(self, *args: Any, **options: Any) -> Any:
        try:
            return super().execute(*args, **options)
        except CommandError as error:
            # From call_command (or with --traceback), let the caller handle it.
            if not getattr(self, "_called_from_command_line", False) or options.get("traceback"):
                raise
            self.exit_with(error)

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
