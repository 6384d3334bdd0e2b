"""The « Plan du site »: the site's pages, grouped, each with who may open it. The rule is
the one its page applies (cases.access, deadlines.selectors…), never a copy of it; a
signed-in user sees the pages they can open, a visitor the public ones.
tests/pnsr/test_state_pages.py opens every page of the plan as every role."""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from cases import access
from cases.enums import Role
from cases.models import User
from dashboards.panels import DASHBOARDS
from deadlines import selectors as deadline_selectors


def everyone(user) -> bool:
    return True


def visitor(user) -> bool:
    return not user.is_authenticated


def signed_in(user) -> bool:
    return user.is_authenticated


def has_tasks(user: User) -> bool:
    """The task lists are for the people who act on cases: neither management nor
    administrators (the header's « Tâches » as the plan)."""
    return user.is_authenticated and user.role not in (
        Role.MANAGEMENT,
        Role.ADMIN,
        Role.DIRECTION_ADMIN,
        "",
    )


def _pole(user: User) -> bool:
    return user.is_authenticated and user.is_pole


def _staff(user: User) -> bool:
    return user.is_authenticated and user.is_active and user.is_staff


@dataclass(frozen=True)
class Page:
    label: str
    url_name: str
    allowed: Callable[[User], bool] = signed_in
    args: tuple[str, ...] = ()

    @property
    def url(self) -> str:
        return reverse(self.url_name, args=self.args)


@dataclass(frozen=True)
class Section:
    title: str
    pages: list[Page]


def sections() -> list[Section]:
    return [
        Section(
            "Dossiers",
            [
                Page("Liste des dossiers", "cases:list"),
                Page("Nouvelle saisine", "cases:create", access.can_create_referral),
                Page("Journal des consultations", "cases:access_log", access.may_see_access_log),
                Page(
                    "Modèles des documents",
                    "document_templates:index",
                    access.may_read_document_templates,
                ),
                Page("Étiquettes du pôle", "cases:labels", access.may_manage_labels),
            ],
        ),
        Section(
            "Tâches",
            [
                Page("Mes tâches", "workflows:inbox", has_tasks),
                Page("Tâches à prendre", "workflows:queue", has_tasks),
                Page("Tâches terminées", "workflows:archive", has_tasks),
                Page("Charge de l'équipe", "workflows:team", access.is_head),
                Page("Délais cibles des étapes", "workflows:targets", access.may_set_step_targets),
                Page("Annuaire des avocats", "workflows:lawyers", _pole),
            ],
        ),
        Section(
            "Échéances",
            [
                Page("Échéances", "deadlines:mine", deadline_selectors.may_see_deadlines),
                Page("Calculateur de délais", "deadlines:calculator"),
            ],
        ),
        Section(
            "Pilotage",
            [
                Page(dashboard.title, "dashboards:show", access.may_see_dashboards, (slug,))
                for slug, dashboard in DASHBOARDS.items()
            ],
        ),
        Section(
            "Mon compte",
            [
                Page("Mon compte et jetons d'accès à l'API", "account:home"),
                Page("Comptes", "accounts:list", access.may_manage_accounts),
                Page("Ouvrir un compte", "accounts:create", access.may_manage_accounts),
                Page("Notifications", "notifications:list"),
                Page("Préférences de notification", "notifications:preferences"),
                Page("Documentation de l'API", "api:docs"),
                Page("Administration du site", "admin:index", _staff),
            ],
        ),
        Section(
            "Informations",
            [
                Page("Connexion", "login", visitor),
                Page("Déclaration d'accessibilité", "accessibility", everyone),
                Page("Mentions légales", "legal_notice", everyone),
                Page("Données personnelles", "personal_data", everyone),
                Page("Plan du site", "site_map", everyone),
            ],
        ),
    ]


def sections_for(user) -> list[Section]:
    """The plan as `user` may follow it: the pages they can open, empty sections left out."""
    shown = [
        Section(section.title, [page for page in section.pages if page.allowed(user)])
        for section in sections()
    ]
    return [section for section in shown if section.pages]
