"""The demo's named accounts, one per role (password `demo`), and what both demo
loaders share about people."""

from __future__ import annotations

import datetime
import unicodedata
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Permission
from django.utils import timezone

from cases.absences import record_absence
from cases.enums import Role
from cases.models import Direction, PosteComptable, User

PASSWORD = "demo"
EMAIL_DOMAIN = "pnsr-demo.invalid"


def ascii_lower(text: str) -> str:
    """'Hélène Lefèvre' -> 'helene lefevre': for e-mail addresses."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    role: str
    direction: str | None = None
    poste: str | None = None
    scope: str = ""


DEMO_USERS = [
    DemoUser(
        "agent.ddfip02",
        "Claire",
        "Dumont",
        Role.DIRECTION_AGENT,
        "DDFIP 02",
        scope="dossiers de la DDFIP 02",
    ),
    DemoUser(
        "comptable.ddfip02",
        "Julien",
        "Moreau",
        Role.POSTE_AGENT,
        "DDFIP 02",
        "SIE de Laon",
        scope="dossiers du SIE de Laon (DDFIP 02)",
    ),
    DemoUser(
        "agent.drfip67",
        "Sophie",
        "Muller",
        Role.DIRECTION_AGENT,
        "DRFIP 67",
        scope="dossiers de la DRFIP 67",
    ),
    DemoUser(
        "juriste1",
        "Camille",
        "Laurent",
        Role.JURIST,
        scope="dossiers transmis au pôle ; permanence de recevabilité",
    ),
    DemoUser("juriste2", "Antoine", "Mercier", Role.JURIST, scope="dossiers transmis au pôle"),
    DemoUser("chef.pole", "Isabelle", "Fournier", Role.HEAD, scope="dossiers transmis au pôle"),
    DemoUser(
        "expert.ddfip30",
        "Marc",
        "Roux",
        Role.EXPERT,
        "DDFIP 30",
        scope="dossiers qui lui sont confiés (DDFIP 30)",
    ),
    DemoUser("pilotage", "Nathalie", "Bernard", Role.MANAGEMENT, scope="national"),
    DemoUser(
        "admin.ddfip02",
        "Hugo",
        "Lambert",
        Role.DIRECTION_ADMIN,
        "DDFIP 02",
        scope="comptes des agents de la DDFIP 02 et de ses postes",
    ),
    DemoUser("admin", "Thomas", "Petit", Role.ADMIN, scope="administration du site"),
]


def create_users() -> dict[str, User]:
    """The demo accounts, by username (the caller has checked that none exists)."""
    password = make_password(PASSWORD)  # one hash for all: only the demo uses it
    users = {}
    for demo in DEMO_USERS:
        poste = PosteComptable.objects.get(name=demo.poste) if demo.poste else None
        direction = Direction.objects.get(code=demo.direction) if demo.direction else None
        users[demo.username] = User.objects.create(
            username=demo.username,
            first_name=demo.first_name,
            last_name=demo.last_name,
            email=f"{ascii_lower(demo.first_name)}.{ascii_lower(demo.last_name)}@{EMAIL_DOMAIN}",
            password=password,
            role=demo.role,
            direction=direction,
            poste_comptable=poste,
            is_staff=demo.role == Role.ADMIN,
            is_superuser=demo.role == Role.ADMIN,
        )
    # Camille Laurent is on intake duty: she examines receivability like the head.
    users["juriste1"].user_permissions.add(
        Permission.objects.get(content_type__app_label="workflows", codename="intake")
    )
    # Antoine Mercier will be on leave for a week in a fortnight, replaced by Camille
    # Laurent (/comptes/<id>/absences/): recorded by the head, as on the site.
    start = timezone.localdate() + datetime.timedelta(days=14)
    record_absence(
        users["chef.pole"],
        users["juriste2"],
        starts_on=start,
        ends_on=start + datetime.timedelta(days=6),
        replacement=users["juriste1"],
    )
    return users
