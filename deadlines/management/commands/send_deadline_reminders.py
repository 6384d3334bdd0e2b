"""Send the deadline reminders due today (for cron), or queue the daily task."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from deadlines.reminders import send_due_reminders
from deadlines.tasks import schedule_daily


class Command(BaseCommand):
    help = (
        "Envoie les rappels d'échéance du jour (chacun une seule fois), ou, avec "
        "--schedule, programme la tâche quotidienne exécutée par db_worker."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Jour de référence AAAA-MM-JJ (défaut : aujourd'hui).")
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="Programmer la tâche quotidienne (db_worker) au lieu d'envoyer maintenant.",
        )

    def handle(self, *args, date=None, schedule=False, **options):
        if schedule:
            if not schedule_daily(timezone.now()):
                raise CommandError(
                    "Le moteur de tâches configuré ne sait pas exécuter une tâche plus tard."
                )
            self.stdout.write("Tâche quotidienne des rappels d'échéance programmée.")
            return
        try:
            today = datetime.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError:
            raise CommandError(f"Date invalide : « {date} » (attendu AAAA-MM-JJ).") from None
        report = send_due_reminders(today)
        self.stdout.write(f"{report.sent} rappel(s) d'échéance envoyé(s).")
