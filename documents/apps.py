from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "documents"
    verbose_name = "Documents"

    def ready(self) -> None:
        from cases import panels

        from . import views

        panels.register(
            "documents",
            template="documents/_case_panel.html",
            position=20,
            context=views.case_panel,
        )
