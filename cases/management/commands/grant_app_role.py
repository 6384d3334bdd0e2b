"""`manage.py grant_app_role ROLE`: create (if need be) and grant the application's
database role, under the tables' owner (cases/roles.py). PostgreSQL only."""

from __future__ import annotations

import os

from django.db import connection

from cases.commands import FrenchCommand
from cases.roles import RoleError, grant_app_role


class Command(FrenchCommand):
    help = (
        "Crée le rôle PostgreSQL de l'application et lui donne ses droits : lecture et ajout "
        "seuls sur l'historique, lecture et écriture sur les autres tables. À lancer sous le "
        "rôle propriétaire des tables, après chaque migrate."
    )
    usage = "manage.py grant_app_role RÔLE [--password-env VARIABLE]"

    def add_arguments(self, parser) -> None:
        parser.add_argument("role", help="nom du rôle de l'application (ex. pnsr_app)")
        parser.add_argument(
            "--password-env",
            metavar="VARIABLE",
            help="variable d'environnement qui contient le mot de passe du rôle",
        )

    def handle(self, *args, role: str, password_env: str | None, **options) -> None:
        password = None
        if password_env:
            password = os.environ.get(password_env)
            if not password:
                raise self.usage_error(f"La variable d'environnement {password_env} est vide.")
        try:
            grant_app_role(connection, role, password)
        except RoleError as error:
            raise self.usage_error(str(error)) from None
        self.stdout.write(
            f"Rôle « {role} » prêt : lecture et ajout seuls sur l'historique, sans TRUNCATE "
            "ni droit sur la structure des tables."
        )
