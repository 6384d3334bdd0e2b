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
    # A direction's administrator: opens and closes the accounts of its agents and of its
    # postes comptables' agents (cases.access.managed_roles), nothing else.
    DIRECTION_ADMIN = "direction_admin", "Administrateur de direction"


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


class CoObligorKind(models.TextChoices):
    """How a co-obligé is bound to the debtor's debts (cases.models.CoObligor): what the
    co-obligé is to the debtor."""

    SPOUSE = "spouse", "Conjoint ou partenaire de PACS (CGI 1691 bis)"
    PARTNER = "partner", "Associé tenu des dettes sociales (C. civ. 1857-1858, C. com. L.221-1)"
    MANAGER = "manager", "Dirigeant (LPF L.267)"


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


class Residence(models.TextChoices):
    """Where a party lives, for the délais de distance (CPC 643-644): metropolitan France,
    one of the overseas places of art. 643 (INSEE code of the département, ISO 3166 code of
    the collectivity), or abroad. deadlines.distance reads the overseas places from here."""

    METROPOLE = "metropole", "France métropolitaine"
    GUADELOUPE = "971", "Guadeloupe"
    GUYANE = "973", "Guyane"
    MARTINIQUE = "972", "Martinique"
    REUNION = "974", "La Réunion"
    MAYOTTE = "976", "Mayotte"
    SAINT_BARTHELEMY = "BL", "Saint-Barthélemy"
    SAINT_MARTIN = "MF", "Saint-Martin"
    SAINT_PIERRE = "975", "Saint-Pierre-et-Miquelon"
    POLYNESIE = "PF", "Polynésie française"
    WALLIS = "WF", "Wallis-et-Futuna"
    NOUVELLE_CALEDONIE = "NC", "Nouvelle-Calédonie"
    TAAF = "TF", "Terres australes et antarctiques françaises"
    ETRANGER = "etranger", "Étranger"


class SourceApplication(models.TextChoices):
    """The recovery application a claim was imported from (cases/claims_import.py)."""

    RAR = "RAR", "RAR (recouvrement des impôts des professionnels)"
    AMD = "AMD", "AMD (recouvrement des impôts des particuliers)"
    ROCSP = "ROCSP", "ROCSP (recouvrement unifié)"


class ClaimNature(models.TextChoices):
    """The prescription regime of a claim: the keys of deadlines.prescription_engine.REGIMES
    (the kernel cannot import it; a test keeps both lists equal). No default: a claim whose
    nature is unknown gets no prescription date."""

    IMPOT_ROLE = "impot_role", "Impôt recouvré par voie de rôle (LPF L.274)"
    IMPOT_AMR = "impot_amr", "Impôt recouvré par avis de mise en recouvrement (LPF L.274)"
    AMENDE_CRIME = "amende_crime", "Amende prononcée pour un crime (C. pén. 133-2)"
    AMENDE_DELIT = "amende_delit", "Amende prononcée pour un délit (C. pén. 133-3)"
    AMENDE_CONTRAVENTION = (
        "amende_contravention",
        "Amende prononcée pour une contravention (C. pén. 133-4)",
    )
    PRODUIT_LOCAL = "produit_local", "Produit local, titre de recettes (CGCT L.1617-5 3°)"
    CREANCE_CIVILE = "creance_civile", "Créance civile (C. civ. 2224)"
    TITRE_EXECUTOIRE = "titre_executoire", "Exécution d'une décision de justice (CPCE L.111-4)"


FINE_NATURES = frozenset(
    {ClaimNature.AMENDE_CRIME, ClaimNature.AMENDE_DELIT, ClaimNature.AMENDE_CONTRAVENTION}
)

# The taxes whose nature follows from the tax itself (LPF L.274): those assessed by rôle,
# and those self-assessed, recovered when unpaid by an AMR (LPF L.256). A fine, a taxe
# annexe or another claim has no nature by its kind alone: it must be chosen.
TAX_NATURES = {
    "IR": ClaimNature.IMPOT_ROLE,
    "TF": ClaimNature.IMPOT_ROLE,
    "TH": ClaimNature.IMPOT_ROLE,
    "CFE": ClaimNature.IMPOT_ROLE,
    "TVA": ClaimNature.IMPOT_AMR,
    "IS": ClaimNature.IMPOT_AMR,
    "CVAE": ClaimNature.IMPOT_AMR,
    "PAS": ClaimNature.IMPOT_AMR,
}


