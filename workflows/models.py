"""The pôle's process for one case: a viewflow Process tied to its case."""

from django.db import models
from viewflow.workflow.models import Process

from cases.models import Case


class CaseProcess(Process):
    """One per case, from its first submission to its closure (viewflow's Process with
    the case as a real foreign key, so that a case has at most one process)."""

    case = models.OneToOneField(
        Case, on_delete=models.PROTECT, related_name="process", verbose_name="dossier"
    )

    class Meta:
        verbose_name = "circuit d'un dossier"
        verbose_name_plural = "circuits des dossiers"
        permissions = [
            ("intake", "Examiner la recevabilité des dossiers (permanence)"),
        ]

    def __str__(self) -> str:
        return f"Circuit du dossier {self.case.reference}"
