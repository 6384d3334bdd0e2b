"""`python manage.py seed_demo`: reference data, one demo account per role, and about
twenty demo cases in every status of the lifecycle.

Cases are made only through the application's own paths: the referral forms, the referral
services (pieces, submission) and the lifecycle, each step by the user who would take it,
so the history of every case is the one the application writes. They happen in the past:
referred over the last year, each act on its day (`demo.clock`), relative to today, so the
data stays plausible whenever it is loaded.

Run twice, it creates nothing the second time and prints the logins again.

`--cases N` then adds N generated cases (`demo.bulk`: bulk-created, consistent with
the lifecycle and the workflow), deterministic for a given `--seed`.

The accounts are `demo.people`, the cases `demo.scenarios` walked by `demo.walk`, the
generated cases `demo.bulk`.
"""

from __future__ import annotations

import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from cases.commands import FrenchCommand
from cases.enums import Role
from cases.models import User
from demo import bulk
from demo.certificate import PASSWORD as CERTIFICATE_PASSWORD
from demo.certificate import write_demo_certificate
from demo.people import DEMO_USERS, PASSWORD, create_users
from demo.walk import create_cases

URL = "http://127.0.0.1:8000"


class Command(FrenchCommand):
    help = "Charge les données de référence, les comptes et les dossiers de démonstration."
    usage = "Usage : manage.py seed_demo [--cases N] [--seed S]"

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--cases",
            metavar="N",
            help="Génère en plus N dossiers réalistes (chargement en masse).",
        )
        parser.add_argument(
            "--seed",
            metavar="S",
            default="1",
            help="Graine du générateur : les mêmes dossiers pour la même graine (1 par défaut).",
        )

    def positive(self, value: str, what: str, *, zero: bool = False) -> int:
        try:
            number = int(str(value).replace("_", "").replace(" ", ""))
        except ValueError:
            number = None
        if number is None or number < 0 or (number == 0 and not zero):
            raise self.usage_error(
                f"{what} doit être un nombre entier {'positif ou nul' if zero else 'positif'}, "
                f"et non « {value} »."
            )
        return number

    def handle(self, *args, **options) -> None:
        cases = None
        if options.get("cases") is not None:
            cases = self.positive(options["cases"], "Le nombre de dossiers (--cases)")
        seed = self.positive(options.get("seed", "1"), "La graine (--seed)", zero=True)
        started = time.monotonic()
        self.seed_demo(options)
        if cases:
            self.bulk(cases, seed, started)

    def bulk(self, count: int, seed: int, started: float) -> None:
        self.stdout.write(f"Génération de {count} dossiers (graine {seed})…")
        self.stdout.flush()
        progress = bulk.Progress(count, stream=sys.stderr)
        totals = bulk.generate(count, seed=seed, progress=progress.update)
        progress.close()
        elapsed = time.monotonic() - started
        rows = sum(totals.values())
        self.stdout.write(
            self.style.SUCCESS(
                f"{count} dossiers générés ({rows} lignes) en {elapsed:.1f} s au total "
                f"({count / elapsed:.0f} dossiers/s)."
            )
        )

    def seed_demo(self, options) -> None:
        usernames = [u.username for u in DEMO_USERS]
        with transaction.atomic():
            call_command(
                "loaddata",
                "directions",
                "action_types",
                "postes_comptables",
                "lawyers",
                verbosity=options["verbosity"],
            )
            existing = set(
                User.objects.filter(username__in=usernames).values_list("username", flat=True)
            )
            if existing and existing != set(usernames):
                raise CommandError(
                    "Une partie seulement des comptes de démonstration existe ("
                    + ", ".join(sorted(existing))
                    + ") : base dans un état inattendu. Repartez d'une base vide "
                    "(make clean, puis make demo)."
                )
            if existing:
                self.stdout.write("Données de démonstration déjà présentes : rien n'est créé.")
            else:
                users = create_users()
                count = len(create_cases(users))
                self.stdout.write(
                    self.style.SUCCESS(
                        f"{len(users)} comptes et {count} dossiers de démonstration créés."
                    )
                )
        self.signing_certificate()
        self.print_logins()

    def signing_certificate(self) -> None:
        """The demo's self-signed certificate of the pôle, which `make demo` gives the
        application to sign the documents (kept if it is already there)."""
        path, written = write_demo_certificate()
        self.stdout.write(
            f"Certificat de signature de démonstration {'créé' if written else 'déjà présent'} : "
            f"{path} (mot de passe « {CERTIFICATE_PASSWORD} »)."
        )

    def print_logins(self) -> None:
        rows = [("Identifiant", "Rôle", "Périmètre")]
        rows += [(u.username, Role(u.role).label, u.scope) for u in DEMO_USERS]
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        line = "  ".join("-" * w for w in widths)
        out = self.stdout
        out.write("")
        out.write(self.style.SUCCESS(f"Démonstration prête : ouvrez {URL}"))
        out.write("")
        out.write(f"Comptes de démonstration (mot de passe pour tous : {PASSWORD}) :")
        if settings.LOCAL_MFA:
            out.write(
                "Le chef du pôle et l'administrateur activent à leur première connexion une "
                "application d'authentification (PNSR_LOCAL_MFA=0 pour s'en passer)."
            )
        out.write("")
        for index, row in enumerate(rows):
            out.write("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip())
            if index == 0:
                out.write(line)
        out.write("")
        out.write(
            self.style.WARNING(
                "Attention : ces comptes et leur mot de passe ne servent qu'à la démonstration. "
                "Ne les créez jamais sur une installation réelle."
            )
        )
