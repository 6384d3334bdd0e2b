"""Choices of the deadlines. Values are stable identifiers; labels are French."""

from django.db import models


class ProcedureActKind(models.TextChoices):
    """The acts of a procedure, other than the starting act, that start a deadline."""

    COMMANDEMENT_SERVED = "commandement_served", "Signification du commandement valant saisie"
    PUBLICATION = "publication", "Publication du commandement au service de la publicité foncière"
    ASSIGNATION = "assignation", "Assignation à l'audience d'orientation"
    ADJUDICATION = "adjudication", "Jugement d'adjudication"
    DECISION_NOTIFIED = (
        "decision_notified",
        "Signification de la décision (point de départ de l'appel)",
    )
    RECONNAISSANCE = "reconnaissance", "Reconnaissance de dette (interrompt la prescription)"
    OTHER = "other", "Autre acte"


class DeadlineStatus(models.TextChoices):
    OPEN = "open", "À respecter"
    DONE = "done", "Respectée"
    CANCELLED = "cancelled", "Annulée"


class SuspensionCause(models.TextChoices):
    """What suspends a claim's prescription (C. civ. 2230); the values of
    prescription_engine.SuspensionCause."""

    SURSIS_DE_PAIEMENT = "sursis_de_paiement", "Sursis de paiement (LPF L.277)"
    PROCEDURE_COLLECTIVE = "procedure_collective", "Procédure collective, créance déclarée"
    SURENDETTEMENT = "surendettement", "Procédure de surendettement"
    OTHER = "other", "Autre cause de suspension"
