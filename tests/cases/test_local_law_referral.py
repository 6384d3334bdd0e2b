"""Alsace-Moselle (57, 67, 68): a property there is designated by its livre foncier, and a
saisie immobilière's referral comes with an extract of it instead of the fiche d'immeuble of
the service de la publicité foncière. Loi du 1er juin 1924 mettant en vigueur la législation
civile française dans les départements du Bas-Rhin, du Haut-Rhin et de la Moselle, art. 141
al. 2, 3°: the requête en exécution forcée comes with « une copie du livre foncier concernant
les immeubles dont la vente par expropriation forcée est demandée »."""

import pytest

from cases import services
from cases.enums import PieceKind
from cases.forms import PropertyForm
from cases.models import PropertyTarget
from cases.pieces import sample_pdf
from cases.referral import referral_problems
from tests.factories import LAND_REGISTER, CaseFactory, referral_property

pytestmark = pytest.mark.django_db
LF = PieceKind.EXTRAIT_LIVRE_FONCIER


def _in(case, departement, **fields):
    PropertyTarget.objects.filter(case=case).update(departement=departement, **fields)
    return case


@pytest.mark.parametrize("departement", ["57", "67", "68"])
def test_the_property_form_requires_the_livre_foncier_there(departement):
    form = PropertyForm(referral_property(departement=departement))
    assert not form.is_valid()
    for field in LAND_REGISTER:
        assert "livre foncier" in form.errors[field][0]
        assert "Alsace-Moselle" in form.errors[field][0]
    assert PropertyForm(referral_property(departement=departement, **LAND_REGISTER)).is_valid()


def test_the_property_form_does_not_ask_for_it_elsewhere():
    assert PropertyForm(referral_property(departement="02")).is_valid()
    assert PropertyForm(referral_property(departement="54")).is_valid()  # Lorraine, not 57


def test_the_land_register_reference_is_shown_with_the_cadastre(users):
    case = _in(CaseFactory(complete=True), "67", commune="Strasbourg", **LAND_REGISTER)
    prop = case.properties.get()
    assert prop.land_register_reference == "livre foncier de Strasbourg, section NE, feuillet 12345"
    assert prop.cadastral_reference == "section AB n° 142"  # kept beside it
    assert prop.is_alsace_moselle


def test_a_referral_in_alsace_moselle_without_its_references_cannot_leave(users):
    case = _in(CaseFactory(complete=True), "67")
    services.add_piece_bytes(case.created_by, case, LF, "lf.pdf", sample_pdf("Extrait"))
    problems = referral_problems(case)
    assert len(problems["target"]) == 3
    assert any("feuillet du livre foncier" in message for message in problems["target"])
    # The same property in the Aisne: nothing asked.
    assert "target" not in referral_problems(_in(case, "02"))


def test_the_extract_of_the_livre_foncier_replaces_the_fiche_d_immeuble(users):
    """Art. 141 al. 2, 3° of the loi du 1er juin 1924: no service de la publicité foncière
    there, the livre foncier."""
    case = _in(CaseFactory(complete=True), "57", **LAND_REGISTER)
    assert case.required_pieces() == [
        "titre_executoire",
        "etat_creances",
        "releve_propriete",
        "extrait_livre_foncier",
    ]
    assert referral_problems(case) == {
        "pieces": ["Pièce manquante : Extrait du livre foncier (Alsace-Moselle)."]
    }
    services.add_piece_bytes(case.created_by, case, LF, "lf.pdf", sample_pdf("Extrait"))
    assert referral_problems(case) == {}
    # Elsewhere the fiche d'immeuble stays required, the extract is not asked.
    elsewhere = CaseFactory(complete=True)
    assert "extrait_livre_foncier" not in elsewhere.required_pieces()
    assert "fiche_immeuble" in elsewhere.required_pieces()


def test_the_case_page_shows_the_livre_foncier(client, users):
    case = _in(CaseFactory(complete=True), "67", commune="Strasbourg", **LAND_REGISTER)
    client.force_login(case.created_by)
    html = client.get(case.get_absolute_url()).content.decode()
    assert (
        "cadastre section AB n° 142 — livre foncier de Strasbourg, section NE, feuillet 12345"
        in html
    )
