"""Reads for the deadline pages and the calendar feed, scoped through cases.access."""

from __future__ import annotations

from django.db.models import Min, QuerySet

from cases import access
from cases.enums import CLOSED_STATUSES, AppealParty, Role
from cases.models import Appeal, Case, User, prescription_horizon

from .calendar import late_appeal
from .models import Deadline


def may_see_deadlines(user: User) -> bool:
    """The pôle (jurists, head), management and administrators."""
    return (
        user.is_authenticated
        and user.is_active
        and (
            user.role in (Role.JURIST, Role.HEAD, Role.MANAGEMENT, Role.ADMIN) or user.is_superuser
        )
    )


def scoped_cases(user: User) -> QuerySet[Case]:
    """Whose deadlines the page shows: a jurist's own cases, the head's team (every case
    of the pôle), management's and administrators' visible cases."""
    if not may_see_deadlines(user):
        return Case.objects.none()
    cases = access.visible_cases(user).exclude(status__in=CLOSED_STATUSES)
    if user.role == Role.JURIST:
        cases = cases.filter(assigned_jurist=user)
    return cases


def my_deadlines(user: User) -> QuerySet[Deadline]:
    """Open deadlines, by date: the overdue ones come first."""
    return (
        Deadline.objects.open()
        .filter(case__in=scoped_cases(user))
        .select_related(
            "case__debtor", "case__assigned_jurist", "case__direction", "case__action_type"
        )
        .order_by("due_date", "pk")
    )


def prescription_alerts(user: User) -> QuerySet[Case]:
    """Cases of the scope whose earliest prescription is less than six months away."""
    return (
        scoped_cases(user)
        .annotate(earliest=Min("claims__prescription_date"))
        .filter(earliest__lt=prescription_horizon())
        .select_related("debtor", "assigned_jurist")
        .order_by("earliest", "pk")
    )


def late_opponent_appeals(user: User) -> list[tuple[Case, str]]:
    """The opponents' appeals of the scope lodged after their period (délai de distance
    included), each with its flag (calendar.late_appeal)."""
    appeals = (
        Appeal.objects.filter(case__in=scoped_cases(user), lodged_by=AppealParty.OPPONENT)
        .select_related("case__debtor", "case__direction", "case__action_type", "decision__case")
        .prefetch_related("case__properties", "case__managers", "case__holders", "case__parties")
        .order_by("lodged_on", "pk")
    )
    found = []
    for appeal in appeals:
        # The decision's case is the appeal's: share the prefetched one.
        appeal.decision.case = appeal.case
        flag = late_appeal(appeal)
        if flag:
            found.append((appeal.case, flag))
    return found
