from django.contrib import admin

from .models import (
    CalendarToken,
    Deadline,
    DeadlineReminder,
    PrescriptionSuspension,
    ProcedureAct,
)


@admin.register(Deadline)
class DeadlineAdmin(admin.ModelAdmin):
    list_display = ["case", "label", "due_date", "critical", "status"]
    list_filter = ["status", "critical", "template"]
    search_fields = ["case__reference", "label"]
    readonly_fields = [f.name for f in Deadline._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(ProcedureAct)
class ProcedureActAdmin(admin.ModelAdmin):
    list_display = ["case", "kind", "date"]
    readonly_fields = [f.name for f in ProcedureAct._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(PrescriptionSuspension)
class PrescriptionSuspensionAdmin(admin.ModelAdmin):
    """Read only: a suspension is recorded and ended on the case's deadlines page, which
    recomputes the claims' prescription (deadlines.services)."""

    list_display = ["case", "cause", "start", "end", "claim"]
    readonly_fields = [f.name for f in PrescriptionSuspension._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(DeadlineReminder)
class DeadlineReminderAdmin(admin.ModelAdmin):
    list_display = ["deadline", "days_before", "sent_on", "sent_at"]
    readonly_fields = ["deadline", "days_before", "sent_on", "sent_at"]

    def has_add_permission(self, request):
        return False


@admin.register(CalendarToken)
class CalendarTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at"]
    fields = ["user", "created_at"]
    readonly_fields = ["user", "created_at"]

    def has_add_permission(self, request):
        return False
