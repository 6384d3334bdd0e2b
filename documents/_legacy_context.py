"""The data snapshot a document is rendered from.

`build_snapshot(case, kind)` gathers what the document shows, already formatted for French
print (amounts "125 432,17 €", dates "23 novembre 2026"), as a JSON-serialisable dict. It is
deterministic: the same case gives the same dict (no generation time, no database ids), so
its hash tells whether a document must be generated again, and it is stored with each
version. Lists follow a stable order (upload order for the pieces, dates then creation for
the rest).

`applicability(case, kind)` says whether the document can be produced now: None, or the
French sentence saying why not yet.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from cases.enums import (
    TAKEN_OVER_STATUSES,
    CaseStatus,
    DebtorKind,
    EventKind,
    HearingStatus,
    Mode,
    OpinionStatus,
    Role,
)
from cases.formatting import (
    court_in_sentence,
    euros,
    long_date,
    lower_first,
    megabytes,
    person_name,
    text_lines,
)
from cases.models import Case, Decision, LawyerMandate, Opinion, User
from cases.proceedings import appeal_deadline, recovered_total

from .enums import DocumentKind

S = CaseStatus

# The receivability decisions of the pôle, as the lifecycle names its transitions.
RECEIVABILITY_TRANSITIONS = ("accept", "return_for_completion", "decline")


LOCAL_LAW_NOTE = (
    "Bien situé en Alsace-Moselle (Moselle, Bas-Rhin ou Haut-Rhin) : l'exécution forcée "
    "immobilière relève du droit local (loi du 1er juin 1924, livre foncier) et non de la "
    "procédure de saisie immobilière du code des procédures civiles d'exécution ; le "
    "calendrier du CPCE ne s'applique pas."
)


# --- Formatting helpers -----------------------------------------------------------------


def siren_display(siren: str) -> str:
    """'552100554' -> '552 100 554' (no-break spaces, as printed)."""
    if len(siren) != 9:
        return siren
    return "\u00a0".join((siren[:3], siren[3:6], siren[6:]))


def day(value: datetime.date | datetime.datetime | None) -> str:
    """A date, or the local date of a datetime, in long French form; "" when unknown."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return long_date(value)


def moment(value: datetime.datetime) -> str:
    """'12 janvier 2027 à 9 h 30', in Paris time."""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{long_date(local.date())} à {local.hour} h {local:%M}"


def file_size(size: int) -> str:
    """Sizes under a megabyte in kilobytes ('48 Ko'), larger ones in megabytes ('2,5 Mo')."""
    if size < 1_048_576:
        return f"{max(1, -(-size // 1024))}\u00a0Ko"
    return megabytes(size).replace(" ", "\u00a0")


def money(amount: Decimal | int | None) -> str:
    return euros(amount) if amount is not None else ""


# --- The common part --------------------------------------------------------------------


def _action(case: Case) -> dict:
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
    }


def claims_data(case: Case) -> tuple[list[dict], dict]:
    claims = list(case.claims.order_by("assessment_date", "pk"))
    rows = [
        {
            "tax": claim.tax,
            "tax_label": claim.get_tax_display(),
            "period": claim.period,
            "assessment_date": day(claim.assessment_date),
            "principal": euros(claim.principal),
            "penalties": euros(claim.penalties),
            "total": euros(claim.total),
            "remaining": euros(claim.remaining),
            "last_interruptive_act": day(claim.last_interruptive_act),
            "prescription_date": day(claim.prescription_date),
        }
        for claim in claims
    ]
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


def targets_data(case: Case) -> dict:
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
            }
            for h in case.holders.order_by("pk")
        ],
    }


def pieces_data(case: Case) -> list[dict]:
    return [
        {
            "number": number,
            "kind": piece.kind,
            "kind_label": piece.get_kind_display(),
            "name": piece.original_name,
            "date": day(piece.uploaded_at),
            "size": file_size(piece.size),
        }
        for number, piece in enumerate(case.pieces.order_by("uploaded_at", "pk"), start=1)
    ]


def head_of_pole() -> str:
    head = User.objects.filter(role=Role.HEAD, is_active=True).order_by("date_joined", "pk")
    return person_name(head.first())


