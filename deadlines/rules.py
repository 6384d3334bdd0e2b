"""The deadlines each act starts, per action type: data, not code branches.

A `Template` says which act starts it (`trigger`), for which action types, its length
(one of days, months, years, jours ouvrables for `deadlines.engine.compute_deadline`, or
the appeal period of the action type, `appeal_period`), its legal basis, whether it is
set à peine de caducité du commandement (R.311-11: critical, reminded earlier), whether it
belongs to the CPCE calendar (which a saisie immobilière in Alsace-Moselle does not follow)
and which act meets it. The lengths, articles and sanctions of the saisie immobilière's
deadlines are those of `deadlines.saisie_calendar.RULES`: one definition for a case's
deadline rows, the procedure_calendar command and the calculator.

Deadlines counted back from a hearing (`before=True`: "at the latest N months before the
hearing") end on the same day N months earlier (CPC 641) and, when that day is not a
working day, on the working day before: CPC 642 only extends deadlines that run forward,
and a deadline the pôle itself must meet is never counted on its most generous reading.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cases import decisions
from cases.enums import HearingKind, Instance

from .enums import ProcedureActKind
from .local_law import RULES as LOCAL_RULES
from .saisie_calendar import RULES

SAISIE_IMMOBILIERE = ("saisie_immobiliere",)
APPEAL = "appeal"  # the length of the appeal templates: appeal_period decides


class Trigger:
    """What starts deadlines. Procedure acts use their kind's value, hearings their kind's."""

    COMMANDEMENT_SERVED = ProcedureActKind.COMMANDEMENT_SERVED.value
    PUBLICATION = ProcedureActKind.PUBLICATION.value
    DENONCIATION_CONJOINT = ProcedureActKind.DENONCIATION_CONJOINT.value
    ASSIGNATION = ProcedureActKind.ASSIGNATION.value
    DENONCIATION_CREANCIERS = ProcedureActKind.DENONCIATION_CREANCIERS.value
    CAHIER = ProcedureActKind.CAHIER.value
    PUBLICITE_VENTE = ProcedureActKind.PUBLICITE_VENTE.value
    PROROGATION = ProcedureActKind.PROROGATION.value
    ADJUDICATION = ProcedureActKind.ADJUDICATION.value
    ADJUDICATION_PUBLISHED = ProcedureActKind.ADJUDICATION_PUBLISHED.value
    VENTE_AMIABLE_PUBLISHED = ProcedureActKind.VENTE_AMIABLE_PUBLISHED.value
    ORIENTATION_HEARING = "orientation_hearing"
    ADJUDICATION_HEARING = "adjudication_hearing"
    DECISION_NOTIFIED = ProcedureActKind.DECISION_NOTIFIED.value
    # Issue 17: a decision notified that opens a pourvoi (given in last resort: an
    # appeal's) or an opposition (given by default), not an appeal (`decision_trigger`).
    DECISION_NOTIFIED_LAST_RESORT = "decision_notified_last_resort"
    DECISION_NOTIFIED_BY_DEFAULT = "decision_notified_by_default"
    # A cassation avec renvoi notified: the juridiction de renvoi is to be seized.
    DECISION_NOTIFIED_CASSATION = "decision_notified_cassation"
    # A radiation (CPC 381) leaves the instance to lapse after two years without diligence
    # (CPC 386); the affaire rétablie (a new hearing, CPC 383) meets that deadline.
    RADIATION = "radiation"
    RETABLISSEMENT = "retablissement"
    # Alsace-Moselle (deadlines.local_law)
    LF_NOTIFICATION = ProcedureActKind.LF_NOTIFICATION.value
    # Collective proceedings (cases.collective): not procedure acts of the case's own.
    COLLECTIVE_PUBLICATION = "collective_publication"  # the opening judgment in the BODACC
    CLAIM_DECLARED = "claim_declared"  # the Trésor's declaration of its claims
    CLAIM_DECLARED_LATE = "claim_declared_late"  # ... after R.622-24's two months
    RELEVE_FORCLUSION = "releve_forclusion"  # the requête en relevé de forclusion
    # The sale of the seized property (workflows' forced-sale step): not procedure acts of
    # their own, recorded on the sale (cases.PropertySale).
    SURENCHERE = "surenchere"
    SURENCHERE_DENONCEE = "surenchere_denoncee"
    PRIX_CONSIGNE = "prix_consigne"


# A hearing of one of these kinds (cases.Hearing.kind) starts the deadlines of that trigger.
HEARING_TRIGGERS: dict[str, str] = {
    HearingKind.ORIENTATION: Trigger.ORIENTATION_HEARING,
    HearingKind.ADJUDICATION: Trigger.ADJUDICATION_HEARING,
}

# The starting act (cases.StartingAct.kind), once served, is this procedure act.
STARTING_ACT_TRIGGERS: dict[str, str] = {
    "commandement": Trigger.COMMANDEMENT_SERVED,
    "assignation": Trigger.ASSIGNATION,
}

# Reminders: days before the due date (the overdue reminder is sent besides).
REMINDER_DAYS = (30, 7, 1)
CRITICAL_REMINDER_DAYS = (60, 30, 15, 7, 1)

APPEAL_MONTHS = 1  # CPC art. 538: appeal against an ordinary judgment

# The legal basis of the appeal period, by ActionType.appeal_days (None: one month).
APPEAL_BASIS: dict[int | None, str] = {
    15: "CPCE art. R.121-20 : 15 jours à compter de la notification (juge de l'exécution)",
    10: "C. com. art. R.661-3 : 10 jours à compter de la notification",
    None: "CPC art. 538 : un mois à compter de la notification",
}


def appeal_period(appeal_days: int | None) -> dict[str, int]:
    """The length of the appeal period for `compute_deadline`: the action type's period in
    days when it has one (juge de l'exécution, procédures collectives), one month
    otherwise (CPC art. 538)."""
    return {"days": appeal_days} if appeal_days else {"months": APPEAL_MONTHS}


def appeal_basis(appeal_days: int | None) -> str:
    """The legal basis shown with an appeal deadline of that period."""
    days = appeal_days or None  # 0 days: no period of its own, one month like appeal_period
    return APPEAL_BASIS.get(days) or f"{days} jours à compter de la notification"


@dataclass(frozen=True)
class Template:
    code: str
    label: str
    basis: str
    trigger: str
    length: dict[str, int] | str
    action_types: tuple[str, ...] | None = None  # None: every action type
    critical: bool = False
    cpce: bool = False  # part of the CPCE calendar: not in Alsace-Moselle
    local_law: bool = False  # the local law of Alsace-Moselle's: only there
    before: bool = False  # counted back from the trigger (a hearing)
    plain: bool = False  # a limit on a hearing's date: plain arithmetic (CPC 641), no 642
    met_by: tuple[str, ...] = field(default_factory=tuple)  # triggers that meet it
    # Done at the court registry (closed on Saturday): the page shows its last open day.
    registry_act: bool = False
    # The act's date it counts from, when not the act's own date (ProcedureAct field name).
    counted_from: str = ""
    # Judged at once on this date of the act ("date": the act itself): the deadline is
    # closed as soon as it is created, late or not (R.322-4: the assignation as served,
    # against the hearing date written in it).
    judged_on: str = ""
    judged_act: str = ""  # what the history says met it
    # Only for a case whose referral says so (`applies`: a Case → bool, see services).
    condition: str = ""

    @property
    def reminder_days(self) -> tuple[int, ...]:
        return CRITICAL_REMINDER_DAYS if self.critical else REMINDER_DAYS


def _saisie(code: str, label: str, trigger: str, **kwargs) -> Template:
    """A deadline of the CPCE calendar: its length, article and sanction are those of
    `deadlines.saisie_calendar.RULES` (the calculator and procedure_calendar read the
    same), so that a case's deadline rows and its calendar give the same dates."""
    rule = RULES[code]
    return Template(
        code,
        label,
        rule.basis,
        trigger,
        rule.length,
        SAISIE_IMMOBILIERE,
        critical=rule.critical,
        cpce=True,
        **kwargs,
    )


# Whether the commandement must be denounced to the debtor's spouse (R.321-1 al. 3).
SPOUSE_CONDITION = "spouse_denunciation"

TEMPLATES: tuple[Template, ...] = (
    _saisie(
        "si_publication",
        "Publier le commandement au service de la publicité foncière",
        Trigger.COMMANDEMENT_SERVED,
        met_by=(Trigger.PUBLICATION,),
    ),
    _saisie(
        "si_denonciation_conjoint",
        "Dénoncer le commandement au conjoint du débiteur (logement de la famille)",
        Trigger.COMMANDEMENT_SERVED,
        met_by=(Trigger.DENONCIATION_CONJOINT,),
        condition=SPOUSE_CONDITION,
    ),
    _saisie(
        "si_assignation",
        "Assigner le débiteur à l'audience d'orientation",
        Trigger.PUBLICATION,
        met_by=(Trigger.ASSIGNATION,),
    ),
    _saisie(
        "si_peremption",
        "Péremption du commandement faute de vente publiée ou de prorogation",
        Trigger.PUBLICATION,
        met_by=(Trigger.ADJUDICATION_PUBLISHED, Trigger.VENTE_AMIABLE_PUBLISHED),
    ),
    _saisie(
        "si_denonciation_creanciers",
        "Dénoncer le commandement aux créanciers inscrits",
        Trigger.ASSIGNATION,
        met_by=(Trigger.DENONCIATION_CREANCIERS,),
    ),
    _saisie(
        "si_cahier",
        "Déposer le cahier des conditions de vente au greffe",
        Trigger.ASSIGNATION,
        met_by=(Trigger.CAHIER,),
        registry_act=True,
    ),
    _saisie(
        "si_orientation_min",
        "Assignation délivrée au plus tard un mois avant l'audience d'orientation",
        Trigger.ASSIGNATION,
        before=True,
        counted_from="hearing_on",
        judged_on="date",
        judged_act="Assignation délivrée",
    ),
    _saisie(
        "si_orientation_max",
        "Audience d'orientation fixée au plus tard trois mois après l'assignation",
        Trigger.ASSIGNATION,
        plain=True,
        judged_on="hearing_on",
        judged_act="Audience d'orientation fixée dans l'assignation",
    ),
    _saisie(
        "si_publicite_max",
        "Publicité de la vente, entre deux mois et un mois avant l'audience d'adjudication",
        Trigger.ADJUDICATION_HEARING,
        before=True,
        met_by=(Trigger.PUBLICITE_VENTE,),
    ),
    _saisie(
        "si_surenchere",
        "Fin du délai de surenchère",
        Trigger.ADJUDICATION,
        registry_act=True,
        met_by=("surenchere",),  # Trigger.SURENCHERE: the window used
    ),
    # The sale of the seized property (CPCE R.322-52, R.322-56)
    _saisie(
        "si_surenchere_denonciation",
        "Dénoncer la surenchère (créancier poursuivant, adjudicataire, débiteur)",
        Trigger.SURENCHERE,
        met_by=(Trigger.SURENCHERE_DENONCEE,),
    ),
    _saisie(
        "si_paiement_prix",
        "Consignation du prix par l'adjudicataire (à défaut : réitération des enchères)",
        Trigger.ADJUDICATION,
        met_by=(Trigger.PRIX_CONSIGNE,),
    ),
    # Alsace-Moselle: the local law's exécution forcée immobilière (deadlines.local_law).
    Template(
        "lf_pourvoi",
        "Fin du délai de pourvoi immédiat contre l'ordonnance d'exécution forcée",
        LOCAL_RULES["lf_pourvoi"].basis,
        Trigger.LF_NOTIFICATION,
        LOCAL_RULES["lf_pourvoi"].length,
        SAISIE_IMMOBILIERE,
        local_law=True,
    ),
    Template(
        "appel",
        "Délai d'appel de la décision",
        "",  # APPEAL_BASIS, by the action type's appeal period
        Trigger.DECISION_NOTIFIED,
        APPEAL,
    ),
    # Issue 17: the recourse the decision opens, not always an appeal (cases.decisions).
    Template(
        "pourvoi",
        "Délai de pourvoi en cassation",
        decisions.RECOURSE_BASIS[Instance.CASSATION],  # CPC 612
        Trigger.DECISION_NOTIFIED_LAST_RESORT,
        {"months": decisions.RECOURSE_MONTHS[Instance.CASSATION]},
    ),
    Template(
        "opposition",
        "Délai d'opposition au jugement rendu par défaut",
        decisions.RECOURSE_BASIS[Instance.OPPOSITION],  # CPC 538, 571-572
        Trigger.DECISION_NOTIFIED_BY_DEFAULT,
        {"months": decisions.RECOURSE_MONTHS[Instance.OPPOSITION]},
    ),
    # CPC 1034: its sanction is the loss of the case won in cassation (the first judgment
    # becomes final): critical, reminded early.
    Template(
        "renvoi",
        "Saisir la juridiction de renvoi après cassation",
        decisions.RECOURSE_BASIS[Instance.RENVOI],
        Trigger.DECISION_NOTIFIED_CASSATION,
        {"months": decisions.RECOURSE_MONTHS[Instance.RENVOI]},
        critical=True,
    ),
)

# The péremption of a radiated instance: its sanction is the instance's extinction (CPC
# 389), the interruption of the prescription wiped out (C. civ. 2243): critical. Counted
# from the radiation (on appeal, from its notification: CPC 524), the conservative start
# when the last diligence of the parties is not recorded.
PEREMPTION_INSTANCE = "peremption_instance"
TEMPLATES += (
    Template(
        PEREMPTION_INSTANCE,
        "Rétablir l'affaire radiée avant la péremption de l'instance",
        "CPC art. 386 : instance périmée si aucune partie n'accomplit de diligence pendant "
        "deux ans (la radiation n'en est pas une) ; compté de la radiation, ou de sa "
        "notification en appel (CPC 524) : vérifier la date de la dernière diligence",
        Trigger.RADIATION,
        {"years": 2},
        critical=True,
        met_by=(Trigger.RETABLISSEMENT,),
    ),
)

# The recourse (an Instance value) -> the trigger of its deadline, and that deadline's
# template, once the decision is notified.
RECOURSE_TRIGGERS: dict[str, str] = {
    Instance.APPEAL: Trigger.DECISION_NOTIFIED,
    Instance.CASSATION: Trigger.DECISION_NOTIFIED_LAST_RESORT,
    Instance.OPPOSITION: Trigger.DECISION_NOTIFIED_BY_DEFAULT,
    Instance.RENVOI: Trigger.DECISION_NOTIFIED_CASSATION,
}
RECOURSE_TEMPLATES: dict[str, str] = {
    Instance.APPEAL: "appel",
    Instance.CASSATION: "pourvoi",
    Instance.OPPOSITION: "opposition",
    Instance.RENVOI: "renvoi",
}


def decision_trigger(instance: str, outcome: str, *, by_default: bool) -> str | None:
    """The trigger a decision's notification fires: the deadline of the recourse it opens
    (`cases.decisions.recourses`: a pourvoi after an appeal's decision, CPC 612; an
    opposition after a default judgment, CPC 538 and 571-572; the saisine of the
    juridiction de renvoi after a cassation avec renvoi, CPC 1034; an appeal otherwise), or
    None when it opens none (after a pourvoi rejected, a cassation sans renvoi, a
    radiation, an abandoned recourse)."""
    found = decisions.recourses(instance, outcome, by_default=by_default)
    return RECOURSE_TRIGGERS[found[0]] if found else None


# --- Collective proceedings (C. com. livre VI) ---------------------------------------------
# On any case where the pôle records the debtor's proceeding (cases.collective), whatever
# its action. The declaration's two months are the Trésor's last chance to be paid from
# the proceeding (L.622-26: a claim not declared is left out of the distributions): a
# critical deadline. The relevé de forclusion opens once the declaration is late.
DECLARATION = "pc_declaration"
RELEVE = "pc_releve_forclusion"
TEMPLATES += (
    Template(
        DECLARATION,
        "Déclarer la créance au mandataire judiciaire ou au liquidateur",
        "C. com. art. R.622-24 : deux mois à compter de la publication du jugement d'ouverture "
        "au BODACC, à peine de forclusion (L.622-26)",
        Trigger.COLLECTIVE_PUBLICATION,
        {"months": 2},
        critical=True,
        met_by=(Trigger.CLAIM_DECLARED,),
    ),
    Template(
        RELEVE,
        "Demander le relevé de forclusion au juge-commissaire",
        "C. com. art. L.622-26 al. 3 : six mois à compter de la publication du jugement "
        "d'ouverture (le créancier qui ne pouvait connaître sa créance : à compter du jour où "
        "il ne pouvait plus l'ignorer)",
        Trigger.CLAIM_DECLARED_LATE,
        {"months": 6},
        critical=True,
        met_by=(Trigger.RELEVE_FORCLUSION,),
    ),
)

# The earliest day of R.322-31's window: a publicity made before it is flagged.
PUBLICITY_EARLIEST = RULES["si_publicite_min"]
# The deadline a prorogation (R.321-22) moves.
PEREMPTION = "si_peremption"

BY_CODE: dict[str, Template] = {t.code: t for t in TEMPLATES}


def templates_for(trigger: str, action_type_code: str | None) -> list[Template]:
    return [
        t
        for t in TEMPLATES
        if t.trigger == trigger and (t.action_types is None or action_type_code in t.action_types)
    ]


def met_by(trigger: str) -> list[str]:
    """The templates an act of this trigger meets."""
    return [t.code for t in TEMPLATES if trigger in t.met_by]
