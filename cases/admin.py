"""Administration: reference data and accounts. Cases are read-only here: their status
changes only through the lifecycle, their history never changes."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import (
    AccessLog,
    ActionType,
    Appeal,
    Case,
    CaseEvent,
    ClaimImputation,
    Cost,
    DebtorMerge,
    Decision,
    Direction,
    Distribution,
    DistributionCreditor,
    Hearing,
    Lawyer,
    LawyerMandate,
    Message,
    Opinion,
    Party,
    PosteComptable,
    PropertySale,
    Recovery,
    StartingAct,
    User,
)


@admin.register(Direction)
class DirectionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "departement", "experiment_role"]
    list_filter = ["kind", "experiment_role"]
    search_fields = ["code", "name"]


@admin.register(PosteComptable)
class PosteComptableAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "codique", "direction", "mailbox"]
    list_filter = ["kind", "direction"]
    search_fields = ["name", "codique"]


@admin.register(ActionType)
class ActionTypeAdmin(admin.ModelAdmin):
    list_display = ["label", "code", "legal_basis", "court", "target_kind", "position"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "direction", "poste_comptable"]
    list_filter = ["role", "direction", "is_active"]
    fieldsets = BaseUserAdmin.fieldsets + (
        ("Rattachement", {"fields": ("role", "direction", "poste_comptable")}),
    )
    add_fieldsets = BaseUserAdmin.add_fieldsets + (
        ("Rattachement", {"fields": ("role", "direction", "poste_comptable")}),
    )


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class CaseEventInline(admin.TabularInline):
    model = CaseEvent
    fields = ["at", "actor_label", "summary", "reason"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ["reference", "debtor", "direction", "action_type", "mode", "status"]
    list_filter = ["status", "mode", "action_type", "direction"]
    search_fields = ["reference", "debtor__name", "debtor__siren"]
    list_select_related = ["debtor", "direction", "action_type"]
    inlines = [CaseEventInline]


@admin.register(DebtorMerge)
class DebtorMergeAdmin(ReadOnlyAdmin):
    """The report of the debtor rows merged into their entity (cases/debtors.py): the
    migration's, then the referrals'."""

    list_display = ["at", "kept", "merged_pk", "source", "cases", "changed"]
    list_filter = ["source"]
    list_select_related = ["kept"]
    search_fields = ["kept__name", "kept__siren"]
    readonly_fields = ["kept", "merged_pk", "values", "changed", "cases", "at", "source"]


@admin.register(CaseEvent)
class CaseEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "case", "actor_label", "summary"]
    list_select_related = ["case"]
    search_fields = ["case__reference", "summary"]


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyAdmin):
    """The consultation journal: read-only, purged by `manage.py purge_access_log`."""

    list_display = ["at", "user_label", "kind", "case_reference", "target", "path"]
    list_filter = ["kind"]
    date_hierarchy = "at"
    search_fields = ["user_label", "user__username", "case_reference", "target"]


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin):
    list_display = ["sent_at", "case", "author_label"]
    list_select_related = ["case"]
    search_fields = ["case__reference", "body"]


@admin.register(Lawyer)
class LawyerAdmin(admin.ModelAdmin):
    list_display = ["name", "firm", "bar", "email", "phone", "active"]
    list_filter = ["active", "bar"]
    search_fields = ["name", "firm", "bar", "courts", "email"]


# The records of the judicial phase and the opinions are written by the workflow, which
# keeps the history in step: read-only here.
@admin.register(LawyerMandate)
class LawyerMandateAdmin(ReadOnlyAdmin):
    list_display = ["case", "lawyer", "mandated_on", "revoked_on"]
    list_select_related = ["case", "lawyer"]
    search_fields = ["case__reference", "lawyer__name"]


@admin.register(StartingAct)
class StartingActAdmin(ReadOnlyAdmin):
    list_display = ["case", "kind", "court", "signed_on", "served_on"]
    list_filter = ["kind"]
    list_select_related = ["case"]
    search_fields = ["case__reference", "court"]


@admin.register(Hearing)
class HearingAdmin(ReadOnlyAdmin):
    list_display = ["case", "scheduled_at", "court", "kind", "purpose", "instance", "status"]
    list_filter = ["kind", "status", "instance"]
    list_select_related = ["case"]
    search_fields = ["case__reference", "court", "purpose"]


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = [
        "case",
        "decided_on",
        "court",
        "instance",
        "outcome",
        "amount_awarded",
        "by_default",
    ]
    list_filter = ["outcome", "instance", "by_default"]
    list_select_related = ["case"]
    search_fields = ["case__reference", "court"]


@admin.register(PropertySale)
class PropertySaleAdmin(ReadOnlyAdmin):
    list_display = ["case", "kind", "sold_on", "price", "buyer", "overbid_on", "paid_on"]
    list_filter = ["kind"]
    list_select_related = ["case"]
    search_fields = ["case__reference", "buyer", "overbidder"]


@admin.register(Appeal)
class AppealAdmin(ReadOnlyAdmin):
    list_display = ["case", "lodged_on", "instance", "lodged_by", "court"]
    list_filter = ["instance", "lodged_by"]
    list_select_related = ["case"]
    search_fields = ["case__reference", "court"]


@admin.register(Recovery)
class RecoveryAdmin(ReadOnlyAdmin):
    list_display = ["case", "received_on", "amount"]
    list_select_related = ["case"]
    search_fields = ["case__reference"]


@admin.register(Opinion)
class OpinionAdmin(ReadOnlyAdmin):
    list_display = ["case", "version", "conclusion", "risk_level", "status", "follow"]
    list_filter = ["status", "conclusion", "risk_level", "follow"]
    list_select_related = ["case"]
    search_fields = ["case__reference"]


# --- The money of a case (issue 17, « distrib »): read only, written by cases.money -------


@admin.register(ClaimImputation)
class ClaimImputationAdmin(ReadOnlyAdmin):
    list_display = ["recovery", "claim", "amount", "rule"]
    list_filter = ["rule"]
    list_select_related = ["recovery__case", "claim"]
    search_fields = ["recovery__case__reference"]


@admin.register(Cost)
class CostAdmin(ReadOnlyAdmin):
    list_display = ["case", "incurred_on", "kind", "amount", "label"]
    list_filter = ["kind"]
    list_select_related = ["case"]
    search_fields = ["case__reference", "label"]


@admin.register(Distribution)
class DistributionAdmin(ReadOnlyAdmin):
    list_display = ["case", "opened_on", "kind", "status", "price"]
    list_filter = ["kind", "status"]
    list_select_related = ["case"]
    search_fields = ["case__reference"]


@admin.register(DistributionCreditor)
class DistributionCreditorAdmin(ReadOnlyAdmin):
    list_display = ["distribution", "rank", "name", "security", "declared", "allocated"]
    list_filter = ["security", "is_treasury"]
    list_select_related = ["distribution__case"]
    search_fields = ["distribution__case__reference", "name"]


# Issue 17: the parties the pôle records on a case (added and changed on its steps).
@admin.register(Party)
class PartyAdmin(ReadOnlyAdmin):
    list_display = ["case", "name", "role", "residence", "counsel_name", "counsel_bar"]
    list_filter = ["role", "residence"]
    list_select_related = ["case"]
    search_fields = ["case__reference", "name", "counsel_name"]
