"""Administration: the outbox, to watch deliveries and retry what was set aside."""

from django.contrib import admin, messages

from .models import Notification, NotificationPreference
from .services import retry


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "case",
        "kind",
        "recipient_label",
        "channel",
        "state",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "short_error",
    ]
    list_filter = ["state", "channel", "kind"]
    list_select_related = ["case", "user"]
    search_fields = ["case__reference", "mailbox", "user__username", "user__email", "subject"]
    date_hierarchy = "created_at"
    actions = ["retry_now"]
    readonly_fields = [field.name for field in Notification._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="destinataire")
    def recipient_label(self, obj: Notification) -> str:
        return obj.recipient_label

    @admin.display(description="dernière erreur")
    def short_error(self, obj: Notification) -> str:
        return obj.last_error[:80]

    @admin.action(description="Réessayer maintenant", permissions=["change"])
    def retry_now(self, request, queryset) -> None:
        selected = queryset.count()
        count = retry(queryset)
        skipped = selected - count
        if count:
            self.message_user(
                request,
                f"{count} notification(s) remise(s) en file d'envoi : le courriel part au "
                "prochain passage de l'envoi.",
                messages.SUCCESS,
            )
        if skipped:
            self.message_user(
                request,
                f"{skipped} notification(s) ignorée(s) : déjà envoyée(s) ou sans courriel.",
                messages.WARNING,
            )


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "channel"]
    list_filter = ["kind", "channel"]
    search_fields = ["user__username"]
