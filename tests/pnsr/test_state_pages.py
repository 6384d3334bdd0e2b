"""The State's pages: the footer's mandatory links on every kind of page, each to a real page
open without login — the accessibility statement, the legal notice, the personal data page,
the site map —, their variable parts from the settings, an administrator's own version of a
page in LOCAL_TEMPLATES_DIR."""

import datetime
import html as html_module
import re

import pytest
from django.urls import reverse

from pnsr import sitemap
from tests.pnsr.test_settings import manage

PAGES = ["accessibility", "legal_notice", "personal_data", "site_map"]


def text(response) -> str:
    """The page's words, tags removed, spaces collapsed."""
    return words(response.content.decode())


def words(html: str) -> str:
    return " ".join(html_module.unescape(re.sub(r"<[^>]+>", " ", html)).split())


def footer(response) -> str:
    html = response.content.decode()
    return html[html.index('<footer class="fr-footer"') :]


@pytest.mark.django_db
@pytest.mark.parametrize("name", PAGES)
def test_each_page_opens_without_login_and_signed_in(client, users, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    client.force_login(users["poste_agent"])
    assert client.get(reverse(name)).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["login", "home", "cases:list", "site_map"])
def test_the_footer_links_to_the_four_pages_on_every_kind_of_page(client, users, page):
    if page != "login":
        client.force_login(users["jurist"])
    response = client.get(reverse(page), follow=True)
    assert response.status_code == 200
    bottom = footer(response)
    for name in PAGES:
        assert f'href="{reverse(name)}"' in bottom
    assert "Accessibilité : non conforme" in bottom
    for site in ["legifrance.gouv.fr", "info.gouv.fr", "service-public.gouv.fr", "data.gouv.fr"]:
        assert f"https://www.{site}" in bottom


@pytest.mark.django_db
def test_without_an_audit_the_site_says_it_is_not_conform(client):
    page = text(client.get(reverse("accessibility")))
    assert "est non conforme avec le référentiel général d'amélioration de l'accessibilité" in page
    assert "Aucun audit de conformité n'a encore été réalisé" in page


@pytest.mark.django_db
def test_an_audit_set_by_the_administrator_changes_the_status_everywhere(client, settings):
    settings.ACCESSIBILITY_STATUS = "partiellement"
    settings.ACCESSIBILITY_AUDIT_DATE = datetime.date(2026, 3, 12)
    settings.ACCESSIBILITY_AUDIT_RATE = 74
    settings.ACCESSIBILITY_AUDITOR = "la mission accessibilité du SNUM"
    response = client.get(reverse("accessibility"))
    page = text(response)
    assert "est partiellement conforme avec le référentiel" in page
    assert (
        "L'audit de conformité réalisé le 12 mars 2026 par la mission accessibilité du SNUM "
        "révèle que 74 % des critères du RGAA version 4.1 sont respectés" in page
    )
    assert "Cette déclaration a été établie le 12 mars 2026." in page
    assert "Accessibilité : partiellement conforme" in footer(response)
    assert "Accessibilité : partiellement conforme" in footer(client.get(reverse("login")))


@pytest.mark.django_db
def test_the_accessibility_statement_follows_the_rgaa_model(client, settings):
    settings.SITE_CONTACT_EMAIL = "pnsr.accessibilite@dgfip.finances.gouv.fr"
    page = text(client.get(reverse("accessibility")))
    for section in [
        "État de conformité",
        "Résultats des tests",
        "Contenus non accessibles",
        "Dérogations pour charge disproportionnée",
        "Établissement de cette déclaration",
        "Technologies utilisées",
        "Environnement de test",
        "Outils pour évaluer l'accessibilité",
        "Pages de l'application ayant fait l'objet de la vérification de conformité",
        "Retour d'information et contact",
        "Voies de recours",
    ]:
        assert section in page
    assert "article 47 de la loi n° 2005-102 du 11 février 2005" in page
    assert "pnsr.accessibilite@dgfip.finances.gouv.fr" in page
    # The Défenseur des droits, as on the official model: form, delegates, phone, post.
    assert "Défenseur des droits" in page
    assert "09 69 39 00 00" in page  # (non-breaking spaces, collapsed by text())
    assert "Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07" in page
    html = client.get(reverse("accessibility")).content.decode()
    assert 'href="https://formulaire.defenseurdesdroits.fr/"' in html
    assert 'href="https://www.defenseurdesdroits.fr/saisir/delegues"' in html


