"""While documents/ is reorganised: the new snapshot builders and the pleadings rendered
from templates give, for the same case, exactly what the former code gave (snapshots
equal key for key, sections equal character for character). Removed with the former code."""

import datetime
from decimal import Decimal

import pytest

from cases.models import (
    ActionType,
    Case,
    Claim,
    Lawyer,
    ManagerTarget,
    PropertyTarget,
    ThirdPartyHolderTarget,
)
from documents import _legacy_context, _legacy_pleadings, context, pleadings
from documents.enums import DocumentKind
from tests.documents import decided, mandated, new_case, taken_over, with_opinion

pytestmark = pytest.mark.django_db
CODES = [
    "saisie_immobiliere",
    "solidarite_dirigeant",
    "tiers_detenteur",
    "action_paulienne",
    "action_oblique",
    "partage_indivision",
    "procedure_collective",
]


def same(case: Case) -> None:
    case = Case.objects.get(pk=case.pk)
    assert pleadings.draft_title(case) == _legacy_pleadings.draft_title(case)
    assert pleadings.default_sections(case) == _legacy_pleadings.default_sections(case)
    for kind in DocumentKind.values:
        assert context.applicability(case, kind) == _legacy_context.applicability(case, kind)
        assert context.build_snapshot(case, kind) == _legacy_context.build_snapshot(case, kind)


@pytest.mark.parametrize("code", CODES)
def test_each_action_at_each_stage(users, code):
    same(new_case(users, code))
    same(taken_over(users, code))
    same(mandated(users, code))
    same(decided(users, code))


@pytest.mark.parametrize("code", CODES)
def test_each_action_with_odd_data(users, code):
    case = mandated(users, code)
    case.facts = "Première ligne.  \r\n\r\nDeuxième paragraphe.\n\n\n  - un point\n \nFin "
    case.save(update_fields=["facts"])
    lawyer = Lawyer.objects.get(pk=case.mandates.get().lawyer_id)
    lawyer.firm, lawyer.address = "Cabinet Dambrine", "3 rue du Palais\n\n02000 Laon\n"
    lawyer.save()
    ManagerTarget.objects.create(
        case=case, last_name="Martin", first_name="Luc", grounds="Gérant de fait.\n\nSeul."
    )
    ThirdPartyHolderTarget.objects.create(
        case=case,
        name="Caisse d'épargne",
        siren="552100554",
        address="1 quai\nLille",
        satd_date=datetime.date(2025, 7, 1),
        satd_amount=Decimal("1234.5"),
    )
    PropertyTarget.objects.create(
        case=case,
        address="3 chemin des Vignes\nLieu-dit Bas",
        postal_code="",
        commune="Laon",
        departement="02",
        cadastral_section="ZC",
        cadastral_number="7",
        lot="12, 14",
        description="Terres <agricoles> & bois",
    )
    same(case)
    debtor = case.debtor
    debtor.kind, debtor.name, debtor.first_name, debtor.siren = "natural", "O'Brien", "Ann", ""
    debtor.birth_date, debtor.address = datetime.date(1970, 4, 1), ""
    debtor.save()
    same(case)
    Claim.objects.filter(case=case).delete()
    ManagerTarget.objects.filter(case=case).delete()
    ThirdPartyHolderTarget.objects.filter(case=case).delete()
    PropertyTarget.objects.filter(case=case).delete()
    for piece in case.pieces.all():
        piece.delete()
    case.mandates.all().delete()
    same(case)


def test_alsace_moselle_and_a_trésorerie(users):
    case = decided(users)
    PropertyTarget.objects.filter(case=case).update(departement="57", commune="Metz")
    poste = case.poste_comptable
    poste.name = "Trésorerie de Metz"
    poste.save()
    same(case)
    case.poste_comptable = None
    case.save(update_fields=["poste_comptable"])
    same(case)


def test_an_action_without_its_own_text_and_no_action(users):
    case = taken_over(users, "action_oblique")
    other = ActionType.objects.get(code="action_oblique")
    other.pk, other.code, other.label = None, "revendication", "Action en revendication"
    other.save()
    case.action_type = other
    case.save(update_fields=["action_type"])
    same(case)
    case.action_type = None
    case.save(update_fields=["action_type"])
    same(case)


def test_an_opinion_case(users):
    same(with_opinion(users, validate=False))
    same(with_opinion(users))