class ActParty(models.TextChoices):
    """Against whom an act is directed (a payment, an acknowledgement: by whom it is made);
    the values of deadlines.prescription_engine.Party (C. civ. 2240-2245)."""

    DEBTOR = "debtor", "Le débiteur"
    CO_DEBTOR = "co_debtor", "Un co-débiteur solidaire"
    MANAGER = "manager", "Le dirigeant"
    THIRD_PARTY_HOLDER = "third_party_holder", "Un tiers détenteur"
    ACQUIRER = "acquirer", "L'acquéreur (action paulienne)"
    OTHER = "other", "Un autre tiers"


class ActOutcome(models.TextChoices):
    """What became of a demande en justice or of a commandement, for its interruption of
    the prescription (C. civ. 2242-2243); the values of prescription_engine.Outcome."""

    PENDING = "pending", "Instance en cours"
    FINAL_DECISION = "final_decision", "Décision devenue définitive"
    WITHDRAWN = "withdrawn", "Désistement"
    LAPSED = "lapsed", "Péremption de l'instance"
    REJECTED = "rejected", "Demande définitivement rejetée"
    CADUC = "caduc", "Acte devenu caduc"
    PERIME = "perime", "Commandement périmé"


class PrescriptionState(models.TextChoices):
    """The stored state of a claim's prescription (prescription_engine.State, and
    « unknown » while its nature is not given)."""

    RUNNING = "running", "En cours"
    INTERRUPTED_PENDING = "interrupted_pending", "Interrompue jusqu'à l'issue de l'instance"
    SUSPENDED = "suspended", "Suspendue"
    UNKNOWN = "unknown", "Nature de la créance à préciser"


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
    # Alsace-Moselle: the livre foncier instead of the service de la publicité foncière
    # (loi du 1er juin 1924, art. 141 al. 2, 3° : « une copie du livre foncier »).
    EXTRAIT_LIVRE_FONCIER = "extrait_livre_foncier", "Extrait du livre foncier (Alsace-Moselle)"
    KBIS = "kbis", "Extrait Kbis"
    STATUTS = "statuts", "Statuts de la société"
    BILANS = "bilans", "Bilans et liasses fiscales"
    SATD = "satd", "Saisie administrative à tiers détenteur"
    AR_SATD = "ar_satd", "Accusé de réception de la SATD"
    ACTE_FRAUDULEUX = "acte_frauduleux", "Acte contesté (vente, donation…)"
    JUGEMENT = "jugement", "Jugement / décision"
    AUTRE = "autre", "Autre pièce"
    # The pieces of an L.267 action (issue 17, « holder »): the repeated breaches, the
    # accountant's diligences, the impossibility to recover, a de facto management.
    RELEVE_MANQUEMENTS = (
        "releve_manquements",
        "Relevé des manquements (historique des défaillances déclaratives et de paiement)",
    )
    DILIGENCES = "diligences", "Diligences du comptable (poursuites engagées)"
    PV_CARENCE = "pv_carence", "Procès-verbal de carence"
    JUGEMENT_COLLECTIF = (
        "jugement_collectif",
        "Jugement d'ouverture ou de clôture de la procédure collective",
    )
    DECLARATION_CREANCE = "declaration_creance", "Déclaration de créance"
    PREUVE_GESTION_FAIT = "preuve_gestion_fait", "Preuves de la gestion de fait"


class CaseStatus(models.TextChoices):
    DRAFT = "draft", "Brouillon"
    # A draft its author deleted: never sent, seen by no one but the administrators; kept
    # (the history is append-only) with its pieces removed.
    DISCARDED = "discarded", "Brouillon supprimé"
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
    # Saisie immobilière, after the orientation judgment (CPCE R.322-15 s.)
    AMICABLE_SALE = "amicable_sale", "Vente amiable en cours"
    FORCED_SALE = "forced_sale", "Vente forcée en cours"
    PRICE_DISTRIBUTION = "price_distribution", "Distribution du prix"
    # Saisie immobilière in Alsace-Moselle: the local law's exécution forcée (loi du 1er
    # juin 1924, art. 141 s.): the requête before the tribunal de l'exécution, then, once
    # ordered, its inscription at the livre foncier and the adjudication by the notaire.
    LOCAL_REQUESTED = "local_requested", "Requête en exécution forcée déposée (droit local)"
    LOCAL_ORDERED = "local_ordered", "Exécution forcée ordonnée (droit local)"


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
    # Saisie immobilière
    CaseStatus.AMICABLE_SALE,
    CaseStatus.FORCED_SALE,
    CaseStatus.PRICE_DISTRIBUTION,
    # Alsace-Moselle
    CaseStatus.LOCAL_REQUESTED,
    CaseStatus.LOCAL_ORDERED,
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
    PRESCRIPTION_MOVED = "prescription_moved", "Prescription recalculée"
    # Saisie immobilière: adjudication, surenchère, réitération, price paid
    SALE_RECORDED = "sale_recorded", "Vente du bien saisi"


