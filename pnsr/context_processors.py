from functools import cached_property

from django.conf import settings
from django.db.models import IntegerField, QuerySet, Subquery

from cases import access, selectors
from cases.models import User
from notifications import selectors as notification_selectors
from workflows import selectors as workflow_selectors

from . import legal, sessions, sitemap


class _Count(Subquery):
    """The number of rows of a queryset, as a subquery."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) pnsr_count)"
    output_field = IntegerField()

    def __init__(self, queryset: QuerySet):
        super().__init__(queryset.order_by().values("pk"))


class HeaderCounts:
    """The header's counts (unread messages and notifications, tasks held and to take),
    counted only by the pages that show them, all in one query."""

    def __init__(self, user: User):
        self.user = user

    @cached_property
    def _counts(self) -> tuple[int, int, int, int]:
        return (
            User.objects.filter(pk=self.user.pk)
            .annotate(
                unread_message_count=_Count(selectors.unread_messages(self.user)),
                unread_notification_count=_Count(notification_selectors.unread(self.user)),
                inbox_count=_Count(workflow_selectors.inbox_to_count(self.user)),
                queue_count=_Count(workflow_selectors.queue_to_count(self.user)),
            )
            .values_list(
                "unread_message_count", "unread_notification_count", "inbox_count", "queue_count"
            )
            .get()
        )

    def messages(self) -> int:
        return self._counts[0]

    def notifications(self) -> int:
        return self._counts[1]

    def tasks(self) -> dict:
        return {"inbox": self._counts[2], "queue": self._counts[3]}


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    counts = HeaderCounts(user)
    return {
        "can_create_referral": access.can_create_referral(user),
        "show_dashboards": access.may_see_dashboards(user),
        "show_access_log": access.may_see_access_log(user),
        "show_accounts": access.may_manage_accounts(user),
        # Lazy: counted only by the pages that show them (one query for both).
        "unread_messages": counts.messages,
        "unread_notifications": counts.notifications,
        "show_tasks": sitemap.has_tasks(user),
        "task_counts": counts.tasks,
        # The idle warning (base.html, session.js).
        "session_seconds_left": sessions.idle_seconds_left(request.session, active=True),
        "session_warning_seconds": settings.SESSION_WARNING_MINUTES * 60,
    }


def accessibility(request) -> dict:
    """The footer's RGAA mention, on every page."""
    return {"accessibility_status": legal.accessibility_label()}
