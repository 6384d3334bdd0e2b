from django.contrib import admin

from .models import Document, TemplateVersion


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = [
        "case",
        "kind",
        "version",
        "status",
        "template_version",
        "requested_at",
        "validated_at",
    ]
    list_filter = ["kind", "status"]
    search_fields = ["case__reference"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TemplateVersion)
class TemplateVersionAdmin(admin.ModelAdmin):
    """Read only: the head of the pôle writes them on /modeles-documents/."""

    list_display = ["kind", "action_type", "number", "author", "created_at", "comment"]
    list_filter = ["kind"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
