"""Note de saisine de l'avocat: the lawyer mandated, the proceedings to conduct and what
the pôle asks of them."""

from __future__ import annotations

from cases.enums import DebtorKind, MaritalSituation, PartyRole
from cases.formatting import court_in_sentence, lower_first
from cases.models import Case
from cases.parties import counsel_of
from deadlines.models import Deadline

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


def calendar(case: Case) -> list[dict]:
    """The deadlines still to meet, in date order: what the lawyer must do by when."""
    return [
        {
            "label": deadline.label,
            "due_on": day(deadline.due_date),
            "basis": deadline.basis,
            "critical": deadline.critical,
        }
        for deadline in Deadline.objects.open().filter(case=case).order_by("due_date", "pk")
    ]


def registered_creditors(case: Case) -> list[dict]:
    """The creditors registered on the property, as the pôle recorded them from the état
    hypothécaire (the commandement is denounced to each: CPCE R.322-6 and R.322-7)."""
    creditors = case.parties.filter(role=PartyRole.REGISTERED_CREDITOR).order_by("pk")
    return [
        {"name": party.name, "address": party.address.strip(), "counsel": counsel_of(party)}
        for party in creditors
    ]


def spouse(case: Case) -> dict:
    """What the file says of the debtor's spouse and the family home (CPCE R.321-1 al. 3:
    the commandement on the family home, the debtor's own, is denounced to the spouse)."""
    debtor = case.debtor
    homes = [p.family_home for p in case.properties.order_by("pk")]
    return {
        "natural_person": debtor is not None and debtor.kind == DebtorKind.NATURAL,
        "married": debtor is not None and debtor.marital_situation == MaritalSituation.MARRIED,
        "not_married": debtor is not None
        and debtor.marital_situation == MaritalSituation.NOT_MARRIED,
        "marital_unknown": debtor is not None and not debtor.marital_situation,
        "family_home": any(homes),
        "family_home_unknown": any(home is None for home in homes),
    }


def part(case: Case) -> dict:
    mandate = current_mandate(case)
    act = starting_act_data(case)
    result: dict = {
        "asked": asked(case, act),
        "starting_act": act,
        "calendar": calendar(case),
        "registered_creditors": registered_creditors(case),
        "spouse": spouse(case),
    }
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
