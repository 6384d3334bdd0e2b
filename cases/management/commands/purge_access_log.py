"""Delete the consultation journal's rows older than ACCESS_LOG_RETENTION_DAYS (for cron,
once a day)."""

from django.conf import settings

from cases import journal
from cases.commands import FrenchCommand


class Command(FrenchCommand):
    help = (
        "Efface les lignes du journal des consultations plus anciennes que la durée de "
        "conservation (ACCESS_LOG_RETENTION_DAYS)."
    )
    usage = "Usage : manage.py purge_access_log"

    def handle(self, *args, **options):
        deleted = journal.purge()
        days = settings.ACCESS_LOG_RETENTION_DAYS
        self.stdout.write(
            f"{deleted} consultation(s) de plus de {days} jours effacée(s) du journal."
        )