class AccountChangeKind(models.TextChoices):
    """What a line of the accounts' journal (`AccountChange`) records."""

    CREATED = "created", "Compte ouvert"
    IDENTITY = "identity", "Nom ou adresse modifiés"
    ROLE = "role", "Rôle ou rattachement modifié"
    DISABLED = "disabled", "Compte désactivé"
    ENABLED = "enabled", "Compte réactivé"
    INTAKE_ON = "intake_on", "Mis de permanence d'accueil"
    INTAKE_OFF = "intake_off", "Retiré de la permanence d'accueil"
    ABSENCE_ON = "absence_on", "Absence enregistrée"
    ABSENCE_OFF = "absence_off", "Absence terminée ou annulée"
    SECOND_FACTOR_RESET = "totp_reset", "Second facteur réinitialisé"
    POSTE_CREATED = "poste_created", "Poste comptable créé"
    POSTE_DEACTIVATED = "poste_off", "Poste comptable désactivé"
    POSTE_REACTIVATED = "poste_on", "Poste comptable réactivé"


class AccessKind(models.TextChoices):
    """What a line of the consultation journal (`AccessLog`) records."""

    CASE_VIEWED = "case_viewed", "Consultation du dossier"
    STEP_VIEWED = "step_viewed", "Consultation d'une étape"
    PIECE_DOWNLOADED = "piece_downloaded", "Téléchargement d'une pièce"
    ATTACHMENT_DOWNLOADED = "attachment_downloaded", "Téléchargement d'une pièce jointe"
    DOCUMENT_DOWNLOADED = "document_downloaded", "Téléchargement d'un document"
    CASE_FILE_DOWNLOADED = "case_file_downloaded", "Téléchargement du dossier complet"
    LIST_EXPORTED = "list_exported", "Export d'une liste"
    LIST_VIEWED = "list_viewed", "Consultation d'une liste de dossiers"
    API_READ = "api_read", "Lecture par l'API"


# --- The judicial phase (takeover mode) and the opinion (opinion mode) -----------------


class StartingActKind(models.TextChoices):
    COMMANDEMENT = "commandement", "Commandement de payer valant saisie"
    ASSIGNATION = "assignation", "Assignation"
    REQUETE = "requete", "Requête"
    DECLARATION_APPEL = "declaration_appel", "Déclaration d'appel"


class Instance(models.TextChoices):
    FIRST = "first", "Première instance"
    APPEAL = "appeal", "Appel"
    CASSATION = "cassation", "Cassation"
    OPPOSITION = "opposition", "Opposition"
    # The juridiction de renvoi seized after a cassation (CPC 1032-1037): it judges the case
    # again as the court whose decision was quashed (an appeal's here).
    RENVOI = "renvoi", "Renvoi après cassation"


class MaritalSituation(models.TextChoices):
    """The debtor's marital situation, for the denunciation of the commandement to the
    spouse (CPCE R.321-1 al. 3: « époux », so marriage only). Blank: not known yet."""

    MARRIED = "marie", "Marié(e)"
    NOT_MARRIED = "non_marie", "Non marié(e) (célibataire, veuf, divorcé, pacsé)"


