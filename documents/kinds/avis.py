"""Avis d'opportunité: the current opinion on the case, structured as the jurist reads it
(issue 21, « Avis d'opportunité »): the action's conditions, the lighter alternatives, the
costs against the expected recovery, the creditors' ranking, the risk and its grid, the
comparable cases' figures as the version froze them (issue 24), the conclusion, and the
signature (the signer's title, « par délégation » when the signer is not the
head of the pôle). The legal text is templates/documents/avis.html and avis/."""

from __future__ import annotations

from cases.comparables import for_display
from cases.enums import LighterMeasure, OpinionStatus, PartyRole, Role
from cases.formatting import euros, person_name
from cases.models import Case, Opinion
from cases.parties import counsel_of

from ..printing import day, money


def not_yet(case: Case) -> str | None:
    if Opinion.objects.current(case) is None:
        return "Aucun avis n'a encore été rédigé pour ce dossier."
    return None


def part(case: Case) -> dict:
    opinion: Opinion | None = Opinion.objects.current(case)
    if opinion is None:
        return {"opinion": None}
    author = opinion.author
    expert = author.role == Role.EXPERT
    validated = opinion.status == OpinionStatus.VALIDATED
    action = opinion.recommended_action
    costs, recovery = opinion.estimated_costs, opinion.expected_recovery
    reviewer = opinion.reviewed_by if validated else None
    return {
        "alternatives": [
            {"code": code, "label": label, "recommended": code == opinion.recommended_measure}
            for code, label in LighterMeasure.choices
        ],
        # As the version froze them at its submission, not recomputed.
        "comparables": for_display(opinion.comparables),
        "registered_creditors": [
            {"name": p.name, "counsel": counsel_of(p)}
            for p in case.parties.filter(role=PartyRole.REGISTERED_CREDITOR).order_by("pk")
        ],
        "economics": {
            "costs": money(costs),
            "recovery": money(recovery),
            "known": costs is not None and recovery is not None,
            "balance": euros(recovery - costs)
            if costs is not None and recovery is not None
            else "",
            "worth_it": costs is not None and recovery is not None and recovery > costs,
        },
        "signer": {
            "name": person_name(reviewer),
            "is_head": reviewer is not None and reviewer.role == Role.HEAD,
            # Another member of the pôle's management signs for the head, by delegation.
            "by_delegation": reviewer is not None and reviewer.role != Role.HEAD,
            "role_label": reviewer.get_role_display() if reviewer and reviewer.role else "",
        },
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
            "recommended_measure": opinion.get_recommended_measure_display()
            if opinion.recommended_measure
            else "",
            "reasons": opinion.reasons,
            "conditions": opinion.conditions.strip(),
            "creditors_ranking": opinion.creditors_ranking.strip(),
            "risk_level": opinion.risk_level,
            "risk_level_label": opinion.get_risk_level_display(),
            "risk_assessment": opinion.risk_assessment,
            "risk_grid": opinion.risk_grid_rows,
            "risk_grid_filled": opinion.has_risk_grid,
            "status": opinion.status,
            "status_label": opinion.get_status_display(),
            "validated": validated,
            "reviewer": person_name(opinion.reviewed_by) if validated else "",
            "reviewed_on": day(opinion.reviewed_at) if validated else "",
        },
    }
