"""`python manage.py prescription REFERENCE [--detail]`: the prescription of each claim of a
case, one line per claim: the date (YYYY-MM-DD) or the state (« interrompue jusqu'à l'issue
de l'instance », « suspendue », « nature de la créance à préciser »), a tab, the claim, a
tab, the reason (the last step of its chain). `--detail` adds the whole chain (« pourquoi
cette date »), one indented line a step. The dates are computed from the chain, as the case
page shows them.

`python manage.py prescription --recompute [REFERENCE]`: store the recomputed dates of that
case (of every case without a reference), with a history entry where one moved: after
migration 0009 of cases, which recounted the old rows from their own dates only.

An unknown case: exit status 2, a French message on stderr.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from cases.commands import FrenchCommand
from cases.formatting import short_date
from cases.models import Case
from deadlines import prescription

USAGE = "Usage : manage.py prescription RÉFÉRENCE [--detail] | --recompute [RÉFÉRENCE]"


class Command(FrenchCommand):
    help = "La prescription de chaque créance d'un dossier, avec sa raison."
    usage = USAGE

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("reference", nargs="?", help="Référence du dossier.")
        parser.add_argument(
            "--detail", action="store_true", help="Toute la chaîne des actes et suspensions."
        )
        parser.add_argument(
            "--recompute",
            action="store_true",
            help="Enregistrer les dates recalculées (d'un dossier, ou de tous).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        reference = (options["reference"] or "").strip()
        if options["recompute"]:
            cases = [self._case(reference)] if reference else Case.objects.order_by("pk")
            moved = 0
            for case in cases:
                moved += len(prescription.refresh_case(case, None, "recalcul de la prescription"))
            self.stdout.write(f"{moved} créance(s) dont la prescription a changé.")
            return
        if not reference:
            raise self.usage_error("Indiquez la référence du dossier.")
        case = self._case(reference)
        excluded = {c.pk for c in case.excluded_claims()}
        for item in prescription.explain(case):
            result = item.result
            if result is None:
                head = item.headline
            elif result.date is not None:
                head = result.date.isoformat()
            else:
                head = str(result.state.label)  # type: ignore[attr-defined]
            flag = ""
            if item.prescribed:
                flag = (
                    " (prescrite : exclue de l'action)"
                    if item.claim.pk in excluded
                    else (" (prescrite)")
                )
            self.stdout.write(f"{head}\t{item.claim}{flag}\t{item.reason}")
            if options["detail"] and result is not None:
                for step in result.steps:
                    after = short_date(step.date_after) if step.date_after else "—"
                    self.stdout.write(
                        f"    {short_date(step.on)}\t{step.event}\t{step.effect}\t→ {after}"
                    )

    def _case(self, reference: str) -> Case:
        case = Case.objects.filter(reference=reference).first()
        if case is None:
            raise self.usage_error(f"Aucun dossier de référence « {reference} ».")
        return case