@pytest.mark.django_db
def test_a_missing_contact_is_shown_as_to_be_filled_in(client, settings):
    settings.SITE_CONTACT_EMAIL = ""
    settings.SITE_HOST = ""
    assert "à renseigner par l'administrateur du site (SITE_CONTACT_EMAIL)" in text(
        client.get(reverse("accessibility"))
    )
    assert "Hébergeur à renseigner par l'administrateur du site (SITE_HOST)" in text(
        client.get(reverse("legal_notice"))
    )


@pytest.mark.django_db
def test_the_legal_notice_names_the_publisher_the_director_and_the_host(client, settings):
    settings.SITE_HOST = "Centre informatique de la DGFiP, 1 rue de l'Exemple, 93100 Montreuil"
    page = text(client.get(reverse("legal_notice")))
    assert (
        "éditée par : Direction générale des Finances publiques (DGFiP), 139 rue de Bercy, "
        "75572 Paris Cedex 12" in page
    )
    assert "Directeur de la publication Le directeur général des Finances publiques." in page
    assert "Centre informatique de la DGFiP, 1 rue de l'Exemple, 93100 Montreuil" in page


@pytest.mark.django_db
def test_the_personal_data_page_gives_each_retention_from_the_settings(client, settings):
    settings.ACCESS_LOG_RETENTION_DAYS = 180
    settings.SESSION_IDLE_MINUTES = 20
    settings.SESSION_MAX_HOURS = 10
    settings.LOGIN_LOCKOUT_MINUTES = 15
    settings.LOGIN_FAILURE_LIMIT = 4
    settings.SUBMISSION_TOKEN_HOURS = 48
    response = client.get(reverse("personal_data"))
    html = response.content.decode()

    def row(anchor: str) -> str:
        start = html.index(f'<section class="pnsr-retention" id="{anchor}"')
        return words(html[start : html.index("</section>", start)])

    assert "180 jours, puis effacement automatique" in row("duree-journal")
    assert "20 minutes sans activité, 10 heures après la connexion" in row("duree-sessions")
    assert "Après 4 échecs, la connexion est bloquée 15 minutes" in row("duree-connexions")
    assert "Les échecs : 15 minutes après le dernier" in row("duree-connexions")
    assert "48 heures, puis effacement" in row("duree-envois")
    assert "durée à renseigner par l'administrateur du site (CASE_RETENTION)" in row(
        "duree-dossiers"
    )
    for anchor in [
        "duree-historique",
        "duree-messages",
        "duree-comptes",
        "duree-avocats",
        "duree-notifications",
        "duree-jetons",
    ]:
        assert re.search(r"Conservation : \w+", row(anchor)), anchor

    settings.CASE_RETENTION = "Dix ans après la clôture du dossier, puis versement aux archives."
    assert "Dix ans après la clôture du dossier, puis versement aux archives." in text(
        client.get(reverse("personal_data"))
    )


@pytest.mark.django_db
def test_the_personal_data_page_has_its_mandatory_sections(client, settings):
    settings.DPO_CONTACT = "dpd@exemple.gouv.fr"
    page = text(client.get(reverse("personal_data")))
    for words in [
        "Responsable du traitement",
        "Finalités",
        "article 6, paragraphe 1, point e",
        "article 6, paragraphe 1, point c",
        "livre des procédures fiscales",
        "code général des impôts",
        "Destinataires",
        "la direction et le poste comptable qui ont saisi le pôle",
        "les avocats mandatés par le pôle",
        "les juridictions saisies",
        "droit d'accès (article 15 du RGPD) et de rectification (article 16)",
        "limitation du traitement (article 18)",
        "il ne s'applique pas au traitement nécessaire au respect d'une obligation légale",
        "article 23 du RGPD",
        "délégué à la protection des données",
        "dpd@exemple.gouv.fr",
        "Commission nationale de l'informatique et des libertés (CNIL)",
        "3 place de Fontenoy, TSA 80715, 75334 Paris Cedex 07",
    ]:
        assert words in page, words


