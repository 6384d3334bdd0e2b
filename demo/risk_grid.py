"""The demo opinions' risk grids (cases.risk_grid): a comment for each row and level, as a
jurist would write it. The scenarios' opinions (walk.py) take a grid of one tone; the bulk
generator draws each row's level from its opinion's risk."""

from __future__ import annotations

from cases import risk_grid
from cases.enums import RiskDimension as Dim
from cases.enums import RiskLevel as L

COMMENTS = {
    (Dim.SOLVENCY, L.LOW): "Revenus réguliers et comptes approvisionnés.",
    (
        Dim.SOLVENCY,
        L.MEDIUM,
    ): "Revenus irréguliers ; les SATD n'ont rapporté que des sommes modiques.",
    (Dim.SOLVENCY, L.HIGH): "Aucun revenu saisissable connu ; comptes débiteurs, SATD vaines.",
    (Dim.ASSETS, L.LOW): "Bien immobilier identifié, d'une valeur supérieure aux créances, sans "
    "inscription qui prime le Trésor.",
    (Dim.ASSETS, L.MEDIUM): "Bien identifié, grevé d'une inscription de rang antérieur d'un "
    "montant proche de sa valeur.",
    (Dim.ASSETS, L.HIGH): "Hypothèque conventionnelle de premier rang qui absorberait le prix.",
    (Dim.COLLECTIVE, L.LOW): "Aucune procédure ouverte ; pas d'état de cessation des paiements "
    "connu.",
    (Dim.COLLECTIVE, L.MEDIUM): "Retards de cotisations sociales : une procédure collective qui "
    "suspendrait l'action est possible ; à surveiller au greffe.",
    (Dim.COLLECTIVE, L.HIGH): "Assignation de l'URSSAF en redressement judiciaire annoncée.",
    (Dim.PRESCRIPTION, L.LOW): "Actes interruptifs récents ; prescription la plus proche dans "
    "plus de deux ans.",
    (Dim.PRESCRIPTION, L.MEDIUM): "Prescription la plus proche dans moins d'un an : l'action "
    "doit être engagée rapidement.",
    (Dim.PRESCRIPTION, L.HIGH): "Certaines créances se prescrivent dans moins de trois mois.",
    (Dim.COST, L.LOW): "Frais estimés à quelques milliers d'euros au regard des créances.",
    (Dim.COST, L.MEDIUM): "Frais d'avocat et de publicité sensibles au regard du prix attendu.",
    (Dim.COST, L.HIGH): "Le coût de la procédure excède le recouvrement attendu.",
}


def grid(levels: dict[Dim, str]) -> dict[str, str]:
    """The grid's field values (`<dimension>_risk`, `<dimension>_comment`) for its levels."""
    values = {}
    for dimension in Dim:
        level = L(levels[dimension])
        values[risk_grid.level_field(dimension)] = level.value
        values[risk_grid.comment_field(dimension)] = COMMENTS[dimension, level]
    return values


FAVOURABLE = grid(
    {Dim.SOLVENCY: L.MEDIUM, Dim.ASSETS: L.LOW, Dim.COLLECTIVE: L.LOW, Dim.PRESCRIPTION: L.LOW,
     Dim.COST: L.LOW}
)  # fmt: skip
WATCHFUL = grid(
    {Dim.SOLVENCY: L.MEDIUM, Dim.ASSETS: L.LOW, Dim.COLLECTIVE: L.MEDIUM,
     Dim.PRESCRIPTION: L.MEDIUM, Dim.COST: L.LOW}
)  # fmt: skip
UNFAVOURABLE = grid(
    {Dim.SOLVENCY: L.HIGH, Dim.ASSETS: L.HIGH, Dim.COLLECTIVE: L.MEDIUM,
     Dim.PRESCRIPTION: L.LOW, Dim.COST: L.HIGH}
)  # fmt: skip
