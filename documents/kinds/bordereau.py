"""Bordereau de communication de pièces, in the form the courts use (CPC art. 132, 815,
906): the court and the case's RG number, the parties for whom and against whom the
pieces are communicated with their counsel, the pieces by their stable number (Piece.
number) with their own date and description, and the lawyer's signature block. What the
pôle's storage knows of a file (its size, its upload) is no business of the court."""

from __future__ import annotations

from cases.enums import HearingStatus, PartyRole, TargetKind
from cases.formatting import long_datetime
from cases.models import Case, Cost
from cases.parties import CaseParty, case_parties

from ..data import current_mandate, debtor_data, pieces_data

# The parties the pieces are communicated against; the co-plaintiff (URSSAF) acts with
# the State, the registered creditors are summoned « en présence » (CPCE R.322-7).
WITH_THE_STATE = {PartyRole.CO_PLAINTIFF}
IN_PRESENCE = {PartyRole.REGISTERED_CREDITOR}


def not_yet(case: Case) -> str | None:
    if not case.pieces.exists():
        return "Aucune pièce n'a encore été déposée dans ce dossier."
    return None


def court_and_rg(case: Case, hearing_id: int | None = None) -> dict:
    """The court the case is before now and its RG number there: the latest hearing's (or
    the one the bordereau is made for, `hearing_id`), else the starting act's court, else
    the action's; the RG number of the latest hearing of that instance that has one."""
    hearings = case.hearings.order_by("-scheduled_at", "-pk")
    chosen = hearings.filter(pk=hearing_id).first() if hearing_id else None
    if chosen is not None:
        numbered = (
            chosen
            if chosen.rg_number
            else hearings.filter(instance=chosen.instance).exclude(rg_number="").first()
        )
        return {
            "court": chosen.court,
            "rg_number": numbered.rg_number if numbered else "",
            "hearing_on": long_datetime(chosen.scheduled_at),
        }
    latest = hearings.first()
    act = case.starting_acts.order_by("-signed_on", "-pk").first()
    if latest is not None:
        court = latest.court
        numbered = hearings.filter(instance=latest.instance).exclude(rg_number="").first()
    else:
        court = act.court if act else (case.action_type.court if case.action_type_id else "")
        numbered = None
    upcoming = case.hearings.filter(status=HearingStatus.SCHEDULED).order_by("scheduled_at")
    hearing = upcoming.first()
    return {
        "court": court,
        "rg_number": numbered.rg_number if numbered else "",
        "hearing_on": long_datetime(hearing.scheduled_at) if hearing else "",
    }


def _party(party: CaseParty, debtor_identity: str = "") -> dict:
    return {
        "name": party.name,
        # The debtor: its legal form and SIREN, or its birth date.
        "identity": debtor_identity if party.role == PartyRole.DEBTOR and party.implicit else "",
        "role_label": party.role_label,
        "address": " ".join(line.strip() for line in party.address.splitlines() if line.strip()),
        "counsel": party.counsel,
    }


def parties(case: Case) -> dict:
    """An action against a manager (LPF L.267) or a third-party holder (LPF L.262) is
    brought against them, not the debtor; every other against the debtor, with the parties
    the pôle recorded."""
    everyone = case_parties(case)
    target = case.action_type.target_kind if case.action_type_id else None
    if target in (TargetKind.MANAGER, TargetKind.THIRD_PARTY) and any(
        p.role in (PartyRole.MANAGER, PartyRole.THIRD_PARTY_HOLDER) for p in everyone
    ):
        everyone = [p for p in everyone if not (p.role == PartyRole.DEBTOR and p.implicit)]
    debtor = debtor_data(case)
    identity = ", ".join(filter(None, [debtor["legal_form"], debtor["identity"]]))
    return {
        "with_state": [_party(p) for p in everyone if p.role in WITH_THE_STATE],
        "against": [
            _party(p, identity) for p in everyone if p.role not in WITH_THE_STATE | IN_PRESENCE
        ],
        "in_presence": [_party(p) for p in everyone if p.role in IN_PRESENCE],
    }


def counsel(case: Case) -> dict | None:
    """The State's lawyer, who signs the bordereau."""
    mandate = current_mandate(case)
    if mandate is None:
        return None
    lawyer = mandate.lawyer
    bar = lawyer.bar.strip()
    return {
        "name": lawyer.name,
        "firm": lawyer.firm,
        # « Barreau de Laon » -> « avocat au barreau de Laon »
        "bar_in_sentence": bar[0].lower() + bar[1:] if bar else "",
        "address": [line.strip() for line in lawyer.address.splitlines() if line.strip()],
        "email": lawyer.email,
        "phone": lawyer.phone,
    }


def communicated(case: Case) -> list[dict]:
    """The pieces communicated: all but the invoices of the procedure's costs (the pôle's
    accounting, not evidence), each keeping its number."""
    invoices = Cost.objects.filter(case=case, invoice__isnull=False).values_list(
        "invoice_id", flat=True
    )
    return pieces_data(case, leave_out=frozenset(invoices))


def part(case: Case, choice: dict | None = None) -> dict:
    """`choice`, from the bordereau's page (documents.views.bordereau): the hearing it is
    made for (`hearing`, its court, RG number and date) and the pieces communicated for it
    (`pieces`, their numbers; all of them when not said)."""
    choice = choice or {}
    pieces = communicated(case)
    if choice.get("pieces") is not None:
        chosen = set(choice["pieces"])
        pieces = [piece for piece in pieces if piece["number"] in chosen]
    return {
        "choice": {"hearing": choice.get("hearing"), "pieces": choice.get("pieces")},
        "pieces": pieces,
        "forum": court_and_rg(case, choice.get("hearing")),
        "parties": parties(case),
        "counsel": counsel(case),
    }
