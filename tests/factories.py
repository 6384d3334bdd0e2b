"""factory_boy factories. Cases are created as drafts and moved through the real lifecycle,
so their history is the one the application would have written."""

import datetime
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from cases import services
from cases.enums import CaseStatus, ClosureReason, DebtorKind, Mode, PieceKind, Role, TaxKind
from cases.forms import referral_form_data
from cases.lifecycle import CaseLifecycle
from cases.models import (
    ActionType,
    Case,
    Claim,
    Debtor,
    Direction,
    ManagerTarget,
    PosteComptable,
    PropertyTarget,
    ThirdPartyHolderTarget,
    User,
)
from cases.pieces import sample_pdf

S = CaseStatus

# From a draft to each status, the transitions a real case goes through.
PATHS = {
    S.DRAFT: [],
    S.SUBMITTED: ["submit"],
    S.RETURNED: ["submit", "return_for_completion"],
    S.UNDER_EXAMINATION: ["submit", "accept"],
    S.DECLINED: ["submit", "decline"],
    S.OPINION_GIVEN: ["submit", "accept", "give_opinion"],
    S.SUPPORT_IN_PROGRESS: ["submit", "accept", "start_support"],
    S.TAKEN_OVER: ["submit", "accept", "take_over"],
    S.ACTION_ENGAGED: ["submit", "accept", "take_over", "engage_action"],
    S.AWAITING_DECISION: ["submit", "accept", "take_over", "engage_action", "await_decision"],
    S.DECIDED: [
        "submit", "accept", "take_over", "engage_action", "await_decision", "record_decision",
    ],
    S.UNDER_APPEAL: [
        "submit", "accept", "take_over", "engage_action", "await_decision", "record_decision",
        "appeal",
    ],
    S.EXECUTION: [
        "submit", "accept", "take_over", "engage_action", "await_decision", "record_decision",
        "start_execution",
    ],
    S.CLOSED: [
        "submit", "accept", "take_over", "engage_action", "await_decision", "record_decision",
        "start_execution", "close",
    ],
}  # fmt: skip
MODE_FOR = {S.OPINION_GIVEN: Mode.AVIS, S.SUPPORT_IN_PROGRESS: Mode.SOUTIEN}
TRANSITION_KWARGS = {
    "return_for_completion": {"reason": "Il manque l'état hypothécaire à jour."},
    "decline": {"reason": "Enjeu trop faible au regard du coût de la procédure."},
    "appeal": {"reason": "Appel interjeté par le redevable."},
    "close": {"reason": "Créance soldée.", "closure_reason": ClosureReason.RECOVERED_FULL},
}


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    role = Role.JURIST
    password = factory.django.Password("demo")

    class Params:
        poste_agent = factory.Trait(
            role=Role.POSTE_AGENT,
            poste_comptable=factory.LazyFunction(lambda: PosteComptable.objects.get(pk=1)),
            direction=factory.SelfAttribute("poste_comptable.direction"),
        )
        direction_agent = factory.Trait(
            role=Role.DIRECTION_AGENT,
            direction=factory.LazyFunction(lambda: Direction.objects.get(code="DDFIP 02")),
        )
        head = factory.Trait(role=Role.HEAD)


class DebtorFactory(DjangoModelFactory):
    class Meta:
        model = Debtor

    kind = DebtorKind.LEGAL
    name = factory.Sequence(lambda n: f"SARL BÂTIMENT {n}")
    siren = "552100554"


class ClaimFactory(DjangoModelFactory):
    class Meta:
        model = Claim

    tax = TaxKind.TVA
    period = "2023"
    assessment_date = datetime.date(2024, 3, 15)
    principal = Decimal("80000.00")
    penalties = Decimal("8000.00")
    remaining = Decimal("88000.00")


def _head() -> User:
    return UserFactory(username="factory.head", role=Role.HEAD)


