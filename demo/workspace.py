"""The pôle's workspace in the demo: the head's time targets on the pôle's steps and the
pôle's labels on some of its cases, set through the same services as the pages
(`workflows.targets.save_targets`, `cases.workspace`), so that the task lists, the team
page and the activity dashboard show ages, targets and late steps on the first visit."""

from __future__ import annotations

from cases import workspace
from cases.enums import CLOSED_STATUSES, CaseStatus, LabelColour
from cases.forms import LabelForm
from cases.models import Case, User
from workflows.targets import save_targets

# {step: (target in calendar days, reminder so many days before)}
STEP_TARGETS = {
    "receivability": (5, 2),
    "assignment": (3, 1),
    "write_opinion": (30, 7),
    "validate_opinion": (7, 2),
    "support": (21, 5),
}

# name, colour, which of the pôle's open cases carry it
LABELS = [
    ("Enjeu majeur", LabelColour.PINK_TUILE, lambda case, rank: rank < 3),
    (
        "Contentieux",
        LabelColour.PURPLE_GLYCINE,
        lambda case, rank: (
            case.status
            in (CaseStatus.AWAITING_DECISION, CaseStatus.DECIDED, CaseStatus.UNDER_APPEAL)
        ),
    ),
    (
        "Patrimoine immobilier",
        LabelColour.GREEN_ARCHIPEL,
        lambda case, rank: case.action_type.code == "saisie_immobiliere",
    ),
]


def set_up_workspace(cases: list[Case], users: dict[str, User]) -> None:
    head = users["chef.pole"]
    save_targets(head, STEP_TARGETS)
    held = sorted(
        (
            case
            for case in Case.objects.filter(pk__in=[c.pk for c in cases])
            .exclude(status__in=CLOSED_STATUSES)
            .exclude(assigned_jurist=None)
            .with_amounts()
            .select_related("action_type")
        ),
        key=lambda case: (-(case.total_remaining or 0), case.pk),
    )
    for name, colour, carries in LABELS:
        form = LabelForm({"name": name, "colour": colour})
        assert form.is_valid(), form.errors
        label = workspace.save_label(head, form)
        for rank, case in enumerate(held):
            if carries(case, rank):
                workspace.add_label(case.assigned_jurist, case, label)
