"""What a decision can say, procedure by procedure (pure data, read by the decision step's
form, the database constraint on `Decision` and the appeal step).

For each action code (fixtures/action_types.json) and instance (`cases.enums.Instance`),
the outcomes (`cases.enums.DecisionOutcome`) that procedure can have there, and for each
outcome whether it awards money (an amount is asked and allowed only then).

- First instance, by action:
  - saisie immobilière: the orientation judgment (CPCE R.322-15 to R.322-19: vente
    amiable autorisée or vente forcée ordonnée, with the amount retained for the
    creditor's claim, R.322-18), a suspension or délais de grâce (C. civ. 1343-5), the
    nullity of the procedure, the vente amiable constatée (R.322-25);
  - solidarité du dirigeant (LPF L.267): the manager condemned to pay;
  - tiers détenteur (LPF L.262, CPCE L.211-2 and R.211-9): the holder condemned within
    the limit of its obligation;
  - action paulienne (C. civ. 1341-2): the act declared inopposable to the Treasury;
  - action oblique (C. civ. 1341-1): the third-party debtor condemned to pay;
  - partage (C. civ. 815-17, CPC 1360 s.): partage et licitation ordonnés;
  - procédure collective: the opening of a sauvegarde (C. com. L.621-1), a redressement
    (L.631-7) or a liquidation (L.641-1), or the demand rejected.
  Besides, every first-instance decision may grant or partly grant the demand (the
  generic outcomes the earlier records used).
- Appeal: confirmed, reversed, partly, or the demand granted (the court may award or
  restate an amount where the procedure awards money).
- Cassation (CPC 604 s.): pourvoi rejeté, cassation avec renvoi (CPC 626), cassation sans
  renvoi (CPC 627).
- Renvoi après cassation (CPC 1032-1037): the juridiction de renvoi judges the case again as
  the court whose decision was quashed (here an appeal's): the appeal's outcomes.
- Opposition (CPC 571-572): the court judges the case again: the first instance's outcomes,
  and the default judgment maintained (confirmed) or retracted (reversed).
- For every procedure and instance: radiation (CPC 381: the instance is suspended, the case
  is reinstated — rétablissement — once the ground of the radiation is cured), caducité
  (CPC 406-407, 908; CPCE R.311-11: the instance is extinguished), désistement
  (CPC 394 s.), demand rejected.

`struck_out` (radiation or caducité before the two were told apart) is kept for the rows
recorded then, and offered nowhere.
"""

from __future__ import annotations

from .enums import DecisionOutcome as O
from .enums import Instance

# The outcomes that award money: an amount awarded may be recorded with them and only
# with them (Decision's constraint `decision_amount_only_when_awarded`).
MONEY_OUTCOMES: frozenset[str] = frozenset(
    {
        O.GRANTED,
        O.PARTLY,
        O.CONDEMNED,
        O.HOLDER_CONDEMNED,
        O.VENTE_AMIABLE,  # the amount retained for the claim (CPCE R.322-18)
        O.VENTE_FORCEE,
        O.CONFIRMED,
        O.REVERSED,
    }
)

# What ends every instance (each in its own way, see `suspends` and `ends`).
COMMON: tuple[str, ...] = (O.RADIATION, O.CADUCITE, O.WITHDRAWN, O.REJECTED)
GENERIC_FIRST: tuple[str, ...] = (O.GRANTED, O.PARTLY)

FIRST_INSTANCE: dict[str, tuple[str, ...]] = {
    "saisie_immobiliere": (
        O.VENTE_AMIABLE,
        O.VENTE_FORCEE,
        O.SUSPENSION,
        O.NULLITE,
        # Not VENTE_CONSTATEE: the judgment recording an amicable sale (R.322-25) is given
        # on the amicable sale's own step, not as the orientation judgment.
    ),
    "solidarite_dirigeant": (O.CONDEMNED,),
    "tiers_detenteur": (O.HOLDER_CONDEMNED,),
    "action_paulienne": (O.INOPPOSABLE,),
    "action_oblique": (O.CONDEMNED,),
    "partage_indivision": (O.PARTAGE_ORDONNE,),
    "procedure_collective": (O.OPENING_SAUVEGARDE, O.OPENING_RJ, O.OPENING_LJ),
}

# The procedures whose decisions never award money: no amount, whatever the instance.
NO_MONEY_ACTIONS: frozenset[str] = frozenset(
    {"action_paulienne", "partage_indivision", "procedure_collective"}
)

APPEAL: tuple[str, ...] = (O.CONFIRMED, O.REVERSED, O.PARTLY)
CASSATION: tuple[str, ...] = (O.CASSATION_REJECTED, O.CASSATION_GRANTED, O.CASSATION_NO_RENVOI)


