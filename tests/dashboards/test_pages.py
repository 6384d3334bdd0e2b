"""The dashboard pages: who sees them and what, the cases behind each figure, the exports,
bad filters and the number of queries."""

import io
import re
from html import unescape
from urllib.parse import urlencode

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.enums import Mode

from .conftest import PERIOD, Builder
from .test_figures import table

pytestmark = pytest.mark.django_db

SLUGS = ["avis", "activite", "resultats", "risques"]


def page(client, slug, **params):
    return client.get(reverse("dashboards:show", args=[slug]), {**PERIOD, **params})


@pytest.mark.parametrize(
    "role, status",
    [
        ("management", 200),
        ("management_d02", 200),
        ("head", 200),
        ("jurist", 200),
        ("admin", 200),
        ("expert", 403),
        ("direction_agent", 403),
        ("poste_agent", 403),
    ],
)
def test_who_may_see_the_dashboards(client, users, role, status):
    client.force_login(users[role])
    for slug in SLUGS:
        assert page(client, slug).status_code == status
    menu = client.get(reverse("cases:list")).content.decode()
    assert ('href="/pilotage/"' in menu) is (status == 200)


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("dashboards:show", args=["avis"]))
    assert response.status_code == 302 and "/connexion/" in response["Location"]


def test_a_direction_head_sees_their_direction_only(client, users, crafted):
    client.force_login(users["management_d02"])
    t = table(client, "activite", "referrals_per_period")
    assert t["Total"] == ["3", "1", "1", "5"]  # A1 A2 A5, S1, T1
    directions = table(client, "activite", "referrals_by_direction")
    assert [k for k in directions if k not in ("__header__", "Total")] == [
        "DDFIP 02 — Direction départementale des finances publiques de l'Aisne"
    ]
    assert table(client, "avis", "opinions_per_period")["Total"] == ["3", "3"]  # A1 A2 A6
    # Another direction's filter is refused, not silently applied.
    d67 = crafted["T2"].direction_id
    response = page(client, "activite", direction=d67)
    assert response.status_code == 400
    assert "Sélectionnez un choix valide" in response.content.decode()


def test_national_management_and_the_pole_see_everything(client, users, crafted):
    for role in ("management", "head", "jurist", "admin"):
        client.force_login(users[role])
        assert table(client, "activite", "referrals_per_period")["Total"] == ["5", "1", "2", "8"]


def _links(html: str) -> list[tuple[str, str]]:
    """(href, value) of every counted figure on a page."""
    return [
        (unescape(href), value)
        for href, value in re.findall(
            r'<a href="([^"]+)" data-figure="count" data-value="(\d+)"', html
        )
    ]


@pytest.mark.parametrize("slug", SLUGS)
def test_every_number_opens_the_cases_it_counts(client, users, crafted, slug):
    """Each count links to the list of its cases: the list has as many cases as the
    figure counts rows (opinions, decisions, returns, deadlines… each on its own case in
    the crafted set)."""
    client.force_login(users["head"])
    links = _links(page(client, slug).content.decode())
    assert len(links) > 5
    for href, value in links:
        listing = client.get(href)
        assert listing.status_code == 200, href
        found = re.search(r"<p>(\d+) dossiers?</p>", listing.content.decode())
        assert found and int(found.group(1)) == int(value), (href, value)


def test_the_cases_behind_a_figure_are_listed_with_what_they_are(client, users, crafted):
    client.force_login(users["head"])
    url = reverse("dashboards:cases")
    params = {**PERIOD, "figure": "avis", "conclusion": "favourable", "periode": "2025-03"}
    html = client.get(f"{url}?{urlencode(params)}").content.decode()
    assert "Avis validés" in html
    assert "Conclusion : <strong>Favorable</strong>" in html
    assert "Période : <strong>mars 2025</strong>" in html
    assert crafted["A4"].reference in html
    assert crafted["A1"].reference not in html  # validated in February


def test_a_figure_link_obeys_the_viewers_scope(client, users, crafted):
    client.force_login(users["management_d67"])
    url = reverse("dashboards:cases")
    html = client.get(f"{url}?{urlencode({**PERIOD, 'figure': 'saisines'})}").content.decode()
    assert crafted["T2"].reference in html
    assert crafted["T1"].reference not in html  # DDFIP 02


@pytest.mark.parametrize(
    "params",
    [
        {"figure": "nope"},
        {"figure": "avis", "conclusion": "peut-etre"},
        {"figure": "avis", "periode": "2025-13"},
        {"figure": "avis", "periode": "2025-T1"},  # a quarter while the step is the month
        {"figure": "ouverts", "periode": "2025-01"},  # today's state has no period
        {"figure": "saisines", "attribution": "abc"},
        {"figure": "echeances", "echeance": "demain"},
    ],
)
def test_a_hand_edited_figure_link_is_refused_clearly(client, users, crafted, params):
    client.force_login(users["head"])
    response = client.get(f"{reverse('dashboards:cases')}?{urlencode({**PERIOD, **params})}")
    assert response.status_code in (400, 404)
    if response.status_code == 400:
        assert "Ce lien ne désigne aucun indicateur" in response.content.decode()