def _common(case: Case, kind: str) -> dict:
    claims, totals = claims_data(case)
    poste = case.poste_comptable
    expert = case.assigned_expert
    return {
        "kind": kind,
        "reference": case.reference,
        "mode": {"code": case.mode, "label": case.get_mode_display() if case.mode else ""},
        "action": _action(case),
        "status": {"code": case.status, "label": case.get_status_display()},
        "closure_reason": case.get_closure_reason_display() if case.closure_reason else "",
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
        "targets": targets_data(case),
        "jurist": person_name(case.assigned_jurist),
        "expert": person_name(expert),
        "expert_direction": str(expert.direction) if expert and expert.direction else "",
        "head": head_of_pole(),
        "pieces": pieces_data(case),
    }


# --- The kind-specific parts ------------------------------------------------------------


def _opinion(case: Case) -> dict:
    opinion: Opinion | None = Opinion.objects.current(case)
    if opinion is None:
        return {"opinion": None}
    author = opinion.author
    expert = author.role == Role.EXPERT
    validated = opinion.status == OpinionStatus.VALIDATED
    action = opinion.recommended_action
    return {
        "opinion": {
            "version": opinion.version,
            "author": person_name(author),
            "author_role": author.get_role_display() if author.role else "",
            "author_is_expert": expert,
            "author_direction": (
                f"{author.direction.code} — {author.direction.name}"
                if expert and author.direction
                else ""
            ),
            "submitted_on": day(opinion.submitted_at),
            "conclusion": opinion.conclusion,
            "conclusion_label": opinion.get_conclusion_display(),
            "recommended_action": action.label if action else "",
            "recommended_action_basis": action.legal_basis if action else "",
            "reasons": opinion.reasons,
            "risk_level": opinion.risk_level,
            "risk_level_label": opinion.get_risk_level_display(),
            "risk_assessment": opinion.risk_assessment,
            "status": opinion.status,
            "status_label": opinion.get_status_display(),
            "validated": validated,
            "reviewer": person_name(opinion.reviewed_by) if validated else "",
            "reviewed_on": day(opinion.reviewed_at) if validated else "",
        }
    }


def _receivability_event(case: Case):
    return (
        case.events.filter(kind=EventKind.TRANSITION, transition__in=RECEIVABILITY_TRANSITIONS)
        .select_related("actor")
        .order_by("-at", "-pk")
        .first()
    )


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


def _receivability(case: Case) -> dict:
    event = _receivability_event(case)
    if event is None:
        return {"receivability": None}
    outcome = {
        "accept": "accepted",
        "return_for_completion": "returned",
        "decline": "declined",
    }[event.transition]
    next_steps: list[str] = []
    if outcome == "accepted":
        next_steps.append(ACCEPT_NEXT.get(case.mode, ACCEPT_NEXT[Mode.PRISE_EN_CHARGE]))
        next_steps.append(
            "Les échanges se font par la messagerie du dossier ; le poste comptable signale "
            "au pôle tout paiement, acte interruptif de prescription ou élément nouveau."
        )
    elif outcome == "returned":
        next_steps.append(
            "Complétez le dossier avec les éléments énumérés ci-dessus, puis transmettez-le "
            "de nouveau au pôle depuis l'application. L'examen de la recevabilité reprendra "
            "à réception."
        )
    else:
        next_steps.append(
            "Le pôle ne donne pas suite à la demande. La direction conserve la conduite du "
            "recouvrement ; elle peut saisir à nouveau le pôle si des éléments nouveaux le "
            "justifient."
        )
    earliest = case.earliest_prescription_date
    if earliest and outcome != "declined":
        next_steps.append(
            f"La prescription continue de courir : la première créance se prescrit le "
            f"{long_date(earliest)} (LPF art. L.274), sauf acte interruptif."
        )
    return {
        "receivability": {
            "outcome": outcome,
            "summary": event.summary,
            "reason": event.reason.strip(),
            "missing": text_lines(event.reason) if outcome == "returned" else [],
            "date": day(event.at),
            "actor": person_name(event.actor) if event.actor else event.actor_label,
        },
        "next_steps": next_steps,
    }


def current_mandate(case: Case) -> LawyerMandate | None:
    return (
        case.mandates.filter(revoked_on__isnull=True)
        .select_related("lawyer")
        .order_by("-mandated_on", "-pk")
        .first()
    )


def starting_act_data(case: Case) -> dict | None:
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


def _mandate(case: Case) -> dict:
    mandate = current_mandate(case)
    action = case.action_type
    act = starting_act_data(case)
    asked = []
    if case.request.strip():
        asked.append(case.request.strip())
    if act is not None:
        asked.append(
            f"Conduire la procédure engagée le {act['signed_on']} "
            f"({lower_first(act['kind_label'])}) devant {court_in_sentence(act['court'])}."
        )
    elif action is not None:
        asked.append(
            f"Préparer et faire délivrer l'acte introductif ({lower_first(action.starting_act)})"
            f", puis conduire la procédure devant {court_in_sentence(action.court)} "
            f"({action.legal_basis})."
        )
    asked.append(
        "Tenir le pôle informé de la date des audiences, de leurs renvois et de toute "
        "décision rendue, dès sa connaissance, et lui transmettre les écritures adverses."
    )
    result: dict = {"asked": asked, "starting_act": act}
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


