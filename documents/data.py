"""What the documents show of a case, read from it as plain data already formatted for
print (amounts "125 432,17 €", dates "23 novembre 2026"): the part every document shares
(`common`), and the readings the kinds (documents.kinds) and the draft pleadings
(documents.pleadings) build on. Lists follow a stable order (upload order for the pieces,
dates then creation for the rest); nothing here depends on the clock or on database ids.

A document is frozen at the date of its act (`as_of`, an aware datetime; None: now): the
case's status then, its claims' prescription as the acts done by then made it, and only
the pieces filed by then. An accusé de réception produced later still says what the pôle
decided and the prescription it announced that day."""

from __future__ import annotations

import dataclasses
import datetime
from decimal import Decimal

from django.utils import timezone

from cases.enums import (
    LIABLE_PARTNERS,
    LIMITED_LIABILITY,
    CaseStatus,
    DebtorKind,
    EventKind,
    HolderDeclaration,
    PrescriptionState,
    Role,
)
from cases.formatting import euros, file_size, long_date, lower_first, person_name, siren_display
from cases.models import Case, CaseEvent, Claim, Decision, LawyerMandate, User
from cases.referral import outside_mandate
from deadlines import prescription
from deadlines import prescription_engine as engine

from .printing import day

# The receivability decisions of the pôle, as the lifecycle names its transitions.
RECEIVABILITY_TRANSITIONS = ("accept", "return_for_completion", "decline")

LOCAL_LAW_NOTE = (
    "Bien situé en Alsace-Moselle (Moselle, Bas-Rhin ou Haut-Rhin) : l'exécution forcée "
    "immobilière relève du droit local (loi du 1er juin 1924, livre foncier) et non de la "
    "procédure de saisie immobilière du code des procédures civiles d'exécution ; le "
    "calendrier du CPCE ne s'applique pas."
)


def action_data(case: Case) -> dict:
    action = case.action_type
    if action is None:
        return {
            "code": "",
            "label": "",
            "label_in_sentence": "",
            "legal_basis": "",
            "court": "",
            "starting_act": "",
        }
    return {
        "code": action.code,
        "label": action.label,
        "label_in_sentence": lower_first(action.label),
        "legal_basis": action.legal_basis,
        "court": action.court,
        "starting_act": action.starting_act,
    }


def debtor_data(case: Case) -> dict:
    debtor = case.debtor
    legal = debtor.kind == DebtorKind.LEGAL
    if legal:
        identity = f"SIREN {siren_display(debtor.siren)}" if debtor.siren else ""
    else:
        identity = f"né(e) le {long_date(debtor.birth_date)}" if debtor.birth_date else ""
    return {
        "kind": debtor.kind,
        "kind_label": debtor.get_kind_display(),
        "is_legal_person": legal,
        "name": str(debtor) or "(sans nom)",
        "siren": siren_display(debtor.siren) if debtor.siren else "",
        "birth_date": day(debtor.birth_date),
        "identity": identity,
        "address": debtor.address.strip(),
        "legal_form": debtor.get_legal_form_display() if debtor.legal_form else "",
        # Its partners already answer for its debts (LPF L.267 al. 1): the text that says so.
        "liable_partners": LIABLE_PARTNERS.get(debtor.legal_form, "") if legal else "",
        "limited_liability": legal and debtor.legal_form in LIMITED_LIABILITY,
    }


def end_of_day(on: datetime.date) -> datetime.datetime:
    """The last instant of a local day: a document dated that day sees all of it."""
    return timezone.make_aware(datetime.datetime.combine(on, datetime.time.max))


def status_as_of(case: Case, as_of: datetime.datetime | None) -> str:
    """The case's status at `as_of`: where its last transition by then left it."""
    if as_of is None:
        return case.status
    event = (
        case.events.filter(kind=EventKind.TRANSITION, at__lte=as_of)
        .exclude(target_status="")
        .order_by("-at", "-pk")
        .first()
    )
    return event.target_status if event else CaseStatus.DRAFT


def _chain_as_of(chain: prescription.CaseChain, on: datetime.date) -> prescription.CaseChain:
    """The case's chain of acts as it stood on `on`: the acts done by then, an instance's
    outcome only if known by then, the suspensions begun by then (still running if they
    ended later)."""
    acts = tuple(
        act
        if act.outcome_on is None or act.outcome_on <= on
        else dataclasses.replace(act, outcome=engine.Outcome.PENDING, outcome_on=None)
        for act in chain.acts
        if act.on <= on
    )
    suspensions = tuple(
        (pk, s if s.end is None or s.end <= on else dataclasses.replace(s, end=None))
        for pk, s in chain.suspensions
        if s.start <= on
    )
    return prescription.CaseChain(acts=acts, suspensions=suspensions)


