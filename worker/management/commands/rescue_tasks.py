"""`python manage.py rescue_tasks`: take up once what dead workers left behind (orphaned
tasks, stalled documents, an email delivery to schedule), print it and exit. The workers
do it every minute; cron runs this as a safety net (worker/rescue.py)."""

from django.core.management.base import BaseCommand

from ...rescue import in_french, rescue


class Command(BaseCommand):
    help = "Relance les tâches des processus arrêtés et les documents bloqués, puis s'arrête."

    def handle(self, *args, **options) -> None:
        report = rescue()
        style = self.style.WARNING if any(report.values()) else self.style.SUCCESS
        self.stdout.write(style(in_french(report) or "Rien à reprendre."))