class PropertyOccupation(models.TextChoices):
    """Who occupies a property to be seized, as the commissaire de justice's description
    will record it (CPCE R.322-2) and the lawyer needs it for the cahier des conditions de
    vente: the buyer takes the property as it is occupied. Blank: not known yet."""

    DEBTOR = "debiteur", "Occupé par le débiteur ou sa famille"
    TENANT = "locataire", "Loué (bail en cours)"
    THIRD_PARTY = "tiers", "Occupé par un tiers sans titre connu"
    VACANT = "libre", "Libre d'occupation"


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
    """Every outcome a decision can have. Which ones a given procedure and instance can
    have is `cases.decisions` (data)."""

    GRANTED = "granted", "Demande accueillie"
    PARTLY = "partly", "Demande partiellement accueillie"
    REJECTED = "rejected", "Demande rejetée"
    STRUCK_OUT = "struck_out", "Radiation / caducité (saisie avant distinction)"
    RADIATION = "radiation", "Radiation (l'instance est suspendue)"
    CADUCITE = "caducite", "Caducité (l'instance est éteinte)"
    WITHDRAWN = "withdrawn", "Désistement"
    # Saisie immobilière: the orientation judgment (CPCE R.322-15 s.) and after it
    VENTE_AMIABLE = "vente_amiable", "Vente amiable autorisée"
    VENTE_FORCEE = "vente_forcee", "Vente forcée ordonnée"
    SUSPENSION = "suspension", "Suspension de la procédure ou délais de grâce"
    NULLITE = "nullite", "Nullité de la procédure"
    VENTE_CONSTATEE = "vente_constatee", "Vente amiable constatée"
    # Money awarded against a person (LPF L.267; LPF L.262 and CPCE L.211-2)
    CONDEMNED = "condemned", "Condamnation au paiement"
    HOLDER_CONDEMNED = "holder_condemned", "Tiers condamné dans la limite de son obligation"
    # Collective proceedings (C. com. L.621-1, L.631-7, L.641-1)
    OPENING_SAUVEGARDE = "opening_sauvegarde", "Ouverture d'une sauvegarde"
    OPENING_RJ = "opening_rj", "Ouverture d'un redressement judiciaire"
    OPENING_LJ = "opening_lj", "Ouverture d'une liquidation judiciaire"
    # Action paulienne (C. civ. 1341-2), partage (C. civ. 815-17, CPC 1360)
    INOPPOSABLE = "inopposable", "Acte déclaré inopposable au Trésor"
    PARTAGE_ORDONNE = "partage_ordonne", "Partage et licitation ordonnés"
    # Appeal and cassation
    CONFIRMED = "confirmed", "Décision confirmée"
    REVERSED = "reversed", "Décision infirmée"
    CASSATION_REJECTED = "cassation_rejected", "Pourvoi rejeté"
    # CPC 626: the decision quashed, the case is sent to a juridiction de renvoi (seized
    # within two months, CPC 1034); CPC 627: quashed without renvoi, nothing left to judge.
    CASSATION_GRANTED = "cassation_granted", "Cassation avec renvoi"
    CASSATION_NO_RENVOI = "cassation_no_renvoi", "Cassation sans renvoi"


class AppealParty(models.TextChoices):
    POLE = "pole", "Le pôle (pour l'administration)"
    OPPONENT = "opponent", "La partie adverse"


class OpinionConclusion(models.TextChoices):
    FAVOURABLE = "favourable", "Favorable"
    UNFAVOURABLE = "unfavourable", "Défavorable"
    OTHER_ACTION = "other_action", "Autre action recommandée"


class LighterMeasure(models.TextChoices):
    """What an opinion may recommend instead of a heavy action: a lighter measure of the
    poste comptable's own, or an action against the associates (issue 21, « Avis »)."""

    SATD = "satd", "Saisie administrative à tiers détenteur (LPF L.262)"
    HYPOTHEQUE_LEGALE = (
        "hypotheque_legale",
        "Inscription de l'hypothèque légale du Trésor (CGI 1929 ter)",
    )
    SAISIE_CONSERVATOIRE = "saisie_conservatoire", "Saisie conservatoire (CPCE L.511-1)"
    SAISIE_VENTE = "saisie_vente", "Saisie-vente des biens meubles (CPCE L.221-1)"
    ACTION_ASSOCIES = "action_associes", "Action contre les associés tenus des dettes sociales"


class RiskLevel(models.TextChoices):
    """The assessed risk of non-recovery."""

    LOW = "low", "Faible"
    MEDIUM = "medium", "Moyen"
    HIGH = "high", "Élevé"


