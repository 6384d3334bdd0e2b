"""The parties of a case (issue 17): who they are, which ones an action needs, and whether
the mandated lawyer may plead before the court.

A case's parties are those the pôle records (`cases.models.Party`) and, read as implicit
parties without being copied, the debtor and the referral's targets: each manager of an
L.267 action (`ManagerTarget`) and each third-party holder (`ThirdPartyHolderTarget`),
with their residence. A property is not a party. Nothing of the targets is migrated.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError

from .enums import PartyRole, Residence
from .models import Case, Lawyer, Party


@dataclass(frozen=True)
class CaseParty:
    """A party as the case page and the deadlines read it."""

    role: str
    name: str
    address: str = ""
    residence: str = Residence.METROPOLE
    counsel: str = ""  # « Maître X (Barreau de Y) », or ""
    implicit: bool = False  # read from the referral (debtor, targets), not recorded
    party: Party | None = None

    @property
    def role_label(self) -> str:
        return PartyRole(self.role).label

    @property
    def residence_label(self) -> str:
        return Residence(self.residence or Residence.METROPOLE).label

    def __str__(self) -> str:
        return self.name


def counsel_of(party: Party) -> str:
    if not party.counsel_name:
        return ""
    return (
        f"{party.counsel_name} ({party.counsel_bar})" if party.counsel_bar else party.counsel_name
    )


def implicit_parties(case: Case) -> list[CaseParty]:
    """The debtor, the managers and the third-party holders of the referral."""
    found = [
        CaseParty(
            PartyRole.DEBTOR,
            str(case.debtor),
            case.debtor.address,
            case.debtor.residence,
            implicit=True,
        )
    ]
    found += [
        CaseParty(PartyRole.MANAGER, str(m), m.address, m.residence, implicit=True)
        for m in case.managers.all()
    ]
    found += [
        CaseParty(PartyRole.THIRD_PARTY_HOLDER, h.name, h.address, h.residence, implicit=True)
        for h in case.holders.all()
    ]
    return found


def recorded_parties(case: Case) -> list[CaseParty]:
    return [
        CaseParty(p.role, p.name, p.address, p.residence, counsel_of(p), party=p)
        for p in case.parties.order_by("created_at", "pk")
    ]


def case_parties(case: Case) -> list[CaseParty]:
    """Every party of the case: the implicit ones first, then those the pôle recorded."""
    return implicit_parties(case) + recorded_parties(case)


# --- The parties each action needs before its starting act ------------------------------


@dataclass(frozen=True)
class Needed:
    role: str
    what: str  # French: the party to add and why


NEEDED: dict[str, Needed] = {
    # The acquirer or donee of the act attacked must be a party (C. civ. 1341-2: the act
    # is declared inopposable to the creditor, which binds only whom it was heard against).
    "action_paulienne": Needed(
        PartyRole.ACQUIRER,
        "l'acquéreur (ou le donataire) de l'acte attaqué, contre qui l'inopposabilité doit "
        "être prononcée (C. civ. 1341-2)",
    ),
    # The third-party debtor is the one the creditor sues in the debtor's name (C. civ.
    # 1341-1).
    "action_oblique": Needed(
        PartyRole.THIRD_PARTY_DEBTOR,
        "le tiers débiteur contre qui l'administration exerce les droits du débiteur "
        "(C. civ. 1341-1)",
    ),
    # Every co-owner is called to the partage the creditor provokes (C. civ. 815-17 al. 3;
    # CPC 1360 s.): the debtor is one of them, the others are added.
    "partage_indivision": Needed(
        PartyRole.CO_OWNER,
        "les co-indivisaires du débiteur, tous appelés au partage (C. civ. 815-17 al. 3, CPC 1360)",
    ),
}


def missing_parties(case: Case) -> list[str]:
    """What the case's action still needs among its parties (French sentences); empty
    when nothing is missing or the action needs no particular party."""
    code = case.action_type.code if case.action_type_id else ""
    needed = NEEDED.get(code)
    if needed is None or case.parties.filter(role=needed.role).exists():
        return []
    return [
        f"Ajoutez d'abord {needed.what} : bouton « Ajouter une partie », qualité "
        f"« {PartyRole(needed.role).label} »."
    ]


def check_parties_for_action(case: Case) -> None:
    """Refuses (French) to engage the action while a party it needs is missing."""
    missing = missing_parties(case)
    if missing:
        raise ValidationError(
            f"L'action « {case.action_type.label} » ne peut être engagée sans ses parties. "
            + " ".join(missing)
        )


# --- Whether the mandated lawyer may plead before the court -----------------------------


def _same_court(a: str, b: str) -> bool:
    return " ".join(a.casefold().split()) == " ".join(b.casefold().split())


POSTULATION = (
    "En saisie immobilière, l'avocat du créancier poursuivant doit être inscrit au barreau "
    "du tribunal judiciaire où la saisie est poursuivie (postulation : loi n° 71-1130 du "
    "31 décembre 1971, art. 5 ; CPCE R.311-4)."
)


def court_warnings(lawyer: Lawyer | None, court: str, case: Case) -> list[str]:
    """A warning (never a refusal) when `court` is not among the courts the directory
    lists for `lawyer`; for a saisie immobilière, with the postulation rule."""
    court = (court or "").strip()
    if lawyer is None or not court:
        return []
    if any(_same_court(court, known) for known in lawyer.court_list):
        return []
    warning = (
        f"Attention : selon l'annuaire, {lawyer.name} ({lawyer.bar}) ne plaide pas devant "
        f"« {court} ». Vérifiez que son barreau peut postuler devant cette juridiction, ou "
        "désignez un avocat postulant."
    )
    if case.action_type_id and case.action_type.code == "saisie_immobiliere":
        warning += " " + POSTULATION
    return [warning]


def current_lawyer(case: Case) -> Lawyer | None:
    mandate = case.mandates.filter(revoked_on__isnull=True).select_related("lawyer").first()
    return mandate.lawyer if mandate else None


def case_court_warnings(case: Case) -> list[str]:
    """The warnings of the current mandate against every court the case has named (its
    starting acts and hearings), each court once."""
    lawyer = current_lawyer(case)
    if lawyer is None:
        return []
    courts: dict[str, None] = {}
    for court in case.starting_acts.values_list("court", flat=True):
        courts.setdefault(court, None)
    for court in case.hearings.order_by("scheduled_at", "pk").values_list("court", flat=True):
        courts.setdefault(court, None)
    return [w for court in courts for w in court_warnings(lawyer, court, case)]
