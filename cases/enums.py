"""Choices of the case domain. Values are stable identifiers; labels are French."""

from django.db import models


class Role(models.TextChoices):
    POSTE_AGENT = "poste_agent", "Agent de poste comptable"
    DIRECTION_AGENT = "direction_agent", "Agent de direction"
    JURIST = "jurist", "Juriste du pôle"
    HEAD = "head", "Chef du pôle"
    EXPERT = "expert", "Expert d'une direction aidante"
    MANAGEMENT = "management", "Pilotage"
    ADMIN = "admin", "Administrateur"


class DirectionKind(models.TextChoices):
    DDFIP = "DDFIP", "Direction départementale des finances publiques"
    DRFIP = "DRFIP", "Direction régionale des finances publiques"


class ExperimentRole(models.TextChoices):
    SENDING = "sending", "Direction qui transmet des dossiers"
    HELPING = "helping", "Direction aidante"
    NONE = "none", "Hors expérimentation"


class PosteKind(models.TextChoices):
    SIE = "SIE", "Service des impôts des entreprises"
    SGC = "SGC", "Service de gestion comptable"
    TRESORERIE = "TRESORERIE", "Trésorerie"
    PRS = "PRS", "Pôle de recouvrement spécialisé"


class Mode(models.TextChoices):
    """What the direction asks of the pôle (seed 001, §1-2)."""

    AVIS = "avis", "Avis d'opportunité"
    SOUTIEN = "soutien", "Soutien technique"
    PRISE_EN_CHARGE = "prise_en_charge", "Prise en charge"


class DebtorKind(models.TextChoices):
    LEGAL = "legal", "Personne morale"
    NATURAL = "natural", "Personne physique"


class TaxKind(models.TextChoices):
    TVA = "TVA", "TVA"
    IS = "IS", "Impôt sur les sociétés"
    IR = "IR", "Impôt sur le revenu"
    CFE = "CFE", "Cotisation foncière des entreprises"
    CVAE = "CVAE", "CVAE"
    TF = "TF", "Taxe foncière"
    TH = "TH", "Taxe d'habitation"
    PAS = "PAS", "Prélèvement à la source"
    TAXE_ANNEXE = "taxe_annexe", "Taxe annexe"
    AMENDE = "amende", "Amende"
    AUTRE = "autre", "Autre créance"


class TargetKind(models.TextChoices):
    """What an action is aimed at; each action type names the one it needs."""

    PROPERTY = "property", "Bien immobilier"
    MANAGER = "manager", "Dirigeant"
    THIRD_PARTY = "third_party", "Tiers détenteur"
    NONE = "none", "Aucune cible particulière"


class PieceKind(models.TextChoices):
    TITRE_EXECUTOIRE = "titre_executoire", "Titre exécutoire (AMR, rôle)"
    ETAT_CREANCES = "etat_creances", "État détaillé des créances"
    MISE_EN_DEMEURE = "mise_en_demeure", "Mise en demeure de payer"
    FICHE_PATRIMONIALE = "fiche_patrimoniale", "Fiche de renseignements patrimoniaux"
    RELEVE_PROPRIETE = "releve_propriete", "Relevé de propriété / matrice cadastrale"
    FICHE_IMMEUBLE = "fiche_immeuble", "État hypothécaire (fiche d'immeuble)"
    KBIS = "kbis", "Extrait Kbis"
    STATUTS = "statuts", "Statuts de la société"
    BILANS = "bilans", "Bilans et liasses fiscales"
    SATD = "satd", "Saisie administrative à tiers détenteur"
    AR_SATD = "ar_satd", "Accusé de réception de la SATD"
    ACTE_FRAUDULEUX = "acte_frauduleux", "Acte contesté (vente, donation…)"
    JUGEMENT = "jugement", "Jugement / décision"
    AUTRE = "autre", "Autre pièce"


class CaseStatus(models.TextChoices):
    DRAFT = "draft", "Brouillon"
    SUBMITTED = "submitted", "Transmis au pôle"
    RETURNED = "returned", "Renvoyé pour complément"
    UNDER_EXAMINATION = "under_examination", "En examen"
    DECLINED = "declined", "Refusé"
    OPINION_GIVEN = "opinion_given", "Avis rendu"
    SUPPORT_IN_PROGRESS = "support_in_progress", "Soutien en cours"
    TAKEN_OVER = "taken_over", "Pris en charge"
    ACTION_ENGAGED = "action_engaged", "Action engagée"
    AWAITING_DECISION = "awaiting_decision", "En attente de décision"
    DECIDED = "decided", "Décision rendue"
    UNDER_APPEAL = "under_appeal", "En appel"
    EXECUTION = "execution", "En exécution"
    CLOSED = "closed", "Clos"


# A case is "open" (for the duplicate check, the lists) until it is declined or closed.
CLOSED_STATUSES = frozenset({CaseStatus.DECLINED, CaseStatus.CLOSED})
# From the takeover to the execution: the pôle conducts the action.
TAKEN_OVER_STATUSES = (
    CaseStatus.TAKEN_OVER,
    CaseStatus.ACTION_ENGAGED,
    CaseStatus.AWAITING_DECISION,
    CaseStatus.DECIDED,
    CaseStatus.UNDER_APPEAL,
    CaseStatus.EXECUTION,
)


class ReturnGround(models.TextChoices):
    """Why the pôle returns a referral for completion (counted on the dashboards)."""

    PIECES = "pieces", "Pièces manquantes ou illisibles"
    CLAIMS = "claims", "Créances : état incomplet ou titre manquant"
    DEBTOR = "debtor", "Débiteur insuffisamment identifié"
    TARGET = "target", "Cible de l'action insuffisamment décrite"
    FACTS = "facts", "Exposé des faits ou de la demande insuffisant"
    PRESCRIPTION = "prescription", "Prescription ou exigibilité à justifier"
    OTHER = "other", "Autre motif"