def blocks(body: str) -> list[dict]:
    """A section's plain text as blocks to print: a short line alone ("En droit") is a
    heading, lines starting with "- " are a list (the lines before it its lead-in), the
    rest are paragraphs. [{"heading": str} | {"text": str, "items": [str]}]"""
    result: list[dict] = []
    for chunk in body.replace("\r\n", "\n").split("\n\n"):
        rows = [row.strip() for row in chunk.strip().splitlines() if row.strip()]
        if not rows:
            continue
        single = rows[0] if len(rows) == 1 else ""
        if single and len(single) <= 40 and single[-1] not in ".:;,)" and single[:2] != "- ":
            result.append({"heading": rows[0]})
            continue
        text = [row for row in rows if not row.startswith("- ")]
        items = [row[2:].strip() for row in rows if row.startswith("- ")]
        result.append({"text": "\n".join(text), "items": items})
    return result


def latest_decision(case: Case) -> Decision | None:
    return case.decisions.order_by("-decided_on", "-pk").first()


def appeal_period(case: Case) -> str:
    days = case.action_type.appeal_days if case.action_type_id else None
    return f"{days} jours" if days else "un mois"


def _decision_next(case: Case, decision: Decision, deadline: str, period: str) -> list[str]:
    status = case.status
    appeals = list(decision.appeals.order_by("-lodged_on", "-pk"))
    if status == S.DECIDED:
        if decision.notified_on is None:
            return [
                f"Le délai d'appel ({period}) courra à compter de la signification de la "
                "décision, que l'avocat fait délivrer. Le pôle apprécie avec lui "
                "l'opportunité d'un appel et vous en informe."
            ]
        return [
            f"Le délai d'appel ({period} à compter de la signification du "
            f"{day(decision.notified_on)}) expire le {deadline}. Le pôle décide avec "
            "l'avocat, avant cette date, de l'opportunité d'un appel et vous en informe.",
            "À défaut d'appel, la décision devient définitive et son exécution est engagée.",
        ]
    if status == S.UNDER_APPEAL:
        text = "Un appel a été interjeté"
        if appeals:
            appeal = appeals[0]
            text += (
                f" le {day(appeal.lodged_on)} ({appeal.get_lodged_by_display().lower()}) "
                f"devant {court_in_sentence(appeal.court)}"
            )
        return [
            text + ". Le pôle suit l'instance d'appel avec l'avocat et vous informera de la "
            "date de l'audience, puis de l'arrêt."
        ]
    if status == S.AWAITING_DECISION:
        return [
            "L'affaire est en délibéré ; le pôle vous transmettra la décision dès qu'elle "
            "sera rendue."
        ]
    if status == S.EXECUTION:
        return [
            "La décision est en cours d'exécution. Le poste comptable signale au pôle chaque "
            "encaissement ; le pôle en tient le compte ci-dessus et vous informe de la clôture "
            "du dossier."
        ]
    if status == S.CLOSED:
        reason = case.get_closure_reason_display() if case.closure_reason else ""
        return [f"Le dossier est clos ({reason.lower()})." if reason else "Le dossier est clos."]
    return ["Le pôle poursuit le suivi de la procédure et vous tient informés."]


