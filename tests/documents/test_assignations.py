"""The acts that start an action are drafted as assignations (issue 21, « Assignations are
assignations »): at the request of the competent public accountant, before the court the
file designates, with the mentions of CPC art. 54, 56, 648 and 752 and, for the saisie
immobilière, every mention of CPCE art. R.322-5 written out."""

import pytest

from documents import pleadings
from tests.documents import mandated

pytestmark = pytest.mark.django_db

STARTING_ACTIONS = [
    "saisie_immobiliere",
    "solidarite_dirigeant",
    "tiers_detenteur",
    "action_paulienne",
    "action_oblique",
    "partage_indivision",
    "procedure_collective",
]


def draft(case) -> dict:
    return {s["key"]: s["body"] for s in pleadings.default_sections(case)}


@pytest.mark.parametrize("code", STARTING_ACTIONS)
def test_an_action_is_started_by_an_assignation_at_the_accountants_request(users, code):
    case = mandated(users, code)
    assert pleadings.draft_title(case).startswith("Assignation")
    sections = draft(case)
    parties = sections["parties"]
    text = "\n".join(sections.values())
    assert parties.startswith("L'an [à compléter] et le [à compléter],")  # CPC 648: its date
    assert "À la requête du comptable public compétent, responsable du SIE de Laon" in parties
    assert "poursuites et diligences" not in text
    assert "commissaire de justice soussigné" in parties  # CPC 648: who serves it
    assert "DONNÉ ASSIGNATION À :" in parties
    assert "D'AVOIR À COMPARAÎTRE devant " in parties  # CPC 56 1°
    assert "à l'audience du [à compléter] à [à compléter] heures" in parties
    # CPC 56: the consequence of not appearing, the pieces annexed.
    assert "il s'expose à ce qu'un jugement soit rendu contre lui sur les seuls éléments" in text
    assert "énumérées au bordereau annexé à la présente assignation" in text
    assert "(CPC art. 54, 5°, et 750-1)" in text


@pytest.mark.parametrize(
    "code", ["solidarite_dirigeant", "action_paulienne", "action_oblique", "partage_indivision"]
)
def test_before_the_tribunal_judiciaire_the_assignation_names_both_lawyers_duties(users, code):
    text = "\n".join(draft(mandated(users, code)).values())
    assert (
        "Ayant pour avocat constitué : Maître Anne Lefèvre-Dambrine, avocat au barreau de Laon"
    ) in text
    assert "qui se constitue sur la présente assignation et ses suites" in text
    assert "(CPC art. 752, 1°)" in text
    assert (
        "tenu de constituer avocat dans le délai de quinze jours à compter de la présente "
        "assignation (CPC art. 752, 2°, et 755)"
    ) in text


def test_the_court_comes_from_the_file(users):
    seized = draft(mandated(users, "saisie_immobiliere"))["parties"]
    assert (
        "devant le juge de l'exécution du tribunal judiciaire dans le ressort duquel est situé "
        "l'immeuble saisi, Laon (02)"
    ) in seized
    manager = draft(mandated(users, "solidarite_dirigeant"))["parties"]
    assert (
        "devant le président du tribunal judiciaire dans le ressort duquel la société a son "
        "siège, Laon (02000)"
    ) in manager
    collective = draft(mandated(users, "procedure_collective"))
    assert "devant le tribunal de commerce" in collective["parties"]
    assert "le débiteur a son siège, Laon (02000)" in collective["parties"]
    assert "(CPC art. 853)" in collective["dispositif"]
    assert "C. com. art. R.631-2" in collective["dispositif"]
    assert "752" not in collective["dispositif"]


def test_the_saisie_immobiliere_writes_out_every_mention_of_r322_5(users):
    text = draft(mandated(users, "saisie_immobiliere"))["dispositif"]
    assert "reproduit les mentions" not in text
    for number in range(1, 10):
        assert f"R.322-5, {number}°)" in text, number
    assert "a pour objet d'examiner la validité de la saisie" in text
    assert "la procédure sera poursuivie en vente forcée" in text
    assert "cahier des conditions de vente, qui peut être consulté au greffe" in text
    assert "La mise à prix fixée au cahier des conditions de vente est de" in text
    assert "vendre le bien saisi à l'amiable" in text
    assert (
        "À PEINE D'IRRECEVABILITÉ, TOUTE CONTESTATION OU DEMANDE INCIDENTE DOIT ÊTRE DÉPOSÉE "
        "AU GREFFE DU JUGE DE L'EXÉCUTION PAR CONCLUSIONS SIGNÉES D'UN AVOCAT"
    ) in text
    assert "R.322-16 et R.322-17" in text
    assert "aide juridictionnelle" in text
    # A company is not a particulier: no surendettement notice.
    assert "surendettement" not in text


def test_a_natural_person_is_told_of_the_surendettement_commission(users):
    case = mandated(users, "saisie_immobiliere")
    case.debtor.kind = "natural"
    case.debtor.save(update_fields=["kind"])
    text = draft(case)["dispositif"]
    assert "commission de surendettement des particuliers" in text
    assert "(R.322-5, 10°)" in text
