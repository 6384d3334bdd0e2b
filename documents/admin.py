from django.contrib import admin

from cases.admin import ReadOnlyAdmin

from .models import Document, TemplateVersion


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
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


@admin.register(TemplateVersion)
class TemplateVersionAdmin(ReadOnlyAdmin):
    """Read only: the head of the pôle writes them on /modeles-documents/."""

    list_display = ["kind", "action_type", "number", "author", "created_at", "comment"]
    list_filter = ["kind"]
