"""The bulk generator's people: pôle jurists, helping experts and referring agents for
every direction and poste, created once by username; and the one stored sample PDF."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from cases.enums import (
    ExperimentRole,
    Role,
)
from cases.formatting import actor_label, de_name
from cases.models import (
    ALSACE_MOSELLE,
    Direction,
    Lawyer,
    PosteComptable,
    User,
)
from cases.pieces import check_upload, sample_pdf
from demo.courts import pleads_before
from demo.people import EMAIL_DOMAIN, PASSWORD, ascii_lower
from workflows import permissions

from .reference import COMMERCIAL_SEAT, EXTRA_POSTES, FEMALE, LAST, MALE, PLACES, STREETS


@dataclass
class People:
    head: User
    intake: list[User]
    jurists: list[User]
    experts: list[User]
    lawyers: list[Lawyer]
    # poste pk -> the agents who may refer through it (its agents, its direction's agents)
    referrers: dict[int, list[User]] = field(default_factory=dict)
    labels: dict[int, str] = field(default_factory=dict)


def ensure_reference_data() -> None:
    """One poste comptable per helping direction (idempotent by codique)."""
    for code, (name, codique) in EXTRA_POSTES.items():
        direction = Direction.objects.filter(code=code).first()
        if direction is None:
            continue
        town = ascii_lower(name.split(" de ")[-1]).replace(" ", "-")
        PosteComptable.objects.get_or_create(
            codique=codique,
            defaults={
                "direction": direction,
                "name": name,
                "kind": "SIE",
                "mailbox": f"sie.{town}@{EMAIL_DOMAIN}",
            },
        )


def commercial_court(seat: str, departement: str) -> str:
    """The court of the collective proceedings for the direction of `seat`: its tribunal
    de commerce (`COMMERCIAL_SEAT`: the Aisne's sits at Saint-Quentin), in Alsace-Moselle
    the tribunal judiciaire's chambre commerciale."""
    if departement in ALSACE_MOSELLE:
        return f"Chambre commerciale du tribunal judiciaire {de_name(seat)}"
    return f"Tribunal de commerce {de_name(COMMERCIAL_SEAT.get(seat, seat))}"


def ensure_lawyers() -> None:
    """For every court the bulk's directions go before (`CaseSim.court`: the tribunal
    judiciaire of their seat, their commercial court) with its cour d'appel, a lawyer of
    the directory (fixtures/lawyers.json) who pleads before both, or else one of the local
    bar, created once (by name and bar)."""
    lawyers = list(Lawyer.objects.filter(active=True))
    for code, (_places, seat, appeal_seat) in PLACES.items():
        direction = Direction.objects.filter(code=code).first()
        if direction is None:
            continue
        appeal = f"Cour d'appel {de_name(appeal_seat)}"
        commercial_seat = COMMERCIAL_SEAT.get(seat, seat)
        for court, bar in (
            (f"Tribunal judiciaire {de_name(seat)}", seat),
            (commercial_court(seat, direction.departement), commercial_seat),
        ):
            if any(pleads_before(lw, court) and pleads_before(lw, appeal) for lw in lawyers):
                continue
            lawyers.append(_local_lawyer(bar, [court, appeal]))


def _local_lawyer(seat: str, courts: list[str]) -> Lawyer:
    rng = random.Random(seat + courts[0])
    first = rng.choice(FEMALE + MALE)
    last = rng.choice(LAST)
    town = ascii_lower(seat).replace(" ", "-").replace("'", "")
    lawyer, _ = Lawyer.objects.get_or_create(
        name=f"Maître {first} {last}",
        bar=f"Barreau {de_name(seat)}",
        defaults={
            "courts": "\n".join(courts),
            "email": f"{ascii_lower(last)}@avocats-{town}.example".replace(" ", ""),
            "phone": f"0{rng.randint(1, 5)} {rng.randint(10, 99)} {rng.randint(10, 99)} "
            f"{rng.randint(10, 99)} {rng.randint(10, 99)}",
            "address": f"{rng.randint(1, 40)} {rng.choice(STREETS)}\n{seat}",
            "fee_agreement": "Forfait 1 500 € HT par procédure + 8 % des sommes recouvrées",
        },
    )
    return lawyer


def ensure_people() -> People:
    """The demo's users plus pôle jurists, helping experts and referring agents for every
    direction and poste (created once, by username; password `demo`, hashed once)."""
    ensure_reference_data()
    ensure_lawyers()
    rng = random.Random(8)  # the same names whatever --seed
    password = None
    existing = {u.username: u for u in User.objects.all()}
    created: list[User] = []

    def person(username: str, role: str, **fields) -> User:
        nonlocal password
        if username in existing:
            return existing[username]
        password = password or make_password(PASSWORD)
        female = rng.random() < 0.5
        first = rng.choice(FEMALE if female else MALE)
        last = rng.choice(LAST)
        user = User(
            username=username,
            first_name=first,
            last_name=last,
            email=f"{ascii_lower(first)}.{ascii_lower(last)}.{username}@{EMAIL_DOMAIN}".replace(
                " ", ""
            ),
            password=password,
            role=role,
            **fields,
        )
        created.append(user)
        existing[username] = user
        return user

    directions = list(Direction.objects.order_by("pk"))
    postes = list(PosteComptable.objects.select_related("direction").order_by("pk"))
    jurists = [person(f"juriste.{i:02d}", Role.JURIST) for i in range(1, 13)]
    helping = [d for d in directions if d.experiment_role == ExperimentRole.HELPING]
    experts = [
        person(f"expert.{i:02d}", Role.EXPERT, direction=helping[(i - 1) % len(helping)])
        for i in range(1, 16)
    ]
    agents = {
        d.pk: person("agent." + d.code.lower().replace(" ", ""), Role.DIRECTION_AGENT, direction=d)
        for d in directions
    }
    poste_agents = {
        p.pk: person(
            f"comptable.{p.codique}", Role.POSTE_AGENT, direction=p.direction, poste_comptable=p
        )
        for p in postes
    }
    User.objects.bulk_create(created)
    intake = Permission.objects.get(content_type__app_label="workflows", codename="intake")
    for user in jurists[:2]:
        if user in created:
            user.user_permissions.add(intake)

    head = User.objects.filter(role=Role.HEAD, is_active=True).order_by("pk").first()
    if head is None:
        head = person("chef.pole", Role.HEAD)
        User.objects.bulk_create([head])
    all_jurists = list(User.objects.filter(role=Role.JURIST, is_active=True).order_by("pk"))
    on_intake = [u for u in all_jurists if u.has_perm(permissions.INTAKE)]
    people = People(
        head=head,
        intake=on_intake,
        jurists=all_jurists or jurists,
        experts=list(
            User.objects.filter(role=Role.EXPERT, is_active=True)
            .select_related("direction")
            .order_by("pk")
        )
        or experts,
        lawyers=list(Lawyer.objects.filter(active=True).order_by("pk")),
    )
    poste_agents_by_poste: dict[int, list[User]] = {}
    for user in User.objects.filter(role=Role.POSTE_AGENT, is_active=True).order_by("pk"):
        poste_agents_by_poste.setdefault(user.poste_comptable_id, []).append(user)
    agents_by_direction: dict[int, list[User]] = {}
    for user in User.objects.filter(role=Role.DIRECTION_AGENT, is_active=True).order_by("pk"):
        agents_by_direction.setdefault(user.direction_id, []).append(user)
    for poste in postes:
        people.referrers[poste.pk] = poste_agents_by_poste.get(
            poste.pk, [poste_agents[poste.pk]]
        ) + agents_by_direction.get(poste.direction_id, [agents[poste.direction_id]])
    for user in User.objects.all():
        people.labels[user.pk] = actor_label(user)
    return people


def stored_sample() -> tuple[str, int, str]:
    """The one PDF every generated piece points at: stored once, by its hash."""
    content = sample_pdf("Pièce de démonstration")
    checked = check_upload(ContentFile(content, name="piece.pdf"))
    name = f"pieces/demo/{checked.sha256}"
    if not default_storage.exists(name):
        name = default_storage.save(name, ContentFile(content))
    return name, checked.size, checked.sha256