def claims_as_of(case: Case, as_of: datetime.datetime | None) -> list[Claim]:
    """All the case's claims, their prescription (date, state) as it stood at `as_of` set
    on the instances (never saved); now: the stored prescription."""
    if as_of is None:
        return list(case.claims.all())
    claims = list(Claim.objects.filter(case=case))  # fresh instances: changed, never saved
    on = _local_date(as_of)
    prescription.forget_acts(case)  # a case held since before its latest acts
    chain = _chain_as_of(prescription.case_chain(case, today=on, known_at=as_of), on)
    for claim in claims:
        try:
            result = prescription.claim_result(claim, chain)
        except ValueError:
            continue  # a chain the engine refuses: the stored values stay
        if result is None:
            claim.prescription_date, claim.prescription_state = None, PrescriptionState.UNKNOWN
        else:
            claim.prescription_date = result.date
            claim.prescription_state = PrescriptionState(str(result.state))
    return claims


def _left_out(case: Case, claim: Claim, on: datetime.date | None) -> bool:
    """Whether an action that needs a debt not prescribed leaves the claim out
    (`Case.excluded_claims`), on `on`."""
    return case.excludes_prescribed_claims and claim.is_prescribed(on)


def claims_data(case: Case, as_of: datetime.datetime | None = None) -> tuple[list[dict], dict]:
    """The claims the action pursues, by assessment date, and their totals. A prescribed
    claim is left out of an action that needs a debt not prescribed (LPF L.267, Cass.
    com. 5 déc. 2000: Case.excluded_claims; `excluded_claims_data` lists them); for every
    other action it stays, marked prescribed. Their prescription as at `as_of`."""
    on = _local_date(as_of)
    claims = sorted(
        (c for c in claims_as_of(case, as_of) if not _left_out(case, c, on)),
        key=lambda c: (c.assessment_date, c.pk),
    )
    rows = [claim_row(claim, on) for claim in claims]
    zero = Decimal("0")
    principal = sum((c.principal for c in claims), zero)
    penalties = sum((c.penalties for c in claims), zero)
    prescriptions = [c.prescription_date for c in claims if c.prescription_date]
    totals = {
        "count": len(claims),
        "principal": euros(principal),
        "penalties": euros(penalties),
        "total": euros(principal + penalties),
        "remaining": euros(sum((c.remaining for c in claims), zero)),
        "earliest_prescription": day(min(prescriptions)) if prescriptions else "",
    }
    return rows, totals


def _local_date(as_of: datetime.datetime | None) -> datetime.date | None:
    return timezone.localdate(as_of) if as_of is not None else None


def claim_row(claim: Claim, on: datetime.date | None = None) -> dict:
    return {
        "tax": claim.tax,
        "tax_label": claim.get_tax_display(),
        "period": claim.period,
        "assessment_date": day(claim.assessment_date),
        "principal": euros(claim.principal),
        "penalties": euros(claim.penalties),
        "total": euros(claim.total),
        "remaining": euros(claim.remaining),
        "last_interruptive_act": day(claim.last_interruptive_act),
        # The date, or the state without one (« interrompue jusqu'à l'issue de l'instance »).
        "prescription_date": day(claim.prescription_date)
        or lower_first(claim.get_prescription_state_display()),
        "prescribed": claim.is_prescribed(on),
    }


def excluded_claims_data(case: Case, as_of: datetime.datetime | None = None) -> list[dict]:
    """The prescribed claims left out of the action (LPF L.267), as rows (at `as_of`)."""
    on = _local_date(as_of)
    claims = [c for c in claims_as_of(case, as_of) if _left_out(case, c, on)]
    return [claim_row(c, on) for c in sorted(claims, key=lambda c: (c.assessment_date, c.pk))]


def targets_data(case: Case) -> dict:
    """What the action is aimed at: properties, managers, third-party holders."""
    return {
        "properties": [
            {
                "address": p.address,
                "postal_code": p.postal_code,
                "commune": p.commune,
                "departement": p.departement,
                "location": " ".join(filter(None, [p.postal_code, p.commune])),
                "cadastral_reference": p.cadastral_reference,
                "lot": p.lot,
                "description": p.description,
                "family_home": p.family_home,
                "occupation": p.get_occupation_display() if p.occupation else "",
                "reserve_price": euros(p.reserve_price) if p.reserve_price is not None else "",
            }
            for p in case.properties.order_by("pk")
        ],
        "managers": [
            {
                "name": str(m),
                "birth_date": day(m.birth_date),
                "address": m.address,
                "function": m.function,
                "grounds": m.grounds.strip(),
                "mandate_from": day(m.mandate_from),
                "mandate_to": day(m.mandate_to),
                "de_facto": bool(m.de_facto),
                "de_facto_evidence": m.de_facto_evidence.strip(),
                # LPF L.267: the breaches are the manager's, made during his mandate.
                "mandate_covers_claims": mandate_covers(m, case.pursued_claims()),
            }
            for m in case.managers.order_by("pk")
        ],
        "holders": [
            {
                "name": h.name,
                "siren": siren_display(h.siren) if h.siren else "",
                "address": h.address,
                "satd_date": day(h.satd_date),
                "satd_amount": euros(h.satd_amount),
                "notified_on": day(h.notified_on),
                "denounced_on": day(h.denounced_on),
                "declared": h.declaration == HolderDeclaration.DECLARED,
                "not_declared": h.declaration == HolderDeclaration.NOT_DECLARED,
                "declared_on": day(h.declared_on),
                "declaration_content": h.declaration_content.strip(),
                "obligation": euros(h.obligation) if h.obligation is not None else "",
                # LPF L.262, CPCE L.211-2: the SATD's amount within the limit of the obligation.
                "claimed_amount": euros(h.claimed_amount),
                "limited": h.limited_by_obligation,
            }
            for h in case.holders.order_by("pk")
        ],
    }