class RiskDimension(models.TextChoices):
    """The rows of an opinion's risk grid (issue 24): what may keep the action from bringing
    the Treasury anything, each assessed with a `RiskLevel` and a short comment
    (`cases.risk_grid`). A level is the risk that row puts on the recovery: « élevé » for an
    insolvent debtor, assets already taken by prior securities, a collective proceeding
    that stops the action (C. com. L.622-21), claims about to be prescribed (LPF L.274), an
    action costing more than it may bring."""

    SOLVENCY = "solvency", "Solvabilité du redevable"
    ASSETS = "assets", "Patrimoine et sûretés qui le grèvent"
    COLLECTIVE = "collective", "Procédure collective"
    PRESCRIPTION = "prescription", "Prescription des créances"
    COST = "cost", "Coût de l'action"


class OpinionStatus(models.TextChoices):
    SUBMITTED = "submitted", "Soumis à validation"
    RETURNED = "returned", "Renvoyé à l'auteur"
    VALIDATED = "validated", "Validé"


class OpinionFollow(models.TextChoices):
    FOLLOWED = "followed", "Avis suivi"
    PARTLY = "partly", "Avis suivi en partie"
    NOT_FOLLOWED = "not_followed", "Avis non suivi"


# --- Issue 17 (« holder »): the third-party holder, L.267, the starting act's checks -------


class LegalForm(models.TextChoices):
    """A legal person's form: whether its partners already answer for its debts decides
    whether its manager can be pursued under LPF L.267 (« n'est pas déjà tenu au paiement
    des dettes sociales en application d'une autre disposition »)."""

    SARL = "sarl", "SARL / EURL"
    SAS = "sas", "SAS / SASU"
    SA = "sa", "SA"
    SNC = "snc", "Société en nom collectif (SNC)"
    SCS = "scs", "Société en commandite simple"
    SCA = "sca", "Société en commandite par actions"
    SOCIETE_CIVILE = "societe_civile", "Société civile (SCI, SCM, SCP…)"
    GIE = "gie", "Groupement d'intérêt économique"
    ASSOCIATION = "association", "Association"
    OTHER = "autre", "Autre forme"


# The forms whose partners (or some of them) already answer for the company's debts on
# their own property, and the text that says so: a manager who is such a partner is
# « déjà tenu » and LPF L.267 does not reach him.
LIABLE_PARTNERS = {
    LegalForm.SNC: "les associés d'une SNC répondent indéfiniment et solidairement des "
    "dettes sociales (C. com. art. L.221-1)",
    LegalForm.SCS: "les associés commandités répondent indéfiniment et solidairement des "
    "dettes sociales (C. com. art. L.222-1)",
    LegalForm.SCA: "les associés commandités répondent indéfiniment et solidairement des "
    "dettes sociales (C. com. art. L.226-1)",
    LegalForm.SOCIETE_CIVILE: "les associés d'une société civile répondent indéfiniment "
    "des dettes sociales à proportion de leur part (C. civ. art. 1857)",
    LegalForm.GIE: "les membres d'un GIE sont tenus des dettes du groupement sur leur "
    "patrimoine propre (C. com. art. L.251-6)",
}


# The forms whose partners answer for the company's debts only up to their contributions.
LIMITED_LIABILITY = frozenset({LegalForm.SARL, LegalForm.SAS, LegalForm.SA})

# What proves that recovering from the company is impossible (LPF L.267).
IMPOSSIBILITY_PIECES = frozenset(
    {PieceKind.PV_CARENCE, PieceKind.JUGEMENT_COLLECTIF, PieceKind.DECLARATION_CREANCE}
)


class HolderDeclaration(models.TextChoices):
    """Whether the third-party holder declared what it owed the debtor (CPCE L.211-3)."""

    DECLARED = "declared", "A déclaré l'étendue de ses obligations"
    NOT_DECLARED = "not_declared", "N'a rien déclaré"


class StartingActCheck(models.TextChoices):
    """What the jurist confirms at the starting act, per action type
    (`ActionType.starting_act_checks`)."""

    # Décret n° 55-22 du 4 janvier 1955, art. 28 4° c et 30-5.
    PUBLICATION = (
        "publication_fonciere",
        "Publication de l'assignation au service de la publicité foncière",
    )
    # CPC art. 1360, à peine d'irrecevabilité.
    PARTAGE_PATRIMOINE = (
        "cpc1360_patrimoine",
        "L'assignation comporte un descriptif sommaire du patrimoine à partager",
    )
    PARTAGE_INTENTIONS = (
        "cpc1360_intentions",
        "Elle précise les intentions du demandeur quant à la répartition des biens",
    )
    PARTAGE_DILIGENCES = (
        "cpc1360_diligences",
        "Elle indique les diligences entreprises en vue de parvenir à un partage amiable",
    )


