"""`manage.py backup RÉPERTOIRE`: the database and the stored files, copied together
(cases/backup.py says why they stay consistent)."""

from __future__ import annotations

from pathlib import Path

from cases.backup import BackupError, backup
from cases.commands import FrenchCommand


class Command(FrenchCommand):
    help = (
        "Sauvegarde la base de données et les fichiers stockés (pièces, pièces jointes, "
        "documents) dans un répertoire neuf, de façon cohérente."
    )
    usage = "manage.py backup RÉPERTOIRE"

    def add_arguments(self, parser) -> None:
        parser.add_argument("directory", help="répertoire neuf (ou vide) de la sauvegarde")

    def handle(self, *args, directory: str, **options) -> None:
        try:
            copied = backup(Path(directory))
        except BackupError as error:
            raise self.usage_error(str(error)) from None
        if not copied["files_on_disk"]:
            self.stdout.write(
                f"Sauvegarde écrite dans {directory} : la base seule. Les fichiers sont sur "
                "le stockage objet (S3_BUCKET) : sauvegardez-les par ses moyens (versionnage, "
                "réplication). Vérifiez la sauvegarde en la restaurant (manage.py restore), "
                "puis manage.py verify_integrity."
            )
            return
        self.stdout.write(
            f"Sauvegarde écrite dans {directory} : la base et {copied['files']} fichier(s). "
            "Vérifiez-la en la restaurant dans une base neuve (manage.py restore), puis "
            "manage.py verify_integrity."
        )
