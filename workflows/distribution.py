"""The side actions of the money of a case (issue 17, « distrib »): the distribution of
the price of a property sold in a saisie immobilière (CPCE R.331-1 s.) and the costs of
the procedure.

Imported by `workflows.steps` once its `StepForm`, `SideAction` and `Context` exist (at
the end of that module): `steps` attaches `DISTRIBUTION_SIDE_ACTIONS` and `COST` to the
steps that need them. The operations are `cases.money`'s.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from cases import money
from cases.enums import (
    TRESOR_SECURITIES,
    CostKind,
    DistributionKind,
    DistributionStatus,
    SecurityKind,
)
from cases.forms import ActDateField, DateInput, MoneyField, WholeNumberField
from cases.models import LawyerMandate
from cases.pieces import check_upload
from deadlines import services as deadlines

from .steps import Context, SideAction, StepForm


def _date(label: str, *, help_text: str = "") -> forms.DateField:
    return ActDateField(label=label, widget=DateInput(), help_text=help_text)


def _choices(enum) -> list:
    return [("", "Choisir")] + list(enum.choices)


class DistributionStepForm(StepForm):
    """A form about the case's pending distribution (refused, in French, without one or at
    another stage)."""

    stage: tuple[str, ...] = ()

    def clean(self):
        data = super().clean()
        distribution = money.pending_distribution(self.case)
        if distribution is None:
            raise ValidationError(
                "Aucune distribution du prix n'est en cours : ouvrez-la d'abord "
                "(« Ouvrir la distribution du prix »)."
            )
        if self.stage and distribution.status not in self.stage:
            raise ValidationError(
                f"La distribution en est à l'étape « {distribution.get_status_display()} »."
            )
        data["distribution"] = distribution
        return data


# --- Opening -------------------------------------------------------------------------------


class OpenDistributionForm(StepForm):
    kind = forms.ChoiceField(
        label="Distribution",
        choices=_choices(DistributionKind),
        help_text="Amiable : le créancier poursuivant établit un projet (CPCE R.332-1 s.) ; "
        "judiciaire : le juge de l'exécution répartit (R.333-1 s.).",
    )
    price = MoneyField(label="Prix à distribuer (€)", help_text="Prix de vente et intérêts.")
    opened_on = _date("Distribution demandée le")

    def clean(self):
        data = super().clean()
        self.not_future("opened_on")
        if data.get("price") is not None and data["price"] <= 0:
            self.add_error("price", "Le prix à distribuer doit être positif.")
        return data


def do_open_distribution(ctx: Context, data: dict) -> None:
    money.open_distribution(
        ctx.case, ctx.user, kind=data["kind"], price=data["price"], opened_on=data["opened_on"]
    )


# --- Creditors -----------------------------------------------------------------------------


class CreditorForm(DistributionStepForm):
    stage = (DistributionStatus.OPEN,)

    name = forms.CharField(label="Créancier", max_length=200, help_text="Ex. : Banque Populaire")
    security = forms.ChoiceField(label="Sûreté", choices=_choices(SecurityKind))
    is_treasury = forms.BooleanField(
        label="Ce créancier est le Trésor (ce dossier)",
        required=False,
        help_text="Coché d'office pour le privilège et l'hypothèque légale du Trésor ; sa "
        "part sera imputée sur les créances du dossier.",
    )
    declared = MoneyField(label="Montant déclaré (€)")
    rank = WholeNumberField(label="Rang", min_value=1, max_value=999)

    def clean(self):
        data = super().clean()
        if data.get("declared") is not None and data["declared"] <= 0:
            self.add_error("declared", "Le montant déclaré doit être positif.")
        if data.get("security") in TRESOR_SECURITIES:
            data["is_treasury"] = True
        return data


def do_declare_creditor(ctx: Context, data: dict) -> None:
    money.declare_creditor(
        data["distribution"],
        ctx.user,
        name=data["name"],
        security=data["security"],
        declared=data["declared"],
        rank=data["rank"],
        is_treasury=data["is_treasury"],
    )


# --- The projet (or the judge's état de répartition) --------------------------------------


class ProjectForm(DistributionStepForm):
    stage = (DistributionStatus.OPEN,)

    project_on = _date(
        "Projet notifié le (amiable) / état de répartition rendu le (judiciaire)",
        help_text="Amiable : les parties ont quinze jours pour contester (CPCE R.332-5).",
    )

    def clean(self):
        data = super().clean()
        self.not_future("project_on")
        return data


def do_project(ctx: Context, data: dict) -> None:
    money.establish_project(data["distribution"], ctx.user, project_on=data["project_on"])


class ContestForm(DistributionStepForm):
    stage = (DistributionStatus.PROJECT,)

    contested_on = _date("Contesté le")
    reason = forms.CharField(
        label="Contestation", max_length=1000, help_text="Qui conteste, sur quel point."
    )

    def clean(self):
        data = super().clean()
        self.not_future("contested_on")
        return data


def do_contest(ctx: Context, data: dict) -> None:
    money.contest_project(
        data["distribution"], ctx.user, contested_on=data["contested_on"], reason=data["reason"]
    )


class PaymentForm(DistributionStepForm):
    stage = (DistributionStatus.PROJECT,)

    paid_on = _date("Part du Trésor reçue le")

    def clean(self):
        data = super().clean()
        self.not_future("paid_on")
        return data


def do_receive_share(ctx: Context, data: dict) -> None:
    """The séquestre pays: a recovery imputed to the claims. Paid by a third party, it
    does not interrupt the prescription (C. civ. 2240): the recomputation says so."""
    recovery = money.receive_treasury_share(data["distribution"], ctx.user, paid_on=data["paid_on"])
    if recovery is not None:
        deadlines.record_interruptive_act(
            ctx.case, ctx.user, recovery.received_on, "distribution du prix"
        )


DISTRIBUTION_SIDE_ACTIONS: dict[str, SideAction] = {
    "distribution_open": SideAction(
        "Ouvrir la distribution du prix", OpenDistributionForm, do_open_distribution
    ),
    "distribution_creditor": SideAction(
        "Déclarer un créancier inscrit", CreditorForm, do_declare_creditor
    ),
    "distribution_project": SideAction(
        "Établir le projet de distribution", ProjectForm, do_project
    ),
    "distribution_contest": SideAction("Contestation du projet", ContestForm, do_contest),
    "distribution_paid": SideAction("Part du Trésor reçue", PaymentForm, do_receive_share),
}


# --- Costs ---------------------------------------------------------------------------------


class CostForm(StepForm):
    kind = forms.ChoiceField(label="Nature des frais", choices=_choices(CostKind))
    amount = MoneyField(label="Montant TTC (€)")
    incurred_on = _date("Date de la facture")
    label = forms.CharField(
        label="Libellé", max_length=200, required=False, help_text="Ex. : facture n° 2024-118"
    )
    mandate = forms.ModelChoiceField(
        label="Mandat d'avocat",
        queryset=LawyerMandate.objects.none(),
        required=False,
        help_text="Pour des honoraires : par défaut le mandat en cours.",
    )
    invoice = forms.FileField(label="Facture", required=False, help_text="PDF ou image.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mandate"].queryset = self.case.mandates.select_related("lawyer")

    def clean(self):
        data = super().clean()
        self.not_future("incurred_on")
        if data.get("amount") is not None and data["amount"] <= 0:
            self.add_error("amount", "Le montant des frais doit être positif.")
        upload = data.get("invoice")
        if upload:
            try:
                check_upload(upload)
                upload.seek(0)
            except ValidationError as error:
                self.add_error("invoice", error)
        return data


def do_cost(ctx: Context, data: dict) -> None:
    money.record_cost(
        ctx.case,
        ctx.user,
        kind=data["kind"],
        amount=data["amount"],
        incurred_on=data["incurred_on"],
        label=data["label"],
        mandate=data["mandate"],
        invoice_file=data.get("invoice"),
    )


COST = SideAction("Enregistrer des frais", CostForm, do_cost)
