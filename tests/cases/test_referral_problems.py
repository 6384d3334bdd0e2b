"""What keeps a referral from leaving for the pôle (cases.referral.referral_problems): each
rule alone, on an otherwise complete draft, with the message the agent reads next to the
field. A complete referral has no problem at all."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from cases.enums import DebtorKind
from cases.models import ActionType, Case, Direction, ManagerTarget, ThirdPartyHolderTarget
from cases.referral import referral_problems
from tests.factories import CaseFactory, ClaimFactory

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def _today() -> datetime.date:
    return timezone.localdate()


def _draft(action="saisie_immobiliere", **kwargs) -> Case:
    return CaseFactory(complete=True, action_type=ActionType.objects.get(code=action), **kwargs)


def _person(case: Case, **fields) -> Case:
    debtor = case.debtor
    debtor.kind = DebtorKind.NATURAL
    debtor.name, debtor.first_name, debtor.siren = "Durand", "Paul", ""
    debtor.birth_date = datetime.date(1970, 5, 4)
    for name, value in fields.items():
        setattr(debtor, name, value)
    debtor.save()
    return case


@pytest.mark.parametrize(
    "action", ["saisie_immobiliere", "solidarite_dirigeant", "tiers_detenteur", "action_oblique"]
)
def test_a_complete_referral_has_no_problem(action):
    assert referral_problems(_draft(action)) == {}


def test_a_natural_person_with_first_name_and_past_birth_date_has_no_problem():
    assert referral_problems(_person(_draft())) == {}


def _change(case: Case, **fields) -> Case:
    Case.objects.filter(pk=case.pk).update(**fields)
    return Case.objects.get(pk=case.pk)


@pytest.mark.parametrize(
    "fields, key, message",
    [
        ({"mode": ""}, "mode", "Choisissez ce que vous demandez au pôle."),
        ({"action_type": None}, "action_type", "Choisissez l'action envisagée."),
        (
            {"poste_comptable": None},
            "poste_comptable",
            "Indiquez le poste comptable qui détient la créance.",
        ),
        ({"facts": "  \n "}, "facts", "Décrivez la situation du redevable et le recouvrement."),
    ],
)
def test_each_case_field_is_asked_for(fields, key, message):
    assert referral_problems(_change(_draft(), **fields)) == {key: [message]}


def test_the_poste_comptable_must_belong_to_the_direction():
    case = _change(_draft(), direction=Direction.objects.get(code="DRFIP 67"))
    assert referral_problems(case) == {
        "poste_comptable": ["Ce poste comptable n'appartient pas à la direction."]
    }


@pytest.mark.parametrize(
    "fields, key, message",
    [
        ({"name": " "}, "debtor.name", "Indiquez la raison sociale ou le nom du redevable."),
        ({"siren": ""}, "debtor.siren", "Le SIREN d'une personne morale est obligatoire."),
        (
            {"siren": "552100555"},
            "debtor.siren",
            "Ce SIREN n'est pas valide : sa clé de contrôle ne correspond pas. "
            "Vérifiez les 9 chiffres.",
        ),
    ],
)
def test_a_company_needs_its_name_and_a_valid_siren(fields, key, message):
    case = _draft()
    type(case.debtor).objects.filter(pk=case.debtor_id).update(**fields)
    assert referral_problems(Case.objects.get(pk=case.pk)) == {key: [message]}


@pytest.mark.parametrize(
    "fields, key, message",
    [
        ({"first_name": " "}, "debtor.first_name", "Indiquez le prénom du redevable."),
        (
            {"birth_date": None},
            "debtor.birth_date",
            "Indiquez la date de naissance du redevable.",
        ),
        ({"birth_date": "today"}, "debtor.birth_date", "La date de naissance doit être passée."),
        ({"name": ""}, "debtor.name", "Indiquez la raison sociale ou le nom du redevable."),
    ],
)
def test_a_person_needs_a_name_a_first_name_and_a_past_birth_date(fields, key, message):
    if fields.get("birth_date") == "today":
        fields = {"birth_date": _today()}
    # A person needs no SIREN: _person() leaves it blank.
    assert referral_problems(_person(_draft(), **fields)) == {key: [message]}


def test_a_birth_date_of_yesterday_is_accepted():
    assert referral_problems(_person(_draft(), birth_date=_today() - DAY)) == {}


def test_at_least_one_claim():
    case = _draft()
    case.claims.all().delete()
    assert referral_problems(case) == {"claims": ["Ajoutez au moins une créance."]}


def test_the_total_remaining_must_be_positive():
    case = _draft()
    case.claims.update(remaining=Decimal("0"))
    assert referral_problems(case) == {"claims": ["Le reste à recouvrer total doit être positif."]}


def test_one_claim_with_something_left_is_enough():
    case = _draft()
    case.claims.update(remaining=Decimal("0"))
    ClaimFactory(case=case, remaining=Decimal("0.01"))
    assert referral_problems(case) == {}


@pytest.mark.parametrize("field", ["assessment_date", "last_interruptive_act"])
def test_claim_dates_cannot_be_in_the_future_but_today_is_fine(field):
    case = _draft()
    case.claims.update(**{field: _today()})
    assert referral_problems(case) == {}
    case.claims.update(**{field: _today() + DAY})
    [claim] = case.claims.all()
    what = {
        "assessment_date": "la date de mise en recouvrement",
        "last_interruptive_act": "la date du dernier acte interruptif",
    }[field]
    assert referral_problems(case) == {
        "claims": [f"Créance {claim} : {what} ne peut pas être dans le futur."]
    }


def test_the_action_against_a_manager_needs_a_company():
    case = _person(_draft("solidarite_dirigeant"))
    assert referral_problems(case) == {
        "debtor.kind": [
            "L'action « Mise en cause du dirigeant (LPF L.267) » vise le dirigeant d'une "
            "personne morale : le redevable doit être une personne morale."
        ]
    }


def test_the_action_against_a_manager_needs_a_debt_not_yet_prescribed():
    """LPF L.267 (Cass. com. 5 déc. 2000): the action needs a debt not prescribed. A
    prescribed claim is excluded from the action, not a reason to refuse the referral; only
    a referral whose every claim is prescribed is refused."""
    case = _draft("solidarite_dirigeant")
    case.claims.update(prescription_date=_today())  # still possible on the last day
    assert referral_problems(case) == {}
    yesterday = _today() - DAY
    case.claims.update(prescription_date=yesterday)
    [problem] = referral_problems(case)["claims"]
    assert problem.startswith("Toutes les créances sont prescrites")
    assert "Cass. com. 5 déc. 2000" in problem


def test_other_actions_accept_a_person_and_a_prescribed_debt():
    case = _person(_draft("saisie_immobiliere"))
    case.claims.update(prescription_date=_today() - 30 * DAY)
    assert referral_problems(case) == {}


def test_each_action_asks_for_its_target():
    case = _draft("saisie_immobiliere")
    case.properties.all().delete()
    assert referral_problems(case) == {
        "target": [
            "Décrivez le bien à saisir : adresse, commune, département et références cadastrales."
        ]
    }
    case = _draft("solidarite_dirigeant")
    ManagerTarget.objects.filter(case=case).delete()
    assert referral_problems(case) == {"target": ["Identifiez le dirigeant mis en cause."]}
    case = _draft("tiers_detenteur")
    ThirdPartyHolderTarget.objects.filter(case=case).delete()
    assert referral_problems(case) == {
        "target": ["Identifiez le tiers détenteur et la SATD (date et montant)."]
    }
    # An action with no target asks for none.
    assert referral_problems(_draft("action_oblique")) == {}


def test_the_satd_date_cannot_be_in_the_future():
    case = _draft("tiers_detenteur")
    ThirdPartyHolderTarget.objects.filter(case=case).update(satd_date=_today())
    assert referral_problems(case) == {}
    ThirdPartyHolderTarget.objects.filter(case=case).update(satd_date=_today() + DAY)
    assert referral_problems(case) == {
        "target": ["La date de la SATD ne peut pas être dans le futur."]
    }


def test_each_missing_piece_is_named():
    case = _draft()
    case.pieces.filter(kind__in=["fiche_immeuble", "etat_creances"]).delete()
    assert referral_problems(case) == {
        "pieces": [
            "Pièce manquante : État détaillé des créances.",
            "Pièce manquante : État hypothécaire (fiche d'immeuble).",
        ]
    }


def test_the_action_against_a_manager_without_claims_asks_for_one():
    case = _draft("solidarite_dirigeant")
    case.claims.all().delete()
    assert referral_problems(case) == {"claims": ["Ajoutez au moins une créance."]}