@pytest.mark.django_db
def test_an_administrators_own_page_replaces_ours(client, settings, tmp_path):
    (tmp_path / "legal").mkdir()
    (tmp_path / "legal" / "mentions_legales.html").write_text(
        '{% extends "base.html" %}{% block main %}<h1>Mentions légales</h1>'
        "<p>Hébergé par {{ site.host }} pour la DRFIP.</p>{% endblock %}"
    )
    settings.SITE_HOST = "l'ESI de Lyon"
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    page = text(client.get(reverse("legal_notice")))
    assert "Hébergé par l'ESI de Lyon pour la DRFIP." in page
    assert "Directeur de la publication" not in page
    # The other pages are still ours.
    assert "Voies de recours" in text(client.get(reverse("accessibility")))


def test_local_templates_dir_is_read_before_ours(tmp_path):
    (tmp_path / "gabarits" / "legal").mkdir(parents=True)
    (tmp_path / "gabarits" / "legal" / "mentions_legales.html").write_text("<p>Les nôtres</p>")
    shown = manage(
        "shell",
        "-c",
        "from django.template.loader import get_template as g;"
        "print(g('legal/mentions_legales.html').origin.name);"
        "print(g('legal/accessibilite.html').origin.name)",
        tmp_path=tmp_path,
        DEBUG="1",
        LOCAL_TEMPLATES_DIR=str(tmp_path / "gabarits"),
    )
    assert shown.returncode == 0, shown.stderr
    local, ours = shown.stdout.split()[-2:]  # after the shell's own lines
    assert local == str(tmp_path / "gabarits" / "legal" / "mentions_legales.html")
    assert ours.endswith("templates/legal/accessibilite.html")


@pytest.mark.parametrize(
    "env, message",
    [
        ({"ACCESSIBILITY_STATUS": "conforme"}, "ACCESSIBILITY_STATUS='conforme' n'est pas compris"),
        (
            {"ACCESSIBILITY_STATUS": "partiellement"},
            "ACCESSIBILITY_STATUS=partiellement demande un audit : fixez ACCESSIBILITY_AUDIT_DATE",
        ),
        (
            {"ACCESSIBILITY_STATUS": "partiellement", "ACCESSIBILITY_AUDIT_DATE": "12/03/2026"},
            "ACCESSIBILITY_AUDIT_DATE doit être une date AAAA-MM-JJ",
        ),
        (
            {
                "ACCESSIBILITY_STATUS": "partiellement",
                "ACCESSIBILITY_AUDIT_DATE": "2026-03-12",
                "ACCESSIBILITY_AUDIT_RATE": "42",
            },
            "ACCESSIBILITY_AUDIT_RATE=42 % ne correspond pas à ACCESSIBILITY_STATUS=partiellement",
        ),
    ],
)
def test_a_conformity_claimed_without_an_audit_stops_the_start(tmp_path, env, message):
    started = manage("check", tmp_path=tmp_path, DEBUG="1", **env)
    assert started.returncode != 0
    assert message in started.stderr


def plan_links(response) -> set[str]:
    html = response.content.decode()
    main = html[html.index('<main id="content"') : html.index("</main>")]
    return set(re.findall(r'<a class="fr-link" href="([^"]+)"', main))


@pytest.mark.django_db
def test_a_visitor_sees_only_the_public_pages_in_the_plan(client):
    links = plan_links(client.get(reverse("site_map")))
    public = {reverse(name) for name in ["login", *PAGES]}
    assert public <= links
    assert links - public == set()


ALL_PAGES = [page for section in sitemap.sections() for page in section.pages]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role",
    ["poste_agent", "direction_agent", "jurist", "head", "expert", "management", "admin"],
)
def test_the_plan_shows_a_user_exactly_the_pages_they_can_open(client, users, role):
    client.force_login(users[role])
    shown = plan_links(client.get(reverse("site_map")))
    for page in ALL_PAGES:
        if page.url_name == "login":
            continue  # a signed-in user is sent on from the login page
        status = client.get(page.url).status_code
        if page.url in shown:
            assert status == 200, (role, page.url, status)
        elif page.allowed is not sitemap.has_tasks:
            assert status != 200, (role, page.url, status)  # 403, 404, the admin's login
        # The task lists open, empty, for management and administrators, who never hold a
        # task: neither the header's menu nor the plan offers them.
