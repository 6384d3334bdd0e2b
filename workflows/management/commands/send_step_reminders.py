"""Send the time-target reminders of the pôle's steps due now (for cron), or queue the
daily task."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from workflows.targets import send_step_reminders
from workflows.tasks import schedule_daily


class Command(BaseCommand):
    help = (
        "Envoie les rappels des délais cibles des étapes du pôle (avant le délai au "
        "détenteur, une fois dépassé au chef du pôle ; chacun une seule fois), ou, avec "
        "--schedule, programme la tâche quotidienne exécutée par run_worker."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="Programmer la tâche quotidienne au lieu d'envoyer maintenant.",
        )

    def handle(self, *args, schedule=False, **options):
        if schedule:
            if not schedule_daily(timezone.now()):
                raise CommandError(
                    "Le moteur de tâches configuré ne sait pas exécuter une tâche plus tard."
                )
            self.stdout.write("Tâche quotidienne des rappels de délais cibles programmée.")
            return
        sent = send_step_reminders()
        self.stdout.write(f"{sent} rappel(s) de délai cible envoyé(s).")
