"""`python manage.py procedure_calendar saisie_immobiliere --commandement-signifie D
[--commandement-signe D] [--publie D] [--assigne D] [--audience-orientation D]
[--jugement-orientation D] [--audience-adjudication D] [--adjudication D]
[--departement CODE] [--json]`: the CPCE calendar of a saisie immobilière known from the
dates given (deadlines.saisie_calendar).

One line per deadline, sorted by date: `YYYY-MM-DD<TAB>ARTICLE<TAB>label`, the date
prefixed with `>=` for a deadline "not before" it and `<=` for one "not after" it. Warnings
(a non-statutory local holiday met on the way) go to stderr. Bad input or dates out of
sequence: a French message on stderr, nothing on stdout, exit status 2. In Alsace-Moselle
(57, 67, 68): nothing on stdout, the local-law notice on stderr, exit status 0.

Needs no database. `--audience-orientation` is the orientation hearing as the assignation
fixed it, against which R.322-4 is judged.
"""

from __future__ import annotations

import datetime
import json
import re
from typing import Any

from django.core.management.base import CommandError, CommandParser

from cases import commands
from cases.commands import FrenchCommand
from deadlines.saisie_calendar import SaisieDates, SaisieSequenceError, saisie_calendar

USAGE = (
    "Usage : manage.py procedure_calendar saisie_immobiliere --commandement-signifie AAAA-MM-JJ "
    "[--commandement-signe D] [--publie D] [--assigne D] [--audience-orientation D] "
    "[--jugement-orientation D] [--audience-adjudication D] [--adjudication D] "
    "[--departement CODE] [--json]"
)
PROCEDURES = ("saisie_immobiliere",)
# option → SaisieDates field
DATE_OPTIONS = {
    "--commandement-signifie": "commandement_signifie",
    "--commandement-signe": "commandement_signe",
    "--publie": "publie",
    "--assigne": "assigne",
    "--audience-orientation": "audience_orientation_assignation",
    "--jugement-orientation": "jugement_orientation",
    "--audience-adjudication": "audience_adjudication",
    "--adjudication": "adjudication",
}
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def usage_error(message: str) -> CommandError:
    return commands.usage_error(message, USAGE)


def parse_date(value: str, option: str) -> datetime.date:
    try:
        match = _ISO_DATE.fullmatch(value.strip())
        if not match:
            raise ValueError(value)
        return datetime.date(*(int(part) for part in match.groups()))
    except ValueError:
        raise usage_error(
            f"Date invalide pour {option} : « {value} ». Indiquez une date réelle au format "
            "AAAA-MM-JJ."
        ) from None


def _dest(option: str) -> str:
    return option.removeprefix("--").replace("-", "_")


class Command(FrenchCommand):
    usage = USAGE
    help = (
        "Calendrier d'une saisie immobilière (CPCE) à partir des dates connues : une ligne par "
        "délai, « AAAA-MM-JJ<TAB>ARTICLE<TAB>libellé », la date précédée de >= (pas avant) ou "
        "<= (au plus tard), triées par date."
    )
    requires_system_checks: list[str] = []  # pure calendar work: no database, no checks

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("procedure", nargs="?", metavar="PROCÉDURE", help="saisie_immobiliere")
        for option in DATE_OPTIONS:
            parser.add_argument(option, dest=_dest(option), metavar="AAAA-MM-JJ")
        parser.add_argument(
            "--departement",
            "--department",
            dest="departement",
            metavar="CODE",
            help="département du tribunal, dont les jours fériés comptent (02, 57, 974…)",
        )
        parser.add_argument("--json", action="store_true", help="sortie JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        procedure = options.get("procedure")
        if procedure not in PROCEDURES:
            shown = f" « {procedure} »" if procedure else ""
            raise usage_error(
                f"Procédure inconnue{shown} : indiquez saisie_immobiliere, la seule prise en "
                "charge."
            )
        dates = {
            field: parse_date(options[_dest(option)], option)
            for option, field in DATE_OPTIONS.items()
            if options.get(_dest(option)) is not None
        }
        if "commandement_signifie" not in dates:
            raise usage_error(
                "Indiquez la date de signification du commandement : "
                "--commandement-signifie AAAA-MM-JJ."
            )
        try:
            calendar = saisie_calendar(SaisieDates(departement=options.get("departement"), **dates))
        except SaisieSequenceError as error:
            raise usage_error("\n".join(error.problems)) from None
        except ValueError as error:
            raise usage_error(str(error)) from None
        if calendar.local_law_notice:
            self.stderr.write(calendar.local_law_notice)
            return
        if options.get("json"):
            self.stdout.write(json.dumps([_as_json(line) for line in calendar.lines], indent=2))
        else:
            for line in calendar.lines:
                self.stdout.write(
                    f"{line.bound.value}{line.date.isoformat()}\t{line.article}\t{line.text}"
                )
        for line in calendar.lines:
            for warning in line.warnings:
                self.stderr.write(f"Attention ({line.article}) : {warning}")


def _as_json(line) -> dict[str, Any]:
    return {
        "date": line.date.isoformat(),
        "bound": line.bound.value,
        "article": line.article,
        "code": line.code,
        "label": line.label,
        "sanction": line.sanction,
        "critical": line.critical,
        "met": line.met,
        "met_on": line.met_on.isoformat() if line.met_on else None,
        "warnings": list(line.warnings),
    }
