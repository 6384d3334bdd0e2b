"""Accusé de réception de saisine: the pôle's decision on whether the referral is
receivable, and what happens next, as the case stood on that decision (`as_of`): produced
later, it still shows the status and the prescription of that day."""

from __future__ import annotations

import datetime

from cases.enums import CaseStatus, Mode
from cases.formatting import person_name, text_lines
from cases.models import Case

from ..data import claims_data, receivability_event
from ..printing import day

# Outcome, as the receipt names it, of each receivability transition.
OUTCOMES = {"accept": "accepted", "return_for_completion": "returned", "decline": "declined"}

ACCEPT_NEXT = {
    Mode.AVIS: (
        "Le dossier est attribué à un juriste du pôle ou à l'expert d'une direction aidante, "
        "qui rédige l'avis d'opportunité. L'avis, validé par le chef du pôle, est adressé à "
        "la direction et au poste comptable ; la direction indique ensuite la suite qu'elle "
        "lui donne."
    ),
    Mode.SOUTIEN: (
        "Le dossier est attribué à un juriste du pôle, qui prend l'attache de la direction "
        "pour le soutien technique demandé. La direction conserve la conduite de la "
        "procédure."
    ),
    Mode.PRISE_EN_CHARGE: (
        "Le dossier est attribué à un juriste du pôle, qui engage l'action avec l'avocat "
        "mandaté et en assure le suivi devant le juge. La direction et le poste comptable "
        "sont tenus informés de chaque évolution du dossier et de chaque décision."
    ),
}


def not_yet(case: Case) -> str | None:
    if case.status == CaseStatus.DRAFT:
        return "Le dossier n'a pas encore été transmis au pôle."
    if receivability_event(case) is None:
        return "Le pôle ne s'est pas encore prononcé sur la recevabilité de la saisine."
    return None


def as_of(case: Case) -> datetime.datetime | None:
    """The receipt's date: the pôle's decision on receivability."""
    event = receivability_event(case)
    return event.at if event else None


def next_steps(case: Case, outcome: str, earliest: str) -> list[str]:
    """What follows the decision; `earliest`: the first claim's prescription date then."""
    steps: list[str] = []
    if outcome == "accepted":
        steps.append(ACCEPT_NEXT.get(case.mode, ACCEPT_NEXT[Mode.PRISE_EN_CHARGE]))
        steps.append(
            "Les échanges se font par la messagerie du dossier ; le poste comptable signale "
            "au pôle tout paiement, acte interruptif de prescription ou élément nouveau."
        )
    elif outcome == "returned":
        steps.append(
            "Complétez le dossier avec les éléments énumérés ci-dessus, puis transmettez-le "
            "de nouveau au pôle depuis l'application. L'examen de la recevabilité reprendra "
            "à réception."
        )
    else:
        steps.append(
            "Le pôle ne donne pas suite à la demande. La direction conserve la conduite du "
            "recouvrement ; elle peut saisir à nouveau le pôle si des éléments nouveaux le "
            "justifient."
        )
    if earliest and outcome != "declined":
        steps.append(
            f"La prescription continue de courir : la première créance se prescrit le "
            f"{earliest} (LPF art. L.274), sauf acte interruptif."
        )
    return steps


def part(case: Case) -> dict:
    event = receivability_event(case)
    if event is None:
        return {"receivability": None}
    outcome = OUTCOMES[event.transition]
    return {
        "receivability": {
            "outcome": outcome,
            "summary": event.summary,
            "reason": event.reason.strip(),
            "missing": text_lines(event.reason) if outcome == "returned" else [],
            "date": day(event.at),
            "actor": person_name(event.actor) if event.actor else event.actor_label,
        },
        "next_steps": next_steps(
            case, outcome, claims_data(case, event.at)[1]["earliest_prescription"]
        ),
    }
