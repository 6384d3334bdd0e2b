"""`python manage.py seed_demo`: reference data, one demo account per role, and about
twenty demo cases in every status of the lifecycle.

Cases are made only through the application's own paths: the referral forms, the referral
services (pieces, submission) and the lifecycle, each step by the user who would take it,
so the history of every case is the one the application writes. Dates are relative to
today, so the data stays plausible whenever it is loaded.

Run twice, it creates nothing the second time and prints the logins again.

`--cases N` then adds N generated cases (`demo.bulk`: bulk-created, consistent with
the lifecycle and the workflow), deterministic for a given `--seed`.
"""

from __future__ import annotations

import datetime
import sys
import time
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone

from cases import services
from cases.commands import FrenchCommand
from cases.enums import ClosureReason, DebtorKind, Mode, PieceKind, Role, TaxKind
from cases.formatting import long_date
from cases.forms import ReferralForms, referral_form_data
from cases.models import ActionType, Case, Direction, Lawyer, PosteComptable, User
from cases.pieces import check_upload, sample_pdf
from cases.validators import add_months, luhn_ok
from workflows import services as workflow
from workflows.flows import CaseFlow
from workflows.steps import STEPS

PASSWORD = "demo"
URL = "http://127.0.0.1:8000"
EMAIL_DOMAIN = "pnsr-demo.invalid"


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
    DemoUser("admin", "Thomas", "Petit", Role.ADMIN, scope="administration du site"),
]


def siren(first_eight: str) -> str:
    """A valid SIREN: the eight digits given and the Luhn check digit."""
    for digit in "0123456789":
        if luhn_ok(first_eight + digit):
            return first_eight + digit
    raise AssertionError("unreachable: one digit always completes a Luhn number")


@dataclass
class Spec:
    """One demo case: what the referrer types, which pieces they attach, and how far the
    case goes (transition names in order, after the submission)."""

    referrer: str
    mode: str
    action: str
    debtor: dict
    facts: str
    request: str
    claims: list[dict]
    poste: str | None = None
    properties: list[dict] = field(default_factory=list)
    managers: list[dict] = field(default_factory=list)
    holders: list[dict] = field(default_factory=list)
    pieces: list[str] | None = None  # None: the action's required pieces
    extra_pieces: list[str] = field(default_factory=list)
    submit: bool = True
    path: list[str] = field(default_factory=list)
    reasons: dict[str, str] = field(default_factory=dict)
    closure_reason: str = ""
    jurist: str | None = None
    expert: str | None = None


def claim(tax, period, assessed, principal, penalties, remaining, interrupted=None) -> dict:
    return {
        "tax": tax,
        "period": period,
        "assessment_date": assessed,
        "principal": Decimal(principal),
        "penalties": Decimal(penalties),
        "remaining": Decimal(remaining),
        "last_interruptive_act": interrupted,
    }


def legal(name: str, siren_number: str, address: str) -> dict:
    return {"kind": DebtorKind.LEGAL, "name": name, "siren": siren_number, "address": address}


