"""Bulk demo data: N realistic cases for the dashboards and the benchmarks.

`seed_demo --cases N` calls `generate`. Each case is simulated in Python along the pôle's
real path — referral, receivability (with returns for completion), assignment, then the
opinion, the technical support or the takeover (lawyer, starting act, procedure acts,
hearings and adjournments, decision, appeal, execution, recoveries, closure) — with the
transitions of `cases.lifecycle` (checked against its table), the rows each
`cases.proceedings` and `deadlines.services` operation writes and the history entries
they record, each by the user who takes that step. The simulation stops at today: what
would happen later does not happen, and the case keeps the status it reached, with the
one open step of its `CaseFlow` process.

Rows are written with `bulk_create`, a batch of cases per transaction: no notification,
no document, no per-row query. The same seed gives the same cases (relative to today).
"""

from __future__ import annotations

import datetime
import json
import math
import random
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import CharField, FileField, JSONField, TextField
from django.utils import timezone
from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import PROCESS, STATUS
from viewflow.workflow.token import Token

from cases.enums import (
    AppealParty,
    CaseStatus,
    ClosureReason,
    DebtorKind,
    DecisionOutcome,
    EventKind,
    ExperimentRole,
    HearingStatus,
    Instance,
    Mode,
    OpinionConclusion,
    OpinionFollow,
    OpinionStatus,
    PieceKind,
    ReturnGround,
    RiskLevel,
    Role,
    StartingActKind,
    TargetKind,
    TaxKind,
)
from cases.formatting import (
    actor_label,
    court_in_sentence,
    euros,
    long_date,
    lower_first,
    short_date,
    short_datetime,
)
from cases.lifecycle import transitions_table
from cases.models import (
    ALSACE_MOSELLE,
    ActionType,
    Appeal,
    Case,
    CaseEvent,
    Claim,
    Debtor,
    Decision,
    Direction,
    Hearing,
    Lawyer,
    LawyerMandate,
    ManagerTarget,
    Opinion,
    Piece,
    PosteComptable,
    PropertyTarget,
    Recovery,
    ReferenceCounter,
    ReturnGroundRecord,
    StartingAct,
    ThirdPartyHolderTarget,
    User,
)
from cases.pieces import PDF, check_upload, sample_pdf
from cases.validators import add_years, fold_name, luhn_ok
from deadlines import rules
from deadlines.engine import compute_deadline, is_working_day
from deadlines.enums import DeadlineStatus, ProcedureActKind
from deadlines.models import Deadline, ProcedureAct
from deadlines.services import deadline_details, deadline_summary
from workflows import permissions
from workflows.flows import CaseFlow
from workflows.models import CaseProcess

S = CaseStatus
PASSWORD = "demo"
EMAIL_DOMAIN = "pnsr-demo.invalid"
BATCH = 2000
YEARS = 5
PARIS = ZoneInfo(settings.TIME_ZONE)
CENT = Decimal("0.01")

CLOSURE_BY_TRANSITION = {
    "withdraw": ClosureReason.WITHDRAWN,
    "end_support": ClosureReason.SUPPORT_COMPLETED,
    "close_after_opinion": ClosureReason.OPINION_GIVEN,
}
# name -> (sources, target, history summary): the lifecycle's own table.
TRANSITIONS = {
    name: ({t.source for t in ts}, ts[0].target, ts[0].custom["done"])
    for name, ts in transitions_table().items()
}

# --- Reference data for realism -----------------------------------------------------------

# Per direction code: (communes with postal codes, tribunal judiciaire seat, cour d'appel).
PLACES: dict[str, tuple[list[tuple[str, str]], str, str]] = {
    "DDFIP 02": (
        [("Laon", "02000"), ("Saint-Quentin", "02100"), ("Soissons", "02200"),
         ("Château-Thierry", "02400")], "Laon", "Amiens"),
    "DDFIP 03": ([("Moulins", "03000"), ("Montluçon", "03100"), ("Vichy", "03200")],
                 "Moulins", "Riom"),
    "DDFIP 08": ([("Charleville-Mézières", "08000"), ("Sedan", "08200"), ("Rethel", "08300")],
                 "Charleville-Mézières", "Reims"),
    "DDFIP 14": ([("Caen", "14000"), ("Lisieux", "14100"), ("Bayeux", "14400")], "Caen", "Caen"),
    "DRFIP 44": ([("Nantes", "44000"), ("Saint-Nazaire", "44600"), ("Rezé", "44400")],
                 "Nantes", "Rennes"),
    "DDFIP 49": ([("Angers", "49000"), ("Cholet", "49300"), ("Saumur", "49400")],
                 "Angers", "Angers"),
    "DRFIP 67": ([("Strasbourg", "67000"), ("Haguenau", "67500"), ("Sélestat", "67600"),
                  ("Saverne", "67700")], "Strasbourg", "Colmar"),
    "DDFIP 90": ([("Belfort", "90000"), ("Delle", "90100"), ("Valdoie", "90300")],
                 "Belfort", "Besançon"),
    "DDFIP 30": ([("Nîmes", "30000"), ("Alès", "30100"), ("Bagnols-sur-Cèze", "30200")],
                 "Nîmes", "Nîmes"),
    "DDFIP 34": ([("Montpellier", "34000"), ("Béziers", "34500"), ("Sète", "34200")],
                 "Montpellier", "Montpellier"),
    "DRFIP 54": ([("Nancy", "54000"), ("Lunéville", "54300"), ("Toul", "54200")],
                 "Nancy", "Nancy"),
    "DRFIP 75": ([("Paris", "75011"), ("Paris", "75015"), ("Paris", "75018")], "Paris", "Paris"),
    "DRFIP 69": ([("Lyon", "69003"), ("Villeurbanne", "69100"),
                  ("Villefranche-sur-Saône", "69400")], "Lyon", "Lyon"),
    "DDFIP 93": ([("Bobigny", "93000"), ("Saint-Denis", "93200"), ("Montreuil", "93100")],
                 "Bobigny", "Paris"),
    "DDFIP 83": ([("Toulon", "83000"), ("Draguignan", "83300"), ("Fréjus", "83600")],
                 "Toulon", "Aix-en-Provence"),
    "DDFIP 78": ([("Versailles", "78000"), ("Saint-Germain-en-Laye", "78100"),
                  ("Mantes-la-Jolie", "78200")], "Versailles", "Versailles"),
}  # fmt: skip

# The helping directions have no poste comptable in the fixtures: one SIE each for the demo.
EXTRA_POSTES = {
    "DDFIP 30": ("SIE de Nîmes", "030010"),
    "DDFIP 34": ("SIE de Montpellier", "034010"),
    "DRFIP 54": ("SIE de Nancy", "054010"),
    "DRFIP 75": ("SIE de Paris 11e", "075010"),
    "DRFIP 69": ("SIE de Lyon 3e", "069010"),
    "DDFIP 93": ("SIE de Bobigny", "093010"),
    "DDFIP 83": ("SIE de Toulon", "083010"),
    "DDFIP 78": ("SIE de Versailles", "078010"),
}

