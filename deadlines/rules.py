"""The deadlines each act starts, per action type: data, not code branches.

A `Template` says which act starts it (`trigger`), for which action types, its length
(one of days, months, years, jours ouvrables for `deadlines.engine.compute_deadline`, or
the appeal period of the action type, `appeal_period`), its legal basis, whether it is
set à peine de caducité du commandement (R.311-11: critical, reminded earlier), whether it
belongs to the CPCE calendar (which a saisie immobilière in Alsace-Moselle does not follow)
and which act meets it.

Deadlines counted back from a hearing (`before=True`: "at the latest N months before the
hearing") end on the same day N months earlier (CPC 641) and, when that day is not a
working day, on the working day before: CPC 642 only extends deadlines that run forward,
and a deadline the pôle itself must meet is never counted on its most generous reading.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .enums import ProcedureActKind

SAISIE_IMMOBILIERE = ("saisie_immobiliere",)
APPEAL = "appeal"  # the length of the appeal templates: appeal_period decides


class Trigger:
    """What starts deadlines. Procedure acts use their kind's value."""

    COMMANDEMENT_SERVED = ProcedureActKind.COMMANDEMENT_SERVED.value
    PUBLICATION = ProcedureActKind.PUBLICATION.value
    ASSIGNATION = ProcedureActKind.ASSIGNATION.value
    ADJUDICATION = ProcedureActKind.ADJUDICATION.value
    ORIENTATION_HEARING = "orientation_hearing"
    ADJUDICATION_HEARING = "adjudication_hearing"
    DECISION_NOTIFIED = ProcedureActKind.DECISION_NOTIFIED.value


# A hearing whose purpose contains one of these words (accents and case folded) starts
# the deadlines of that trigger.
HEARING_TRIGGERS: dict[str, str] = {
    "orientation": Trigger.ORIENTATION_HEARING,
    "adjudication": Trigger.ADJUDICATION_HEARING,
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
    before: bool = False  # counted back from the trigger (a hearing)
    met_by: tuple[str, ...] = field(default_factory=tuple)  # triggers that meet it
    # Done at the court registry (closed on Saturday): the page shows its last open day.
    registry_act: bool = False

    @property
    def reminder_days(self) -> tuple[int, ...]:
        return CRITICAL_REMINDER_DAYS if self.critical else REMINDER_DAYS


CADUCITE = " — à peine de caducité du commandement (R.311-11)"

TEMPLATES: tuple[Template, ...] = (
    Template(
        "si_publication",
        "Publier le commandement au service de la publicité foncière",
        "CPCE art. R.321-6 : dans les deux mois de sa signification" + CADUCITE,
        Trigger.COMMANDEMENT_SERVED,
        {"months": 2},
        SAISIE_IMMOBILIERE,
        critical=True,
        cpce=True,
        met_by=(Trigger.PUBLICATION,),
    ),
    Template(
        "si_assignation",
        "Assigner le débiteur à l'audience d'orientation",
        "CPCE art. R.322-4 : dans les deux mois de la publication du commandement" + CADUCITE,
        Trigger.PUBLICATION,
        {"months": 2},
        SAISIE_IMMOBILIERE,
        critical=True,
        cpce=True,
        met_by=(Trigger.ASSIGNATION,),
    ),
    Template(
        "si_caducite",
        "Caducité du commandement faute de vente ou de prorogation",
        "CPCE art. R.321-20 : deux ans après la publication du commandement",
        Trigger.PUBLICATION,
        {"years": 2},
        SAISIE_IMMOBILIERE,
        cpce=True,
        met_by=(Trigger.ADJUDICATION,),
    ),
    Template(
        "si_denonciation",
        "Dénoncer l'assignation aux créanciers inscrits",
        "CPCE art. R.322-6 : au plus tard le 5e jour ouvrable suivant l'assignation" + CADUCITE,
        Trigger.ASSIGNATION,
        {"ouvrables": 5},
        SAISIE_IMMOBILIERE,
        critical=True,
        cpce=True,
    ),
    Template(
        "si_cahier",
        "Déposer le cahier des conditions de vente au greffe",
        "CPCE art. R.322-10 : au plus tard le 5e jour ouvrable suivant l'assignation" + CADUCITE,
        Trigger.ASSIGNATION,
        {"ouvrables": 5},
        SAISIE_IMMOBILIERE,
        critical=True,
        cpce=True,
        registry_act=True,
    ),
    Template(
        "si_assignation_delai",
        "Assignation délivrée au plus tard un mois avant l'audience d'orientation",
        "CPCE art. R.322-4 : un mois au moins avant l'audience d'orientation",
        Trigger.ORIENTATION_HEARING,
        {"months": 1},
        SAISIE_IMMOBILIERE,
        cpce=True,
        before=True,
    ),
    Template(
        "si_publicite_vente",
        "Publicité de la vente, au plus tard un mois avant l'audience d'adjudication",
        "CPCE art. R.322-31 : entre deux mois et un mois avant l'audience d'adjudication"
        + CADUCITE,
        Trigger.ADJUDICATION_HEARING,
        {"months": 1},
        SAISIE_IMMOBILIERE,
        critical=True,
        cpce=True,
        before=True,
    ),
    Template(
        "si_surenchere",
        "Fin du délai de surenchère",
        "CPCE art. R.322-50 : dix jours après l'adjudication",
        Trigger.ADJUDICATION,
        {"days": 10},
        SAISIE_IMMOBILIERE,
        cpce=True,
        registry_act=True,
    ),
    Template(
        "appel",
        "Délai d'appel de la décision",
        "",  # APPEAL_BASIS, by the action type's appeal period
        Trigger.DECISION_NOTIFIED,
        APPEAL,
    ),
)

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