def demo_cases(today: datetime.date) -> list[Spec]:
    """The demo cases, oldest first (the further along, the earlier referred)."""

    def ago(years: int = 0, months: int = 0, days: int = 0) -> datetime.date:
        return add_months(today, -(12 * years + months)) - datetime.timedelta(days=days)

    def y(years: int) -> str:
        return str(today.year - years)

    def on(date: datetime.date) -> str:
        return long_date(date)

    vermandois = siren("41237856")
    T = TaxKind
    return [
        # --- Closed, executed, appealed, decided: the oldest cases. ---
        Spec(
            referrer="agent.ddfip02",
            poste="SGC de Saint-Quentin",
            mode=Mode.PRISE_EN_CHARGE,
            action="procedure_collective",
            debtor=legal(
                "SAS Logistique de l'Ailette",
                siren("50318427"),
                "ZA du Griffon, 02000 Barenton-Bugny",
            ),
            facts=(
                "Entrepôt logistique en cessation d'activité de fait depuis l'été dernier. "
                "TVA collectée non reversée sur trois trimestres, SATD bancaires infructueuses "
                "(comptes débiteurs). L'URSSAF a également engagé des poursuites et accepte "
                "une assignation conjointe."
            ),
            request="Assigner la société en liquidation judiciaire, conjointement avec l'URSSAF.",
            claims=[
                claim(
                    T.TVA,
                    "T2 à T4 " + y(2),
                    ago(2, 1),
                    "187450.00",
                    "18745.00",
                    "191195.00",
                    ago(1, 10),
                ),
            ],
            path=[
                "accept",
                "take_over",
                "engage_action",
                "await_decision",
                "record_decision",
                "start_execution",
                "close",
            ],
            reasons={
                "engage_action": "Assignation conjointe avec l'URSSAF délivrée par commissaire "
                f"de justice le {on(ago(1, 6))}.",
                "record_decision": "Liquidation judiciaire prononcée par le tribunal de "
                f"commerce de Saint-Quentin le {on(ago(1, 3))}.",
                "close": "Créance déclarée et admise au passif ; répartition de 41 230,00 € "
                "reçue du liquidateur, clôture pour insuffisance d'actif.",
            },
            closure_reason=ClosureReason.RECOVERED_PARTIAL,
            jurist="juriste1",
        ),
        Spec(
            referrer="agent.drfip67",
            poste="SIE de Strasbourg",
            mode=Mode.SOUTIEN,
            action="tiers_detenteur",
            debtor=legal(
                "SARL Winstub Au Vieux Tonnelier",
                siren("79445120"),
                "14 rue des Tonneliers, 67000 Strasbourg",
            ),
            facts=(
                "SATD notifiée à l'exploitant du fonds de commerce voisin, locataire-gérant, "
                "qui n'a ni payé ni déclaré. Le SIE conduit lui-même la procédure et souhaite "
                "une relecture de son projet d'assignation."
            ),
            request="Relire le projet d'assignation du tiers détenteur et fournir un modèle.",
            claims=[
                claim(T.TVA, y(2), ago(1, 9), "38214.00", "3821.40", "42035.40", ago(1, 4)),
            ],
            holders=[
                {
                    "name": "SAS Brasseries Rhénanes Distribution",
                    "siren": siren("38811204"),
                    "address": "3 quai des Alpes, 67100 Strasbourg",
                    "satd_date": ago(1, 4),
                    "satd_amount": Decimal("42035.40"),
                }
            ],
            path=["accept", "start_support", "close"],
            reasons={
                "start_support": "Modèle d'assignation transmis au SIE de Strasbourg.",
                "close": "Projet d'assignation relu et validé ; la direction poursuit seule.",
            },
            closure_reason=ClosureReason.SUPPORT_COMPLETED,
            jurist="juriste2",
        ),
        Spec(
            referrer="agent.ddfip02",
            poste="SIE de Laon",
            mode=Mode.AVIS,
            action="action_oblique",
            debtor=legal(
                "SARL Bois et Charpentes du Laonnois",
                siren("44120936"),
                "7 route de Reims, 02000 Laon",
            ),
            facts=(
                "La société détient un compte courant de 96 000 € dans sa filiale SCI, qu'elle "
                "ne réclame pas alors que la SCI vient de vendre son immeuble."
            ),
            request="Avis sur l'opportunité d'une action oblique en remboursement du compte "
            "courant.",
            claims=[
                claim(T.IS, y(3), ago(2, 2), "64300.00", "6430.00", "70730.00", ago(1, 2)),
            ],
            path=["accept", "give_opinion", "close"],
            reasons={
                "give_opinion": "Avis favorable : la créance de compte courant est exigible "
                "et la SCI est solvable après la vente de son immeuble.",
                "close": "Avis rendu ; la direction a engagé l'action oblique par elle-même.",
            },
            closure_reason=ClosureReason.OPINION_GIVEN,
            jurist="juriste2",
            expert="expert.ddfip30",
        ),
        Spec(
            referrer="comptable.ddfip02",
            mode=Mode.PRISE_EN_CHARGE,
            action="saisie_immobiliere",
            debtor=legal(
                "SARL Immobilière de la Cathédrale",
                siren("48931025"),
                "2 parvis Notre-Dame, 02000 Laon",
            ),
            facts=(
                "Marchand de biens redevable de TVA immobilière sur deux opérations de "
                "rénovation. Seul actif connu : un immeuble de rapport de quatre lots dans la "
                "ville haute, libre d'hypothèque conventionnelle."
            ),
            request="Engager et conduire la saisie immobilière de l'immeuble de la rue Châtelaine.",
            claims=[
                claim(T.TVA, y(3), ago(2, 6), "125432.17", "12543.22", "131975.39", ago(1, 11)),
                claim(T.CFE, y(2), ago(2, 1), "4218.00", "421.80", "4639.80", ago(1, 11)),
            ],
            properties=[
                {
                    "address": "31 rue Châtelaine",
                    "postal_code": "02000",
                    "commune": "Laon",
                    "departement": "02",
                    "cadastral_section": "AK",
                    "cadastral_number": "218",
                    "description": "Immeuble de rapport, quatre appartements",
                }
            ],
            path=[
                "accept",
                "take_over",
                "engage_action",
                "await_decision",
                "record_decision",
                "start_execution",
            ],
            reasons={
                "engage_action": "Commandement de payer valant saisie signifié le "
                f"{on(ago(1, 3))}, publié le {on(ago(1, 2))}.",
                "record_decision": "Jugement d'orientation du juge de l'exécution de Laon : "
                "vente forcée ordonnée, mise à prix 180 000 €.",
                "start_execution": "Audience d'adjudication à fixer ; cahier des conditions "
                "de vente déposé.",
            },
            jurist="juriste1",
        ),
        Spec(
            referrer="agent.ddfip02",
            poste="SIE de Laon",
            mode=Mode.PRISE_EN_CHARGE,
            action="action_paulienne",
            debtor={
                "kind": DebtorKind.NATURAL,
                "name": "Leroy",
                "first_name": "Sandrine",
                "birth_date": datetime.date(1966, 4, 18),
                "address": "5 chemin des Vignes, 02860 Chamouille",
            },
            facts=(
                "Ancienne gérante, redevable d'impôt sur le revenu après rectification de "
                "revenus d'activité non déclarés. Trois mois après la proposition de "
                "rectification, elle a donné à ses deux enfants la nue-propriété de sa maison, "
                "son seul bien saisissable."
            ),
            request="Faire déclarer la donation inopposable au Trésor (action paulienne).",
            claims=[
                claim(T.IR, y(4), ago(2, 8), "83150.00", "33260.00", "116410.00", ago(1, 6)),
            ],
            path=[
                "accept",
                "take_over",
                "engage_action",
                "await_decision",
                "record_decision",
                "appeal",
            ],
            reasons={
                "engage_action": "Assignation devant le tribunal judiciaire de Laon délivrée "
                f"le {on(ago(0, 14))}.",
                "record_decision": "Jugement du tribunal judiciaire de Laon : donation "
                "déclarée inopposable à l'administration.",
                "appeal": f"Appel interjeté par Mme LEROY le {on(ago(0, 2))} devant la "
                "cour d'appel d'Amiens.",
            },
            jurist="juriste2",
        ),
        Spec(
            referrer="comptable.ddfip02",
            mode=Mode.PRISE_EN_CHARGE,
            action="solidarite_dirigeant",
            debtor=legal(
                "SARL Le Comptoir Laonnois",
                siren("51846203"),
                "18 rue Sérurier, 02000 Laon",
            ),
            facts=(
                "Commerce de gros liquidé sans actif. Le gérant a cessé de déposer les "
                "déclarations de TVA pendant dix-huit mois tout en poursuivant l'activité et en "
                "se versant des rémunérations."
            ),
            request="Assigner le gérant en paiement solidaire (LPF L.267).",
            claims=[
                claim(
                    T.TVA,
                    y(3) + "-" + y(2),
                    ago(2, 3),
                    "89300.00",
                    "35720.00",
                    "98000.00",
                    ago(1, 8),
                ),
            ],
            managers=[
                {
                    "last_name": "Vasseur",
                    "first_name": "Laurent",
                    "birth_date": datetime.date(1971, 9, 2),
                    "address": "9 allée des Tilleuls, 02000 Laon",
                    "function": "Gérant de droit",
                    "grounds": "Défaut de dépôt des déclarations de TVA pendant dix-huit mois ; "
                    "prélèvements personnels pendant la même période.",
                }
            ],
            path=["accept", "take_over", "engage_action", "await_decision", "record_decision"],
            reasons={
                "engage_action": "Assignation devant le président du tribunal judiciaire de "
                f"Laon délivrée le {on(ago(0, 9))}.",
                "record_decision": "Jugement du "
                f"{on(ago(days=20))} : M. VASSEUR condamné solidairement au paiement "
                "de 98 000 €.",
            },
            jurist="juriste1",
        ),
        Spec(
            referrer="agent.ddfip02",
            poste="SGC de Saint-Quentin",
            mode=Mode.PRISE_EN_CHARGE,
            action="tiers_detenteur",
            debtor=legal(
                "SAS Bâtiments du Vermandois",
                vermandois,
                "42 rue d'Isle, 02100 Saint-Quentin",
            ),
            facts=(
                "Entreprise de gros œuvre. SATD notifiée à son principal client, qui a "
                "continué de régler la société sans rien verser au comptable public ni déclarer "
                "les sommes dues."
            ),
            request="Assigner le tiers détenteur en paiement des sommes qu'il aurait dû verser.",
            claims=[
                claim(T.TVA, y(2), ago(1, 8), "152780.00", "15278.00", "154058.00", ago(0, 11)),
            ],
            holders=[
                {
                    "name": "SAS Négoce Agricole de l'Aisne",
                    "siren": siren("43390218"),
                    "address": "Zone industrielle, 02300 Chauny",
                    "satd_date": ago(0, 11),
                    "satd_amount": Decimal("112400.00"),
                }
            ],
            path=["accept", "take_over", "engage_action", "await_decision"],
            reasons={
                "engage_action": "Assignation du tiers détenteur devant le juge de "
                f"l'exécution de Saint-Quentin le {on(ago(0, 5))}.",
                "await_decision": f"Plaidée le {on(ago(days=12))}, délibéré dans un mois.",
            },
            jurist="juriste2",
        ),
        Spec(
            referrer="agent.drfip67",
            poste="PRS de Strasbourg",
            mode=Mode.PRISE_EN_CHARGE,
            action="saisie_immobiliere",
            debtor=legal(
                "SCI Kléber Investissements",
                siren("81029374"),
                "6 place Kléber, 67000 Strasbourg",
            ),
            facts=(
                "SCI à l'IS redevable d'un rappel d'impôt sur les sociétés après requalification "
                "de plus-values. Elle possède un immeuble de bureaux à Strasbourg-Neudorf. "
                "Bien situé dans le Bas-Rhin : exécution forcée immobilière de droit local "
                "(loi du 1er juin 1924, livre foncier)."
            ),
            request="Conduire l'exécution forcée immobilière devant le tribunal judiciaire de "
            "Strasbourg.",
            claims=[
                claim(T.IS, y(3), ago(1, 10), "241600.00", "24160.00", "265760.00", ago(0, 10)),
            ],
            properties=[
                {
                    "address": "27 route du Polygone",
                    "postal_code": "67100",
                    "commune": "Strasbourg",
                    "departement": "67",
                    "cadastral_section": "NE",
                    "cadastral_number": "412",
                    "description": "Immeuble de bureaux, trois niveaux",
                }
            ],
            path=["accept", "take_over", "engage_action"],
            reasons={
                "engage_action": "Requête en adjudication forcée déposée au tribunal "
                f"judiciaire de Strasbourg le {on(ago(0, 3))} (droit local).",
            },
            jurist="juriste2",
        ),
        Spec(
            referrer="comptable.ddfip02",
            mode=Mode.PRISE_EN_CHARGE,
            action="partage_indivision",
            debtor={
                "kind": DebtorKind.NATURAL,
                "name": "Marchand",
                "first_name": "Thierry",
                "birth_date": datetime.date(1967, 11, 23),
                "address": "3 rue du Bourg, 02000 Laon",
            },
            facts=(
                "Artisan retraité redevable d'IR et de taxe foncière. Seul actif : la moitié "
                "indivise d'une maison héritée avec sa sœur, qui refuse toute vente amiable."
            ),
            request="Provoquer le partage de l'indivision (C. civ. art. 815-17).",
            claims=[
                claim(T.IR, y(3), ago(2, 4), "46870.00", "4687.00", "51557.00", ago(1)),
                claim(T.TF, y(2), ago(1, 4), "2315.00", "231.00", "2546.00", ago(1)),
            ],
            properties=[
                {
                    "address": "11 rue de la Herse",
                    "postal_code": "02000",
                    "commune": "Laon",
                    "departement": "02",
                    "cadastral_section": "AC",
                    "cadastral_number": "57",
                    "description": "Maison d'habitation en indivision (1/2)",
                }
            ],
            path=["accept", "take_over"],
            reasons={"take_over": "Dossier complet ; avocat à désigner au barreau de Laon."},
            jurist="juriste1",
        ),
        Spec(
            referrer="agent.drfip67",
            poste="SIE de Strasbourg",
            mode=Mode.SOUTIEN,
            action="procedure_collective",
            debtor=legal(
                "SAS Brasserie de l'Ill",
                siren("52270419"),
                "40 quai des Bateliers, 67000 Strasbourg",
            ),
            facts=(
                "Restaurant en difficulté, passif fiscal et social croissant. La direction "
                "prépare une assignation en redressement judiciaire conjointe avec l'URSSAF."
            ),
            request="Relire le projet d'assignation et conseiller sur la juridiction compétente.",
            claims=[
                claim(T.TVA, y(1), ago(0, 8), "58940.00", "5894.00", "64834.00", ago(0, 4)),
                claim(T.PAS, y(1), ago(0, 7), "12760.00", "1276.00", "14036.00", ago(0, 4)),
            ],
            extra_pieces=[PieceKind.BILANS],
            path=["accept", "start_support"],
            reasons={"start_support": "Premier échange téléphonique avec la direction."},
            jurist="juriste1",
        ),
        Spec(
            referrer="agent.ddfip02",
            poste="SIE de Laon",
            mode=Mode.AVIS,
            action="saisie_immobiliere",
            debtor=legal(
                "SCI du Vieux Moulin",
                siren("75381642"),
                "1 chemin du Moulin, 02190 Guignicourt",
            ),
            facts=(
                "SCI familiale propriétaire d'un moulin rénové en gîtes. Taxes foncières et "
                "IS impayés depuis trois ans ; hypothèque légale inscrite."
            ),
            request="Avis sur l'opportunité d'une saisie immobilière au regard de la valeur du "
            "bien et des inscriptions de rang préférable.",
            claims=[
                claim(T.IS, y(2), ago(1, 6), "72150.00", "7215.00", "79365.00", ago(0, 9)),
            ],
            properties=[
                {
                    "address": "1 chemin du Moulin",
                    "postal_code": "02190",
                    "commune": "Guignicourt",
                    "departement": "02",
                    "cadastral_section": "ZB",
                    "cadastral_number": "33",
                    "description": "Moulin aménagé en trois gîtes",
                }
            ],
            path=["accept", "give_opinion"],
            reasons={
                "give_opinion": "Avis favorable : valeur vénale estimée à 310 000 €, "
                "inscription de l'administration en premier rang."
            },
            jurist="juriste2",
            expert="expert.ddfip30",
        ),
        Spec(
            referrer="comptable.ddfip02",
            mode=Mode.AVIS,
            action="action_paulienne",
            debtor=legal(
                "SARL Garage Moderne de Chauny",
                siren("39852107"),
                "88 avenue de la République, 02300 Chauny",
            ),
            facts=(
                "Le fonds de commerce a été cédé pendant le contrôle fiscal ; le prix a servi "
                "à rembourser le prêt bancaire."
            ),
            request="Avis sur une action paulienne contre la cession du fonds.",
            claims=[
                claim(T.TVA, y(2), ago(1, 5), "21400.00", "2140.00", "23540.00", ago(0, 8)),
            ],
            path=["decline"],
            reasons={
                "decline": "La cession a été faite au prix du marché (estimation jointe) et "
                "son prix a désintéressé un créancier de rang préférable : la fraude paulienne "
                "n'est pas caractérisable. Une SATD sur le solde du compte reste possible."
            },
        ),
        Spec(
            referrer="comptable.ddfip02",
            mode=Mode.AVIS,
            action="action_oblique",
            debtor=legal(
                "SAS Menuiseries de la Serre",
                siren("49027315"),
                "Rue de l'Industrie, 02270 Crécy-sur-Serre",
            ),
            facts=(
                "La société a gagné en première instance un litige commercial contre un donneur "
                "d'ordre (condamnation de 74 000 €) mais ne fait pas exécuter le jugement."
            ),
            request="Avis sur l'exercice par l'administration des droits de la société "
            "(action oblique).",
            claims=[
                claim(T.TVA, y(1), ago(0, 10), "61800.00", "6180.00", "67980.00", ago(0, 6)),
            ],
            path=["accept", "submit_opinion"],
            jurist="juriste2",
            expert="expert.ddfip30",
        ),
        Spec(
            referrer="agent.ddfip02",
            poste="SGC de Saint-Quentin",
            mode=Mode.PRISE_EN_CHARGE,
            action="solidarite_dirigeant",
            debtor=legal(
                "SARL Transports Express Picards",
                siren("42619803"),
                "Rue Pierre-Curie, 02100 Saint-Quentin",
            ),
            facts=(
                "Transporteur routier en liquidation judiciaire, clôturée pour insuffisance "
                "d'actif. Le gérant de fait a organisé le transfert de la flotte de camions "
                "vers une société nouvelle. Dernier acte interruptif ancien : prescription "
                "proche (LPF L.274)."
            ),
            request="Assigner sans délai le gérant de fait sur le fondement de l'article L.267 "
            "du LPF, avant la prescription.",
            claims=[
                claim(T.TVA, y(6), ago(5, 2), "134600.00", "53840.00", "188440.00", ago(3, 9)),
            ],
            managers=[
                {
                    "last_name": "Caron",
                    "first_name": "Frédéric",
                    "birth_date": datetime.date(1974, 2, 14),
                    "address": "21 rue de Guise, 02100 Saint-Quentin",
                    "function": "Gérant de fait",
                    "grounds": "Transfert des actifs vers une société nouvelle ; défaut de "
                    "reversement de la TVA collectée pendant deux ans.",
                }
            ],
            path=["accept"],
        ),
        Spec(
            referrer="agent.ddfip02",
            poste="SIE de Laon",
            mode=Mode.PRISE_EN_CHARGE,
            action="saisie_immobiliere",
            debtor=legal(
                "SARL Hôtel du Beffroi",
                siren("53192468"),
                "4 place du Marché, 02000 Laon",
            ),
            facts="Hôtel fermé depuis un an. Murs propriété de la société.",
            request="Saisie immobilière des murs de l'hôtel.",
            claims=[
                claim(T.TVA, y(1), ago(0, 9), "47320.00", "4732.00", "52052.00"),
            ],
            properties=[
                {
                    "address": "4 place du Marché",
                    "postal_code": "02000",
                    "commune": "Laon",
                    "departement": "02",
                    "cadastral_section": "AB",
                    "cadastral_number": "96",
                    "description": "Murs d'hôtel (12 chambres)",
                }
            ],
            path=["return_for_completion"],
            reasons={
                "return_for_completion": "Pièces manquantes : état hypothécaire (fiche "
                "d'immeuble) de moins de trois mois, fiche de renseignements patrimoniaux à "
                "jour, bilans des deux derniers exercices. Précisez aussi les diligences déjà "
                "faites (SATD bancaires)."
            },
        ),
        Spec(
            referrer="agent.drfip67",
            poste="PRS de Strasbourg",
            mode=Mode.AVIS,
            action="tiers_detenteur",
            debtor=legal(
                "SARL Alsace Rénovation Habitat",
                siren("80156729"),
                "12 rue du Travail, 67500 Haguenau",
            ),
            facts=(
                "SATD notifiée à la banque de la société : la banque a déclaré un solde nul "
                "alors qu'un virement de 58 000 € a été crédité le lendemain."
            ),
            request="Avis sur la mise en cause de la banque tiers détenteur.",
            claims=[
                claim(T.TVA, y(1), ago(0, 7), "58100.00", "5810.00", "63910.00", ago(0, 3)),
            ],
            holders=[
                {
                    "name": "Banque Rhénane de Dépôts",
                    "siren": siren("30284517"),
                    "address": "2 rue du Dôme, 67000 Strasbourg",
                    "satd_date": ago(0, 3),
                    "satd_amount": Decimal("58000.00"),
                }
            ],
            path=["accept"],
            expert="expert.ddfip30",
        ),
        Spec(
            referrer="comptable.ddfip02",
            mode=Mode.PRISE_EN_CHARGE,
            action="saisie_immobiliere",
            debtor=legal(
                "SCI Les Remparts de Laon",
                siren("45760312"),
                "15 boulevard Michelet, 02000 Laon",
            ),
            facts=(
                "SCI propriétaire de deux locaux commerciaux loués. Les loyers sont saisis "
                "(SATD) mais ne couvrent pas les impositions courantes."
            ),
            request="Saisie immobilière des deux locaux commerciaux.",
            claims=[
                claim(T.IS, y(1), ago(0, 6), "93250.00", "9325.00", "102575.00", ago(0, 2)),
            ],
            properties=[
                {
                    "address": "15 boulevard Michelet",
                    "postal_code": "02000",
                    "commune": "Laon",
                    "departement": "02",
                    "cadastral_section": "BH",
                    "cadastral_number": "301",
                    "lot": "lots 1 et 2",
                    "description": "Deux locaux commerciaux en rez-de-chaussée",
                }
            ],
            extra_pieces=[PieceKind.FICHE_PATRIMONIALE],
        ),
        # --- Drafts: not yet sent to the pôle. ---
        Spec(
            referrer="comptable.ddfip02",
            mode=Mode.PRISE_EN_CHARGE,
            action="partage_indivision",
            debtor={
                "kind": DebtorKind.NATURAL,
                "name": "Lemaire",
                "first_name": "Patrick",
                "birth_date": datetime.date(1959, 6, 7),
                "address": "8 rue des Chenizelles, 02000 Laon",
            },
            facts=(
                "Redevable d'IR, copropriétaire indivis avec ses frères d'un corps de ferme "
                "reçu en succession."
            ),
            request="Provoquer le partage de l'indivision successorale.",
            claims=[
                claim(T.IR, y(2), ago(1, 3), "36540.00", "3654.00", "40194.00", ago(0, 5)),
            ],
            properties=[
                {
                    "address": "Ferme de la Vallée",
                    "postal_code": "02860",
                    "commune": "Bruyères-et-Montbérault",
                    "departement": "02",
                    "cadastral_section": "ZD",
                    "cadastral_number": "14",
                    "description": "Corps de ferme et 4 ha de terres (1/3 indivis)",
                }
            ],
            submit=False,
        ),
        Spec(
            referrer="agent.ddfip02",
            poste="SGC de Saint-Quentin",
            mode=Mode.AVIS,
            action="procedure_collective",
            debtor=legal(
                "SAS Bâtiments du Vermandois",
                vermandois,
                "42 rue d'Isle, 02100 Saint-Quentin",
            ),
            facts=(
                "En parallèle de l'action contre le tiers détenteur, la direction envisage "
                "l'assignation de la société en liquidation judiciaire : nouvelles dettes de "
                "TVA, aucun paiement depuis six mois."
            ),
            request="Avis sur l'opportunité d'une assignation en liquidation judiciaire.",
            claims=[
                claim(T.TVA, y(1), ago(0, 5), "43980.00", "4398.00", "48378.00", ago(0, 1)),
            ],
            submit=False,
        ),
        Spec(
            referrer="comptable.ddfip02",
            mode=Mode.PRISE_EN_CHARGE,
            action="saisie_immobiliere",
            debtor=legal(
                "SARL Boulangerie du Chemin des Dames",
                siren("84512037"),
                "",
            ),
            facts="",
            request="",
            claims=[],
            pieces=[],
            submit=False,
        ),
    ]


