from django.db import models


class DocumentKind(models.TextChoices):
    """The documents the pôle produces; values are the `generate_document` KIND names."""

    AVIS = "avis", "Avis d'opportunité"
    ACCUSE = "accuse", "Accusé de réception de saisine"
    SAISINE_AVOCAT = "saisine_avocat", "Note de saisine de l'avocat"
    PROJET_ECRITURES = "projet_ecritures", "Projet d'écritures"
    COMPTE_RENDU = "compte_rendu", "Compte rendu de décision"
    BORDEREAU = "bordereau", "Bordereau de pièces"
    # Saisie immobilière: the adjudication (in Alsace-Moselle, the notaire's).
    COMPTE_RENDU_ADJUDICATION = "compte_rendu_adjudication", "Compte rendu d'adjudication"


class DocumentStatus(models.TextChoices):
    PENDING = "pending", "En cours"
    READY = "ready", "Prêt"
    FAILED = "failed", "Échec"


class EditableFormat(models.TextChoices):
    """The editable copies of a document, beside its PDF (documents/formats.py)."""

    ODT = "odt", "ODT (modifiable)"
    DOCX = "docx", "DOCX (modifiable)"


class CopiesStatus(models.TextChoices):
    """Where a ready version's editable copies stand: made by their own background task
    once its PDF is stored (documents/copies.py). Blank: none were asked for (a version
    not ready yet, or produced before the copies existed)."""

    PENDING = "pending", "En préparation"
    READY = "ready", "Prêtes"
    FAILED = "failed", "Échec"