@pytest.mark.parametrize(
    "params, message",
    [
        (
            {"debut": "2025-06-01", "fin": "2025-01-01"},
            "La fin de la période doit suivre son début.",
        ),
        ({"debut": "2001-01-01", "fin": "2025-01-01"}, "La période ne peut pas dépasser 15 ans."),
        ({"debut": "hier"}, "Saisissez une date valide."),
        ({"demande": "tout"}, "Sélectionnez un choix valide"),
    ],
)
def test_bad_filters_get_a_french_message_and_no_figures(client, users, params, message):
    client.force_login(users["head"])
    response = client.get(reverse("dashboards:show", args=["avis"]), params)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert "Corrigez les filtres signalés" in html
    export = reverse("dashboards:export", args=["avis", "opinion_conclusions", "csv"])
    assert client.get(export, params).status_code == 400


def test_defaults_are_the_last_twelve_months_by_month(client, users):
    client.force_login(users["head"])
    response = client.get(reverse("dashboards:show", args=["activite"]))
    assert response.status_code == 200
    f = response.context["filters"]
    assert len(f.buckets()) == 12 and f.step == "mois"


def test_csv_export_is_what_the_table_shows(client, users, crafted):
    client.force_login(users["head"])
    url = reverse("dashboards:export", args=["avis", "opinion_conclusions", "csv"])
    response = client.get(url, PERIOD)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        'filename="pnsr-conclusions-des-avis-rendus-20250101-20250630.csv"'
        in (response["Content-Disposition"])
    )
    assert response.content.decode("utf-8-sig").splitlines() == [
        "Conclusion;Avis;Part",
        "Favorable;3;0,6000",
        "Défavorable;1;0,2000",
        "Autre action recommandée;1;0,2000",
        "Total;5;1,0000",
    ]


def test_xlsx_export_has_typed_cells(client, users, crafted):
    client.force_login(users["head"])
    url = reverse("dashboards:export", args=["resultats", "amounts_by_action", "xlsx"])
    response = client.get(url, PERIOD)
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == (
        "Action",
        "Condamnations",
        "Montant en jeu",
        "Montant alloué",
        "Montant recouvré",
        "Frais engagés",
        "Recouvrement net",
    )
    assert rows[1] == ("Saisie immobilière", 2, 300000, 210000, 40000, None, 40000)
    assert rows[-1] == ("Total", 3, 330000, 240000, 50000, None, 50000)
    assert sheet["C2"].number_format == '#,##0.00 "€"'


def test_unknown_table_or_format_is_a_404(client, users):
    client.force_login(users["head"])
    assert client.get("/pilotage/avis/nope.csv").status_code == 404
    assert client.get("/pilotage/avis/opinion_conclusions.pdf").status_code == 404
    assert client.get("/pilotage/nope/").status_code == 404


def test_charts_come_with_their_table(client, users, crafted):
    client.force_login(users["head"])
    html = page(client, "avis").content.decode()
    assert html.count('<figure class="pnsr-chart') >= 4
    assert html.count('<figure class="pnsr-chart fr-mb-2w" aria-hidden="true">') == html.count(
        '<figure class="pnsr-chart'
    )
    assert html.count("<table>") == 6  # one per table of the expert opinions dashboard


def _query_counts(client) -> dict[str, int]:
    counts = {}
    for slug in SLUGS:
        with CaptureQueriesContext(connection) as queries:
            assert page(client, slug).status_code == 200
        counts[slug] = len(queries)
    return counts


def test_query_counts_do_not_grow_with_the_cases(client, users, crafted):
    client.force_login(users["management"])
    before = _query_counts(client)
    assert before == {"avis": 16, "activite": 23, "resultats": 28, "risques": 10}  # + costs
    b = Builder(users)
    for n in range(30):
        b.case(f"X{n}", "DDFIP 30", Mode.PRISE_EN_CHARGE, "tiers_detenteur", "execution",
               f"2025-0{n % 6 + 1}-1{n % 9}", jurist=users["other_jurist"])  # fmt: skip
    assert _query_counts(client) == before


def test_medians_shares_and_amounts_open_the_cases_they_are_computed_on(client, users, crafted):
    client.force_login(users["head"])
    html = page(client, "avis").content.decode()
    # The median of March (A4 10 days, A2 40 days: 25) links to March's opinions.
    median = re.search(r'<a href="([^"]+)" data-figure="days" data-value="25\.0"', html)
    assert median and "periode=2025-03" in unescape(median.group(1))
    listing = client.get(unescape(median.group(1))).content.decode()
    assert crafted["A4"].reference in listing and crafted["A2"].reference in listing
    html = page(client, "resultats").content.decode()
    awarded = re.search(r'<a href="([^"]+)" data-figure="euros" data-value="30000(?:\.00)?"', html)
    assert awarded  # T4's appeal decision, in the amounts by action
    assert crafted["T4"].reference in client.get(unescape(awarded.group(1))).content.decode()


def test_xlsx_sheet_names_are_cut_between_words():
    """Excel allows 31 characters in a sheet name: a longer title is cut after a whole
    word and marked « … », never in the middle of a word."""
    from dashboards.tables import sheet_name

    title = "Délai moyen entre la saisine et l'avis rendu, par direction"
    name = sheet_name(title)
    assert len(name) <= 31
    assert name == "Délai moyen entre la saisine…"
    assert sheet_name("Avis : par conclusion [2026]") == "Avis par conclusion 2026"
    assert sheet_name("Résultats") == "Résultats"
