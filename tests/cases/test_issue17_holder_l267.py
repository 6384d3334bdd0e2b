"""Issue 17 (« holder »): the third-party holder's obligation, what an L.267 referral must
show (pieces, mandate, de facto management, the « déjà tenu » condition), as the referral
page, the case page, the submission check and the API see them."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from cases import services
from cases.enums import HolderDeclaration, LegalForm, PieceKind
from cases.formatting import euros
from cases.forms import HolderForm, ManagerForm
from cases.models import ActionType, Case, ThirdPartyHolderTarget
from cases.pieces import sample_pdf
from cases.referral import action_warnings, claim_period_bounds, flatten, referral_problems
from tests.factories import CaseFactory, edit_page_data, referral_data

pytestmark = pytest.mark.django_db
D = datetime.date


def holder_case(**holder):
    case = CaseFactory(complete=True, action_type=ActionType.objects.get(code="tiers_detenteur"))
    if holder:
        ThirdPartyHolderTarget.objects.filter(case=case).update(**holder)
    return case


def l267_case(**manager):
    case = CaseFactory(
        complete=True, action_type=ActionType.objects.get(code="solidarite_dirigeant")
    )
    if manager:
        case.managers.update(**manager)
    return case


def add_piece(case, kind):
    services.add_piece_bytes(case.created_by, case, kind, f"{kind}.pdf", sample_pdf(kind))


# --- The third-party holder: within the limit of its obligation -------------------------


HOLDER_DATA = {
    "name": "Banque du Nord",
    "satd_date": "2025-05-02",
    "satd_amount": "15 000,00",
    "notified_on": "2025-05-05",
    "denounced_on": "2025-05-06",
    "declaration": HolderDeclaration.DECLARED,
    "declared_on": "2025-05-20",
    "declaration_content": "Compte courant créditeur de 8 000 €.",
    "obligation": "8 000,00",
}


def test_the_holder_form_takes_the_satd_its_declaration_and_its_obligation():
    form = HolderForm(HOLDER_DATA)
    assert form.is_valid(), form.errors
    holder = form.save(commit=False)
    assert holder.obligation == Decimal("8000.00")
    # LPF L.262, CPCE L.211-2: only what it owed the debtor is claimed.
    assert holder.claimed_amount == Decimal("8000.00")
    assert holder.limited_by_obligation


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"notified_on": "2025-04-30"}, None, "notifiée avant sa date"),
        ({"declaration": HolderDeclaration.NOT_DECLARED}, None, "suppose que le tiers a déclaré"),
        ({"obligation": "-1"}, "obligation", "négatif"),
    ],
)
def test_the_holder_form_refuses_inconsistent_dates_and_amounts(changes, field, message):
    form = HolderForm({**HOLDER_DATA, **changes})
    assert not form.is_valid()
    errors = form.errors.get(field or "__all__")
    assert errors and message in " ".join(errors), form.errors


def test_the_claimed_amount_is_the_satd_when_the_obligation_is_unknown_or_larger():
    holder = ThirdPartyHolderTarget(satd_amount=Decimal("15000"))
    assert holder.claimed_amount == Decimal("15000") and not holder.limited_by_obligation
    holder.obligation = Decimal("20000")
    assert holder.claimed_amount == Decimal("15000") and not holder.limited_by_obligation


def test_the_database_refuses_a_negative_obligation():
    case = holder_case()
    with pytest.raises(IntegrityError), transaction.atomic():
        ThirdPartyHolderTarget.objects.filter(case=case).update(obligation=Decimal("-1"))


def test_the_case_page_shows_the_amount_claimed_within_the_obligation(client):
    """LPF L.262, CPCE L.211-2 (BOI-REC-FORCE-30-40): the page says what is claimed."""
    case = holder_case(obligation=Decimal("8000"), declaration=HolderDeclaration.DECLARED)
    client.force_login(case.created_by)
    page = client.get(case.get_absolute_url()).content.decode()
    assert f"Montant réclamé au tiers : {euros(Decimal('8000'))}" in page
    assert "dans la limite de son obligation (LPF art. L.262, CPCE art. L.211-2)" in page
    assert "ne lui réclame que cette somme" in page  # the warning beside it


def test_a_declared_holder_needs_its_obligation_before_submission():
    case = holder_case(declaration=HolderDeclaration.DECLARED)
    problems = referral_problems(case)
    assert any("indiquez les sommes" in m for m in problems["target"]), problems
    ThirdPartyHolderTarget.objects.filter(case=case).update(obligation=Decimal("9000"))
    assert "target" not in referral_problems(case)


def test_the_referral_asks_for_the_satd_notifications_and_declaration():
    case = holder_case()
    [warning] = action_warnings(case)
    assert "la date de notification de la SATD au tiers" in warning
    assert "si le tiers a déclaré" in warning


def test_the_api_gives_the_claimed_amount(users):
    from api.serializers import HolderOutput

    case = holder_case(obligation=Decimal("8000"), declaration=HolderDeclaration.DECLARED)
    data = HolderOutput(case.holders.get()).data
    assert data["claimed_amount"] == "8000.00" and data["obligation"] == "8000.00"


# --- LPF L.267: the pieces ----------------------------------------------------------------


def test_an_l267_referral_requires_the_breaches_and_the_diligences():
    """LPF L.267: the repeated breaches and the accountant's diligences are proved."""
    action = ActionType.objects.get(code="solidarite_dirigeant")
    assert {PieceKind.RELEVE_MANQUEMENTS, PieceKind.DILIGENCES} <= set(action.required_pieces)
    case = l267_case()
    case.pieces.filter(kind=PieceKind.DILIGENCES).delete()
    assert f"Pièce manquante : {PieceKind.DILIGENCES.label}." in referral_problems(case)["pieces"]


