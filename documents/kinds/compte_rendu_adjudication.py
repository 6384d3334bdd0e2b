"""Compte rendu d'adjudication: the sale of the seized property (its kind, date, price,
adjudicataire, the price paid), the acts that led to it — under the local law of
Alsace-Moselle the ordonnance, its inscription at the livre foncier and the notaire
(loi du 1er juin 1924, art. 141 s.) —, and what follows: the distribution of the price."""

from __future__ import annotations

from cases.models import Case
from cases.proceedings import current_sale

from ..printing import day, money


def not_yet(case: Case) -> str | None:
    if current_sale(case) is None:
        return "Aucune adjudication n'est encore enregistrée pour ce dossier."
    return None


def part(case: Case) -> dict:
    """The sale (None before it: the snapshot exists, `not_yet` refuses the document)."""
    sale = current_sale(case)
    acts = [
        {"label": act.get_kind_display(), "date": day(act.date), "note": act.note}
        for act in case.procedure_acts.filter(kind__startswith="lf_").order_by("date", "pk")
    ]
    return {
        "sale": sale
        and {
            "kind_label": sale.get_kind_display(),
            "sold_on": day(sale.sold_on),
            "price": money(sale.price),
            "buyer": sale.buyer,
            "paid_on": day(sale.paid_on),
            "note": sale.note,
        },
        "local_acts": acts,
        "local_law": case.is_alsace_moselle,
    }
