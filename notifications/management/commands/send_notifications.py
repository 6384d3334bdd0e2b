"""`python manage.py send_notifications [--retry-now] [--digest-now]`: deliver once every
notification email that is due, print what happened, and exit (for cron and scripts; the
`db_worker` does the same continuously)."""

from django.core.management.base import BaseCommand

from notifications.delivery import deliver_due


class Command(BaseCommand):
    help = "Envoie une fois les notifications dont le courriel est dû, puis s'arrête."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--retry-now",
            action="store_true",
            help="Réessayer aussi tout de suite les courriels en attente de leur prochain essai.",
        )
        parser.add_argument(
            "--digest-now",
            action="store_true",
            help="Envoyer aussi les résumés quotidiens de la journée en cours.",
        )

    def handle(self, *args, retry_now: bool, digest_now: bool, **options) -> None:
        report = deliver_due(retry_now=retry_now, digest_now=digest_now)
        troubled = report.failed or report.set_aside_total
        style = self.style.WARNING if troubled else self.style.SUCCESS
        self.stdout.write(style(report.in_french()))
