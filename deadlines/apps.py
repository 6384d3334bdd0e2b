from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    name = "deadlines"
    verbose_name = "Échéances"

    def ready(self) -> None:
        from cases import panels

        from . import views

        panels.register(
            "deadlines",
            template="deadlines/_case_panel.html",
            position=5,
            context=views.case_panel,
        )
