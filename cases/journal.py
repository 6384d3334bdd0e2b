"""The consultation journal: one row per access to tax data (`AccessLog`), apart from the
case history. Views call `record` once they have checked access and found what they serve;
it is one INSERT, and it never fails the page: an error is logged and the page goes on.

Who reads the journal is decided by `cases.access` (`visible_access_log`); `purge` drops
what is older than the retention period (`manage.py purge_access_log`)."""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from .formatting import actor_label
from .models import AccessLog, Case

logger = logging.getLogger(__name__)


def record(request, kind: str, *, case: Case | None = None, target: str = "", user=None) -> None:
    """One row: the user (the request's, or `user` for a link that stands for one, such as
    a calendar feed's), the case (if any), what was read (`target`), the address."""
    user = user if user is not None else request.user
    try:
        row = AccessLog(
            user=user if user.is_authenticated else None,
            user_label=actor_label(user)[:300] if user.is_authenticated else "anonyme",
            kind=kind,
            case=case,
            case_reference=case.reference if case is not None else "",
            target=str(target)[:300],
            path=request.get_full_path()[:500],
        )
        if connection.in_atomic_block:  # a failure must not break the caller's transaction
            with transaction.atomic():
                row.save()
        else:
            row.save()
    except Exception:
        logger.exception("Journal des consultations : la consultation n'a pas été écrite.")


def retention_cutoff(now: datetime.datetime | None = None) -> datetime.datetime:
    return (now or timezone.now()) - datetime.timedelta(days=settings.ACCESS_LOG_RETENTION_DAYS)


def purge(now: datetime.datetime | None = None) -> int:
    """Delete the rows older than the retention period; how many were deleted."""
    deleted, _ = AccessLog.objects.filter(at__lt=retention_cutoff(now)).delete()
    return deleted


def search(rows: QuerySet[AccessLog], filters: dict) -> QuerySet[AccessLog]:
    """The journal page's filters: a user, a case reference, a period (days included)."""
    if filters.get("user"):
        rows = rows.filter(user=filters["user"])
    if filters.get("reference"):
        rows = rows.filter(case_reference__icontains=filters["reference"].strip())
    if filters.get("start"):
        rows = rows.filter(at__date__gte=filters["start"])
    if filters.get("end"):
        rows = rows.filter(at__date__lte=filters["end"])
    return rows.order_by("-at", "-pk")
