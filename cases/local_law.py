"""Alsace-Moselle: what the local law of a saisie immobilière refuses, in French.

A saisie immobilière of a property in Moselle, Bas-Rhin or Haut-Rhin (`Case.
is_alsace_moselle`) follows the loi du 1er juin 1924 mettant en vigueur la législation
civile française dans ces départements (« De l'exécution forcée sur les biens immeubles »,
art. 141 s.): a requête to the tribunal of the property's situation (art. 141), an
ordonnance d'exécution forcée, its inscription at the livre foncier, the adjudication by a
notaire commis. None of the CPCE's acts (commandement de payer valant saisie, publication
at the service de la publicité foncière, assignation to the audience d'orientation, cahier
des conditions de vente, publicity of R.322-31) belongs there; the acts of the local law
belong nowhere else. The kernel refuses the starting act (`cases.proceedings`), the
deadlines app the procedure acts (`deadlines.services.record_procedure_act`).
"""

from __future__ import annotations

from .enums import HearingKind, StartingActKind

# The hearings of the CPCE's saisie immobilière (R.322-4 s., R.322-26 s.): none there.
CPCE_HEARINGS = frozenset(
    {HearingKind.ORIENTATION, HearingKind.ADJUDICATION, HearingKind.VENTE_AMIABLE}
)

PREFIX = "En Alsace-Moselle la saisie immobilière suit la loi du 1er juin 1924 : "

COMMANDEMENT_REFUSED = (
    PREFIX + "l'exécution forcée immobilière y est ordonnée par le tribunal judiciaire "
    "(tribunal de l'exécution) du lieu de situation de l'immeuble, saisi par requête "
    "(art. 141), et non engagée par un commandement de payer valant saisie immobilière "
    "(CPCE art. R.321-1). Enregistrez la requête en exécution forcée comme acte introductif."
)


def starting_act_refusal(kind: str) -> str:
    """Why `kind` cannot start a saisie immobilière in Alsace-Moselle ("" when it can: the
    requête, the local starting act)."""
    if kind == StartingActKind.REQUETE:
        return ""
    if kind == StartingActKind.COMMANDEMENT:
        return COMMANDEMENT_REFUSED
    return (
        PREFIX + "elle s'engage par une requête en exécution forcée au tribunal de "
        f"l'exécution (art. 141), non par « {StartingActKind(kind).label} ». Choisissez "
        "« Requête »."
    )


def cpce_act_refusal(label: str) -> str:
    """Why a CPCE act of the saisie immobilière (`label`) is refused in Alsace-Moselle."""
    return (
        PREFIX + f"« {label} » est un acte de la saisie immobilière du code des procédures "
        "civiles d'exécution, qui ne s'y applique pas (pas de commandement valant saisie ni "
        "de service de la publicité foncière : l'ordonnance d'exécution forcée est inscrite "
        "au livre foncier et l'adjudication confiée à un notaire). Enregistrez l'acte de la "
        "procédure locale qui lui correspond."
    )


def local_act_refusal(label: str) -> str:
    """Why an act of the local procedure (`label`) is refused outside Alsace-Moselle."""
    return (
        f"« {label} » est un acte de l'exécution forcée immobilière du droit local (loi du "
        "1er juin 1924), réservé à une saisie immobilière d'un bien situé en Moselle, dans "
        "le Bas-Rhin ou le Haut-Rhin."
    )


def hearing_refusal(kind: str) -> str:
    """Why a hearing of `kind` has no place in Alsace-Moselle ("" when it has one)."""
    if kind not in CPCE_HEARINGS:
        return ""
    return (
        PREFIX + f"l'« {HearingKind(kind).label.lower()} » appartient à la saisie immobilière "
        "du code des procédures civiles d'exécution ; l'adjudication y est conduite par le "
        "notaire commis par l'ordonnance d'exécution forcée. Choisissez une autre nature "
        "d'audience, ou enregistrez l'acte de la procédure locale."
    )