# fmt: off
MALE = [
    "Jean", "Philippe", "Michel", "Alain", "Patrick", "Nicolas", "Christophe", "Pierre", "Laurent",
    "Frédéric", "Éric", "Stéphane", "David", "Olivier", "Sébastien", "Thierry", "Julien", "Pascal",
    "Vincent", "François", "Bruno", "Guillaume", "Jérôme", "Didier",
]
FEMALE = [
    "Marie", "Nathalie", "Isabelle", "Sylvie", "Catherine", "Sandrine", "Valérie", "Christine",
    "Véronique", "Céline", "Stéphanie", "Sophie", "Hélène", "Aurélie", "Émilie", "Laurence",
    "Julie", "Caroline", "Anne", "Martine", "Agnès", "Claire",
]
LAST = [
    "Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois", "Moreau",
    "Laurent", "Simon", "Michel", "Lefèvre", "Leroy", "Roux", "David", "Bertrand", "Morel",
    "Fournier", "Girard", "Bonnet", "Dupont", "Lambert", "Fontaine", "Rousseau", "Vincent",
    "Muller", "Lefebvre", "Faure", "André", "Mercier", "Blanc", "Guérin", "Boyer", "Garnier",
    "Chevalier", "François", "Legrand", "Gauthier", "Garcia", "Perrin", "Robin", "Clément",
    "Morin", "Nicolas", "Henry", "Roussel", "Mathieu", "Gautier", "Masson", "Marchand", "Duval",
    "Denis", "Dumont", "Marie", "Lemaire", "Noël", "Meyer", "Dufour", "Meunier", "Brun",
    "Blanchard", "Giraud", "Joly", "Rivière", "Lucas", "Brunet", "Gaillard", "Barbier", "Arnaud",
    "Martinez", "Gérard", "Roche", "Renard", "Schmitt", "Roy", "Leroux", "Colin", "Vidal", "Caron",
    "Picard", "Roger", "Fabre", "Aubert", "Lemoine", "Renaud", "Dumas", "Lacroix", "Olivier",
    "Philippe", "Bourgeois", "Pierre", "Benoît", "Rey", "Leclerc", "Payet", "Rolland", "Leclercq",
    "Guillaume", "Lecomte", "Lopez", "Jean", "Dupuy", "Guillot", "Hubert", "Berger", "Carpentier",
]
FORMS = [
    "SARL", "SAS", "SASU", "EURL", "SA", "SCI", "SNC",
]
TRADES = [
    "Bâtiment", "Transports", "Menuiserie", "Boulangerie", "Garage", "Immobilière", "Restauration",
    "Négoce", "Logistique", "Travaux Publics", "Plomberie", "Conseil", "Distribution",
    "Carrosserie", "Couverture", "Électricité", "Charpente", "Maçonnerie", "Import-Export",
    "Sécurité Privée", "Nettoyage Industriel", "Textile", "Vins et Spiritueux", "Hôtellerie",
    "Promotion Immobilière", "Ambulances", "Terrassement",
]
SUFFIXES = [
    "du Centre", "de l'Est", "de l'Ouest", "du Nord", "des Trois Vallées", "de la Gare", "du Val",
    "des Coteaux", "Services", "et Fils", "Frères", "Associés", "Développement", "Invest",
    "Patrimoine", "Habitat", "Express",
]
STREETS = [
    "rue de la République", "avenue Jean Jaurès", "rue Victor Hugo", "boulevard Gambetta",
    "rue du Général de Gaulle", "place de la Mairie", "rue Pasteur", "chemin des Vignes",
    "rue des Écoles", "impasse des Lilas", "zone artisanale des Portes", "rue de la Gare",
    "rue Nationale", "avenue de la Libération", "rue du Moulin", "rue des Tilleuls",
    "route de Paris", "rue Saint-Martin", "allée des Peupliers", "quai du Port",
]
PROPERTY_KINDS = [
    "Maison d'habitation", "Immeuble de rapport", "Local commercial", "Appartement et cave",
    "Terrain à bâtir", "Entrepôt", "Corps de ferme", "Lot de copropriété (bureaux)",
    "Villa avec piscine", "Hangar agricole",
]
BANKS = [
    "Banque Populaire du Nord", "Crédit Agricole Centre-Est", "Caisse d'Épargne Grand Est",
    "Société Générale", "BNP Paribas", "LCL", "Crédit Mutuel", "La Banque Postale",
    "SAS Location Matériel Pro", "SCI Les Hauts de Ville (locataire)",
    "Notaire — étude Girard et associés", "Assurances Mutuelles de l'Ouest",
]
# fmt: on

FACTS = {
    "saisie_immobiliere": "Redevable défaillant malgré les mises en demeure et les SATD "
    "bancaires infructueuses ; propriétaire d'un bien libre d'hypothèque conventionnelle.",
    "solidarite_dirigeant": "Société liquidée sans actif ; le dirigeant a cessé de déposer "
    "les déclarations tout en poursuivant l'activité et en se rémunérant.",
    "tiers_detenteur": "SATD notifiée au tiers détenteur, resté sans réponse ni paiement "
    "malgré relance.",
    "action_paulienne": "Peu après le contrôle, le redevable a cédé ou donné son principal "
    "bien saisissable à un proche.",
    "action_oblique": "Le redevable néglige de réclamer une créance exigible qu'il détient "
    "sur un tiers solvable.",
    "partage_indivision": "Le redevable détient une quote-part indivise d'un bien reçu en "
    "succession ; aucun autre actif saisissable.",
    "procedure_collective": "Aucun paiement depuis plusieurs mois, nouvelles dettes fiscales "
    "et sociales ; l'URSSAF envisage également d'assigner.",
}
REQUESTS = {
    Mode.AVIS: "Avis sur l'opportunité de l'action envisagée et, le cas échéant, sur "
    "l'action la plus pertinente.",
    Mode.SOUTIEN: "Relecture du projet d'acte et fourniture d'un modèle ; la direction "
    "conduit la procédure.",
    Mode.PRISE_EN_CHARGE: "Engager et conduire l'action devant la juridiction compétente.",
}
RETURN_LINES = {
    ReturnGround.PIECES: "État hypothécaire à jour (moins de trois mois)",
    ReturnGround.CLAIMS: "Titres exécutoires des créances et état détaillé à jour",
    ReturnGround.DEBTOR: "Identification complète du redevable (Kbis, état civil)",
    ReturnGround.TARGET: "Description précise de la cible (références cadastrales, SATD)",
    ReturnGround.FACTS: "Historique des diligences de recouvrement déjà accomplies",
    ReturnGround.PRESCRIPTION: "Justificatif du dernier acte interruptif de prescription",
    ReturnGround.OTHER: "Décision de la direction sur l'opportunité de l'action",
}
DECLINE_REASONS = [
    "Enjeu trop faible au regard du coût de la procédure.",
    "Action hors du champ du pôle : relève du contentieux d'assiette.",
    "Créance prescrite : aucune action utile n'est possible.",
    "Le redevable fait l'objet d'une procédure collective en cours : déclaration de créance "
    "à faire par le poste comptable.",
]
ADJOURN_REASONS = [
    "Renvoi à la demande de la défense.",
    "Renvoi pour permettre la communication de pièces.",
    "Renvoi : conclusions adverses déposées tardivement.",
    "Renvoi d'office, audience surchargée.",
    "Renvoi dans l'attente d'une médiation.",
]
OTHER_ACTIONS = {
    "saisie_immobiliere": "partage_indivision",
    "solidarite_dirigeant": "procedure_collective",
    "tiers_detenteur": "saisie_immobiliere",
    "action_paulienne": "saisie_immobiliere",
    "action_oblique": "tiers_detenteur",
    "partage_indivision": "saisie_immobiliere",
    "procedure_collective": "solidarite_dirigeant",
}
# Share of each action type in the referrals (procedure collective and L.267 lead).
ACTION_WEIGHTS = {
    "procedure_collective": 24,
    "solidarite_dirigeant": 22,
    "saisie_immobiliere": 18,
    "tiers_detenteur": 14,
    "action_paulienne": 11,
    "partage_indivision": 6,
    "action_oblique": 5,
}
MODE_WEIGHTS = {Mode.AVIS: 45, Mode.PRISE_EN_CHARGE: 35, Mode.SOUTIEN: 20}


# --- People --------------------------------------------------------------------------------


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


