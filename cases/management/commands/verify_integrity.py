"""`manage.py verify_integrity`: every case's history chain and every stored file's
SHA-256 (cases/integrity.py). Prints what was altered, in French, and exits 1 if
anything was; a restored backup is checked the same way."""

from __future__ import annotations

from django.core.management.base import CommandError

from cases import integrity
from cases.commands import FrenchCommand


class Command(FrenchCommand):
    help = (
        "Vérifie le chaînage de l'historique de chaque dossier et l'empreinte SHA-256 de "
        "chaque fichier stocké (pièces, pièces jointes, documents)."
    )
    usage = "manage.py verify_integrity [--history-only | --files-only] [--quiet]"

    def add_arguments(self, parser) -> None:
        only = parser.add_mutually_exclusive_group()
        only.add_argument("--history-only", action="store_true", help="l'historique seul")
        only.add_argument("--files-only", action="store_true", help="les fichiers seuls")
        parser.add_argument(
            "--quiet", action="store_true", help="sans la progression (sur la sortie d'erreur)"
        )

    def handle(self, *args, history_only: bool, files_only: bool, quiet: bool, **options):
        def progress(what: str):
            def report(count: int) -> None:
                if not quiet:
                    self.stderr.write(f"… {count:,} {what}".replace(",", " "))

            return report

        problems = 0
        checks = []
        if not files_only:
            checks.append(("historique", integrity.history_problems(progress("entrées vérifiées"))))
        if not history_only:
            checks.append(("fichiers", integrity.file_problems(progress("fichiers vérifiés"))))
        for name, found in checks:
            found_here = 0
            for problem in found:
                found_here += 1
                self.stdout.write(f"ALTÉRÉ — {problem}")
            problems += found_here
            if found_here:
                self.stdout.write(f"{name} : {found_here} altération(s).")
            else:
                self.stdout.write(f"{name} : intact.")
        if problems:
            raise CommandError(
                f"{problems} altération(s) trouvée(s) : voir la liste ci-dessus.", returncode=1
            )