def mandate_covers(manager, claims) -> bool:
    """Whether no claim's period lies outside the manager's mandate (LPF L.267)."""
    return not any(outside_mandate(manager, claim) for claim in claims)


def pieces_data(
    case: Case, as_of: datetime.datetime | None = None, *, leave_out: frozenset[int] = frozenset()
) -> list[dict]:
    """The pieces by their number (`Piece.number`, the bordereau's: stable, a removed
    piece's never given again); with `as_of`, only those filed by then; never those of
    `leave_out` (pks). Each with its own date and description, as the lawyer lists it."""
    return [
        {
            "number": piece.number,
            "kind": piece.kind,
            "kind_label": piece.get_kind_display(),
            "label": piece.label,
            "description": piece.description.strip(),
            "name": piece.original_name,
            "date": day(piece.dated_on),
            "filed_on": day(piece.uploaded_at),
            "size": file_size(piece.size),
        }
        for piece in case.pieces.order_by("number")
        if piece.pk not in leave_out and (as_of is None or piece.uploaded_at <= as_of)
    ]


def head_of_pole() -> str:
    head = User.objects.filter(role=Role.HEAD, is_active=True).order_by("date_joined", "pk")
    return person_name(head.first())


def current_mandate(case: Case) -> LawyerMandate | None:
    return (
        case.mandates.filter(revoked_on__isnull=True)
        .select_related("lawyer")
        .order_by("-mandated_on", "-pk")
        .first()
    )


def starting_act_data(case: Case) -> dict | None:
    """The latest starting act (commandement, assignation…), or None."""
    act = case.starting_acts.order_by("-signed_on", "-pk").first()
    if act is None:
        return None
    return {
        "kind": act.kind,
        "kind_label": act.get_kind_display(),
        "court": act.court,
        "signed_on": day(act.signed_on),
        "served_on": day(act.served_on),
    }


def latest_decision(case: Case) -> Decision | None:
    return case.decisions.order_by("-decided_on", "-pk").first()


def receivability_event(case: Case) -> CaseEvent | None:
    """The pôle's latest decision on whether the referral is receivable, or None."""
    return (
        case.events.filter(kind=EventKind.TRANSITION, transition__in=RECEIVABILITY_TRANSITIONS)
        .select_related("actor")
        .order_by("-at", "-pk")
        .first()
    )


def common(case: Case, kind: str, as_of: datetime.datetime | None = None) -> dict:
    """What every document shows: the case, its parties, claims, targets and pieces, as
    they stood at `as_of` (None: now)."""
    claims, totals = claims_data(case, as_of)
    status = status_as_of(case, as_of)
    poste = case.poste_comptable
    expert = case.assigned_expert
    return {
        "kind": kind,
        "reference": case.reference,
        "mode": {"code": case.mode, "label": case.get_mode_display() if case.mode else ""},
        "action": action_data(case),
        "status": {"code": status, "label": CaseStatus(status).label},
        "closure_reason": (
            case.get_closure_reason_display()
            if case.closure_reason and status == CaseStatus.CLOSED
            else ""
        ),
        "facts": case.facts.strip(),
        "request": case.request.strip(),
        "submitted_on": day(case.submitted_at),
        "alsace_moselle": case.is_alsace_moselle,
        "local_law_note": LOCAL_LAW_NOTE if case.is_alsace_moselle else "",
        "direction": {"code": case.direction.code, "name": case.direction.name},
        "poste": {
            "name": poste.name if poste else "",
            "kind_label": poste.get_kind_display() if poste else "",
            "codique": poste.codique if poste else "",
            "mailbox": poste.mailbox if poste else "",
        },
        "debtor": debtor_data(case),
        "claims": claims,
        "totals": totals,
        "excluded_claims": excluded_claims_data(case, as_of),
        "targets": targets_data(case),
        "jurist": person_name(case.assigned_jurist),
        "expert": person_name(expert),
        "expert_direction": str(expert.direction) if expert and expert.direction else "",
        "head": head_of_pole(),
        "pieces": pieces_data(case, as_of),
    }
