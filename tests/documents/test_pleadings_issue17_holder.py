"""Issue 17 (« holder »): what the draft pleadings say of the holder's obligation, of LPF
L.267's conditions, of the partage's mentions (CPC 1360) and of the publication of an
action on real estate (décret 55-22)."""

import datetime
from decimal import Decimal

import pytest

from cases import services
from cases.enums import HolderDeclaration, LegalForm, PieceKind
from cases.formatting import euros
from cases.models import ThirdPartyHolderTarget
from cases.pieces import sample_pdf
from documents import pleadings
from tests.documents import new_case, taken_over

pytestmark = pytest.mark.django_db


def sections(case) -> dict[str, str]:
    return {s["key"]: s["body"] for s in pleadings.default_sections(case)}


def test_the_holder_is_asked_only_what_it_owed_the_debtor(users):
    """LPF L.262, CPCE L.211-2 (BOI-REC-FORCE-30-40): the SATD was for 15 000 €, the holder
    declared owing 8 000 €: the pleadings claim 8 000 €, within its obligation."""
    case = taken_over(users, "tiers_detenteur")
    ThirdPartyHolderTarget.objects.filter(case=case).update(
        notified_on=datetime.date(2025, 5, 5),
        denounced_on=datetime.date(2025, 5, 6),
        declaration=HolderDeclaration.DECLARED,
        declared_on=datetime.date(2025, 5, 20),
        obligation=Decimal("8000"),
    )
    text = sections(case)
    assert (
        f"- condamner Banque du Nord à payer au comptable public la somme de "
        f"{euros(Decimal('8000'))}, dans la limite de son obligation envers le redevable"
    ) in text["dispositif"]
    assert f"la somme de {euros(Decimal('15000'))}" not in text["dispositif"]
    assert "(LPF art. L.262 ; CPCE art. L.211-2)" in text["discussion"]
    assert (
        "dans la limite de son obligation envers le redevable (BOI-REC-FORCE-30-40)"
        in (text["discussion"])
    )
    assert "notifiée le 5 mai 2025" in text["faits"]
    assert "la saisie a été notifiée au redevable le 6 mai 2025" in text["faits"]
    assert (
        f"Banque du Nord a déclaré le 20 mai 2025 devoir {euros(Decimal('8000'))} au "
        "redevable à la date de la saisie"
    ) in text["faits"]


def test_a_holder_that_never_declared_is_pursued_under_r211_5(users):
    """CPCE L.211-3 and R.211-5: the holder that does not declare may be made to pay the
    sums for which the seizure was made."""
    case = taken_over(users, "tiers_detenteur")
    ThirdPartyHolderTarget.objects.filter(case=case).update(
        declaration=HolderDeclaration.NOT_DECLARED
    )
    text = sections(case)
    assert "(LPF art. L.262 ; CPCE art. L.211-3 et R.211-5)" in text["discussion"]
    assert (
        "n'a ni versé les fonds ni fait connaître l'étendue de ses obligations" in (text["faits"])
    )
    assert f"la somme de {euros(Decimal('15000'))}, montant de la saisie" in (text["dispositif"])


def test_the_l267_draft_says_the_manager_is_not_already_liable(users):
    """LPF L.267 al. 1: « qui n'est pas déjà tenu au paiement des dettes sociales en
    application d'une autre disposition »."""
    case = new_case(users, "solidarite_dirigeant")  # a draft: its pieces may be added
    case.debtor.legal_form = LegalForm.SARL
    case.debtor.save()
    case.managers.update(mandate_from=datetime.date(2019, 3, 1))
    services.add_piece_bytes(
        case.created_by, case, PieceKind.PV_CARENCE, "pv.pdf", sample_pdf("PV de carence")
    )
    discussion = sections(case)["discussion"]
    assert (
        "Elle n'est ouverte qu'à l'encontre du dirigeant qui n'est pas déjà tenu au paiement "
        "des dettes sociales en application d'une autre disposition (LPF art. L.267 al. 1)"
    ) in discussion
    assert "C. com. art. L.221-1" in discussion and "C. civ. art. 1857" in discussion
    assert (
        "DURAND Paul n'était pas déjà tenu au paiement des dettes sociales en application "
        "d'une autre disposition, les associés de"
    ) in discussion
    assert "qu'à concurrence de leurs apports" in discussion
    assert (
        "DURAND Paul a exercé ses fonctions du 1er mars 2019 et les exerce toujours, période "
        "qui couvre celle des manquements reprochés."
    ) in discussion
    number = case.pieces.count()
    assert f"de la pièce n° {number} (procès-verbal de carence)" in discussion


def test_the_l267_draft_flags_a_mandate_that_misses_the_claims(users):
    """LPF L.267: the factory's claims are IS 2022 and TVA 2023; a mandate from 2024 misses
    them."""
    case = taken_over(users, "solidarite_dirigeant")
    case.managers.update(mandate_from=datetime.date(2024, 1, 1))
    discussion = sections(case)["discussion"]
    assert "période qui ne couvre pas entièrement celle des créances poursuivies" in discussion


def test_in_an_snc_the_draft_asks_to_justify_the_manager_is_no_partner(users):
    case = taken_over(users, "solidarite_dirigeant")
    case.debtor.legal_form = LegalForm.SNC
    case.debtor.save()
    discussion = sections(case)["discussion"]
    assert "les associés d'une SNC répondent indéfiniment et solidairement" in discussion
    assert "DURAND Paul n'en est pas associé [à justifier]" in discussion


def test_the_partage_draft_has_the_mentions_of_cpc_1360(users):
    """CPC 1360, on pain of inadmissibility."""
    discussion = sections(taken_over(users, "partage_indivision"))["discussion"]
    assert "(code de procédure civile, art. 1360)" in discussion
    assert "1. Le patrimoine à partager : 12 rue des Tanneurs, 02000 Laon" in discussion
    assert "2. Les intentions du demandeur quant à la répartition des biens" in discussion
    assert "3. Les diligences en vue d'un partage amiable" in discussion


@pytest.mark.parametrize("code", ["action_paulienne", "action_oblique"])
def test_an_action_on_real_estate_is_published(users, code):
    """Décret n° 55-22 du 4 janvier 1955, art. 28 4° c and 30-5."""
    discussion = sections(taken_over(users, code))["discussion"]
    assert "décret n° 55-22 du 4 janvier 1955, art. 28 4° c et 30-5" in discussion
    assert "service de la publicité foncière" in discussion
