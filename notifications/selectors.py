"""Reads that pages need about notifications."""

from django.db.models import QuerySet

from cases.models import User

from .models import Notification


def for_user(user: User) -> QuerySet[Notification]:
    """The user's notifications in the application, newest first."""
    return (
        Notification.objects.filter(user=user)
        .select_related("case", "case__debtor")
        .order_by("-created_at", "-pk")
    )


def unread(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user, read_at__isnull=True)