def _decision(case: Case) -> dict:
    decision = latest_decision(case)
    held = [
        {
            "date": moment(h.scheduled_at),
            "court": h.court,
            "purpose": h.purpose,
            "instance_label": h.get_instance_display(),
        }
        for h in case.hearings.filter(status=HearingStatus.HELD).order_by("scheduled_at", "pk")
    ]
    recoveries = [
        {"received_on": day(r.received_on), "amount": euros(r.amount), "comment": r.comment}
        for r in case.recoveries.order_by("received_on", "pk")
    ]
    result: dict = {
        "hearings": held,
        "recoveries": recoveries,
        "recovered_total": euros(recovered_total(case)),
    }
    if decision is None:
        return {**result, "decision": None, "appeals": [], "next_steps": []}
    deadline_date = appeal_deadline(decision)
    deadline = long_date(deadline_date) if deadline_date else "à calculer dès la notification"
    period = appeal_period(case)
    judgment_number = next(
        (
            number
            for number, pk in enumerate(
                case.pieces.order_by("uploaded_at", "pk").values_list("pk", flat=True), start=1
            )
            if pk == decision.judgment_id
        ),
        None,
    )
    result["decision"] = {
        "instance_label": decision.get_instance_display(),
        "court": decision.court,
        "court_in_sentence": court_in_sentence(decision.court),
        "decided_on": day(decision.decided_on),
        "outcome": decision.outcome,
        "outcome_label": decision.get_outcome_display(),
        "amount_awarded": money(decision.amount_awarded),
        "notified_on": day(decision.notified_on),
        "summary": decision.summary,
        "judgment_piece": judgment_number,
    }
    result["appeal_period"] = period
    result["appeal_deadline"] = deadline
    result["appeals"] = [
        {
            "lodged_by_label": a.get_lodged_by_display(),
            "lodged_on": day(a.lodged_on),
            "court": a.court,
            "grounds": a.grounds,
            "decision": f"{a.decision.court}, {day(a.decision.decided_on)}",
        }
        for a in case.appeals.select_related("decision").order_by("lodged_on", "pk")
    ]
    result["next_steps"] = _decision_next(case, decision, deadline, period)
    return result


def _pleadings(case: Case, sections: list[dict] | None) -> dict:
    from ._legacy_pleadings import default_sections, draft_title

    if sections is None:
        sections = default_sections(case)
    mandate = current_mandate(case)
    return {
        "pleading_title": draft_title(case),
        "sections": [
            {
                "key": str(section.get("key", "")),
                "title": str(section.get("title", "")),
                "body": str(section.get("body", "")),
                "blocks": blocks(str(section.get("body", ""))),
            }
            for section in sections
        ],
        "lawyer": ({"name": mandate.lawyer.name, "bar": mandate.lawyer.bar} if mandate else None),
    }


def build_snapshot(case: Case, kind: str, *, sections: list[dict] | None = None) -> dict:
    """What the document of this kind shows for this case (see the module's docstring)."""
    if kind not in DocumentKind.values:
        _unknown(kind)
    snapshot = _common(case, kind)
    if kind == DocumentKind.AVIS:
        snapshot.update(_opinion(case))
    elif kind == DocumentKind.ACCUSE:
        snapshot.update(_receivability(case))
    elif kind == DocumentKind.SAISINE_AVOCAT:
        snapshot.update(_mandate(case))
    elif kind == DocumentKind.PROJET_ECRITURES:
        snapshot.update(_pleadings(case, sections))
    elif kind == DocumentKind.COMPTE_RENDU:
        snapshot.update(_decision(case))
    return snapshot


def _unknown(kind: str) -> None:
    raise ValueError(f"Type de document inconnu : {kind!r}")


# --- Applicability ----------------------------------------------------------------------


def was_taken_over(case: Case) -> bool:
    if case.status in TAKEN_OVER_STATUSES:
        return True
    if case.status == S.CLOSED:
        return case.events.filter(kind=EventKind.TRANSITION, target_status=S.TAKEN_OVER).exists()
    return False


def applicability(case: Case, kind: str) -> str | None:
    """None if the document can be produced now, else why not yet (French)."""
    if kind not in DocumentKind.values:
        _unknown(kind)
    if kind == DocumentKind.AVIS:
        if Opinion.objects.current(case) is None:
            return "Aucun avis n'a encore été rédigé pour ce dossier."
    elif kind == DocumentKind.ACCUSE:
        if case.status == S.DRAFT:
            return "Le dossier n'a pas encore été transmis au pôle."
        if _receivability_event(case) is None:
            return "Le pôle ne s'est pas encore prononcé sur la recevabilité de la saisine."
    elif kind == DocumentKind.SAISINE_AVOCAT:
        if current_mandate(case) is None:
            return "Aucun avocat n'est mandaté sur ce dossier."
    elif kind == DocumentKind.PROJET_ECRITURES:
        if case.action_type_id is None:
            return "Aucune action n'est retenue pour ce dossier."
        if not was_taken_over(case):
            return (
                "Le projet d'écritures n'est proposé qu'une fois le dossier pris en charge "
                "par le pôle."
            )
    elif kind == DocumentKind.COMPTE_RENDU:
        if latest_decision(case) is None:
            return "Aucune décision n'a encore été enregistrée pour ce dossier."
    elif kind == DocumentKind.BORDEREAU and not case.pieces.exists():
        return "Aucune pièce n'a encore été déposée dans ce dossier."
    return None
