"""Compte rendu de décision: the latest decision, the recourse it opens (an appeal, a
pourvoi after an appeal's decision, an opposition against a default judgment, the saisine
of the juridiction de renvoi after a cassation: `cases.decisions.recourses`), its period
and deadline, or none, the hearings held, the recoveries, and what happens next at the
case's stage."""

from __future__ import annotations

from django.utils import timezone

from cases import decisions as decision_rules
from cases.decisions import awards_money, recourses
from cases.enums import CaseStatus, DecisionOutcome, HearingKind, HearingStatus, Instance
from cases.formatting import court_in_sentence, euros, long_date, long_datetime, lower_first
from cases.models import Case, Decision, Hearing
from cases.proceedings import recovered_total
from cases.validators import add_months
from deadlines.calendar import appeal_deadline, late_appeal, opponent_appeal, recourse_basis
from deadlines.services import declaration_due

from ..data import latest_decision
from ..printing import day, money

S = CaseStatus


def not_yet(case: Case) -> str | None:
    if latest_decision(case) is None:
        return "Aucune décision n'a encore été enregistrée pour ce dossier."
    return None


def appeal_period(case: Case, recourse: str | None = Instance.APPEAL) -> str:
    """The recourse's period in words: the action type's for an appeal, two months for a
    pourvoi (CPC 612) or the saisine of the juridiction de renvoi (CPC 1034), one month
    for an opposition (CPC 538)."""
    months = decision_rules.RECOURSE_MONTHS.get(recourse)
    if months:
        return "deux mois" if months == 2 else "un mois"
    days = case.action_type.appeal_days if case.action_type_id else None
    return f"{days} jours" if days else "un mois"


# The recourse -> (« le délai d'appel », « d'un appel », what its absence makes of the case).
RECOURSE_WORDS = {
    Instance.APPEAL: (
        "d'appel",
        "d'un appel",
        "À défaut d'appel, la décision devient définitive et son exécution est engagée.",
    ),
    Instance.CASSATION: (
        "de pourvoi en cassation",
        "d'un pourvoi",
        "À défaut de pourvoi, l'arrêt est définitif et son exécution se poursuit (le pourvoi "
        "n'est pas suspensif, CPC 579).",
    ),
    Instance.OPPOSITION: (
        "d'opposition",
        "d'une opposition",
        "À défaut d'opposition, le jugement rendu par défaut devient définitif.",
    ),
    Instance.RENVOI: (
        "de saisine de la juridiction de renvoi",
        "de la saisine de la juridiction de renvoi",
        "À défaut de saisine dans ce délai, le jugement de première instance passe en force "
        "de chose jugée (CPC 1034).",
    ),
}