class Command(FrenchCommand):
    help = "Charge les données de référence, les comptes et les dossiers de démonstration."
    usage = "Usage : manage.py seed_demo [--cases N] [--seed S]"

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--cases",
            metavar="N",
            help="Génère en plus N dossiers réalistes (chargement en masse).",
        )
        parser.add_argument(
            "--seed",
            metavar="S",
            default="1",
            help="Graine du générateur : les mêmes dossiers pour la même graine (1 par défaut).",
        )

    def positive(self, value: str, what: str, *, zero: bool = False) -> int:
        try:
            number = int(str(value).replace("_", "").replace(" ", ""))
        except ValueError:
            number = None
        if number is None or number < 0 or (number == 0 and not zero):
            raise self.usage_error(
                f"{what} doit être un nombre entier {'positif ou nul' if zero else 'positif'}, "
                f"et non « {value} »."
            )
        return number

    def handle(self, *args, **options) -> None:
        cases = None
        if options.get("cases") is not None:
            cases = self.positive(options["cases"], "Le nombre de dossiers (--cases)")
        seed = self.positive(options.get("seed", "1"), "La graine (--seed)", zero=True)
        started = time.monotonic()
        self.seed_demo(options)
        if cases:
            self.bulk(cases, seed, started)

    def bulk(self, count: int, seed: int, started: float) -> None:
        from demo import bulk as bulk_demo

        self.stdout.write(f"Génération de {count} dossiers (graine {seed})…")
        self.stdout.flush()
        progress = bulk_demo.Progress(count, stream=sys.stderr)
        totals = bulk_demo.generate(count, seed=seed, progress=progress.update)
        progress.close()
        elapsed = time.monotonic() - started
        rows = sum(totals.values())
        self.stdout.write(
            self.style.SUCCESS(
                f"{count} dossiers générés ({rows} lignes) en {elapsed:.1f} s au total "
                f"({count / elapsed:.0f} dossiers/s)."
            )
        )

    def seed_demo(self, options) -> None:
        usernames = [u.username for u in DEMO_USERS]
        with transaction.atomic():
            call_command(
                "loaddata",
                "directions",
                "action_types",
                "postes_comptables",
                "lawyers",
                verbosity=options["verbosity"],
            )
            existing = set(
                User.objects.filter(username__in=usernames).values_list("username", flat=True)
            )
            if existing and existing != set(usernames):
                raise CommandError(
                    "Une partie seulement des comptes de démonstration existe ("
                    + ", ".join(sorted(existing))
                    + ") : base dans un état inattendu. Repartez d'une base vide "
                    "(make clean, puis make demo)."
                )
            if existing:
                self.stdout.write("Données de démonstration déjà présentes : rien n'est créé.")
            else:
                users = self.create_users()
                count = self.create_cases(users)
                self.stdout.write(
                    self.style.SUCCESS(
                        f"{len(users)} comptes et {count} dossiers de démonstration créés."
                    )
                )
        self.print_logins()

    def create_users(self) -> dict[str, User]:
        password = make_password(PASSWORD)  # one hash for all: only the demo uses it
        users = {}
        for demo in DEMO_USERS:
            poste = PosteComptable.objects.get(name=demo.poste) if demo.poste else None
            direction = Direction.objects.get(code=demo.direction) if demo.direction else None
            users[demo.username] = User.objects.create(
                username=demo.username,
                first_name=demo.first_name,
                last_name=demo.last_name,
                email=f"{_ascii(demo.first_name)}.{_ascii(demo.last_name)}@{EMAIL_DOMAIN}",
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
        return users

    def create_cases(self, users: dict[str, User]) -> int:
        specs = demo_cases(timezone.localdate())
        cases = [self.create_case(spec, users) for spec in specs]
        self.create_messages(cases, users)
        return len(specs)

    def create_messages(self, cases: list[Case], users: dict[str, User]) -> None:
        """A few exchanges on cases the pôle holds, some left unread, through the service."""
        held = [case for case in cases if case.assigned_jurist_id and case.submitted_at]
        for case in held[:4]:
            referrer = case.created_by
            jurist = case.assigned_jurist
            services.post_message(
                jurist,
                case,
                "Bonjour, pouvez-vous nous transmettre le dernier état des paiements "
                "et la copie de la dernière mise en demeure ?",
            )
            title = f"Relevé des paiements - {case.debtor}"
            upload = ContentFile(sample_pdf(title), name="releve_paiements.pdf")
            services.post_message(
                referrer,
                case,
                "Bonjour, voici le relevé à jour. Aucun paiement depuis la mise en demeure.",
                [(upload, check_upload(upload))],
            )

    def create_case(self, spec: Spec, users: dict[str, User]) -> Case:
        referrer = users[spec.referrer]
        action = ActionType.objects.get(code=spec.action)
        case_values = {
            "mode": spec.mode,
            "action_type": action.pk,
            "facts": spec.facts,
            "request": spec.request,
        }
        if spec.poste:
            case_values["poste_comptable"] = PosteComptable.objects.get(name=spec.poste).pk
        data = referral_form_data(
            case=case_values,
            debtor=spec.debtor,
            claims=spec.claims,
            properties=spec.properties,
            managers=spec.managers,
            holders=spec.holders,
        )
        forms = ReferralForms(referrer, data)
        if not forms.is_valid():
            raise CommandError(
                f"Dossier de démonstration « {spec.debtor['name']} » refusé par le formulaire "
                f"de saisine : {_form_errors(forms)}"
            )
        case = services.save_referral(referrer, forms)

        kinds = list(action.required_pieces if spec.pieces is None else spec.pieces)
        for kind in kinds + list(spec.extra_pieces):
            label = PieceKind(kind).label
            title = f"{label} - {spec.debtor['name']}"
            services.add_piece_bytes(
                referrer, case, kind, f"{kind}_{case.reference}.pdf", sample_pdf(title)
            )
        if not spec.submit:
            return case

        services.submit_referral(referrer, case, confirm_duplicate=True)
        DemoWalk(case, spec, users).run()
        return case

    def print_logins(self) -> None:
        rows = [("Identifiant", "Rôle", "Périmètre")]
        rows += [(u.username, Role(u.role).label, u.scope) for u in DEMO_USERS]
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        line = "  ".join("-" * w for w in widths)
        out = self.stdout
        out.write("")
        out.write(self.style.SUCCESS(f"Démonstration prête : ouvrez {URL}"))
        out.write("")
        out.write(f"Comptes de démonstration (mot de passe pour tous : {PASSWORD}) :")
        out.write("")
        for index, row in enumerate(rows):
            out.write("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip())
            if index == 0:
                out.write(line)
        out.write("")
        out.write(
            self.style.WARNING(
                "Attention : ces comptes et leur mot de passe ne servent qu'à la démonstration. "
                "Ne les créez jamais sur une installation réelle."
            )
        )


class DemoWalk:
    """Take a submitted demo case along its spec's path through the pôle's workflow: each
    lifecycle transition of the path becomes the step (or steps) whose form, filled by the
    user who holds it, fires it. Domain dates are spread over the months before today."""

    def __init__(self, case: Case, spec: Spec, users: dict[str, User]):
        self.case = case
        self.spec = spec
        self.users = users
        self.head = users["chef.pole"]
        self.jurist = users[spec.jurist] if spec.jurist else None
        self.referrer = users[spec.referrer]
        today = timezone.localdate()
        # The last step of the path a week ago, the earlier ones 40 days apart.
        last = len(spec.path) - 1
        self.dates = [
            today - datetime.timedelta(days=7 + 40 * (last - i)) for i in range(len(spec.path))
        ]
        self.index = 0

    def run(self) -> None:
        for index, name in enumerate(self.spec.path):
            self.index = index
            getattr(self, name)(self.spec.reasons.get(name, ""))
        self.keep_past_deadlines()

    def keep_past_deadlines(self) -> None:
        """The jurist met the deadlines that fell before the case's last step (the demo
        does not invent every act); those still running are left open."""
        from deadlines.services import mark_done

        if not self.spec.path or self.jurist is None:
            return
        last = self.dates[-1]
        for deadline in self.case.deadlines.filter(status="open", due_date__lt=last):
            mark_done(
                deadline,
                self.jurist,
                act="Acte accompli dans le délai",
                done_on=deadline.due_date - datetime.timedelta(days=1),
            )

    def day(self, offset: int = 0) -> str:
        return (self.dates[self.index] + datetime.timedelta(days=offset)).isoformat()

    def moment(self, offset: int = 0) -> str:
        return f"{self.day(offset)}T09:30"

    def step(self, name: str, user: User, data: dict, files: dict | None = None) -> None:
        task = self._open(name)
        form = STEPS[name].form_class(data, files, case=self.case, user=user)
        if not form.is_valid():
            raise CommandError(
                f"Démonstration : étape « {name} » refusée pour {self.case.reference} : "
                f"{form.errors.get_json_data()}"
            )
        workflow.complete_task(task.pk, user, form.cleaned_data, data)
        self.case.refresh_from_db()

    def side(self, step: str, action: str, user: User, data: dict) -> None:
        form = STEPS[step].side_actions[action].form_class(data, case=self.case, user=user)
        if not form.is_valid():
            raise CommandError(f"Démonstration : {action} refusé : {form.errors.get_json_data()}")
        workflow.run_side_action(self._open(step).pk, user, action, form.cleaned_data)

    def _open(self, name: str):
        return workflow.active_tasks(self.case).get(flow_task=getattr(CaseFlow, name))

    # One method per lifecycle transition of the specs' paths.

    def accept(self, reason: str) -> None:
        self.step("receivability", self.head, {"decision": "accept"})
        if self.spec.jurist or self.spec.expert:
            data = {"jurist": self.jurist.pk if self.jurist else ""}
            if self.spec.expert:
                data["expert"] = self.users[self.spec.expert].pk
            self.step("assignment", self.head, data)

    def return_for_completion(self, reason: str) -> None:
        self.step(
            "receivability",
            self.users["juriste1"],
            {"decision": "return", "grounds": ["pieces", "facts"], "missing": reason},
        )

    def decline(self, reason: str) -> None:
        self.step(
            "receivability", self.users["juriste1"], {"decision": "decline", "reason": reason}
        )

    def take_over(self, reason: str) -> None:
        """Done by the assignment of a takeover case."""

    start_support = take_over

    def give_opinion(self, reason: str) -> None:
        author = self.users[self.spec.expert] if self.spec.expert else self.jurist
        favourable = not reason.lower().startswith("avis défavorable")
        self.step(
            "write_opinion",
            author,
            {
                "conclusion": "favourable" if favourable else "unfavourable",
                "reasons": reason or "Action opportune au regard du patrimoine connu.",
                "risk_level": "low" if favourable else "high",
                "risk_assessment": "Patrimoine identifié et saisissable ; coût de la procédure "
                "mesuré au regard des créances.",
            },
        )
        self.step("validate_opinion", self.head, {"decision": "validate"})

    def submit_opinion(self, reason: str) -> None:
        """The opinion is written and awaits the head's validation."""
        author = self.users[self.spec.expert] if self.spec.expert else self.jurist
        self.step(
            "write_opinion",
            author,
            {
                "conclusion": "favourable",
                "reasons": "Valeur du bien très supérieure aux créances ; aucun créancier "
                "inscrit avant l'administration.",
                "risk_level": "medium",
                "risk_assessment": "Risque d'une procédure collective qui suspendrait la "
                "saisie ; à surveiller au greffe.",
            },
        )

    def engage_action(self, reason: str) -> None:
        lawyer = Lawyer.objects.filter(active=True).order_by("pk").first()
        self.step(
            "mandate_lawyer",
            self.jurist,
            {"lawyer": lawyer.pk, "mandated_on": self.day(-20), "instructions": reason},
        )
        action = self.case.action_type
        kind = "commandement" if action.code == "saisie_immobiliere" else "assignation"
        self.step(
            "starting_act",
            self.jurist,
            {
                "kind": kind,
                "court": action.court,
                "signed_on": self.day(-10),
                "served_on": self.day(),
            },
        )

    def await_decision(self, reason: str) -> None:
        court = self.case.action_type.court
        for offset, purpose in ((-30, "Audience d'orientation"), (-10, "Plaidoiries")):
            self.side(
                "hearings",
                "hearing",
                self.jurist,
                {"court": court, "scheduled_at": self.moment(offset), "purpose": purpose},
            )
        first, second = self.case.hearings.order_by("scheduled_at")
        self.side(
            "hearings",
            "adjourn",
            self.jurist,
            {
                "hearing": first.pk,
                "new_date": self.moment(-20),
                "reason": "Renvoi à la demande de la défense.",
            },
        )
        for hearing in self.case.hearings.filter(status="scheduled").order_by("scheduled_at"):
            self.side("hearings", "held", self.jurist, {"hearing": hearing.pk})
        self.step("hearings", self.jurist, {"deliberation_on": self.day(), "note": reason})

    def record_decision(self, reason: str) -> None:
        title = f"Jugement - {self.case.debtor}"
        upload = ContentFile(sample_pdf(title), name="jugement.pdf")
        self.step(
            "decision",
            self.jurist,
            {
                "result": "decided",
                "decided_on": self.day(),
                "court": self.case.action_type.court,
                "outcome": "granted",
                "amount_awarded": str(self.case.amounts["remaining"]),
                "notified_on": self.day(3),
                "summary": reason,
            },
            files={"judgment": upload},
        )

    def appeal(self, reason: str) -> None:
        self.step(
            "appeal_decision",
            self.jurist,
            {
                "choice": "opponent",
                "lodged_on": self.day(),
                "court": "Cour d'appel d'Amiens",
                "grounds": reason or "Appel du redevable.",
            },
        )

    def start_execution(self, reason: str) -> None:
        self.step("appeal_decision", self.jurist, {"choice": "none"})

    def close(self, reason: str) -> None:
        if self.case.status == "support_in_progress":
            self.step("support", self.jurist, {"summary": reason})
        elif self.case.status == "opinion_given":
            self.step("follow_up", self.referrer, {"follow": "followed", "comment": reason})
        else:
            self.side(
                "execution",
                "recovery",
                self.jurist,
                {"received_on": self.day(), "amount": "41 230,00"},
            )
            self.step(
                "execution",
                self.jurist,
                {"closure_reason": self.spec.closure_reason, "comment": reason},
            )


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()


def _form_errors(forms: ReferralForms) -> str:
    errors = {
        "saisine": forms.case_form.errors.get_json_data(),
        "redevable": forms.debtor_form.errors.get_json_data(),
    }
    for formset in forms.formsets:
        errors[formset.prefix] = [form.errors.get_json_data() for form in formset.forms]
        errors[formset.prefix + " (ensemble)"] = formset.non_form_errors()
    return str({key: value for key, value in errors.items() if value and any(value)})