def _ascii(text: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()


def ensure_reference_data() -> None:
    """One poste comptable per helping direction (idempotent by codique)."""
    for code, (name, codique) in EXTRA_POSTES.items():
        direction = Direction.objects.filter(code=code).first()
        if direction is None:
            continue
        PosteComptable.objects.get_or_create(
            codique=codique,
            defaults={
                "direction": direction,
                "name": name,
                "kind": "SIE",
                "mailbox": f"sie.{_ascii(name.split(' de ')[-1]).replace(' ', '-')}@{EMAIL_DOMAIN}",
            },
        )


def ensure_people() -> People:
    """The demo's users plus pôle jurists, helping experts and referring agents for every
    direction and poste (created once, by username; password `demo`, hashed once)."""
    ensure_reference_data()
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
            email=f"{_ascii(first)}.{_ascii(last)}.{username}@{EMAIL_DOMAIN}".replace(" ", ""),
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


# --- Rows of a batch --------------------------------------------------------------------------


class Ref:
    """'starting_act:<pk>': an act's reference, known once the act is saved."""

    def __init__(self, prefix: str, obj):
        self.prefix, self.obj = prefix, obj

    def __str__(self) -> str:
        return f"{self.prefix}:{self.obj.pk}"


def _resolve(value):
    if isinstance(value, dict):
        return {k: _resolve(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_resolve(v) for v in value]
    if isinstance(value, Ref):
        return str(value)
    if hasattr(value, "_meta") and hasattr(value, "pk"):
        return value.pk
    return value


MODELS_IN_ORDER = [
    Debtor,
    Case,
    Claim,
    PropertyTarget,
    ManagerTarget,
    ThirdPartyHolderTarget,
    Piece,
    Opinion,
    LawyerMandate,
    StartingAct,
    Hearing,
    Decision,
    Appeal,
    Recovery,
    ProcedureAct,
    Deadline,
    Process,
    Task,
    CaseEvent,
    ReturnGroundRecord,
]


class Batch:
    def __init__(self) -> None:
        self.rows: dict[type, list] = {model: [] for model in MODELS_IN_ORDER}
        self.links: list[tuple[Process, Case]] = []
        self.hearing_depth: dict[int, int] = {}

    def add(self, obj) -> object:
        self.rows[type(obj)].append(obj)
        return obj

    def write(self) -> dict[type, int]:
        if connection.vendor == "postgresql":
            return self.copy()
        counts = {}
        updated_at = Case._meta.get_field("updated_at")
        for model in MODELS_IN_ORDER:
            rows = self.rows[model]
            counts[model] = len(rows)
            if not rows:
                continue
            if model is Hearing:
                # An adjourned hearing's replacement points at it: save by depth.
                depth = self.hearing_depth
                for level in sorted({depth.get(id(h), 0) for h in rows}):
                    Hearing.objects.bulk_create(
                        [h for h in rows if depth.get(id(h), 0) == level], batch_size=BATCH
                    )
                continue
            if model is Deadline:
                for deadline in rows:
                    deadline.source = str(deadline.source)
            if model is CaseEvent:
                for event in rows:
                    event.data = _resolve(event.data)
            if model is Case:
                # updated_at is the case's last step, not the generation time.
                updated_at.auto_now = False
                try:
                    Case.objects.bulk_create(rows, batch_size=BATCH)
                finally:
                    updated_at.auto_now = True
                continue
            model.objects.bulk_create(rows, batch_size=BATCH)
            if model is Process and self.links:
                with connection.cursor() as cursor:
                    cursor.executemany(
                        f"INSERT INTO {CaseProcess._meta.db_table} (process_ptr_id, case_id) "
                        "VALUES (%s, %s)",
                        [(process.pk, case.pk) for process, case in self.links],
                    )
        return counts

    def copy(self) -> dict[type, int]:
        """PostgreSQL: the primary keys reserved from each table's sequence, then every
        table loaded with COPY (foreign keys are checked at commit)."""
        counts = {}
        with connection.cursor() as cursor:
            for model in MODELS_IN_ORDER:
                rows = self.rows[model]
                counts[model] = len(rows)
                if rows:
                    cursor.execute(
                        "SELECT nextval(pg_get_serial_sequence(%s, 'id')) "
                        "FROM generate_series(1, %s)",
                        [model._meta.db_table, len(rows)],
                    )
                    for obj, (pk,) in zip(rows, cursor.fetchall(), strict=True):
                        obj.pk = pk
            for deadline in self.rows[Deadline]:
                deadline.source = str(deadline.source)
            for event in self.rows[CaseEvent]:
                event.data = _resolve(event.data)
            raw = cursor.cursor
            for model in MODELS_IN_ORDER:
                if self.rows[model]:
                    _copy(raw, model, self.rows[model])
                if model is Process and self.links:
                    table = connection.ops.quote_name(CaseProcess._meta.db_table)
                    with raw.copy(f"COPY {table} (process_ptr_id, case_id) FROM STDIN") as out:
                        for process, case in self.links:
                            out.write_row((process.pk, case.pk))
        return counts


def _columns(model) -> list[tuple[str, str, object]]:
    """(attname, how to convert, field) for each column of the model's table."""
    columns = []
    for f in model._meta.local_concrete_fields:
        if f.is_relation:
            how = "fk"
        elif isinstance(f, JSONField):
            how = "json"
        elif isinstance(f, FileField) or f.__class__.__module__.startswith("viewflow"):
            how = "prep"
        elif isinstance(f, CharField | TextField):
            how = "str"
        else:
            how = "raw"
        columns.append((f.attname, how, f))
    return columns


def _copy(raw, model, rows) -> None:
    columns = _columns(model)
    names = ", ".join(connection.ops.quote_name(f.column) for _, _, f in columns)
    table = connection.ops.quote_name(model._meta.db_table)
    with raw.copy(f"COPY {table} ({names}) FROM STDIN") as out:
        for obj in rows:
            values = []
            for attname, how, f in columns:
                value = obj.__dict__.get(attname)
                if how == "fk":
                    related = f.get_cached_value(obj, None)
                    if related is not None:
                        value = related.pk
                elif value is None:
                    pass
                elif how == "str":
                    value = str(value)
                elif how == "json":
                    value = json.dumps(value, ensure_ascii=False)
                elif how == "prep":
                    value = f.get_prep_value(value)
                values.append(value)
            out.write_row(values)


# --- The simulation of one case ---------------------------------------------------------------


class Stop(Exception):
    """The next step would happen after today: the case stays where it is."""


def siren(rng: random.Random) -> str:
    while True:
        first = str(rng.randint(30_000_000, 99_999_999))
        for digit in "0123456789":
            if luhn_ok(first + digit):
                return first + digit


def money(value: float) -> Decimal:
    return Decimal(f"{value:.2f}")


class CaseSim:
    """One case from its creation to today. `self.t` is the time of the last thing done;
    `self.node` the flow step open now (with whom and since when)."""

    def __init__(
        self,
        gen: Generator,
        batch: Batch,
        created_at: datetime.datetime,
        ref: str,
        rng: random.Random,
    ):
        self.g, self.b, self.rng = gen, batch, rng
        self.now = gen.now
        self.t = created_at
        rng = self.rng
        self.pace = math.exp(rng.gauss(0, 0.35))
        self.poste = gen.pick_poste(rng)
        self.direction = gen.directions[self.poste.direction_id]
        self.action = rng.choices(gen.actions, gen.action_weights)[0]
        self.mode = rng.choices(list(MODE_WEIGHTS), list(MODE_WEIGHTS.values()))[0]
        self.referrer = rng.choice(gen.people.referrers[self.poste.pk])
        self.places, self.tj, self.ca = PLACES.get(
            self.direction.code, ([("Paris", "75001")], "Paris", "Paris")
        )
        self.status = S.DRAFT
        self.node: str | None = None
        self.node_owner: User | None = None
        self.node_since = created_at
        self.closed_at: datetime.datetime | None = None
        self.process_status = PROCESS.NEW
        self.claims: list[Claim] = []
        self.deadlines: list[Deadline] = []
        self.jurist: User | None = None
        self.expert: User | None = None
        self.decision: Decision | None = None
        self.appealed = False
        self.hearing_court = ""
        self.debtor = batch.add(self.make_debtor())
        self.case = batch.add(
            Case(
                reference=ref,
                direction=self.direction,
                poste_comptable=self.poste,
                mode=self.mode,
                action_type=self.action,
                debtor=self.debtor,
                facts=FACTS.get(self.action.code, "Redevable défaillant."),
                request=REQUESTS[self.mode],
                created_by=self.referrer,
                created_at=created_at,
            )
        )
        self.local_law = False

    # Time ---------------------------------------------------------------------------------

    def at(self, days: float, *, office: bool = True) -> datetime.datetime:
        """The moment `days` after the last one (during office hours on a weekday), or
        Stop if that is after now."""
        rng = self.rng
        moment = self.t + datetime.timedelta(days=max(days, 0))
        if office:
            local = moment.astimezone(PARIS)
            while local.weekday() >= 5:
                local += datetime.timedelta(days=1)
            local = local.replace(
                hour=rng.randint(8, 17), minute=rng.randint(0, 59), second=rng.randint(0, 59)
            )
            moment = local
        if moment <= self.t:
            moment = self.t + datetime.timedelta(minutes=rng.randint(1, 30))
        if moment > self.now:
            raise Stop
        self.t = moment
        return moment

    def until(self, moment: datetime.datetime) -> None:
        """Wait for `moment` (a hearing day, a deadline), or Stop if it is after now."""
        if moment > self.now:
            raise Stop
        self.t = max(self.t, moment)

    def soon(self) -> datetime.datetime:
        """A few seconds after the last moment (the next entry of the same operation)."""
        self.t = self.t + datetime.timedelta(seconds=1)
        return self.t

    def days(self, median: float, sigma: float = 0.6, low: float = 0.0) -> float:
        return max(low, median * self.pace * math.exp(self.rng.gauss(0, sigma)))

    def date(self, moment: datetime.datetime | None = None) -> datetime.date:
        return (moment or self.t).astimezone(PARIS).date()

    # Rows ---------------------------------------------------------------------------------

    def event(self, at, actor, kind, summary, **fields) -> CaseEvent:
        return self.b.add(
            CaseEvent(
                case=self.case,
                at=at,
                actor=actor,
                actor_label=self.g.people.labels.get(actor.pk, "") if actor else "",
                kind=kind,
                summary=summary[:300],
                **fields,
            )
        )

    def fire(self, name: str, actor: User, at=None, reason: str = "", **kwargs) -> CaseEvent:
        sources, target, done = TRANSITIONS[name]
        assert self.status in sources, (name, self.status)
        event = self.event(
            at or self.t,
            actor,
            EventKind.TRANSITION,
            done,
            transition=name,
            source_status=self.status,
            target_status=target,
            reason=reason,
            data={k: str(v) for k, v in kwargs.items() if v not in (None, "")},
        )
        self.status = target
        if name in CLOSURE_BY_TRANSITION:
            self.case.closure_reason = CLOSURE_BY_TRANSITION[name]
        elif name == "close":
            self.case.closure_reason = kwargs["closure_reason"]
        if name == "submit":
            self.case.submitted_at = event.at
        if target in (S.CLOSED, S.DECLINED):
            self.closed_at = event.at
            self.node = None
            self.process_status = PROCESS.CANCELED if name == "withdraw" else PROCESS.DONE
        return event

    def open(self, node: str, owner: User | None = None) -> None:
        self.node, self.node_owner, self.node_since = node, owner, self.t

    def piece(self, kind: str, who: User, at, *, event: bool = True) -> Piece:
        name, size, sha = self.g.sample
        piece = self.b.add(
            Piece(
                case=self.case,
                kind=kind,
                uploaded_by=who,
                uploaded_at=at,
                file=name,
                original_name=f"{kind}_{self.case.reference}.pdf",
                size=size,
                content_type=PDF,
                sha256=sha,
            )
        )
        if event:
            self.event(
                at,
                who,
                EventKind.PIECE_ADDED,
                f"Pièce ajoutée : {PieceKind(kind).label} — {piece.original_name}",
                data={"piece": piece, "sha256": sha, "size": size},
            )
        return piece

    # The referral ---------------------------------------------------------------------------

    def make_debtor(self) -> Debtor:
        rng = self.rng
        natural = self.action.code in ("action_paulienne", "partage_indivision", "action_oblique")
        natural = not self.action.requires_legal_person and rng.random() < (
            0.55 if natural else 0.15
        )
        commune, postal = rng.choice(self.places)
        address = f"{rng.randint(1, 120)} {rng.choice(STREETS)}, {postal} {commune}"
        if natural:
            female = rng.random() < 0.45
            name = rng.choice(LAST)
            return Debtor(
                kind=DebtorKind.NATURAL,
                name=name,
                first_name=rng.choice(FEMALE if female else MALE),
                birth_date=datetime.date(rng.randint(1945, 1990), rng.randint(1, 12), 1)
                + datetime.timedelta(days=rng.randint(0, 27)),
                address=address,
                name_key=fold_name(name),
            )
        suffix = rng.choice(SUFFIXES + [commune, rng.choice(LAST)])
        name = f"{rng.choice(FORMS)} {rng.choice(TRADES)} {suffix}"
        return Debtor(
            kind=DebtorKind.LEGAL,
            name=name,
            siren=siren(rng),
            address=address,
            name_key=fold_name(name),
        )

    def make_claims(self, submitted: datetime.date) -> None:
        rng = self.rng
        total = min(5_000_000, max(5_000, math.exp(rng.gauss(math.log(60_000), 1.25))))
        count = rng.choices([1, 2, 3, 4], [40, 32, 18, 10])[0]
        shares = [rng.random() + 0.3 for _ in range(count)]
        taxes = (
            [TaxKind.IR, TaxKind.IR, TaxKind.TF, TaxKind.TH, TaxKind.AMENDE]
            if self.debtor.kind == DebtorKind.NATURAL
            else [
                TaxKind.TVA,
                TaxKind.TVA,
                TaxKind.IS,
                TaxKind.CFE,
                TaxKind.CVAE,
                TaxKind.PAS,
                TaxKind.TAXE_ANNEXE,
                TaxKind.AMENDE,
            ]
        )
        near = rng.random() < 0.12  # a claim close to its prescription when referred
        for index, share in enumerate(shares):
            amount = total * share / sum(shares)
            rate = rng.choice([0.05, 0.1, 0.1, 0.1, 0.4, 0.8]) if rng.random() < 0.9 else 0
            principal = money(amount / (1 + rate))
            penalties = money(float(principal) * rate)
            whole = principal + penalties
            remaining = whole if rng.random() < 0.75 else money(float(whole) * rng.uniform(0.4, 1))
            assessed = submitted - datetime.timedelta(days=rng.randint(120, 1300))
            if near and index == 0:
                # prescription 1 to 9 months after the referral
                last = add_years(submitted, -4) + datetime.timedelta(days=rng.randint(30, 270))
                assessed = min(assessed, last - datetime.timedelta(days=rng.randint(0, 200)))
            elif rng.random() < 0.75:
                last = assessed + datetime.timedelta(
                    days=rng.randint(0, max(0, (submitted - assessed).days - 10))
                )
            else:
                last = None
            start = last or assessed
            if add_years(start, 4) < submitted + datetime.timedelta(days=30):
                last = submitted - datetime.timedelta(days=rng.randint(10, 200))
                last = max(last, assessed)
            year = assessed.year - rng.choice([0, 1, 1, 2])
            period = str(year) if rng.random() < 0.6 else f"T{rng.randint(1, 4)} {year}"
            self.claims.append(
                self.b.add(
                    Claim(
                        case=self.case,
                        tax=taxes[rng.randrange(len(taxes))],
                        period=period,
                        assessment_date=assessed,
                        principal=principal,
                        penalties=penalties,
                        remaining=remaining,
                        last_interruptive_act=last,
                    )
                )
            )

    @property
    def at_stake(self) -> Decimal:
        return sum((c.remaining for c in self.claims), Decimal("0"))

    def make_target(self, submitted: datetime.date) -> None:
        rng = self.rng
        kind = self.action.target_kind
        commune, postal = rng.choice(self.places)
        if kind == TargetKind.PROPERTY:
            prop = PropertyTarget(
                case=self.case,
                address=f"{rng.randint(1, 90)} {rng.choice(STREETS)}",
                postal_code=postal,
                commune=commune,
                departement=self.direction.departement,
                cadastral_section=rng.choice("ABCDEHKLZ") + rng.choice("ABCDEHKLMNZ"),
                cadastral_number=str(rng.randint(1, 999)),
                description=rng.choice(PROPERTY_KINDS),
            )
            self.b.add(prop)
            self.local_law = (
                self.action.alsace_moselle_local_law and prop.departement in ALSACE_MOSELLE
            )
            self.departement = prop.departement
        elif kind == TargetKind.MANAGER:
            female = rng.random() < 0.3
            self.b.add(
                ManagerTarget(
                    case=self.case,
                    last_name=rng.choice(LAST),
                    first_name=rng.choice(FEMALE if female else MALE),
                    birth_date=datetime.date(rng.randint(1950, 1992), rng.randint(1, 12), 1),
                    address=f"{rng.randint(1, 90)} {rng.choice(STREETS)}, {postal} {commune}",
                    function=rng.choice(["Gérant de droit", "Président", "Gérant de fait"]),
                    grounds="Inobservation grave et répétée des obligations déclaratives et de "
                    "paiement de la TVA (LPF L.267).",
                )
            )
        elif kind == TargetKind.THIRD_PARTY:
            first = min(c.assessment_date for c in self.claims)
            span = max(1, (submitted - first).days - 5)
            self.b.add(
                ThirdPartyHolderTarget(
                    case=self.case,
                    name=rng.choice(BANKS),
                    siren=siren(rng),
                    address=f"{rng.randint(1, 90)} {rng.choice(STREETS)}, {postal} {commune}",
                    satd_date=first + datetime.timedelta(days=rng.randint(0, span)),
                    satd_amount=money(float(self.at_stake) * rng.uniform(0.3, 1)),
                )
            )

    # The path -------------------------------------------------------------------------------

    def run(self) -> None:
        rng = self.rng
        created = self.t
        self.departement = self.direction.departement
        self.event(created, self.referrer, EventKind.CREATED, "Dossier créé (brouillon)")
        draft_days = self.days(4, 0.8)
        submitted_guess = self.date(created + datetime.timedelta(days=draft_days))
        self.make_claims(min(submitted_guess, self.date(self.now)))
        self.make_target(submitted_guess)
        for kind in self.action.required_pieces:
            self.piece(kind, self.referrer, self.soon())
        if rng.random() < 0.35:
            self.piece(
                rng.choice(["fiche_patrimoniale", "bilans", "autre"]), self.referrer, self.soon()
            )
        try:
            if rng.random() < 0.01:  # a draft forgotten by its author
                raise Stop
            self.at(draft_days)
            self.fire("submit", self.referrer)
            if self.receivability():
                self.assignment()
                if self.mode == Mode.AVIS:
                    self.opinion()
                elif self.mode == Mode.SOUTIEN:
                    self.support()
                else:
                    self.takeover()
        except Stop:
            pass

    def pole_member(self) -> User:
        people = self.g.people
        if people.intake and self.rng.random() < 0.45:
            return self.rng.choice(people.intake)
        return people.head

    def receivability(self) -> bool:
        """Accepted (True), or declined / withdrawn (False); Stop while pending."""
        rng = self.rng
        for loop in range(4):
            self.open("receivability")
            if rng.random() < 0.01:
                self.at(self.days(3))
                self.fire(
                    "withdraw",
                    self.referrer,
                    reason="La direction retire sa demande : le redevable a proposé un échéancier.",
                )
                return False
            self.at(self.days(6, 0.7))
            actor = self.pole_member()
            draw = rng.random()
            if draw < (0.17 if loop == 0 else 0.08) and loop < 3:
                grounds = rng.sample(list(ReturnGround), rng.choices([1, 2, 3], [55, 35, 10])[0])
                reason = "\n".join(f"- {RETURN_LINES[g]}" for g in grounds)
                event = self.fire("return_for_completion", actor, reason=reason)
                for ground in grounds:
                    self.b.add(ReturnGroundRecord(event=event, ground=ground))
                self.open("completion")
                if rng.random() < 0.07:
                    self.at(self.days(20))
                    self.fire(
                        "withdraw",
                        self.referrer,
                        reason="Dossier abandonné par la "
                        "direction : les pièces demandées ne peuvent être réunies.",
                    )
                    return False
                self.at(self.days(14, 0.8))
                kind = "autre" if ReturnGround.PIECES not in grounds else "fiche_immeuble"
                self.event(
                    self.t,
                    self.referrer,
                    EventKind.UPDATED,
                    "Dossier modifié : saisine",
                    data={"sections": ["saisine"]},
                )
                self.piece(kind, self.referrer, self.soon())
                self.fire("resubmit", self.referrer, self.soon())
                continue
            if draw > 0.96:
                self.fire("decline", actor, reason=rng.choice(DECLINE_REASONS))
                return False
            self.fire("accept", actor)
            return True
        return False

    def assignment(self) -> None:
        rng, people = self.rng, self.g.people
        self.open("assignment")
        self.at(self.days(3, 0.8))
        jurist = rng.choice(people.jurists)
        expert = None
        if self.mode == Mode.AVIS and rng.random() < 0.6:
            others = [e for e in people.experts if e.direction_id != self.direction.pk]
            expert = rng.choice(others or people.experts)
            if rng.random() < 0.4:
                jurist = None
        self.assign(jurist, expert)
        if self.mode == Mode.SOUTIEN:
            self.fire("start_support", people.head, self.soon())
        elif self.mode == Mode.PRISE_EN_CHARGE:
            self.fire("take_over", people.head, self.soon())

    def assign(self, jurist: User | None, expert: User | None) -> None:
        given = []
        if jurist is not None:
            self.jurist = jurist
            given.append(f"juriste : {jurist.get_full_name()}")
        if expert is not None:
            self.expert = expert
            given.append(
                f"expert : {expert.get_full_name()} ({self.g.directions[expert.direction_id]})"
            )
        self.event(
            self.t,
            self.g.people.head,
            EventKind.ASSIGNED,
            "Dossier attribué (" + ", ".join(given) + ")",
            data={"jurist": jurist, "expert": expert},
        )

    # Avis d'opportunité ---------------------------------------------------------------------

    def opinion(self) -> None:
        rng, head = self.rng, self.g.people.head
        author = self.expert or self.jurist
        conclusion = rng.choices(list(OpinionConclusion), [55, 25, 20])[0]
        recommended = None
        if conclusion == OpinionConclusion.OTHER_ACTION:
            recommended = self.g.actions_by_code[OTHER_ACTIONS[self.action.code]]
        risk = {
            OpinionConclusion.FAVOURABLE: [45, 40, 15],
            OpinionConclusion.UNFAVOURABLE: [10, 30, 60],
            OpinionConclusion.OTHER_ACTION: [20, 55, 25],
        }[conclusion]
        returned = rng.random() < 0.2
        opinion = None
        for version in (1, 2) if returned else (1,):
            self.open("write_opinion", author)
            self.at(self.days(15 if version == 1 else 7, 0.7))
            opinion = self.b.add(
                Opinion(
                    case=self.case,
                    version=version,
                    author=author,
                    conclusion=conclusion,
                    recommended_action=recommended,
                    reasons=self.opinion_reasons(conclusion, recommended),
                    risk_level=rng.choices(list(RiskLevel), risk)[0],
                    risk_assessment="Solvabilité du redevable, patrimoine saisissable identifié, "
                    "aléa judiciaire et coût de la procédure appréciés au regard des créances.",
                    status=OpinionStatus.SUBMITTED,
                    submitted_at=self.t,
                )
            )
            label = opinion.get_conclusion_display().lower()
            if recommended is not None:
                label += f" : {recommended}"
            self.event(
                self.t,
                author,
                EventKind.OPINION_SUBMITTED,
                f"Avis (version {version}, {label}) soumis à validation",
                data={"opinion": opinion, "version": version, "conclusion": conclusion.value},
            )
            self.open("validate_opinion")
            self.at(self.days(4, 0.7))
            opinion.reviewed_by, opinion.reviewed_at = head, self.t
            if version == 1 and returned:
                opinion.status = OpinionStatus.RETURNED
                opinion.review_comments = rng.choice(
                    [
                        "Préciser l'analyse du patrimoine saisissable.",
                        "Chiffrer le coût de la procédure et le comparer aux créances.",
                        "Développer le risque d'une procédure collective.",
                    ]
                )
                self.event(
                    self.t,
                    head,
                    EventKind.OPINION_RETURNED,
                    f"Avis (version 1) renvoyé à {author.get_full_name()}",
                    reason=opinion.review_comments,
                    data={"opinion": opinion, "version": 1},
                )
        assert opinion is not None
        opinion.status = OpinionStatus.VALIDATED
        self.fire("give_opinion", head, self.soon())
        self.open("follow_up")
        self.at(self.days(20, 0.8))
        if conclusion == OpinionConclusion.FAVOURABLE:
            follow = rng.choices(list(OpinionFollow), [72, 14, 14])[0]
        elif conclusion == OpinionConclusion.UNFAVOURABLE:
            follow = rng.choices(list(OpinionFollow), [78, 8, 14])[0]
        else:
            follow = rng.choices(list(OpinionFollow), [55, 25, 20])[0]
        takeover = (
            conclusion == OpinionConclusion.FAVOURABLE
            and follow == OpinionFollow.FOLLOWED
            and rng.random() < 0.35
        )
        opinion.follow, opinion.follow_up_by, opinion.follow_up_at = follow, self.referrer, self.t
        opinion.takeover_requested = takeover
        summary = f"La direction a indiqué : {follow.label.lower()}"
        if takeover:
            summary += " ; prise en charge demandée"
        self.event(
            self.t,
            self.referrer,
            EventKind.OPINION_FOLLOW_UP,
            summary,
            data={
                "opinion": opinion,
                "version": opinion.version,
                "follow": follow.value,
                "takeover_requested": takeover,
            },
        )
        if not takeover:
            self.fire("close_after_opinion", self.referrer, self.soon())
            return
        self.open("takeover_decision")
        self.at(self.days(5))
        if rng.random() < 0.12:
            self.fire(
                "close",
                head,
                reason="Prise en charge refusée : la direction peut conduire l'action seule.",
                closure_reason=ClosureReason.OPINION_GIVEN,
            )
            return
        if self.jurist is None:
            self.assign(rng.choice(self.g.people.jurists), None)
        self.fire("take_over_after_opinion", head, self.soon())
        self.takeover()

    def opinion_reasons(self, conclusion, recommended) -> str:
        if conclusion == OpinionConclusion.FAVOURABLE:
            return (
                f"L'action « {self.action} » est opportune : patrimoine identifié, créances "
                "exigibles et non prescrites, coût de la procédure mesuré."
            )
        if conclusion == OpinionConclusion.UNFAVOURABLE:
            return (
                f"L'action « {self.action} » n'est pas opportune : aléa judiciaire élevé et "
                "perspective de recouvrement trop faible au regard du coût."
            )
        return f"L'action « {recommended} » paraît plus pertinente que « {self.action} »."

    # Soutien technique ------------------------------------------------------------------------

    def support(self) -> None:
        self.open("support", self.jurist)
        self.at(self.days(45, 0.8))
        actor = self.jurist if self.rng.random() < 0.7 else self.referrer
        self.fire(
            "end_support",
            actor,
            reason="Projet d'acte relu et modèle transmis ; la direction poursuit seule la "
            "procédure.",
        )

    # Prise en charge ----------------------------------------------------------------------------

    def court(self) -> str:
        code = self.action.code
        if code in ("saisie_immobiliere", "tiers_detenteur"):
            return f"Juge de l'exécution du tribunal judiciaire de {self.tj}"
        if code == "procedure_collective":
            return f"Tribunal de commerce de {self.tj}"
        if code == "solidarite_dirigeant":
            return f"Président du tribunal judiciaire de {self.tj}"
        return f"Tribunal judiciaire de {self.tj}"

    def maybe_close_out_of_course(self) -> None:
        """The head closes a case out of its normal course now and then."""
        rng = self.rng
        if rng.random() < 0.025:
            self.at(self.days(30))
            reason, text = rng.choice(
                [
                    (
                        ClosureReason.WITHDRAWN,
                        "La direction renonce à l'action : le redevable "
                        "a souscrit un plan de règlement.",
                    ),
                    (
                        ClosureReason.IRRECOVERABLE,
                        "Redevable placé en liquidation judiciaire "
                        "sans actif : créance déclarée au passif.",
                    ),
                    (ClosureReason.PRESCRIBED, "Prescription acquise avant tout acte utile."),
                ]
            )
            self.close(self.g.people.head, reason, text)
            raise Stop

    def close(self, actor: User, reason: str, text: str) -> None:
        for deadline in self.deadlines:
            if deadline.status == DeadlineStatus.OPEN:
                self.deadline_closed(deadline, actor, cancel="Dossier clos.")
        self.fire("close", actor, self.soon(), reason=text, closure_reason=reason)

    def takeover(self) -> None:
        rng = self.rng
        jurist = self.jurist
        self.open("mandate_lawyer", jurist)
        self.maybe_close_out_of_course()
        self.at(self.days(12))
        lawyer = self.g.lawyer_for(self.direction, rng)
        mandated_on = self.date()
        mandate = self.b.add(
            LawyerMandate(
                case=self.case,
                lawyer=lawyer,
                mandated_on=mandated_on,
                fee_agreement=lawyer.fee_agreement,
                instructions="Engager l'action selon la note de saisine jointe.",
                created_by=jurist,
                created_at=self.t,
            )
        )
        self.event(
            self.t,
            jurist,
            EventKind.LAWYER_MANDATED,
            f"Avocat mandaté le {short_date(mandated_on)} : {lawyer}",
            data={"mandate": mandate, "lawyer": lawyer, "replaced_mandate": None},
        )
        self.open("starting_act", jurist)
        self.maybe_close_out_of_course()
        self.at(self.days(35))
        today = self.date()
        kind = (
            StartingActKind.COMMANDEMENT
            if self.action.code == "saisie_immobiliere"
            else StartingActKind.REQUETE
            if self.action.code == "partage_indivision" and rng.random() < 0.3
            else StartingActKind.ASSIGNATION
        )
        signed = max(mandated_on, today - datetime.timedelta(days=rng.randint(5, 20)))
        served = min(today, signed + datetime.timedelta(days=rng.randint(1, 10)))
        court = self.court()
        act = self.b.add(
            StartingAct(
                case=self.case,
                kind=kind,
                court=court,
                signed_on=signed,
                served_on=served,
                created_by=jurist,
                created_at=self.t,
            )
        )
        self.interrupt(jurist, served, f"{act.get_kind_display()} signifié")
        trigger = rules.STARTING_ACT_TRIGGERS.get(kind)
        if trigger:
            self.deadline_act(
                jurist,
                trigger,
                served,
                Ref("starting_act", act),
                f"{act.get_kind_display()} signifié",
            )
        self.fire(
            "engage_action",
            jurist,
            self.soon(),
            reason=f"{act.get_kind_display()} signé le {long_date(signed)}, signifié le "
            f"{long_date(served)} ({court})",
        )
        self.hearing_court = court
        self.judicial(Instance.FIRST, served)

    def judicial(self, instance: str, start: datetime.date) -> None:
        """Hearings, deliberation, decision, then appeal or execution."""
        rng, jurist = self.rng, self.jurist
        self.open("hearings", jurist)
        self.maybe_close_out_of_course()
        if (
            instance == Instance.FIRST
            and self.action.code == "saisie_immobiliere"
            and not self.local_law
        ):
            self.cpce_acts(start)
        court = self.hearing_court
        purpose = (
            "Audience d'orientation"
            if self.action.code == "saisie_immobiliere" and instance == Instance.FIRST
            else rng.choice(["Plaidoiries", "Audience de mise en état", "Audience de plaidoirie"])
        )
        self.at(self.days(10))
        when = self.hearing_time(self.days(75, 0.5, 25))
        hearing = self.schedule(instance, court, when, purpose)
        depth = 0
        while True:
            # the hearing day (or the next time the jurist records it)
            self.until(hearing.scheduled_at)
            self.at(rng.uniform(0, 2))
            if rng.random() < (0.3 if depth == 0 else 0.12) and depth < 4:
                new = self.hearing_time(self.days(45, 0.5, 14))
                reason = rng.choice(ADJOURN_REASONS)
                hearing.status, hearing.adjournment_reason = HearingStatus.ADJOURNED, reason
                replacement = self.b.add(
                    Hearing(
                        case=self.case,
                        instance=instance,
                        court=court,
                        scheduled_at=new,
                        purpose=purpose,
                        adjourned_from=hearing,
                        created_by=jurist,
                        created_at=self.t,
                    )
                )
                depth += 1
                self.b.hearing_depth[id(replacement)] = depth
                self.event(
                    self.t,
                    jurist,
                    EventKind.HEARING_ADJOURNED,
                    f"Audience du {short_datetime(hearing.scheduled_at)} renvoyée au "
                    f"{short_datetime(new)} : "
                    f"{reason}",
                    reason=reason,
                    data={
                        "hearing": replacement,
                        "adjourned_hearing": hearing,
                        "scheduled_at": new.isoformat(),
                        "previous_date": hearing.scheduled_at.isoformat(),
                    },
                )
                hearing = replacement
                continue
            hearing.status = HearingStatus.HELD
            self.event(
                self.t,
                jurist,
                EventKind.HEARING_HELD,
                f"Audience du {short_datetime(hearing.scheduled_at)} tenue devant "
                f"{court_in_sentence(court)} "
                f"({lower_first(purpose)})",
                data={"hearing": hearing},
            )
            break
        deliberation = self.date() + datetime.timedelta(days=int(self.days(35, 0.4, 14)))
        self.fire(
            "await_decision", jurist, self.soon(), reason=f"Délibéré au {long_date(deliberation)}"
        )
        self.open("decision", jurist)
        self.until(datetime.datetime.combine(deliberation, datetime.time(9), tzinfo=PARIS))
        self.at(self.days(8, 0.7))
        self.record_decision(instance, deliberation, court)
        self.appeal_or_execution(instance)

    def hearing_time(self, days: float) -> datetime.datetime:
        day = self.date() + datetime.timedelta(days=int(days))
        while day.weekday() >= 5 or not is_working_day(day, self.departement):
            day += datetime.timedelta(days=1)
        hour, minute = self.rng.choice([(9, 0), (9, 30), (10, 0), (14, 0), (14, 30)])
        return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=PARIS)

    def schedule(self, instance, court, when, purpose) -> Hearing:
        hearing = self.b.add(
            Hearing(
                case=self.case,
                instance=instance,
                court=court,
                scheduled_at=when,
                purpose=purpose,
                created_by=self.jurist,
                created_at=self.t,
            )
        )
        self.event(
            self.t,
            self.jurist,
            EventKind.HEARING_SET,
            f"Audience fixée le {short_datetime(when)} devant {court_in_sentence(court)} "
            f"({lower_first(purpose)})",
            data={"hearing": hearing, "scheduled_at": when.isoformat()},
        )
        return hearing

    def cpce_acts(self, served: datetime.date) -> None:
        """Saisie immobilière: publication of the commandement, then the assignation to the
        orientation hearing, each a procedure act that meets and starts deadlines; the
        denunciation and the cahier des conditions de vente marked done from the page."""
        rng, jurist = self.rng, self.jurist
        late = rng.random() < 0.1
        self.until(datetime.datetime.combine(served, datetime.time(9), tzinfo=PARIS))
        self.at(self.days(70 if late else 30, 0.3))
        self.procedure_act(ProcedureActKind.PUBLICATION, self.date())
        self.at(self.days(35, 0.3))
        self.procedure_act(ProcedureActKind.ASSIGNATION, self.date())
        for deadline in list(self.deadlines):
            if deadline.status == DeadlineStatus.OPEN and deadline.template in (
                "si_denonciation",
                "si_cahier",
            ):
                self.at(rng.uniform(1, 4))
                act = (
                    "Dénonciation aux créanciers inscrits"
                    if deadline.template == "si_denonciation"
                    else "Cahier des conditions de vente déposé au greffe"
                )
                self.deadline_closed(deadline, jurist, act=act, done_on=self.date())

    def procedure_act(self, kind: str, day: datetime.date) -> ProcedureAct:
        act = self.b.add(
            ProcedureAct(
                case=self.case, kind=kind, date=day, created_by=self.jurist, created_at=self.t
            )
        )
        label = ProcedureActKind(kind).label
        self.event(
            self.t,
            self.jurist,
            EventKind.PROCEDURE_ACT,
            f"{label} le {short_date(day)}",
            data={"procedure_act": act, "kind": kind, "date": day.isoformat()},
        )
        if kind == rules.Trigger.COMMANDEMENT_SERVED:
            self.interrupt(self.jurist, day, label)
        self.deadline_act(self.jurist, kind, day, Ref("procedure_act", act), label)
        return act

    def record_decision(self, instance: str, decided_on: datetime.date, court: str) -> None:
        rng, jurist = self.rng, self.jurist
        today = self.date()
        decided_on = min(decided_on, today)
        outcome = rng.choices(list(DecisionOutcome), [50, 20, 20, 6, 4])[0]
        stake = self.at_stake
        awarded = None
        if outcome == DecisionOutcome.GRANTED:
            awarded = stake
        elif outcome == DecisionOutcome.PARTLY:
            awarded = (stake * Decimal(str(rng.uniform(0.3, 0.85)))).quantize(CENT, ROUND_DOWN)
        notified = None
        if rng.random() < 0.92 and (today - decided_on).days >= 1:
            notified = decided_on + datetime.timedelta(
                days=rng.randint(1, min(25, (today - decided_on).days))
            )
        judgment = self.piece(PieceKind.JUGEMENT, jurist, self.t, event=False)
        decision = self.b.add(
            Decision(
                case=self.case,
                instance=instance,
                decided_on=decided_on,
                court=court,
                outcome=outcome,
                amount_awarded=awarded,
                notified_on=notified,
                judgment=judgment,
                summary=f"{outcome.label}.",
                created_by=jurist,
                created_at=self.t,
            )
        )
        self.decision = decision
        self.fire(
            "record_decision",
            jurist,
            self.soon(),
            reason=f"{outcome.label} ({court}, {long_date(decided_on)})",
        )
        if notified is not None:
            self.deadline_act(
                jurist,
                rules.Trigger.DECISION_NOTIFIED,
                notified,
                Ref("decision", decision),
                "Notification de la décision",
                suffix=f" du {short_date(decided_on)} ({court})",
            )

    def appeal_or_execution(self, instance: str) -> None:
        rng, jurist = self.rng, self.jurist
        decision = self.decision
        self.open("appeal_decision", jurist)
        self.at(self.days(10, 0.6))
        outcome = decision.outcome
        party = None
        if instance == Instance.FIRST:
            if outcome == DecisionOutcome.REJECTED and rng.random() < 0.4:
                party = AppealParty.POLE
            elif outcome in (DecisionOutcome.GRANTED, DecisionOutcome.PARTLY):
                party = AppealParty.OPPONENT if rng.random() < 0.15 else None
        appeal_deadline = next(
            (d for d in self.deadlines if d.template == "appel" and d.status == "open"), None
        )
        if party is not None:
            start = decision.notified_on or decision.decided_on
            last = self.date()
            if party == AppealParty.POLE and appeal_deadline is not None:
                last = min(last, appeal_deadline.due_date)
            lodged = start + datetime.timedelta(days=rng.randint(0, max(0, (last - start).days)))
            court = f"Cour d'appel de {self.ca}"
            grounds = (
                "Le pôle conteste l'appréciation des faits et des manquements retenue."
                if party == AppealParty.POLE
                else "Le redevable conteste le bien-fondé de la condamnation."
            )
            appeal = self.b.add(
                Appeal(
                    case=self.case,
                    decision=decision,
                    lodged_by=party,
                    lodged_on=lodged,
                    court=court,
                    grounds=grounds,
                    created_by=jurist,
                    created_at=self.t,
                )
            )
            if appeal_deadline is not None:
                self.deadline_closed(
                    appeal_deadline,
                    jurist,
                    act=f"Appel interjeté ({appeal.get_lodged_by_display()})",
                    done_on=lodged,
                )
            self.fire(
                "appeal",
                jurist,
                self.soon(),
                reason=f"{appeal.get_lodged_by_display()} — {court}, le {long_date(lodged)} : "
                f"{grounds}",
            )
            self.appealed = True
            self.hearing_court = court
            self.judicial(Instance.APPEAL, lodged)
            return
        if appeal_deadline is not None and appeal_deadline.due_date < self.date():
            self.deadline_closed(
                appeal_deadline,
                jurist,
                act="Délai expiré sans appel : décision définitive",
                done_on=appeal_deadline.due_date,
            )
        self.fire("start_execution", jurist, self.soon())
        self.execution()

    def execution(self) -> None:
        rng, jurist = self.rng, self.jurist
        self.open("execution", jurist)
        decision = self.decision
        for deadline in self.deadlines:
            if deadline.status == "open" and deadline.template == "appel":
                self.at(max(0, (deadline.due_date - self.date()).days + 1))
                self.deadline_closed(
                    deadline,
                    jurist,
                    act="Délai expiré sans appel : décision définitive",
                    done_on=deadline.due_date,
                )
        awarded = decision.amount_awarded or Decimal("0")
        if self.action.code == "saisie_immobiliere" and awarded > 0 and not self.local_law:
            self.at(self.days(100, 0.4))
            self.procedure_act(ProcedureActKind.ADJUDICATION, self.date())
            for deadline in list(self.deadlines):
                if deadline.status == "open" and deadline.template == "si_surenchere":
                    self.until(
                        datetime.datetime.combine(deadline.due_date, datetime.time(9), PARIS)
                    )
                    self.at(1)
                    self.deadline_closed(
                        deadline, jurist, act="Aucune surenchère formée", done_on=self.date()
                    )
        recovered = Decimal("0")
        if awarded > 0:
            draw = rng.random()
            target = (
                awarded
                if draw < 0.55
                else (awarded * Decimal(str(rng.uniform(0.1, 0.9)))).quantize(CENT, ROUND_DOWN)
                if draw < 0.85
                else Decimal("0")
            )
            parts = rng.choices([1, 2, 3], [50, 30, 20])[0] if target > 0 else 0
            for index in range(parts):
                self.at(self.days(60, 0.7))
                if index == parts - 1:
                    amount = target - recovered
                else:
                    amount = (target / parts).quantize(CENT, ROUND_DOWN)
                if amount <= 0:
                    continue
                recovery = self.b.add(
                    Recovery(
                        case=self.case,
                        received_on=self.date(),
                        amount=amount,
                        comment=rng.choice(
                            [
                                "Virement du commissaire de justice",
                                "Paiement du redevable",
                                "Prix de vente réparti",
                            ]
                        ),
                        created_by=jurist,
                        created_at=self.t,
                    )
                )
                recovered += amount
                self.event(
                    self.t,
                    jurist,
                    EventKind.RECOVERY_RECORDED,
                    f"Encaissement de {euros(amount)} enregistré (reçu le "
                    f"{short_date(self.date())})",
                    reason=recovery.comment,
                    data={"recovery": recovery, "amount": str(amount)},
                )
                self.interrupt(jurist, self.date(), "paiement de " + euros(amount))
        self.at(self.days(30, 0.6))
        if recovered >= self.at_stake and recovered > 0:
            reason, text = ClosureReason.RECOVERED_FULL, "Créances intégralement recouvrées."
        elif recovered > 0:
            reason = ClosureReason.RECOVERED_PARTIAL
            text = f"Recouvrement partiel : {euros(recovered)} encaissés."
        elif decision.outcome == DecisionOutcome.WITHDRAWN:
            reason, text = ClosureReason.WITHDRAWN, "Désistement : l'instance est éteinte."
        elif rng.random() < 0.1:
            reason, text = ClosureReason.PRESCRIBED, "Créances prescrites faute d'acte utile."
        else:
            reason, text = ClosureReason.IRRECOVERABLE, "Aucun recouvrement possible."
        self.close(jurist, reason, text)

    # Deadlines and prescription --------------------------------------------------------------

    def interrupt(self, actor: User, on: datetime.date, what: str) -> None:
        """deadlines.services.record_interruptive_act: the claims' four years restart."""
        moved = []
        for claim in self.claims:
            if on < claim.assessment_date:
                continue
            if claim.last_interruptive_act is not None and claim.last_interruptive_act >= on:
                continue
            previous = add_years(claim.last_interruptive_act or claim.assessment_date, 4)
            claim.last_interruptive_act = on
            moved.append((claim, previous))
        if moved:
            earliest = min(
                add_years(c.last_interruptive_act or c.assessment_date, 4) for c in self.claims
            )
            self.event(
                self.soon(),
                actor,
                EventKind.PRESCRIPTION_MOVED,
                f"Prescription interrompue le {short_date(on)} "
                f"({what}) : prescription la plus proche "
                f"au {short_date(earliest)}",
                data={
                    "on": on.isoformat(),
                    "claims": [
                        {"claim": c, "from": p.isoformat(), "to": add_years(on, 4).isoformat()}
                        for c, p in moved
                    ],
                },
            )

    def due(self, template: rules.Template, start: datetime.date) -> datetime.date:
        if template.length == rules.APPEAL:
            days = self.action.appeal_days
            period = {"days": days} if days else {"months": 1}
            return compute_deadline(start, **period, departement=self.direction.departement)
        return self.g.compute(start, template, self.departement)

    def deadline_act(self, actor, trigger, start, source: Ref, act_label, suffix="") -> None:
        """deadlines.services.on_act: create what the act starts, mark done what it meets."""
        created = []
        for template in rules.templates_for(trigger, self.action.code):
            if template.cpce and self.local_law:
                continue
            if template.length == rules.APPEAL:
                days = self.action.appeal_days
                basis = rules.APPEAL_BASIS.get(days) or f"{days} jours à compter de la notification"
            else:
                basis = template.basis
            deadline = self.b.add(
                Deadline(
                    case=self.case,
                    template=template.code,
                    source=source,
                    label=(template.label + suffix)[:300],
                    basis=basis[:300],
                    start_date=start,
                    due_date=self.due(template, start),
                    critical=template.critical,
                    created_by=actor,
                    created_at=self.t,
                )
            )
            self.deadlines.append(deadline)
            created.append(deadline)
        if created:
            self.event(
                self.soon(),
                actor,
                EventKind.DEADLINES_CREATED,
                deadline_summary(
                    f"Échéances ouvertes par l'acte « {act_label} » du {short_date(start)}", created
                ),
                reason=deadline_details(created),
                data={"deadlines": created, "source": source, "trigger": trigger},
            )
        met = rules.met_by(trigger)
        for deadline in self.deadlines:
            if deadline.status == DeadlineStatus.OPEN and deadline.template in met:
                if deadline in created:
                    continue
                self.deadline_closed(
                    deadline, actor, act=f"{act_label} du {short_date(start)}", done_on=start
                )

    def deadline_closed(self, deadline, actor, *, act="", done_on=None, cancel="") -> None:
        deadline.closed_by, deadline.closed_at = actor, self.soon()
        if cancel:
            deadline.status, deadline.cancel_reason = DeadlineStatus.CANCELLED, cancel
            summary = f"Échéance annulée : {deadline.label} (au {short_date(deadline.due_date)})"
            kind = EventKind.DEADLINE_CANCELLED
        else:
            deadline.status = DeadlineStatus.DONE
            deadline.done_act, deadline.done_on = act[:300], done_on
            late = " (hors délai)" if done_on > deadline.due_date else ""
            summary = (
                f"Échéance respectée{late} : {deadline.label} — {act} le {short_date(done_on)}"
            )
            kind = EventKind.DEADLINE_DONE
        self.event(self.t, actor, kind, summary, reason=cancel, data={"deadline": deadline})

    # The end of the simulation ----------------------------------------------------------------

    def finish(self) -> None:
        case = self.case
        case.status = self.status
        case.assigned_jurist = self.jurist
        case.assigned_expert = self.expert
        case.updated_at = self.t
        for claim in self.claims:
            claim.prescription_date = claim.compute_prescription_date()
        if self.status == S.DRAFT:
            return
        process = self.b.add(
            Process(
                flow_class=CaseFlow,
                status=self.process_status,
                created=case.submitted_at,
                finished=self.closed_at,
            )
        )
        self.b.links.append((process, case))
        if self.node is None:
            assert self.status in (S.CLOSED, S.DECLINED), (case.reference, self.status)
            return
        node = getattr(CaseFlow, self.node)
        owner = self.node_owner
        if self.node in ("write_opinion", "support", "mandate_lawyer", "starting_act",
                         "hearings", "decision", "appeal_decision", "execution"):  # fmt: skip
            owner = owner or self.jurist
        if self.node == "completion":
            perm = permissions.referrer_permission(case)
        elif self.node == "receivability":
            perm = permissions.INTAKE
        elif self.node in ("assignment", "validate_opinion", "takeover_decision"):
            perm = permissions.HEAD
        elif self.node == "follow_up":
            perm = permissions.referrer_permission(case)
        else:
            perm = permissions.POLE
        self.b.add(
            Task(
                process=process,
                flow_task=node,
                flow_task_type="HUMAN",
                status=STATUS.ASSIGNED if owner else STATUS.NEW,
                created=self.node_since,
                owner=owner,
                owner_permission=perm,
                token=Token("start"),
                data={},
            )
        )


# --- The generator --------------------------------------------------------------------------------


class Generator:
    def __init__(self, people: People, *, seed: int, now: datetime.datetime | None = None):
        self.people = people
        self.seed = seed
        self.rng = random.Random(seed)
        # Up to the start of today: the same seed gives the same cases all day long.
        self.now = now or datetime.datetime.combine(
            timezone.localdate(), datetime.time(0), tzinfo=PARIS
        )
        self.today = self.now.astimezone(PARIS).date()
        self.directions = {d.pk: d for d in Direction.objects.all()}
        self.postes = list(PosteComptable.objects.order_by("pk"))
        sending = {
            pk for pk, d in self.directions.items() if d.experiment_role == ExperimentRole.SENDING
        }
        # Mostly the sending directions (and more cases for the bigger ones).
        self.poste_weights = [(8 if p.direction_id in sending else 2) for p in self.postes]
        self.actions = list(ActionType.objects.order_by("position", "pk"))
        self.action_weights = [ACTION_WEIGHTS.get(a.code, 5) for a in self.actions]
        self.actions_by_code = {a.code: a for a in self.actions}
        self.sample = stored_sample()
        self._due_cache: dict = {}

    def pick_poste(self, rng: random.Random) -> PosteComptable:
        return rng.choices(self.postes, self.poste_weights)[0]

    def lawyer_for(self, direction: Direction, rng: random.Random) -> Lawyer:
        lawyers = self.people.lawyers
        return lawyers[(direction.pk + rng.randint(0, 1)) % len(lawyers)]

    def compute(self, start, template, departement) -> datetime.date:
        key = (start, template.code, departement)
        if key not in self._due_cache:
            if template.before:
                raise ValueError(template.code)
            self._due_cache[key] = compute_deadline(
                start, **template.length, departement=departement
            )
        return self._due_cache[key]

    def creation_times(self, count: int) -> list[datetime.datetime]:
        """When the cases were created: over five years up to last week, growing volumes,
        fewer in August (and at Christmas), on weekdays during office hours."""
        rng = self.rng
        first = add_years(self.today, -YEARS)
        days = [first + datetime.timedelta(days=i) for i in range((self.today - first).days - 2)]
        weights = []
        for index, day in enumerate(days):
            weight = 1 + 2.5 * index / len(days)
            if day.month == 8:
                weight *= 0.4
            elif day.month == 12 and day.day > 20:
                weight *= 0.5
            if day.weekday() >= 5:
                weight *= 0.03
            weights.append(weight)
        chosen = sorted(rng.choices(days, weights, k=count))
        times = []
        for day in chosen:
            moment = datetime.datetime.combine(
                day,
                datetime.time(rng.randint(8, 17), rng.randint(0, 59), rng.randint(0, 59)),
                tzinfo=PARIS,
            )
            times.append(min(moment, self.now - datetime.timedelta(hours=1)))
        return sorted(times)

    def references(self, times: list[datetime.datetime]) -> list[str]:
        last = dict(ReferenceCounter.objects.values_list("year", "last"))
        refs = []
        for moment in times:
            year = moment.year
            last[year] = last.get(year, 0) + 1
            refs.append(f"PNSR-{year}-{last[year]:06d}")
        self.counters = last
        return refs

    def batches(self, count: int, size: int = BATCH) -> Iterator[Batch]:
        times = self.creation_times(count)
        refs = self.references(times)
        for start in range(0, count, size):
            batch = Batch()
            for index in range(start, min(start + size, count)):
                # One random stream per case: a case never shifts the ones after it.
                rng = random.Random(self.seed * 1_000_003 + index)
                sim = CaseSim(self, batch, times[index], refs[index], rng)
                sim.run()
                sim.finish()
            yield batch

    def save_counters(self) -> None:
        for year, last in self.counters.items():
            updated = ReferenceCounter.objects.filter(year=year, last__lt=last).update(last=last)
            if not updated:
                ReferenceCounter.objects.get_or_create(year=year, defaults={"last": last})


# --- Progress and the entry point -----------------------------------------------------------------


def _thousands(value: int) -> str:
    return f"{value:,}".replace(",", "\u202f")


class Progress:
    """'Dossiers  42 000 / 100 000 [████████░░░░] 42 %  1 234/s' on stderr, in place."""

    def __init__(self, total: int, stream=None, width: int = 30):
        self.total, self.width = total, width
        self.stream = stream or sys.stderr
        self.start = time.monotonic()
        self.done = 0

    def update(self, done: int) -> None:
        self.done = done
        elapsed = max(time.monotonic() - self.start, 1e-6)
        share = done / self.total if self.total else 1
        filled = int(self.width * share)
        bar = "█" * filled + "░" * (self.width - filled)
        rate = done / elapsed
        self.stream.write(
            f"\rDossiers {_thousands(done):>9} / {_thousands(self.total)} [{bar}] "
            f"{share * 100:3.0f} %  {_thousands(int(rate))}/s "
        )
        self.stream.flush()

    def close(self) -> None:
        self.stream.write("\n")
        self.stream.flush()


def generate(
    count: int,
    *,
    seed: int = 1,
    progress: Callable[[int], None] | None = None,
    now: datetime.datetime | None = None,
) -> dict[str, int]:
    """Generate `count` cases; returns the number of rows written per model."""
    people = ensure_people()
    generator = Generator(people, seed=seed, now=now)
    totals: dict[str, int] = {}
    done = 0
    for batch in generator.batches(count):
        with transaction.atomic():
            counts = batch.write()
        for model, number in counts.items():
            totals[model.__name__] = totals.get(model.__name__, 0) + number
        done += len(batch.rows[Case])
        if progress:
            progress(done)
    with transaction.atomic():
        generator.save_counters()
    # Fresh statistics for the query planner: without them PostgreSQL plans the
    # dashboards' joins over the loaded tables as if they were nearly empty.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    totals["CaseProcess"] = totals.get("Process", 0)
    return totals
