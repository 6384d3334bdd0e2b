"""Note de saisine de l'avocat: the lawyer mandated, the proceedings to conduct and what
the pôle asks of them."""

from __future__ import annotations

from cases.formatting import court_in_sentence, lower_first
from cases.models import Case

from ..data import current_mandate, starting_act_data
from ..printing import day


def not_yet(case: Case) -> str | None:
    if current_mandate(case) is None:
        return "Aucun avocat n'est mandaté sur ce dossier."
    return None


def asked(case: Case, act: dict | None) -> list[str]:
    """What the pôle asks the lawyer, in order."""
    action = case.action_type
    result = []
    if case.request.strip():
        result.append(case.request.strip())
    if act is not None and act["served_on"]:
        # The procedure is engaged by the act's service, not its signature.
        result.append(
            f"Conduire la procédure engagée le {act['served_on']} "
            f"({lower_first(act['kind_label'])}) devant {court_in_sentence(act['court'])}."
        )
    elif act is not None:
        result.append(
            f"Faire signifier l'acte signé le {act['signed_on']} "
            f"({lower_first(act['kind_label'])}), puis conduire la procédure devant "
            f"{court_in_sentence(act['court'])}."
        )
    elif action is not None:
        result.append(
            f"Préparer et faire délivrer l'acte introductif ({lower_first(action.starting_act)})"
            f", puis conduire la procédure devant {court_in_sentence(action.court)} "
            f"({action.legal_basis})."
        )
    result.append(
        "Tenir le pôle informé de la date des audiences, de leurs renvois et de toute "
        "décision rendue, dès sa connaissance, et lui transmettre les écritures adverses."
    )
    return result


def part(case: Case) -> dict:
    mandate = current_mandate(case)
    act = starting_act_data(case)
    result: dict = {"asked": asked(case, act), "starting_act": act}
    if mandate is None:
        result["mandate"] = None
        return result
    lawyer = mandate.lawyer
    result["mandate"] = {
        "lawyer": lawyer.name,
        "firm": lawyer.firm,
        "bar": lawyer.bar,
        "address": lawyer.address.strip(),
        "email": lawyer.email,
        "phone": lawyer.phone,
        "fee_agreement": (mandate.fee_agreement or lawyer.fee_agreement).strip(),
        "instructions": mandate.instructions.strip(),
        "mandated_on": day(mandate.mandated_on),
    }
    return result
