"""`manage.py restore RÉPERTOIRE`: a copy made by `manage.py backup`, restored into the
configured database (DATABASE_URL, new and empty) and MEDIA_ROOT (empty)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db import connection

from cases.backup import BackupError, restore
from cases.commands import FrenchCommand


class Command(FrenchCommand):
    help = (
        "Restaure une sauvegarde de manage.py backup dans la base configurée (neuve et vide) "
        "et dans MEDIA_ROOT (vide) ; vérifiez ensuite avec manage.py verify_integrity."
    )
    usage = "manage.py restore RÉPERTOIRE"

    def add_arguments(self, parser) -> None:
        parser.add_argument("directory", help="répertoire écrit par manage.py backup")

    def handle(self, *args, directory: str, **options) -> None:
        source = Path(directory)
        if not source.is_dir():
            raise self.usage_error(f"Le répertoire {directory} n'existe pas.")
        connection.close()
        try:
            restore(source, connection.settings_dict, Path(settings.MEDIA_ROOT))
        except BackupError as error:
            raise self.usage_error(str(error)) from None
        self.stdout.write(
            f"Sauvegarde {directory} restaurée. Vérifiez-la : manage.py verify_integrity."
        )