# --- Collective proceedings of a debtor (C. com. livre VI) -------------------------------


class CollectiveKind(models.TextChoices):
    """The collective proceeding opened against a debtor (C. com. L.620-1, L.631-1,
    L.640-1)."""

    SAUVEGARDE = "sauvegarde", "Sauvegarde"
    REDRESSEMENT = "redressement", "Redressement judiciaire"
    LIQUIDATION = "liquidation", "Liquidation judiciaire"


# The decision outcomes that open a collective proceeding, and which one.
OPENING_OUTCOMES: dict[str, str] = {
    DecisionOutcome.OPENING_SAUVEGARDE: CollectiveKind.SAUVEGARDE,
    DecisionOutcome.OPENING_RJ: CollectiveKind.REDRESSEMENT,
    DecisionOutcome.OPENING_LJ: CollectiveKind.LIQUIDATION,
}


class ClosingCause(models.TextChoices):
    """Why a collective proceeding was closed (C. com. L.643-9, L.626-28, L.631-16)."""

    INSUFFISANCE_ACTIF = "insuffisance_actif", "Insuffisance d'actif (L.643-9)"
    EXTINCTION_PASSIF = "extinction_passif", "Extinction du passif (L.643-9)"
    PLAN_EXECUTE = "plan_execute", "Plan exécuté (L.626-28)"
    OTHER = "other", "Autre cause"
    # Issue 17: not a closing judgment: the opening judgment reversed on appeal (or
    # retracted on opposition) ends the proceeding from the day of that decision
    # (`cases.collective.record_reversal`); not offered on the closing form.
    REVERSED = "reversed", "Jugement d'ouverture infirmé sur recours"


class DebtorActivity(models.TextChoices):
    """What the debtor is and does: it decides the court of its collective proceeding
    (C. com. L.621-2; tribunal des activités économiques, loi n° 2023-1059 art. 26)."""

    COMMERCIAL = "commercial", "Commerçant ou société commerciale"
    ARTISAN = "artisan", "Artisan"
    AGRICULTURAL = "agricultural", "Exploitant agricole"
    LIBERAL = "liberal", "Profession libérale (hors professions du droit réglementées)"
    LEGAL_PROFESSION = (
        "legal_profession",
        "Avocat, notaire, commissaire de justice, greffier de tribunal de commerce, "
        "administrateur ou mandataire judiciaire",
    )
    CIVIL = "civil", "Société civile, association ou autre personne morale de droit privé"


# --- Money: the condemnations, imputations, costs and the distribution of the price -------
# (issue 17, « distrib »)

# A decision that condemns someone to pay (when it states an amount): the dashboards count
# these as condemnations, not a radiation, a caducité, a désistement nor a mere rejection.
CONDEMNING_OUTCOMES = frozenset(
    {
        DecisionOutcome.CONDEMNED,
        DecisionOutcome.HOLDER_CONDEMNED,
        DecisionOutcome.GRANTED,
        DecisionOutcome.PARTLY,
    }
)


class ImputationRule(models.TextChoices):
    """Why a recovery went to a claim (C. civ. 1342-10)."""

    DESIGNATED = "designated", "Indiquée par le payeur"
    LEGAL = "legal", "Ordre légal (C. civ. 1342-10)"


class CostKind(models.TextChoices):
    LAWYER_FEES = "lawyer_fees", "Honoraires d'avocat"
    BAILIFF = "bailiff", "Frais de commissaire de justice"
    PROCEDURE = "procedure", "Frais de procédure (greffe, publicité, expertise…)"
    OTHER = "other", "Autres frais"


class DistributionKind(models.TextChoices):
    AMICABLE = "amicable", "Distribution amiable (CPCE R.332-1 s.)"
    JUDICIAL = "judicial", "Distribution judiciaire (CPCE R.333-1 s.)"


class DistributionStatus(models.TextChoices):
    OPEN = "open", "Déclaration des créanciers"
    PROJECT = "project", "Projet de distribution établi"
    PAID = "paid", "Prix distribué"


class SecurityKind(models.TextChoices):
    TRESOR_PRIVILEGE = "tresor_privilege", "Privilège du Trésor (CGI 1920)"
    TRESOR_MORTGAGE = "tresor_mortgage", "Hypothèque légale du Trésor (CGI 1929 ter)"
    CONVENTIONAL_MORTGAGE = "conventional_mortgage", "Hypothèque conventionnelle"
    OTHER = "other", "Autre sûreté ou créance"