def test_an_l267_referral_is_told_to_prove_the_impossibility_to_recover():
    case = l267_case(mandate_from=D(2020, 1, 1))
    case.debtor.legal_form = LegalForm.SARL
    case.debtor.save()
    warnings = action_warnings(case)
    assert (
        "Pièce recommandée : Procès-verbal de carence, Jugement d'ouverture ou de clôture de "
        "la procédure collective ou Déclaration de créance." in warnings
    )
    add_piece(case, PieceKind.JUGEMENT_COLLECTIF)
    assert not any("Procès-verbal de carence" in w for w in action_warnings(case))


# --- LPF L.267 al. 1: « n'est pas déjà tenu au paiement des dettes sociales » -------------


def test_a_manager_already_liable_is_refused():
    """LPF L.267 al. 1: the manager already bound by another provision is not reached."""
    case = l267_case(already_liable=True)
    [message] = referral_problems(case)["target"]
    assert "déjà tenu des dettes sociales" in message and "L.267" in message


def test_in_an_snc_the_referral_must_say_whether_the_manager_is_a_partner():
    """LPF L.267 al. 1, C. com. L.221-1: the partners of an SNC already answer for its
    debts; whether the manager is one must be said before the referral leaves."""
    case = l267_case()
    case.debtor.legal_form = LegalForm.SNC
    case.debtor.save()
    [message] = referral_problems(case)["target"]
    assert "C. com. art. L.221-1" in message and "Précisez si DURAND Paul" in message
    case.managers.update(already_liable=False)
    assert "target" not in referral_problems(case)


def test_a_societe_civile_cites_article_1857_of_the_civil_code():
    case = l267_case()
    case.debtor.legal_form = LegalForm.SOCIETE_CIVILE
    case.debtor.save()
    assert "C. civ. art. 1857" in flatten(referral_problems(case))[0]


def test_an_unknown_legal_form_is_asked_for():
    case = l267_case(mandate_from=D(2020, 1, 1))
    assert any("forme juridique" in w for w in action_warnings(case))