def next_steps(
    case: Case, decision: Decision, deadline: str, period: str, recourse: str | None = None
) -> list[str]:
    status = case.status
    appeals = list(decision.appeals.order_by("-lodged_on", "-pk"))
    if status == S.DECIDED:
        if recourse is None:
            return [
                "Aucune voie de recours n'est ouverte contre cette décision ; le pôle en "
                "engage l'exécution et vous en informe."
            ]
        of, one, otherwise = RECOURSE_WORDS[recourse]
        if decision.notified_on is None:
            return [
                f"Le délai {of} ({period}) courra à compter de la signification de la "
                "décision, que l'avocat fait délivrer. Le pôle apprécie avec lui "
                f"l'opportunité {one} et vous en informe."
            ]
        return [
            f"Le délai {of} ({period} à compter de la signification du "
            f"{day(decision.notified_on)}) expire le {deadline}. Le pôle décide avec "
            f"l'avocat, avant cette date, de l'opportunité {one} et vous en informe.",
            otherwise,
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
    # Saisie immobilière, after the orientation judgment (CPCE R.322-15 s.)
    if status == S.FORCED_SALE:
        return [
            "La vente forcée est ordonnée. Le pôle fait procéder à la publicité de la vente "
            "(entre deux mois et un mois avant l'audience d'adjudication, CPCE R.322-31) et "
            "vous informe de l'adjudication, du prix et de son paiement."
        ]
    if status == S.AMICABLE_SALE:
        return [
            "La vente amiable est autorisée. À l'audience de rappel, le juge constate la vente "
            "si le prix est consigné, ou ordonne la vente forcée (CPCE R.322-21, R.322-25)."
        ]
    # Alsace-Moselle: the local law's exécution forcée (loi du 1er juin 1924, art. 141 s.)
    if status == S.LOCAL_REQUESTED:
        return [
            "La requête en exécution forcée immobilière est déposée au tribunal de "
            "l'exécution ; le pôle vous informe de l'ordonnance et du notaire commis."
        ]
    if status == S.LOCAL_ORDERED:
        return [
            "L'exécution forcée est ordonnée. Elle est inscrite au livre foncier et le notaire "
            "commis procède à l'adjudication ; le pôle vous informe du prix et de son "
            "paiement."
        ]
    if status == S.PRICE_DISTRIBUTION:
        return [
            "Le prix de vente est consigné ; le pôle suit sa distribution entre les "
            "créanciers et vous informe de la somme revenant au Trésor."
        ]
    if status == S.CLOSED:
        reason = case.get_closure_reason_display() if case.closure_reason else ""
        return [f"Le dossier est clos ({reason.lower()})." if reason else "Le dossier est clos."]
    return ["Le pôle poursuit le suivi de la procédure et vous tient informés."]


# --- « Suites »: what follows the decision, by its outcome ----------------------------
# The data only; every sentence is in templates/documents/compte_rendu.html.

Out = DecisionOutcome
OPENINGS = {Out.OPENING_SAUVEGARDE, Out.OPENING_RJ, Out.OPENING_LJ}


def recourse_rows(decision: Decision) -> list[dict]:
    """Each recourse the decision opens (an appeal, a pourvoi, an opposition: cases.
    decisions.recourses), its period's article, the pôle's last day and the opponent's
    (délai de distance included, CPC 643-644); the days blank until the notification."""
    rows = []
    for recourse in recourses(decision.instance, decision.outcome, by_default=decision.by_default):
        ours = appeal_deadline(decision, recourse)
        theirs = opponent_appeal(decision, recourse)
        rows.append(
            {
                "kind": recourse,  # appeal, cassation, opposition
                "basis": recourse_basis(decision, recourse),
                "deadline": long_date(ours) if ours else "",
                "opponent_deadline": long_date(theirs.last_day) if theirs else "",
                "opponent": theirs.party if theirs else "",
            }
        )
    return rows


def next_hearing(case: Case, decision: Decision) -> Hearing | None:
    return (
        case.hearings.filter(
            status=HearingStatus.SCHEDULED, scheduled_at__date__gte=decision.decided_on
        )
        .order_by("scheduled_at", "pk")
        .first()
    )


def hearing_row(hearing: Hearing | None) -> dict | None:
    if hearing is None:
        return None
    return {
        "date": long_datetime(hearing.scheduled_at),
        "court": court_in_sentence(hearing.court),
        "purpose": lower_first(hearing.purpose or hearing.get_kind_display()),
    }


def publicity_window(hearing: Hearing | None) -> dict | None:
    """The sale's publicity, between two months and one month before the adjudication
    hearing (CPCE R.322-31), once that hearing is set."""
    if hearing is None or hearing.kind != HearingKind.ADJUDICATION:
        return None
    on = timezone.localdate(hearing.scheduled_at)
    return {"from": long_date(add_months(on, -2)), "to": long_date(add_months(on, -1))}


def claim_declaration(case: Case, decision: Decision) -> dict:
    """After an opening judgment: the claims declared to the mandataire within two months
    of the BODACC publication (C. com. L.622-24, R.622-24), as the file knows it."""
    proceeding = (
        case.collective_proceedings.filter(opened_on__lte=decision.decided_on)
        .order_by("-opened_on", "-pk")
        .first()
    )
    due = declaration_due(case, proceeding) if proceeding else None
    declared = proceeding.declarations.order_by("-declared_on").first() if proceeding else None
    return {
        "mandataire": proceeding.mandataire if proceeding else "",
        "bodacc_on": day(proceeding.bodacc_on) if proceeding else "",
        "due": long_date(due) if due else "",
        "declared_on": day(declared.declared_on) if declared else "",
    }


def suites(case: Case, decision: Decision) -> dict:
    hearing = next_hearing(case, decision)
    outcome = decision.outcome
    return {
        "outcome": outcome,
        "notified": decision.notified_on is not None,
        "recourses": recourse_rows(decision),
        "next_hearing": hearing_row(hearing),
        "publicity": publicity_window(hearing),
        # The orientation judgment retains the creditor's claim (CPCE R.322-18).
        "retained": outcome in {Out.VENTE_FORCEE, Out.VENTE_AMIABLE},
        "sale_ordered": outcome == Out.VENTE_FORCEE,
        "amicable_sale": outcome == Out.VENTE_AMIABLE,
        "opening": outcome in OPENINGS,
        "liquidation": outcome == Out.OPENING_LJ,
        "claim": claim_declaration(case, decision) if outcome in OPENINGS else None,
        "radiation": outcome == Out.RADIATION,
        "caducite": outcome == Out.CADUCITE,
        "withdrawn": outcome == Out.WITHDRAWN,
        "lost": outcome in {Out.REJECTED, Out.NULLITE},
        "suspension": outcome == Out.SUSPENSION,
        "inopposable": outcome == Out.INOPPOSABLE,
        "partage": outcome == Out.PARTAGE_ORDONNE,
        "money": awards_money(case.action_type.code if case.action_type_id else None, outcome)
        and decision.amount_awarded is not None,
        "late_appeals": [
            {"lodged_on": day(a.lodged_on), "court": court_in_sentence(a.court), "flag": flag}
            for a in case.appeals.select_related("decision__case").order_by("lodged_on", "pk")
            if (flag := late_appeal(a))
        ],
    }


def judgment_number(case: Case, decision: Decision) -> int | None:
    """The judgment's number among the pieces (the bordereau's), if it is one of them."""
    return decision.judgment.number if decision.judgment_id else None


def part(case: Case) -> dict:
    decision = latest_decision(case)
    held = [
        {
            "date": long_datetime(h.scheduled_at),
            "court": h.court,
            "purpose": h.purpose or h.get_kind_display(),
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
    opened = decision_rules.recourses(
        decision.instance, decision.outcome, by_default=decision.by_default
    )
    recourse = opened[0] if opened else None
    deadline_date = appeal_deadline(decision, recourse) if recourse else None
    deadline = long_date(deadline_date) if deadline_date else "à calculer dès la notification"
    period = appeal_period(case, recourse)
    result["decision"] = {
        "instance_label": decision.get_instance_display(),
        "court": decision.court,
        "court_in_sentence": court_in_sentence(decision.court),
        "decided_on": day(decision.decided_on),
        "outcome": decision.outcome,
        "outcome_label": decision.get_outcome_display(),
        "amount_awarded": money(decision.amount_awarded),
        # CPC 700 and the dépens: printed only when the judge awarded them.
        "article_700": money(decision.article_700),
        "depens": money(decision.depens),
        "notified_on": day(decision.notified_on),
        "summary": decision.summary,
        "judgment_piece": judgment_number(case, decision),
    }
    # The recourse the decision opens (an Instance value; "" when none), its period, its
    # article when it is not the action's appeal.
    result["recourse"] = recourse or ""
    result["recourse_basis"] = (
        recourse_basis(decision, recourse) if recourse and recourse != Instance.APPEAL else ""
    )
    result["appeal_period"] = period if recourse else ""
    result["appeal_deadline"] = deadline if recourse else ""
    # The opponent's own period: the same, extended by the délai de distance (CPC 643-644).
    opponent = opponent_appeal(decision, recourse) if recourse else None
    result["opponent_appeal"] = f"{opponent.party} : {opponent.text}" if opponent else ""
    result["appeals"] = [
        {
            "lodged_by_label": a.get_lodged_by_display(),
            "lodged_on": day(a.lodged_on),
            "court": a.court,
            "grounds": a.grounds,
            "decision": f"{a.decision.court}, {day(a.decision.decided_on)}",
            "late": late_appeal(a) or "",
        }
        for a in case.appeals.select_related("decision").order_by("lodged_on", "pk")
    ]
    result["next_steps"] = next_steps(case, decision, deadline, period, recourse)
    result["suites"] = suites(case, decision)
    # An amount only where the outcome awards money (cases.decisions.MONEY_OUTCOMES).
    result["decision"]["awards_money"] = result["suites"]["money"]
    return result
