from django.apps import AppConfig


class WorkflowsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "workflows"
    verbose_name = "Circuit de traitement"

    def ready(self) -> None:
        from cases import events, panels

        from . import services, views

        # A submission starts the process (or ends its completion step) in its transaction.
        events.referral_submitted.connect(
            services.on_referral_submitted, dispatch_uid="workflows.submission"
        )
        panels.register(
            "process", template="workflows/_case_panel.html", position=10, context=views.case_panel
        )
        # The opinion, its risk grid and the comparables it froze (issue 24).
        panels.register(
            "opinion",
            template="workflows/_opinion_panel.html",
            position=12,
            context=views.opinion_panel,
        )
        # The debtor's collective proceedings (C. com. livre VI).
        panels.register(
            "collective",
            template="workflows/_collective_panel.html",
            position=15,
            context=views.collective_panel,
        )
