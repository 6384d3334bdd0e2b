from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "documents"
    verbose_name = "Documents"

    def ready(self) -> None:
        from cases import integrity, panels

        from . import views
        from .enums import DocumentStatus
        from .models import Document, EditableCopy

        panels.register(
            "documents",
            template="documents/_case_panel.html",
            position=20,
            context=views.case_panel,
        )
        integrity.register_files(
            "documents",
            lambda: (
                Document.objects.filter(status=DocumentStatus.READY)
                .select_related("case")
                .order_by("pk")
            ),
        )
        integrity.register_files(
            "editable_copies",
            lambda: EditableCopy.objects.select_related("document__case").order_by("pk"),
        )
