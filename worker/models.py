"""The background workers' signs of life: each `run_worker` process keeps its row up to
date (a heartbeat, and the task it runs), so that the rescue tells a running task from
one whose worker died (django-tasks-db records who claimed a task, not whether it lives)."""

from django.db import models


class WorkerProcess(models.Model):
    worker_id = models.CharField("identifiant", max_length=64, unique=True)
    queues = models.CharField("files", max_length=200)
    hostname = models.CharField("machine", max_length=200)
    pid = models.PositiveIntegerField("processus")
    started_at = models.DateTimeField("démarré le")
    heartbeat_at = models.DateTimeField("dernier signe de vie", db_index=True)
    current_task = models.UUIDField("tâche en cours", null=True, blank=True)

    class Meta:
        verbose_name = "processus d'arrière-plan"
        verbose_name_plural = "processus d'arrière-plan"

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.hostname}, {self.pid})"
