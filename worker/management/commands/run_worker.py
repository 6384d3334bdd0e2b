"""`python manage.py run_worker [--queue-name documents] …`: django-tasks-db's `db_worker`
(same options), which survives a database outage, shows that it is alive and takes up what
dead workers left behind (worker/loop.py). Run one for each queue: "default" (emails, the
daily reminders) and "documents" (PDFs)."""

from __future__ import annotations

import os

from django.core.management.base import CommandError
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker

from ...loop import ResilientWorker


class Command(db_worker.Command):
    help = (
        "Exécute les tâches d'arrière-plan (courriels, documents) ; survit à une coupure de "
        "la base de données et relance les tâches des processus arrêtés."
    )

    def handle(
        self,
        *,
        verbosity: int,
        queue_name: str,
        interval: float,
        batch: bool,
        backend_name: str,
        startup_delay: bool,
        reload: bool,
        max_tasks: int | None,
        worker_id: str,
        exclude_queues: str,
        **options,
    ) -> None:
        self.configure_logging(verbosity)
        queue_names = queue_name.split(",")
        excluded = exclude_queues.split(",") if exclude_queues else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues ne s'emploie qu'avec --queue-name='*'.")
        worker = ResilientWorker(
            queue_names=queue_names,
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=excluded,
        )
        if reload and not batch:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