def _unique(*groups: tuple[str, ...]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for group in groups:
        for outcome in group:
            seen.setdefault(str(outcome), None)
    return tuple(seen)


def outcomes(action: str | None, instance: str) -> tuple[str, ...]:
    """The outcomes a decision of the procedure `action` (an ActionType code; None or
    unknown: the generic ones) can have at `instance`, in the order the form offers them."""
    first = FIRST_INSTANCE.get(action or "", ())
    if instance in (Instance.APPEAL, Instance.RENVOI):
        return _unique(APPEAL, GENERIC_FIRST, COMMON)
    if instance == Instance.CASSATION:
        return _unique(CASSATION, COMMON)
    if instance == Instance.OPPOSITION:
        return _unique(first, GENERIC_FIRST, (O.CONFIRMED, O.REVERSED), COMMON)
    return _unique(first, GENERIC_FIRST, COMMON)


def awards_money(action: str | None, outcome: str) -> bool:
    """Whether a decision of `action` with `outcome` awards money (an amount is asked)."""
    return outcome in MONEY_OUTCOMES and (action or "") not in NO_MONEY_ACTIONS


def suspends(outcome: str) -> bool:
    """A radiation suspends the instance (CPC 381-383): the case goes back to its
    hearings, to be reinstated (rétablissement), not to the appeal or the execution."""
    return outcome == O.RADIATION


# The recourses (Instance values): an instance opened by a party against a decision.
RECOURSE_INSTANCES: frozenset[str] = frozenset(
    {Instance.APPEAL, Instance.CASSATION, Instance.OPPOSITION, Instance.RENVOI}
)
# What a recourse instance ends with when its author gives it up or lets it lapse: the
# désistement (CPC 400-403 for an appeal, 1024 for a pourvoi) and the caducité of the
# déclaration d'appel (CPC 908, 911-1) or the déchéance of the pourvoi (CPC 978).
ABANDONING: frozenset[str] = frozenset({O.WITHDRAWN, O.CADUCITE})
# What a recourse instance ends with when it leaves the decision attacked as it was: the
# decision confirmed (on appeal; on opposition, the default judgment maintained), the
# pourvoi rejected.
UPHOLDING: frozenset[str] = frozenset({O.CONFIRMED, O.CASSATION_REJECTED})


def abandons_recourse(instance: str, outcome: str) -> bool:
    """A recourse given up or lapsed: the désistement d'appel emporte acquiescement au
    jugement (CPC 403), the appellant whose déclaration d'appel is caduque can no longer
    appeal the same judgment (CPC 911-1), the pourvoi abandoned (CPC 1024) or forfeited
    (déchéance, CPC 978). The decision attacked stays in force, and nothing lies against
    the one that records the abandonment."""
    return instance in RECOURSE_INSTANCES and outcome in ABANDONING


def in_force(decisions):
    """The decision whose content the case follows, among `decisions` (objects with
    `instance` and `outcome`, the newest first): the newest one, passing over those that
    leave the decision before them in force (an abandoned recourse, CPC 403, 911-1, 978,
    1024; a confirmation; a pourvoi rejected) and the radiations (the instance suspended,
    nothing decided), and a cassation avec renvoi with the decision it quashed (CPC 625:
    the case stands as before that decision, until the juridiction de renvoi rules). None
    when there is none."""
    quashing = False
    for decision in decisions:
        if suspends(decision.outcome):
            continue
        if decision.outcome == O.CASSATION_GRANTED:
            quashing = True
            continue
        if quashing and decision.instance in (Instance.APPEAL, Instance.RENVOI):
            quashing = False  # the decision the pourvoi attacked, quashed
            continue
        if decision.instance in RECOURSE_INSTANCES and (
            decision.outcome in UPHOLDING or abandons_recourse(decision.instance, decision.outcome)
        ):
            continue
        return decision
    return None


def ends(outcome: str, instance: str = Instance.FIRST) -> bool:
    """A caducité extinguishes the instance (CPC 385, 406-407): the case is closed or the
    action started again by a new act. Not a recourse's: the caducité of the déclaration
    d'appel or the déchéance of the pourvoi leaves the judgment attacked in force (CPC
    911-1, 978): the case goes on as that judgment says (`abandons_recourse`)."""
    return outcome == O.CADUCITE and instance not in RECOURSE_INSTANCES


# --- Which recourse a decision opens (the appeal step) --------------------------------

# The recourse -> its period, the article, for deadlines.calendar.appeal_deadline.
RECOURSE_MONTHS = {
    Instance.CASSATION: 2,  # CPC 612: two months from the notification of the decision
    Instance.OPPOSITION: 1,  # CPC 538 (a voie ordinaire), 571-572: against a default judgment
    # CPC 1034: the juridiction de renvoi seized within two months of the notification of
    # the arrêt de cassation; failing that, the judgment the quashed decision had ruled on
    # appeal becomes final (force de chose jugée).
    Instance.RENVOI: 2,
}
RECOURSE_BASIS = {
    Instance.APPEAL: "",  # deadlines.rules.appeal_basis, by the action type's period
    Instance.CASSATION: "CPC art. 612 : deux mois à compter de la notification",
    Instance.OPPOSITION: "CPC art. 538 et 571-572 : un mois à compter de la notification",
    Instance.RENVOI: "CPC art. 1034 : deux mois à compter de la notification de l'arrêt de "
    "cassation, faute de quoi le jugement de première instance passe en force de chose jugée",
}


def recourses(instance: str, outcome: str, *, by_default: bool) -> tuple[str, ...]:
    """The recourses (Instance values) open against a decision given at `instance` with
    `outcome`: an appeal against a first-instance (or opposition) judgment, a pourvoi
    against a judgment in last resort (an appeal's), an opposition against a judgment given
    by default — a judgment in last resort, the defendant not cited in person (CPC 473), so
    not appealable; the opposition is open to the defaulting party (CPC 571); after a
    cassation avec renvoi, the saisine of the juridiction de renvoi (CPC 626, 1032, 1034),
    whose decision may take a pourvoi like the appeal's it replaces. None after a pourvoi
    rejected or a cassation sans renvoi (CPC 627), after a radiation (the instance is
    suspended), nor after an abandoned recourse (the judgment attacked is in force, its own
    recourse period long over: CPC 403, 911-1, 978, 1024)."""
    if suspends(outcome) or abandons_recourse(instance, outcome):
        return ()
    if instance == Instance.CASSATION:
        return (Instance.RENVOI,) if outcome == O.CASSATION_GRANTED else ()
    if by_default and instance != Instance.OPPOSITION:
        return (Instance.OPPOSITION,)
    if instance in (Instance.APPEAL, Instance.RENVOI):
        return (Instance.CASSATION,)
    return (Instance.APPEAL,)