class ClosureReason(models.TextChoices):
    RECOVERED_FULL = "recovered_full", "Recouvrement intégral"
    RECOVERED_PARTIAL = "recovered_partial", "Recouvrement partiel"
    IRRECOVERABLE = "irrecoverable", "Créance irrécouvrable"
    WITHDRAWN = "withdrawn", "Désistement / retrait de la demande"
    PRESCRIBED = "prescribed", "Créance prescrite"
    OPINION_GIVEN = "opinion_given", "Avis rendu"
    SUPPORT_COMPLETED = "support_completed", "Soutien terminé"


class EventKind(models.TextChoices):
    CREATED = "created", "Dossier créé"
    UPDATED = "updated", "Dossier modifié"
    PIECE_ADDED = "piece_added", "Pièce ajoutée"
    PIECE_REMOVED = "piece_removed", "Pièce retirée"
    TRANSITION = "transition", "Changement de statut"
    ASSIGNED = "assigned", "Attribution"
    LAWYER_MANDATED = "lawyer_mandated", "Avocat mandaté"
    MANDATE_REVOKED = "mandate_revoked", "Mandat révoqué"
    HEARING_SET = "hearing_set", "Audience fixée"
    HEARING_ADJOURNED = "hearing_adjourned", "Audience renvoyée"
    HEARING_HELD = "hearing_held", "Audience tenue"
    RECOVERY_RECORDED = "recovery_recorded", "Encaissement enregistré"
    OPINION_SUBMITTED = "opinion_submitted", "Avis soumis à validation"
    OPINION_RETURNED = "opinion_returned", "Avis renvoyé à son auteur"
    OPINION_FOLLOW_UP = "opinion_follow_up", "Suite donnée à l'avis"
    STEP_CANCELLED = "step_cancelled", "Étape annulée"
    STEP_UNDONE = "step_undone", "Étape défaite"
    PROCEDURE_ACT = "procedure_act", "Acte de procédure enregistré"
    DEADLINES_CREATED = "deadlines_created", "Échéances créées"
    DEADLINES_RECOMPUTED = "deadlines_recomputed", "Échéances recalculées"
    DEADLINE_ADDED = "deadline_added", "Échéance ajoutée"
    DEADLINE_DONE = "deadline_done", "Échéance respectée"
    DEADLINE_CANCELLED = "deadline_cancelled", "Échéance annulée"
    PRESCRIPTION_MOVED = "prescription_moved", "Prescription interrompue"


# --- The judicial phase (takeover mode) and the opinion (opinion mode) -----------------


class StartingActKind(models.TextChoices):
    COMMANDEMENT = "commandement", "Commandement de payer valant saisie"
    ASSIGNATION = "assignation", "Assignation"
    REQUETE = "requete", "Requête"
    DECLARATION_APPEL = "declaration_appel", "Déclaration d'appel"


class Instance(models.TextChoices):
    FIRST = "first", "Première instance"
    APPEAL = "appeal", "Appel"


class MaritalSituation(models.TextChoices):
    """The debtor's marital situation, for the denunciation of the commandement to the
    spouse (CPCE R.321-1 al. 3: « époux », so marriage only). Blank: not known yet."""

    MARRIED = "marie", "Marié(e)"
    NOT_MARRIED = "non_marie", "Non marié(e) (célibataire, veuf, divorcé, pacsé)"


class HearingKind(models.TextChoices):
    """What a hearing is for: the deadlines it starts depend on it (deadlines.rules), never
    on the words of its free-text purpose."""

    ORIENTATION = "orientation", "Audience d'orientation"
    ADJUDICATION = "adjudication", "Audience d'adjudication"
    VENTE_AMIABLE = "vente_amiable", "Audience de rappel (vente amiable)"
    PLAIDOIRIE = "plaidoirie", "Plaidoiries"
    MISE_EN_ETAT = "mise_en_etat", "Mise en état"
    REFERE = "refere", "Référé"
    OTHER = "other", "Autre audience"


class HearingStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Prévue"
    HELD = "held", "Tenue"
    ADJOURNED = "adjourned", "Renvoyée"


class DecisionOutcome(models.TextChoices):
    GRANTED = "granted", "Demande accueillie"
    PARTLY = "partly", "Demande partiellement accueillie"
    REJECTED = "rejected", "Demande rejetée"
    STRUCK_OUT = "struck_out", "Radiation / caducité"
    WITHDRAWN = "withdrawn", "Désistement"


class AppealParty(models.TextChoices):
    POLE = "pole", "Le pôle (pour l'administration)"
    OPPONENT = "opponent", "La partie adverse"


class OpinionConclusion(models.TextChoices):
    FAVOURABLE = "favourable", "Favorable"
    UNFAVOURABLE = "unfavourable", "Défavorable"
    OTHER_ACTION = "other_action", "Autre action recommandée"


class RiskLevel(models.TextChoices):
    """The assessed risk of non-recovery."""

    LOW = "low", "Faible"
    MEDIUM = "medium", "Moyen"
    HIGH = "high", "Élevé"


class OpinionStatus(models.TextChoices):
    SUBMITTED = "submitted", "Soumis à validation"
    RETURNED = "returned", "Renvoyé à l'auteur"
    VALIDATED = "validated", "Validé"


class OpinionFollow(models.TextChoices):
    FOLLOWED = "followed", "Avis suivi"
    PARTLY = "partly", "Avis suivi en partie"
    NOT_FOLLOWED = "not_followed", "Avis non suivi"
