"""Choices of the notifications. Values are stable identifiers; labels are French."""

from django.db import models


class NotificationKind(models.TextChoices):
    """What a notification is about: the unit of the users' preferences."""

    REFERRAL_RECEIVED = "referral_received", "Saisine transmise au pôle"
    RETURNED_FOR_COMPLETION = "returned_for_completion", "Dossier renvoyé pour complément"
    ACCEPTED = "accepted", "Dossier déclaré recevable"
    DECLINED = "declined", "Demande refusée"
    ASSIGNED = "assigned", "Attribution à un juriste ou à un expert"
    OPINION_GIVEN = "opinion_given", "Avis d'opportunité rendu"
    SUPPORT_STARTED = "support_started", "Soutien technique ouvert"
    TAKEN_OVER = "taken_over", "Dossier pris en charge"
    ACTION_ENGAGED = "action_engaged", "Action engagée ou débats rouverts"
    AWAITING_DECISION = "awaiting_decision", "Affaire mise en délibéré"
    DECISION_RECORDED = "decision_recorded", "Décision du juge"
    APPEAL = "appeal", "Appel"
    EXECUTION = "execution", "Exécution de la décision"
    CLOSED = "closed", "Dossier clos"
    WITHDRAWN = "withdrawn", "Demande retirée"
    MESSAGE_RECEIVED = "message_received", "Nouveau message"
    PROCEEDINGS = "proceedings", "Suivi de la procédure (avocat, audiences, encaissements)"
    OPINION_REVIEW = "opinion_review", "Validation d'un avis d'opportunité"
    OPINION_FOLLOW_UP = "opinion_follow_up", "Suite donnée à un avis d'opportunité"
    STEP_REVERSED = "step_reversed", "Étape annulée ou défaite"
    DEADLINE_REMINDER = "deadline_reminder", "Rappel d'échéance"
    STEP_TARGET = "step_target", "Délai cible d'une étape du pôle"
    # Saisie immobilière: the orientation judgment's sequel, the sale, its price
    SALE = "sale", "Vente du bien saisi (vente amiable ou forcée, adjudication, prix)"
    PIECE_ADDED = "piece_added", "Pièce ajoutée à un dossier transmis"


class Channel(models.TextChoices):
    """How a notification reaches its recipient, chosen when it is created."""

    IMMEDIATE = "immediate", "Courriel immédiat"
    DIGEST = "digest", "Résumé quotidien"
    IN_APP = "in_app", "Dans l'application seulement"


class DeliveryState(models.TextChoices):
    """Where the email of a notification stands."""

    PENDING = "pending", "À envoyer"
    RETRYING = "retrying", "En échec, nouvel essai prévu"
    SENT = "sent", "Envoyé"
    SET_ASIDE = "set_aside", "Mis de côté"
    NONE = "none", "Pas de courriel"


# The states the delivery still has to deal with.
WAITING_STATES = (DeliveryState.PENDING, DeliveryState.RETRYING)