def test_a_de_facto_manager_needs_its_evidence():
    case = l267_case(de_facto=True)
    assert any("dirigeant de fait" in m for m in referral_problems(case)["target"])
    case.managers.update(de_facto_evidence="Signe les contrats et les chèques.")
    assert "target" not in referral_problems(case)
    assert any(PieceKind.PREUVE_GESTION_FAIT.label in w for w in action_warnings(case))


# --- The mandate covers the breaches' period -----------------------------------------------


def test_the_manager_form_refuses_a_mandate_ending_before_it_starts():
    form = ManagerForm(
        {"last_name": "Durand", "mandate_from": "2023-01-01", "mandate_to": "2022-01-01"}
    )
    assert not form.is_valid()
    assert "La fin du mandat ne peut pas précéder son début." in str(form.errors)


def test_a_claim_outside_the_mandate_is_warned():
    """LPF L.267: the breaches must be the manager's, made while he ran the company (the
    factory's claim is TVA 2023)."""
    case = l267_case(mandate_from=D(2024, 2, 1))
    [warning] = [w for w in action_warnings(case) if "hors du mandat" in w]
    assert "Créance TVA 2023" in warning and "du 01/02/2024, toujours en fonctions" in warning
    case.managers.update(mandate_from=D(2023, 6, 1))
    assert not any("hors du mandat" in w for w in action_warnings(case))


def test_missing_mandate_dates_are_asked_for():
    assert any("dates du mandat" in w for w in action_warnings(l267_case()))


@pytest.mark.parametrize(
    ("period", "bounds"),
    [
        ("2022", (D(2022, 1, 1), D(2022, 12, 31))),
        ("2021-2022", (D(2021, 1, 1), D(2022, 12, 31))),
        ("T3 2023", (D(2023, 7, 1), D(2023, 9, 30))),
        ("4T2023", (D(2023, 10, 1), D(2023, 12, 31))),
        ("02/2024", (D(2024, 2, 1), D(2024, 2, 29))),
        ("exercice clos", None),
    ],
)
def test_claim_period_bounds(period, bounds):
    assert claim_period_bounds(period) == bounds


# --- Through the referral page -------------------------------------------------------------


def test_the_referral_page_takes_the_l267_and_holder_fields(client, users):
    """The page saves the legal form, the mandate, the « déjà tenu » answer and the
    holder's obligation; an already liable manager shows the L.267 refusal on submit."""
    client.force_login(users["poste_agent"])
    page = client.get(reverse("cases:create")).content.decode()
    for name in ("debtor-legal_form", "managers-0-already_liable", "holders-0-obligation"):
        assert f'name="{name}"' in page, name
    data = referral_data()
    data.update(
        {
            "case-action_type": str(ActionType.objects.get(code="solidarite_dirigeant").pk),
            "debtor-legal_form": LegalForm.SNC,
            "managers-TOTAL_FORMS": "1",
            "managers-INITIAL_FORMS": "0",
            "managers-0-last_name": "Durand",
            "managers-0-mandate_from": "2021-01-01",
            "managers-0-already_liable": "true",
            "properties-TOTAL_FORMS": "0",
        }
    )
    response = client.post(reverse("cases:create"), {**data, "action": "save"})
    assert response.status_code == 302, response.content.decode()[:2000]
    case = Case.objects.get()
    manager = case.managers.get()
    assert case.debtor.legal_form == LegalForm.SNC and manager.already_liable is True
    assert manager.mandate_from == D(2021, 1, 1)
    edit = reverse("cases:edit", args=[case.reference])
    response = client.post(edit, {**edit_page_data(client, edit), "action": "submit"})
    assert "l&#x27;article L.267 du LPF ne vise que le dirigeant" in response.content.decode()
    case.refresh_from_db()
    assert case.status == "draft"
