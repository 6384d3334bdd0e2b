"""Reads that pages need, scoped by cases.access."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import (
    Count,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from . import access, listing
from .enums import CaseStatus, DebtorKind, Role
from .formatting import pole_contact
from .models import Case, CaseEvent, Label, Message, MessageRead, Piece, User
from .validators import fold_name, normalize_siren


def case_list(
    user: User, filters: dict, *, with_labels: bool = False, columns: list[str] = ()
) -> QuerySet[Case]:
    """The cases a user may see, searched and filtered, with what a list row shows."""
    cases = access.visible_cases(user)
    query = (filters.get("q") or "").strip()
    if query:
        cases = cases.filter(pk__in=_matching(query))
    if filters.get("unread"):
        cases = cases.filter(pk__in=unread_messages(user).values("case"))
    for field in ("status", "direction", "action_type", "mode"):
        if filters.get(field):
            cases = cases.filter(**{field: filters[field]})
    if filters.get("jurist"):
        cases = cases.filter(assigned_jurist_id=filters["jurist"])
    if filters.get("expert"):
        cases = cases.filter(assigned_expert_id=filters["expert"])
    labels = access.may_see_labels(user)
    if labels and filters.get("label"):
        # A semi-join, not a join: each case stays one row (IdsFirstPaginator).
        cases = cases.filter(pk__in=filters["label"].cases.values("pk"))
    sort = filters.get("sort") or listing.DEFAULT_SORT
    cases = listing.annotate(
        cases.select_related(
            "direction",
            "poste_comptable",
            "action_type",
            "debtor",
            "assigned_jurist",
            "assigned_expert",
        ).with_amounts(),
        listing.needed_annotations(columns, sort, filters),
    )
    today = timezone.localdate()
    if filters.get("deadline_within"):
        horizon = today + datetime.timedelta(days=filters["deadline_within"])
        cases = cases.filter(next_deadline__lte=horizon)
    if filters.get("prescription_within"):
        horizon = today + datetime.timedelta(days=filters["prescription_within"])
        cases = cases.filter(earliest_prescription__lte=horizon)
    if filters.get("amount_min") is not None:
        cases = cases.filter(total_remaining__gte=filters["amount_min"])
    if filters.get("amount_max") is not None:
        cases = cases.filter(total_remaining__lte=filters["amount_max"])
    cases = cases.order_by(*listing.ordering(sort))
    if labels and with_labels:  # the page's labels in one query, not one per row (the web)
        cases = cases.prefetch_related(Prefetch("labels", queryset=Label.objects.order_by("name")))
    return cases


def labels_with_counts() -> QuerySet[Label]:
    """The pôle's labels, each with how many cases carry it (one query)."""
    return Label.objects.annotate(case_count=Count("cases")).order_by("name", "pk")


def _matching(query: str) -> QuerySet[Case]:
    """The cases whose reference or debtor's name contains `query` (case folded), or whose
    debtor's SIREN starts with it: one SELECT per criterion, united, so that PostgreSQL
    answers each from its own table's trigram index (cases/migrations/0023) rather than an
    OR across the two tables, which reads both whole."""
    by_reference = Case.objects.filter(reference__icontains=query)
    by_name = Case.objects.filter(debtor__name__icontains=query)
    parts = [by_name]
    siren = normalize_siren(query)
    if siren.isdigit():
        parts.append(Case.objects.filter(debtor__siren__startswith=siren))
    return (
        by_reference.order_by()
        .values("pk")
        .union(*(part.order_by().values("pk") for part in parts))
    )


def case_detail(case: Case) -> Case:
    """Load once the referral a case page shows (constant number of queries); its long
    lists are read a page at a time (case_messages, case_pieces, case_history)."""
    prefetch_related_objects([case], "claims", "properties", "managers", "holders", "pieces")
    return case


def case_messages(case: Case) -> QuerySet[Message]:
    """The thread, the latest first (the first page is the latest messages)."""
    return case.messages.prefetch_related("attachments").order_by("-sent_at", "-pk")


def case_pieces(case: Case) -> QuerySet[Piece]:
    return case.pieces.order_by("number")


def case_history(case: Case) -> QuerySet[CaseEvent]:
    """The history, the latest first."""
    return case.events.order_by("-at", "-pk")


def possible_duplicates(case: Case) -> list[Case]:
    """Other open cases for the same debtor: same SIREN, or same name and birth date.

    Drafts of other directions are not cases yet and are left out."""
    debtor = case.debtor
    if debtor.kind == DebtorKind.LEGAL and debtor.siren:
        same = Q(debtor__siren=debtor.siren)
    elif debtor.kind == DebtorKind.NATURAL and debtor.name and debtor.birth_date:
        same = Q(
            debtor__kind=DebtorKind.NATURAL,
            debtor__name_key=fold_name(debtor.name),
            debtor__birth_date=debtor.birth_date,
        )
    else:
        return []
    return list(
        Case.objects.open()
        .filter(same)
        .exclude(pk=case.pk)
        .exclude(Q(status=CaseStatus.DRAFT) & ~Q(direction_id=case.direction_id))
        .select_related("direction")
        .order_by("created_at")
    )


@dataclass(frozen=True)
class DuplicateWarning:
    """What a referrer is told of a debtor's other open cases: their own direction's by
    reference, direction and status; another direction's only as existing, with whom to
    contact (cases.access.names_duplicate)."""

    named: list[Case]
    elsewhere: bool
    contact: str


def duplicate_warning(user: User, duplicates: list[Case]) -> DuplicateWarning | None:
    """What `user`, a referrer, is told of possible duplicates; None when there are none."""
    if not duplicates:
        return None
    named = [other for other in duplicates if access.names_duplicate(user, other)]
    elsewhere = len(named) < len(duplicates)
    contact = pole_contact_for_referrers() if elsewhere else ""
    return DuplicateWarning(named=named, elsewhere=elsewhere, contact=contact)


def pole_contact_for_referrers() -> str:
    """Whom a referrer asks about a case of another direction: the pôle's intake address,
    else its heads."""
    heads = [] if settings.POLE_INTAKE_EMAIL else pole_heads()
    return pole_contact(settings.POLE_INTAKE_EMAIL, heads)


def pole_heads() -> list[User]:
    return list(
        User.objects.filter(role=Role.HEAD, is_active=True).order_by("last_name", "first_name")
    )


def unread_messages(user: User) -> QuerySet[Message]:
    """Messages addressed to the user, written by others, past what they have read."""
    read_upto = MessageRead.objects.filter(user=user, case=OuterRef("case_id")).values(
        "last_read_id"
    )[:1]
    return (
        Message.objects.filter(case__in=access.thread_cases(user))
        .exclude(author=user)
        .annotate(read_upto=Coalesce(Subquery(read_upto), 0))
        .filter(pk__gt=F("read_upto"))
    )


def pending_return(case: Case | None) -> CaseEvent | None:
    """What the pôle asked for when it sent the referral back for completion (its grounds
    and its list), while the case awaits that completion."""
    if case is None or case.status != CaseStatus.RETURNED:
        return None
    return (
        case.events.filter(transition="return_for_completion")
        .prefetch_related("return_grounds")
        .order_by("-at", "-pk")
        .first()
    )
