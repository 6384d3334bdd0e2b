from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "documents"
    verbose_name = "Documents"

    def ready(self) -> None:
        from cases import integrity, panels, search

        from . import views
        from .enums import DocumentStatus
        from .models import Document, EditableCopy

        search.register(
            Document,
            search.Source(
                "document",
                "Document",
                # Searched once produced (its PDF's text extracted by the worker).
                case=lambda d: d.case if d.status == DocumentStatus.READY and d.file else None,
                title=str,
                body=lambda d: "",
                internal=lambda d: d.internal_work,
                file=lambda d: d.file,
            ),
        )
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
