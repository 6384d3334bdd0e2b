"""The « Calculateur de délais » page (issue 15): every signed-in user, nothing saved,
the engines of the case deadlines and of `procedure_calendar`. Worked examples by hand."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db
URL = reverse("deadlines:calculator")


def simple(client, **fields):
    data = {"calcul": "simple", "d-kind": "other", "d-residence": "metropole", **fields}
    return client.get(URL, {k if k == "calcul" else k: v for k, v in data.items()})


def page(response) -> str:
    return response.content.decode()


def test_every_signed_in_user_reaches_it_from_the_header(client, users):
    assert client.get(URL).status_code == 302  # to the login page
    for key in ("poste_agent", "direction_agent", "jurist"):
        client.force_login(users[key])
        response = client.get(reverse("cases:list"))
        assert f'href="{URL}"' in page(response)
        assert client.get(URL).status_code == 200


def test_cpc_643_abroad_on_an_appeal_period(client, users):
    """CPC 538 + 643: notified Friday 10 April 2026, one month ends Sunday 10 May → Monday
    11 May (CPC 642); a party abroad gets two more months: Friday 10 July 2026."""
    client.force_login(users["direction_agent"])
    html = page(
        simple(
            client,
            **{
                "d-start": "2026-04-10",
                "d-length": "1",
                "d-unit": "months",
                "d-kind": "appel",
                "d-departement": "02",
                "d-residence": "etranger",
            },
        )
    )
    assert "Dernier jour : vendredi 10 juillet 2026" in html
    assert "Délai de base : lundi 11 mai 2026" in html
    assert "+2 mois (CPC 643, partie demeurant à l&#x27;étranger)" in html


def test_cpc_644_court_overseas(client, users):
    """CPC 644: before a court in Martinique, a party in metropolitan France gets one month:
    15 days from Monday 4 May 2026 after one month → 4 June + 15 = Friday 19 June 2026."""
    client.force_login(users["jurist"])
    html = page(
        simple(
            client,
            **{
                "d-start": "2026-05-04",
                "d-length": "15",
                "d-unit": "days",
                "d-kind": "appel",
                "d-departement": "972",
            },
        )
    )
    assert "Dernier jour : vendredi 19 juin 2026" in html
    assert "+1 mois (CPC 644" in html


def test_cpc_642_in_alsace_and_a_non_statutory_day(client, users):
    """26 December 2025 is a holiday in the Moselle (L.3134-13): a month from 26 November
    ends Monday 29 December there. In Guadeloupe Good Friday (3 April 2026) is no public
    holiday: a month from 3 March ends on it, with a warning."""
    client.force_login(users["jurist"])
    html = page(
        simple(
            client,
            **{"d-start": "2025-11-26", "d-length": "1", "d-unit": "months", "d-departement": "57"},
        )
    )
    assert "Dernier jour : lundi 29 décembre 2025" in html
    html = page(
        simple(
            client,
            **{
                "d-start": "2026-03-03",
                "d-length": "1",
                "d-unit": "months",
                "d-departement": "971",
            },
        )
    )
    assert "Dernier jour : vendredi 3 avril 2026" in html
    assert "le 3 avril 2026 (Vendredi saint) n'est pas un jour férié légal" in html


def test_the_registry_closed_on_saturday(client, users):
    """R.322-50: 10 days from Wednesday 10 June 2026 is Saturday 20 June → Monday 22 June
    (CPC 642); the registry is last open on Friday 19 June."""
    client.force_login(users["jurist"])
    html = page(
        simple(
            client,
            **{"d-start": "2026-06-10", "d-length": "10", "d-unit": "days", "d-registry": "on"},
        )
    )
    assert "Dernier jour : lundi 22 juin 2026" in html
    assert "dernier jour d'ouverture avant le terme, le vendredi 19 juin 2026" in html


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"d-start": "31/02/2026", "d-length": "1"}, "Saisissez une date valide"),
        ({"d-start": "2026-04-10", "d-length": "un"}, "Indiquez la durée en nombre entier"),
        ({"d-start": "2026-04-10", "d-length": "-1"}, "La durée ne peut pas être négative"),
        (
            {"d-start": "2026-04-10", "d-length": "1", "d-departement": "99"},
            "Indiquez un numéro de département valide",
        ),
        (
            {"d-start": "2026-04-10", "d-length": "1", "d-unit": "years", "d-kind": "appel"},
            "Le délai de distance s&#x27;ajoute à un délai exprimé en jours ou en mois",
        ),
    ],
)
def test_bad_input_gets_a_french_message(client, users, fields, message):
    client.force_login(users["jurist"])
    response = simple(client, **{"d-unit": "months", **fields})
    assert response.status_code == 400
    assert message in page(response)
    assert "Dernier jour" not in page(response)


def test_the_saisie_calendar_from_the_dates_entered(client, users):
    """Commandement served Monday 5 January 2026, published 20 February, assignation
    1 April for an orientation hearing on 12 May 2026 (Aisne):
    R.321-6 publication ≤ 5 March; R.322-4 assignation ≤ 20 April (two months of the
    publication), ≥ 12 February (three months before the hearing) and ≤ Friday 10 April
    (one month before: 12 April is a Sunday, the working day before); R.322-6 and R.322-10
    ≤ Wednesday 8 April (5 jours ouvrables: 2, 3, 4, then Easter Monday 6 skipped, 7, 8);
    R.321-20 péremption 20 February 2031."""
    client.force_login(users["poste_agent"])
    response = client.get(
        URL,
        {
            "calcul": "saisie",
            "s-commandement_signifie": "2026-01-05",
            "s-publie": "2026-02-20",
            "s-assigne": "2026-04-01",
            "s-audience_orientation_assignation": "2026-05-12",
            "s-departement": "02",
        },
    )
    assert response.status_code == 200
    html = page(response)
    rows = html.split('id="saisie-result"')[1]
    for expected in (
        "au plus tard le<br><strong>05/03/2026</strong></td>\n          <td>R.321-6",
        "pas avant le<br><strong>12/02/2026</strong></td>\n          <td>R.322-4",
        "au plus tard le<br><strong>10/04/2026</strong></td>\n          <td>R.322-4",
        "au plus tard le<br><strong>20/04/2026</strong></td>\n          <td>R.322-4",
        "au plus tard le<br><strong>08/04/2026</strong></td>\n          <td>R.322-10",
        "au plus tard le<br><strong>20/02/2031</strong></td>\n          <td>R.321-20",
    ):
        assert expected in rows
    assert "caducité du commandement" in rows  # the sanction column


def test_the_saisie_calendar_refuses_dates_out_of_sequence(client, users):
    client.force_login(users["jurist"])
    response = client.get(
        URL,
        {"calcul": "saisie", "s-commandement_signifie": "2026-03-05", "s-publie": "2026-02-20"},
    )
    assert response.status_code == 400
    assert 'id="saisie-result"' not in page(response)
    assert "publi" in page(response)


def test_the_saisie_calendar_in_alsace_moselle_is_the_local_law(client, users):
    client.force_login(users["jurist"])
    response = client.get(
        URL, {"calcul": "saisie", "s-commandement_signifie": "2026-01-05", "s-departement": "67"}
    )
    assert response.status_code == 200
    assert "loi du 1er juin 1924" in page(response)
    assert 'id="saisie-result"' not in page(response)


def test_the_spouse_line_follows_the_marital_situation(client, users):
    """R.321-1 al. 3: the commandement served on Monday 5 January 2026 is denounced to the
    spouse no later than the first working day after, Tuesday 6 January; no line for an
    unmarried debtor."""
    client.force_login(users["jurist"])
    data = {"calcul": "saisie", "s-commandement_signifie": "2026-01-05"}
    married = page(
        client.get(URL, {**data, "s-marital_situation": "marie", "s-family_home": "oui"})
    )
    assert "<strong>06/01/2026</strong></td>\n          <td>R.321-1" in married
    assert "à vérifier" not in married
    single = page(client.get(URL, {**data, "s-marital_situation": "non_marie"}))
    assert "R.321-1" not in single.split('id="saisie-result"')[1]
