"""The note de saisine de l'avocat (issue 21, « Note de saisine »): the procedure's
calendar with every date still to meet, the registered creditors, the spouse and the
family home, the property's occupation and the mise à prix, as the file has them. The
mise à prix also fills the assignation's mention (CPCE R.322-5, 5°)."""

import datetime
import html
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils.html import strip_tags

from cases.enums import DebtorKind, MaritalSituation, PartyRole, PropertyOccupation
from cases.forms import PropertyForm
from cases.models import Party
from deadlines.enums import DeadlineStatus
from deadlines.models import Deadline
from documents.context import build_snapshot
from documents.enums import DocumentKind
from documents.pleadings import default_sections
from documents.render import render_html
from tests.documents import mandated, meta
from tests.documents.test_templates import flat

K = DocumentKind
D = datetime.date
pytestmark = pytest.mark.django_db


def note(case) -> str:
    page = render_html(
        K.SAISINE_AVOCAT, build_snapshot(case, K.SAISINE_AVOCAT), meta(case, K.SAISINE_AVOCAT)
    )
    return flat(html.unescape(strip_tags(page)))


def deadline(case, label, due, *, critical=False, status=DeadlineStatus.OPEN, **kwargs):
    return Deadline.objects.create(
        case=case,
        label=label,
        basis="CPCE art. R.321-6",
        due_date=due,
        critical=critical,
        status=status,
        **kwargs,
    )


def test_the_note_gives_the_dates_still_to_meet_in_order_critical_ones_marked(users):
    case = mandated(users)
    deadline(case, "Dénoncer aux créanciers inscrits", D(2026, 9, 10))
    deadline(case, "Publier le commandement", D(2026, 8, 1), critical=True)
    deadline(
        case,
        "Signifier le commandement",
        D(2026, 6, 2),
        status=DeadlineStatus.DONE,
        done_act="Commandement signifié",
        done_on=D(2026, 6, 2),
    )
    text = note(case)
    assert "Calendrier de la procédure" in text
    publish = text.index("Publier le commandement — délai critique")
    denounce = text.index("Dénoncer aux créanciers inscrits")
    assert publish < denounce  # in date order
    assert "1er août 2026" in text and "10 septembre 2026" in text
    assert "Signifier le commandement" not in text  # already met


def test_without_an_open_deadline_the_note_says_the_calendar_will_follow(users):
    text = note(mandated(users))
    assert "Aucune échéance n'est encore ouverte au dossier" in text


def test_the_property_its_occupation_and_its_mise_a_prix(users):
    case = mandated(users)
    text = note(case)
    # Unknown: the note says what is to be done, not a blank.
    assert "non connue du poste, à faire constater par le commissaire de justice" in text
    assert "Mise à prix proposée : à fixer par le pôle avec vous" in text
    case.properties.update(occupation=PropertyOccupation.TENANT, reserve_price=Decimal("90000"))
    text = note(case)
    assert "Occupation : loué (bail en cours)." in text
    assert "Mise à prix proposée : 90 000,00 €" in text
    # CPCE L.322-6: without a bid the State is declared the buyer at that price.
    assert "l'État est déclaré adjudicataire d'office à ce montant" in text


def test_the_mise_a_prix_fills_the_assignations_mention(users):
    case = mandated(users)
    mention = "La mise à prix fixée au cahier des conditions de vente est de"
    bodies = " ".join(section["body"] for section in default_sections(case))
    assert f"{mention} [à compléter]" in flat(bodies)
    case.properties.update(reserve_price=Decimal("90000"))
    bodies = " ".join(section["body"] for section in default_sections(case))
    assert f"{mention} 90 000,00 €" in flat(bodies)


def test_registered_creditors_are_listed_with_their_counsel(users):
    case = mandated(users)
    assert "Aucun créancier inscrit n'est encore relevé au dossier" in note(case)
    Party.objects.create(
        case=case,
        role=PartyRole.REGISTERED_CREDITOR,
        name="Banque du Vermandois",
        address="1 rue Sérurier, 02000 Laon",
        counsel_name="Maître Paul Roux",
        counsel_bar="Barreau de Laon",
        created_by=users["jurist"],
    )
    Party.objects.create(
        case=case, role=PartyRole.CO_PLAINTIFF, name="URSSAF Picardie", created_by=users["jurist"]
    )
    text = note(case)
    assert "Banque du Vermandois, 1 rue Sérurier, 02000 Laon" in text
    assert "avocat : Maître Paul Roux (Barreau de Laon)" in text
    assert "URSSAF Picardie" not in text.split("Créanciers inscrits")[1].split("Calendrier")[0]


@pytest.mark.parametrize(
    ("marital", "family_home", "expected"),
    [
        (
            MaritalSituation.MARRIED,
            True,
            "dénoncé au conjoint au plus tard le premier jour ouvrable qui suit sa signification",
        ),
        (MaritalSituation.NOT_MARRIED, True, "le débiteur n'est pas marié"),
        ("", None, "la situation matrimoniale du débiteur n'est pas connue"),
    ],
)
def test_the_spouse_and_the_family_home_cpce_r321_1(users, marital, family_home, expected):
    """CPCE R.321-1 al. 3: the commandement on the family home is denounced to the spouse
    (« époux »: marriage only) by the first working day after its service."""
    case = mandated(users)
    case.debtor.kind = DebtorKind.NATURAL
    case.debtor.first_name = "Jean"
    case.debtor.marital_situation = marital
    case.debtor.save()
    case.properties.update(family_home=family_home)
    text = note(case)
    assert "Conjoint :" in text and expected in text


def test_a_company_has_no_spouse_paragraph(users):
    assert "Conjoint :" not in note(mandated(users))


def test_the_property_form_refuses_a_mise_a_prix_of_zero(users):
    case = mandated(users)
    prop = case.properties.get()
    data = {
        field: getattr(prop, field) or ""
        for field in PropertyForm._meta.fields
        if field not in ("family_home", "reserve_price")
    }
    form = PropertyForm(data={**data, "reserve_price": "0"}, instance=prop)
    assert not form.is_valid()
    assert "La mise à prix doit être supérieure à zéro." in str(form.errors)
    prop.reserve_price = Decimal("-1")
    with pytest.raises(ValidationError):
        prop.full_clean()