class CaseFactory(DjangoModelFactory):
    """A saisie immobilière referred by DDFIP 02's first poste comptable.

    `complete=True` adds a claim, the target and the required pieces; `to=<status>` walks
    the lifecycle to that status (implies complete)."""

    class Meta:
        model = Case
        skip_postgeneration_save = True

    direction = factory.LazyFunction(lambda: Direction.objects.get(code="DDFIP 02"))
    poste_comptable = factory.LazyAttribute(lambda o: o.direction.postes.order_by("pk").first())
    mode = Mode.PRISE_EN_CHARGE
    action_type = factory.LazyFunction(lambda: ActionType.objects.get(code="saisie_immobiliere"))
    debtor = factory.SubFactory(DebtorFactory)
    facts = "Redevable défaillant depuis 2022 ; propriétaire d'un local commercial."
    request = "Engager la saisie immobilière du local."
    created_by = factory.LazyAttribute(
        lambda o: UserFactory(
            username=f"referrer.{o.poste_comptable.codique}",
            role=Role.POSTE_AGENT,
            poste_comptable=o.poste_comptable,
            direction=o.direction,
        )
    )

    @classmethod
    def _create(cls, model_class, *args, complete=False, to=None, **kwargs):
        target = to
        if target in MODE_FOR and kwargs["mode"] == Mode.PRISE_EN_CHARGE:
            kwargs["mode"] = MODE_FOR[target]  # the declared default cannot reach it
        case = super()._create(model_class, *args, **kwargs)
        if complete or target:
            complete_referral(case)
        for name in PATHS[S(target)] if target else []:
            actor = case.created_by if name in ("submit", "resubmit", "withdraw") else _head()
            getattr(CaseLifecycle(case, actor), name)(**TRANSITION_KWARGS.get(name, {}))
        return case


def complete_referral(case: Case) -> Case:
    """Add what the case's action needs to be submitted."""
    ClaimFactory(case=case)
    kind = case.action_type.target_kind
    if kind == "property":
        PropertyTarget.objects.create(
            case=case,
            address="12 rue des Tanneurs",
            postal_code="02000",
            commune="Laon",
            departement="02",
            cadastral_section="AB",
            cadastral_number="142",
        )
    elif kind == "manager":
        ManagerTarget.objects.create(case=case, last_name="Durand", first_name="Paul")
    elif kind == "third_party":
        ThirdPartyHolderTarget.objects.create(
            case=case,
            name="Banque du Nord",
            satd_date=datetime.date(2025, 5, 2),
            satd_amount=Decimal("15000"),
        )
    for code in case.action_type.required_pieces:
        services.add_piece_bytes(
            case.created_by, case, code, f"{code}.pdf", sample_pdf(PieceKind(code).label)
        )
    return case


# The keys of the `users` fixture (tests/conftest.py): one user per role.
ROLE_KEYS = [
    "poste_agent",
    "other_poste_agent",
    "direction_agent",
    "other_direction_agent",
    "jurist",
    "other_jurist",
    "head",
    "expert",
    "management",
    "management_d02",
    "management_d67",
    "admin",
]


def referral_claim(**overrides) -> dict:
    return {
        "tax": "TVA",
        "period": "2023",
        "assessment_date": "2024-03-15",
        "principal": "100 000,00",
        "penalties": "10 000",
        "remaining": "110 000,00",
        **overrides,
    }


def referral_property(**overrides) -> dict:
    return {
        "address": "12 rue des Tanneurs",
        "postal_code": "02000",
        "commune": "Laon",
        "departement": "02",
        "cadastral_section": "AB",
        "cadastral_number": "142",
        **overrides,
    }


def referral_data(debtor=None, claim=None, prop=None, holders=()) -> dict:
    """POST data of a complete saisie immobilière referral by the SIE de Laon (no pieces)."""
    return referral_form_data(
        case={
            "mode": "prise_en_charge",
            "action_type": ActionType.objects.get(code="saisie_immobiliere").pk,
            "poste_comptable": PosteComptable.objects.get(name="SIE de Laon").pk,
            "facts": "Redevable défaillant ; local commercial libre d'hypothèque.",
            "request": "Engager la saisie immobilière.",
        },
        debtor={
            "kind": "legal",
            "name": "SARL LES TANNEURS",
            "siren": "552100554",
            **(debtor or {}),
        },
        claims=[referral_claim(**(claim or {}))],
        properties=[referral_property(**(prop or {}))],
        holders=list(holders),
    )


def edit_page_data(client, url: str) -> dict:
    """The referral page's forms (at `url`) as the browser posts them back unchanged."""
    forms = client.get(url).context["forms"]
    data = {}
    for form in [forms.case_form, forms.debtor_form]:
        for name in form.fields:
            value = form[name].value()
            data[form.add_prefix(name)] = "" if value is None else value
    for formset in forms.formsets:
        for key, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{key}"] = value
        for form in formset.initial_forms:
            for name in form.fields:
                value = form[name].value()
                if value is not None and value is not False:
                    data[form.add_prefix(name)] = value.pk if hasattr(value, "pk") else value
    return data