TRESOR_SECURITIES = frozenset({SecurityKind.TRESOR_PRIVILEGE, SecurityKind.TRESOR_MORTGAGE})
# --- Saisie immobilière: the sale of the property (CPCE R.322-20 s., R.322-39 s.) ---------


class SaleKind(models.TextChoices):
    """How the seized property was sold (`cases.PropertySale`)."""

    ADJUDICATION = "adjudication", "Adjudication"
    SURENCHERE = "surenchere", "Adjudication sur surenchère (R.322-50 s.)"
    REITERATION = "reiteration", "Adjudication sur réitération des enchères (R.322-66 s.)"
    AMIABLE = "amiable", "Vente amiable constatée (R.322-25)"
    # Alsace-Moselle: the notaire commis by the ordonnance holds it (loi du 1er juin 1924).
    NOTAIRE = "notaire", "Adjudication par le notaire commis (droit local)"


class SaleReport(models.TextChoices):
    """The only grounds on which a forced sale may be reported (CPCE R.322-28)."""

    FORCE_MAJEURE = "force_majeure", "Cas de force majeure"
    SURENDETTEMENT = (
        "surendettement",
        "Demande de la commission de surendettement (C. consom. L.721-7, L.722-4)",
    )


# --- The parties of a case (issue 17: parties per case) ---------------------------------


class PartyRole(models.TextChoices):
    """Who a party is to the case. The debtor and the targets of the referral (managers,
    third-party holders) are read as implicit parties; a party recorded by the pôle comes
    on top of them."""

    DEBTOR = "debtor", "Débiteur"
    MANAGER = "manager", "Dirigeant"
    THIRD_PARTY_HOLDER = "third_party_holder", "Tiers détenteur"
    REGISTERED_CREDITOR = "registered_creditor", "Créancier inscrit"
    CO_OWNER = "co_owner", "Co-indivisaire"
    ACQUIRER = "acquirer", "Acquéreur (action paulienne)"
    THIRD_PARTY_DEBTOR = "third_party_debtor", "Tiers débiteur (action oblique)"
    CO_PLAINTIFF = "co_plaintiff", "Co-demandeur (ex. URSSAF)"
    OTHER = "other", "Autre partie"


# --- The pôle's labels (issue 22) -------------------------------------------------------


class BulkAction(models.TextChoices):
    """The actions on several cases at once from the case list (`workflows.bulk`)."""

    REASSIGN = "reassign", "Réattribuer à un juriste"
    LABEL_ADD = "label_add", "Ajouter une étiquette"
    LABEL_REMOVE = "label_remove", "Retirer une étiquette"
    MESSAGE = "message", "Écrire aux services demandeurs"


class LabelColour(models.TextChoices):
    """The DSFR's accent colours (each a `fr-tag--<value>` class)."""

    GREEN_TILLEUL_VERVEINE = "green-tilleul-verveine", "Vert tilleul verveine"
    GREEN_BOURGEON = "green-bourgeon", "Vert bourgeon"
    GREEN_EMERAUDE = "green-emeraude", "Vert émeraude"
    GREEN_MENTHE = "green-menthe", "Vert menthe"
    GREEN_ARCHIPEL = "green-archipel", "Vert archipel"
    BLUE_ECUME = "blue-ecume", "Bleu écume"
    BLUE_CUMULUS = "blue-cumulus", "Bleu cumulus"
    PURPLE_GLYCINE = "purple-glycine", "Violet glycine"
    PINK_MACARON = "pink-macaron", "Rose macaron"
    PINK_TUILE = "pink-tuile", "Rose tuile"
    YELLOW_TOURNESOL = "yellow-tournesol", "Jaune tournesol"
    YELLOW_MOUTARDE = "yellow-moutarde", "Jaune moutarde"
    ORANGE_TERRE_BATTUE = "orange-terre-battue", "Orange terre battue"
    BROWN_CAFE_CREME = "brown-cafe-creme", "Brun café crème"
    BROWN_CARAMEL = "brown-caramel", "Brun caramel"
    BROWN_OPERA = "brown-opera", "Brun opéra"
    BEIGE_GRIS_GALET = "beige-gris-galet", "Beige gris galet"
