"""Projet d'écritures: the draft pleadings for the lawyer, once the pôle has taken the case
over. The sections are those the jurist edited, or the default draft (documents.pleadings)."""

from __future__ import annotations

from cases.enums import TAKEN_OVER_STATUSES, CaseStatus, EventKind
from cases.models import Case

from .. import pleadings
from ..data import current_mandate, pieces_data
from ..printing import blocks

S = CaseStatus


def was_taken_over(case: Case) -> bool:
    if case.status in TAKEN_OVER_STATUSES:
        return True
    if case.status == S.CLOSED:
        return case.events.filter(kind=EventKind.TRANSITION, target_status=S.TAKEN_OVER).exists()
    return False


def not_yet(case: Case) -> str | None:
    if case.action_type_id is None:
        return "Aucune action n'est retenue pour ce dossier."
    if not was_taken_over(case):
        return (
            "Le projet d'écritures n'est proposé qu'une fois le dossier pris en charge par le pôle."
        )
    return None


def as_of(case: Case):
    """The pleading's date (documents.pleadings.pleading_date)."""
    return pleadings.as_of(case)


def part(case: Case, sections: list[dict] | None = None) -> dict:
    if sections is None:
        sections = pleadings.default_sections(case)
    mandate = current_mandate(case)
    return {
        "pleading_title": pleadings.draft_title(case),
        "sections": [
            {
                "key": str(section.get("key", "")),
                "title": str(section.get("title", "")),
                "body": str(section.get("body", "")),
                "blocks": blocks(str(section.get("body", ""))),
            }
            for section in sections
        ],
        # Those filed by the pleading's date, never the judgment it asks for.
        "pieces": pieces_data(case, as_of(case), leave_out=pleadings.asked_for(case)),
        "lawyer": ({"name": mandate.lawyer.name, "bar": mandate.lawyer.bar} if mandate else None),
    }
