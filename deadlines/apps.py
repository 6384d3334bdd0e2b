from django.apps import AppConfig
from django.db.models.signals import post_save


def _next_deadline():
    """The case list's « Prochaine échéance » (cases.listing): its earliest open deadline."""
    from django.db.models import Min, OuterRef, Subquery

    from .models import Deadline

    return Subquery(
        Deadline.objects.open()
        .filter(case=OuterRef("pk"))
        .order_by()
        .values("case")
        .annotate(first=Min("due_date"))
        .values("first")
    )


def _claims_importing(sender, case, user, claims, **kwargs) -> None:
    """Claims about to be written in bulk by an import: their prescription, computed once."""
    from .prescription import compute_imported

    compute_imported(case, user, claims)


def _claim_saved(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    """A claim created or edited (referral form, API, admin, fixtures aside): its stored
    prescription is recomputed from its chain, in the same transaction."""
    if raw:
        return
    from .prescription import refresh_claim

    refresh_claim(instance)


class DeadlinesConfig(AppConfig):
    name = "deadlines"
    verbose_name = "Échéances"

    def ready(self) -> None:
        from cases import events, listing, panels
        from cases.models import Claim

        from . import views

        post_save.connect(_claim_saved, sender=Claim, dispatch_uid="deadlines.claim_prescription")
        events.claims_importing.connect(
            _claims_importing, dispatch_uid="deadlines.claims_importing"
        )
        listing.register_annotation("next_deadline", _next_deadline)
        panels.register(
            "prescription",
            template="deadlines/_prescription_panel.html",
            position=5,
            context=views.prescription_panel,
        )
        panels.register(
            "deadlines",
            template="deadlines/_case_panel.html",
            position=6,
            context=views.late_appeal_panel,
        )
