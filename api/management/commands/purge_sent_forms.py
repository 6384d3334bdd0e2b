"""Forget the pages' form tokens and the API's idempotency keys past their lifetime."""

from api import idempotency
from cases import submissions
from cases.commands import FrenchCommand


class Command(FrenchCommand):
    help = (
        "Oublie les jetons des formulaires envoyés et les clés Idempotency-Key de l'API "
        "plus anciens que SUBMISSION_TOKEN_HOURS (24 h par défaut). À lancer chaque jour."
    )

    def handle(self, *args, **options):
        forms = submissions.purge_expired()
        keys = idempotency.purge_expired()
        self.stdout.write(
            f"{forms} formulaire(s) envoyé(s) et {keys} clé(s) d'idempotence oubliés."
        )
