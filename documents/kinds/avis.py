"""Avis d'opportunité: the current opinion on the case, by whom, and whether the head of
the pôle validated it."""

from __future__ import annotations

from cases.enums import OpinionStatus, Role
from cases.formatting import person_name
from cases.models import Case, Opinion

from ..printing import day


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
