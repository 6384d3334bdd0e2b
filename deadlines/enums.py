"""Choices of the deadlines. Values are stable identifiers; labels are French."""

from django.db import models


class ProcedureActKind(models.TextChoices):
    """The acts of a procedure, other than the starting act, that start a deadline."""

    COMMANDEMENT_SERVED = "commandement_served", "Signification du commandement valant saisie"
    PUBLICATION = "publication", "Publication du commandement au service de la publicité foncière"
    DENONCIATION_CONJOINT = (
        "denonciation_conjoint",
        "Dénonciation du commandement au conjoint du débiteur (R.321-1 al. 3)",
    )
    ASSIGNATION = "assignation", "Assignation à l'audience d'orientation"
    DENONCIATION_CREANCIERS = (
        "denonciation_creanciers",
        "Dénonciation du commandement aux créanciers inscrits (R.322-6)",
    )
    CAHIER = "cahier", "Dépôt du cahier des conditions de vente au greffe (R.322-10)"
    PUBLICITE_VENTE = "publicite_vente", "Publicité de la vente (R.322-31)"
    PROROGATION = (
        "prorogation",
        "Jugement prorogeant les effets du commandement, mentionné en marge (R.321-22)",
    )
    ADJUDICATION = "adjudication", "Jugement d'adjudication"
    ADJUDICATION_PUBLISHED = "adjudication_publiee", "Publication du jugement d'adjudication"
    VENTE_AMIABLE_PUBLISHED = (
        "vente_amiable_publiee",
        "Publication du jugement constatant la vente amiable",
    )
    DECISION_NOTIFIED = (
        "decision_notified",
        "Signification de la décision (point de départ de l'appel)",
    )
    RECONNAISSANCE = "reconnaissance", "Reconnaissance de dette (interrompt la prescription)"
    OTHER = "other", "Autre acte"
    # Alsace-Moselle: the exécution forcée immobilière of the local law (loi du 1er juin
    # 1924, art. 141 s.), recorded only for a saisie immobilière of a property in 57, 67 or
    # 68 (deadlines.local_law: its steps and calendar).
    LF_COMMANDEMENT = (
        "lf_commandement",
        "Commandement de payer préalable à la requête (droit local, ne vaut pas saisie)",
    )
    LF_ORDONNANCE = "lf_ordonnance", "Ordonnance d'exécution forcée immobilière (droit local)"
    LF_NOTIFICATION = (
        "lf_notification",
        "Notification ou signification de l'ordonnance d'exécution forcée au débiteur",
    )
    LF_INSCRIPTION = (
        "lf_inscription",
        "Inscription de l'exécution forcée au livre foncier (mention de l'ordonnance)",
    )
    LF_NOTAIRE = "lf_notaire", "Désignation du notaire chargé de l'adjudication"
    LF_CAHIER = "lf_cahier", "Cahier des charges de l'adjudication déposé chez le notaire"
    LF_ADJUDICATION = "lf_adjudication", "Adjudication par le notaire commis (droit local)"


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
