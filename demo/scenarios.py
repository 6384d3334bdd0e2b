"""The demo cases of `seed_demo`, as data: who refers, the debtor, the claims and
targets, the mode and action, the pieces, when it was referred, the court it goes
before, and how far it goes (the status it reaches or the step it is left at, the endings
it takes where two lead the same way, and what each step's form is given). `demo.walk`
takes each there along the process's own course (`workflows.process`) through the real
referral forms, services and workflow steps, in the past: each act on its day, on the
chronology the law sets (`tests/demo/test_chronology.py` checks it on every case).

Python rather than a JSON or YAML fixture: the dates are relative to today (a case
referred eleven months ago, a claim assessed two years ago), the SIRENs carry their
Luhn check digit; a fixture would need a small language of its own for both.

The dates of the walk
---------------------
`referred` is the day the referral was sent (a draft's: the day it was typed), within
the last year; the walk then takes each step at its pace (`demo.walk.PACE`, days after the
step before), each act on a working day of the court's département, each hearing at one
of the court's hours. A scenario whose course would run past today is refused: refer it
earlier, or stop it sooner. The claims' dates (assessment, last interruptive act, SATD)
come before `referred`. A step's text (`reasons`) may quote the walk's dates by name, as
« {decision} »: mandated, signed, served (the starting act), publication, assignation,
orientation (the hearing the assignation fixed), hearing (the last one held),
deliberation, decision, notification, appeal, recovery.

Adding a scenario that walks a new step
---------------------------------------
1. The step is in `workflows.process.PROCESS` and `workflows.steps.STEPS` (its form).
2. A step whose form needs only fields: give them in `Scenario.steps` (a callable value
   is called with the walk, for its dates: `lambda walk: walk.today.isoformat()`), and
   its pace in `demo.walk.PACE`. Otherwise, in `demo.walk`, give `DemoWalk` a method
   named like the step,
   `def my_step(self, outcome: str, reason: str)`: it moves the clock to the day the act
   is done (`self.at(day)`, `self.after(days)`; `self.today` is the current day), notes
   the dates the texts may quote (`self.note("name", day)`), runs the step's side actions
   (`self.side("action", {...})`, `self.procedure_act(kind, day)`) and completes it
   (`self.step({...})`, the form's fields as a browser posts them). Put its pace in
   `PACE` (else `DEFAULT_PACE` days after the step before).
3. Here, a `Scenario` whose `to` (a status) or `at_step` (the step left open) lies on or
   past that step; `endings={"step": "ending"}` where the step can end two ways that lead
   to the same place; its texts in `reasons`; `court` (and `appeal_court`) the courts of
   `fixtures/lawyers.json` plead before (`demo.courts`), `referred` early enough for the
   course to end before today.
4. `tests/demo/test_chronology.py` then checks the new case with the others; add the rule
   of the new step there (its article in the docstring).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from cases.enums import TAX_NATURES, CaseStatus, ClosureReason, DebtorKind, Mode, PieceKind, TaxKind
from cases.validators import add_months, luhn_ok


def siren(first_eight: str) -> str:
    """A valid SIREN: the eight digits given and the Luhn check digit."""
    for digit in "0123456789":
        if luhn_ok(first_eight + digit):
            return first_eight + digit
    raise AssertionError("unreachable: one digit always completes a Luhn number")


@dataclass
class Scenario:
    """One demo case: what the referrer types, which pieces they attach, and how far the
    case goes: the status it reaches (`to`), or the step left open (`at_step`), by the
    shortest course the process has (`workflows.process.course`, `course_to_step`);
    `endings` picks, for a step, another ending that leads the same way; `reasons` is
    what each step's form is given as its text (by step name; « {date} » fields: see the
    module's docstring)."""

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
    to: str = CaseStatus.SUBMITTED
    at_step: str | None = None
    endings: dict[str, str] = field(default_factory=dict)
    # A (step, ending) the course takes on its way although it is not the shortest (the
    # opening of a liquidation, on to the declaration of the claim): `course_via`.
    via: tuple[str, str] | None = None
    reasons: dict[str, str] = field(default_factory=dict)
    closure_reason: str = ""
    jurist: str | None = None
    expert: str | None = None
    # The action bears on rights in real estate: its assignation is published at the land
    # registry (décret 55-22, art. 28 4° c and 30-5), said at the starting act.
    real_estate: bool = False
    # Issue 17: the parties the pôle adds on the takeover (the PartyForm's fields); the
    # walker adds the one the action needs if none is given here (demo.walk).
    parties: list[dict] = field(default_factory=list)
    # When the referral was sent (a draft: typed); None: a week ago.
    referred: datetime.date | None = None
    # The court the action goes before (default: the action type's), and on appeal.
    court: str = ""
    appeal_court: str = ""
    # Alsace-Moselle: the notaire the ordonnance commits (default: one of Strasbourg).
    notaire: str = ""
    # Collective proceedings: the mandataire judiciaire or liquidateur the opening names.
    mandataire: str = ""
    # Fields given to a step's form, over what the walker fills (by step name; a
    # callable value is called with the walk: `lambda walk: walk.today.isoformat()`),
    # e.g. {"decision": {"outcome": DecisionOutcome.VENTE_FORCEE}}. A step the walker has
    # no method for is completed with these alone.
    steps: dict[str, dict] = field(default_factory=dict)


def claim(tax, period, assessed, principal, penalties, remaining, interrupted=None) -> dict:
    return {
        "tax": tax,
        "nature": TAX_NATURES[tax],  # the scenarios' taxes: rôle or AMR (LPF L.274)
        "period": period,
        "assessment_date": assessed,
        "principal": Decimal(principal),
        "penalties": Decimal(penalties),
        "remaining": Decimal(remaining),
        "last_interruptive_act": interrupted,
    }


def legal(name: str, siren_number: str, address: str) -> dict:
    return {"kind": DebtorKind.LEGAL, "name": name, "siren": siren_number, "address": address}


def scenarios(today: datetime.date) -> list[Scenario]:
    """The demo cases, oldest first (the further along, the earlier referred)."""

    def ago(years: int = 0, months: int = 0, days: int = 0) -> datetime.date:
        return add_months(today, -(12 * years + months)) - datetime.timedelta(days=days)

    def y(years: int) -> str:
        return str(today.year - years)

    vermandois = siren("41237856")
    S = CaseStatus
    T = TaxKind
    return [
        # --- Closed, executed, appealed, decided: the oldest cases. ---
        Scenario(
            referrer="agent.ddfip02",
            referred=ago(0, 11, 3),
            court="Tribunal de commerce de Saint-Quentin",
            appeal_court="Cour d'appel d'Amiens",
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
            to=S.CLOSED,
            # The liquidation opened (C. com. L.641-1), not appealed, the claim declared
            # to the liquidateur (R.622-24) before the execution.
            via=("appeal_decision", "no_appeal_opening"),
            steps={"decision": {"outcome": "opening_lj"}},
            mandataire="SELARL Mandataires du Vermandois, liquidateur",
            reasons={
                "mandate_lawyer": "Assigner la société en liquidation judiciaire devant le "
                "tribunal de commerce de Saint-Quentin, conjointement avec l'URSSAF.",
                "decision": "Liquidation judiciaire prononcée par le tribunal de commerce de "
                "Saint-Quentin le {decision}, sur l'assignation conjointe du {served}.",
                "execution": "Créance déclarée et admise au passif ; répartition de 41 230,00 € "
                "reçue du liquidateur, clôture pour insuffisance d'actif.",
            },
            closure_reason=ClosureReason.RECOVERED_PARTIAL,
            jurist="juriste1",
        ),
        Scenario(
            referrer="agent.drfip67",
            referred=ago(0, 10, 8),
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
            to=S.CLOSED,
            reasons={
                "support": "Projet d'assignation relu et validé ; la direction poursuit seule.",
            },
            closure_reason=ClosureReason.SUPPORT_COMPLETED,
            jurist="juriste2",
        ),
        Scenario(
            referrer="agent.ddfip02",
            referred=ago(0, 9, 12),
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
            to=S.CLOSED,
            reasons={
                "write_opinion": "Avis favorable : la créance de compte courant est exigible "
                "et la SCI est solvable après la vente de son immeuble.",
                "follow_up": "Avis rendu ; la direction a engagé l'action oblique par elle-même.",
            },
            closure_reason=ClosureReason.OPINION_GIVEN,
            jurist="juriste2",
            expert="expert.ddfip30",
        ),
        Scenario(
            referrer="comptable.ddfip02",
            referred=ago(0, 11, 20),
            court="Juge de l'exécution du tribunal judiciaire de Laon",
            appeal_court="Cour d'appel d'Amiens",
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
            to=S.EXECUTION,
            reasons={
                "mandate_lawyer": "Faire signifier le commandement de payer valant saisie, le "
                "publier dans les deux mois (CPCE R.321-6), puis assigner à l'audience "
                "d'orientation.",
                "decision": "Jugement d'orientation du juge de l'exécution de Laon du "
                "{decision} (commandement signifié le {served}, publié le {publication}) : "
                "vente forcée ordonnée, mise à prix 180 000 €.",
            },
            jurist="juriste1",
        ),
        # --- Saisie immobilière after the orientation judgment (CPCE R.322-15 s.) ---
        Scenario(
            referred=ago(0, 11, 29),
            court="Juge de l'exécution du tribunal judiciaire de Laon",
            appeal_court="Cour d'appel d'Amiens",
            referrer="agent.ddfip02",
            poste="SIE de Laon",
            mode=Mode.PRISE_EN_CHARGE,
            action="saisie_immobiliere",
            debtor=legal(
                "SCI du Bastion Saint-Jean", siren("79214536"), "4 rue Sérurier, 02000 Laon"
            ),
            facts=(
                "Société civile immobilière redevable d'IS et de CFE sur la location d'un "
                "local commercial, son seul actif. Aucun paiement malgré deux mises en demeure."
            ),
            request="Saisir et faire vendre le local commercial de la rue Sérurier.",
            claims=[
                claim(T.IS, y(3), ago(2, 5), "96210.00", "9621.00", "105831.00", ago(1, 10)),
            ],
            properties=[
                {
                    "address": "11 rue Sérurier",
                    "postal_code": "02000",
                    "commune": "Laon",
                    "departement": "02",
                    "cadastral_section": "AH",
                    "cadastral_number": "77",
                    "description": "Local commercial en rez-de-chaussée",
                }
            ],
            to=S.PRICE_DISTRIBUTION,
            reasons={
                "decision": "Jugement d'orientation : vente forcée, mise à prix 90 000 €.",
                "forced_sale": "Prix consigné à la Caisse des dépôts par l'adjudicataire.",
            },
            jurist="juriste1",
        ),
        Scenario(
            referred=ago(0, 1, 20),
            court="Juge de l'exécution du tribunal judiciaire de Laon",
            appeal_court="Cour d'appel d'Amiens",
            referrer="comptable.ddfip02",
            mode=Mode.PRISE_EN_CHARGE,
            action="saisie_immobiliere",
            debtor={
                "kind": DebtorKind.NATURAL,
                "name": "Vasseur",
                "first_name": "Nadine",
                "birth_date": datetime.date(1975, 6, 28),
                "address": "5 place du Marché, 02100 Saint-Quentin",
            },
            facts=(
                "Commerçante redevable de TVA après cessation d'activité ; propriétaire d'un "
                "local commercial vacant à Saint-Quentin, hors logement de la famille."
            ),
            request="Saisir le local commercial de la rue d'Isle.",
            claims=[
                claim(T.TVA, y(2), ago(1, 5), "54300.00", "5430.00", "59730.00", ago(0, 11)),
            ],
            properties=[
                {
                    "address": "31 rue d'Isle",
                    "postal_code": "02100",
                    "commune": "Saint-Quentin",
                    "departement": "02",
                    "cadastral_section": "BK",
                    "cadastral_number": "118",
                    "family_home": False,
                    "description": "Local commercial vacant",
                    "occupation": "libre",
                    "reserve_price": "90000.00",
                }
            ],
            # The commandement valant saisie served: its publication to come (R.321-6).
            to=S.ACTION_ENGAGED,
            jurist="juriste1",
        ),
        Scenario(
            referred=ago(0, 10, 14),
            court="Juge de l'exécution du tribunal judiciaire de Laon",
            appeal_court="Cour d'appel d'Amiens",
            referrer="comptable.ddfip02",
            mode=Mode.PRISE_EN_CHARGE,
            action="saisie_immobiliere",
            debtor={
                "kind": DebtorKind.NATURAL,
                "name": "Lecoutre",
                "first_name": "Thierry",
                "birth_date": datetime.date(1971, 9, 3),
                "address": "18 rue du Bourg, 02000 Laon",
            },
            facts=(
                "Artisan redevable d'impôt sur le revenu ; une maison louée, hors logement de "
                "la famille. Il a demandé la vente amiable à l'audience d'orientation."
            ),
            request="Saisir la maison de la rue de la Herse.",
            claims=[
                claim(T.IR, y(3), ago(2, 7), "61480.00", "6148.00", "67628.00", ago(1, 9)),
            ],
            properties=[
                {
                    "address": "7 rue de la Herse",
                    "postal_code": "02000",
                    "commune": "Laon",
                    "departement": "02",
                    "cadastral_section": "AD",
                    "cadastral_number": "310",
                    "family_home": False,
                    "description": "Maison de ville louée",
                    "occupation": "locataire",
                }
            ],
            to=S.AMICABLE_SALE,
            reasons={"decision": "Vente amiable autorisée, prix minimum 140 000 €."},
            jurist="juriste2",
        ),
        Scenario(
            referred=ago(0, 11, 26),
            court="Juge de l'exécution du tribunal judiciaire de Laon",
            appeal_court="Cour d'appel d'Amiens",
            referrer="comptable.ddfip02",
            mode=Mode.PRISE_EN_CHARGE,
            action="saisie_immobiliere",
            debtor=legal(
                "SARL Garage des Creutes", siren("81346259"), "3 route de Reims, 02000 Laon"
            ),
            facts="Garage fermé depuis un an ; TVA impayée ; l'atelier est le seul actif.",
            request="Saisir et faire vendre l'atelier.",
            claims=[
                claim(T.TVA, y(2), ago(1, 8), "58740.00", "5874.00", "64614.00", ago(1, 2)),
            ],
            properties=[
                {
                    "address": "3 route de Reims",
                    "postal_code": "02000",
                    "commune": "Laon",
                    "departement": "02",
                    "cadastral_section": "ZB",
                    "cadastral_number": "45",
                    "description": "Atelier et parcelle attenante",
                }
            ],
            to=S.FORCED_SALE,
            reasons={"decision": "Jugement d'orientation : vente forcée ordonnée."},
            jurist="juriste1",
        ),
        Scenario(
            referrer="agent.ddfip02",
            referred=ago(0, 9, 1),
            court="Tribunal judiciaire de Laon",
            appeal_court="Cour d'appel d'Amiens",
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
            real_estate=True,
            parties=[
                {
                    "role": "acquirer",
                    "name": "Thomas Leroy (donataire de la nue-propriété)",
                    "address": "12 rue Saint-Jean, 02000 Laon",
                },
                {
                    "role": "acquirer",
                    "name": "Julie Leroy (donataire de la nue-propriété)",
                    "address": "Rua Augusta 40, 1100-053 Lisboa (Portugal)",
                    "residence": "etranger",
                },
            ],
            claims=[
                claim(T.IR, y(4), ago(2, 8), "83150.00", "33260.00", "116410.00", ago(1, 6)),
            ],
            to=S.UNDER_APPEAL,
            endings={"appeal_decision": "opponent_appeal"},
            reasons={
                "mandate_lawyer": "Assigner Mme LEROY et les donataires devant le tribunal "
                "judiciaire de Laon (C. civ. art. 1341-2).",
                "decision": "Jugement du tribunal judiciaire de Laon du {decision} : donation "
                "déclarée inopposable à l'administration.",
                "appeal_decision": "Appel interjeté par Mme LEROY le {appeal} devant la "
                "cour d'appel d'Amiens.",
            },
            jurist="juriste2",
        ),
        Scenario(
            referrer="agent.ddfip02",
            referred=ago(0, 7, 4),
            court="Juge de l'exécution du tribunal judiciaire de Laon",
            appeal_court="Cour d'appel d'Amiens",
            poste="SIE de Laon",
            mode=Mode.PRISE_EN_CHARGE,
            action="tiers_detenteur",
            debtor=legal(
                "SARL Menuiserie du Laonnois",
                siren("52093741"),
                "7 rue du Bourg, 02000 Laon",
            ),
            facts=(
                "Menuiserie en sommeil. SATD notifiée à son client, un promoteur, qui a déclaré "
                "devoir 23 500 € sur une situation de travaux, puis a réglé la société sans rien "
                "verser au comptable public."
            ),
            request="Assigner le tiers détenteur dans la limite de ce qu'il devait (LPF L.262).",
            claims=[
                claim(T.TVA, y(2), ago(1, 6), "61200.00", "6120.00", "64800.00", ago(1, 1)),
            ],
            holders=[
                {
                    "name": "SAS Promotion Picarde",
                    "siren": siren("48267105"),
                    "address": "21 avenue Carnot, 02000 Laon",
                    "satd_date": ago(1, 1),
                    "satd_amount": Decimal("64800.00"),
                    "notified_on": ago(1, 1),
                    "denounced_on": ago(1, 1) + datetime.timedelta(days=4),
                    "declaration": "declared",
                    "declared_on": ago(1, 1) + datetime.timedelta(days=9),
                    "declaration_content": "Situation de travaux n° 4 restant due : 23 500 €.",
                    "obligation": Decimal("23500.00"),
                }
            ],
            to=S.EXECUTION,
            # LPF L.262, CPCE L.211-2: condemned within its obligation, not the SATD's amount.
            steps={"decision": {"outcome": "holder_condemned", "amount_awarded": "23500.00"}},
            reasons={
                "mandate_lawyer": "Assigner la SAS Promotion Picarde devant le juge de "
                "l'exécution de Laon, dans la limite des 23 500 € qu'elle devait.",
                "decision": "SAS Promotion Picarde condamnée à payer 23 500 €, dans la limite "
                "de son obligation envers le redevable.",
            },
            jurist="juriste2",
        ),
        Scenario(
            referrer="comptable.ddfip02",
            referred=ago(0, 5, 10),
            court="Président du tribunal judiciaire de Laon",
            appeal_court="Cour d'appel d'Amiens",
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
            to=S.DECIDED,
            steps={"decision": {"outcome": "condemned"}},  # LPF L.267: solidairement tenu
            reasons={
                "mandate_lawyer": "Assigner M. VASSEUR devant le président du tribunal "
                "judiciaire de Laon (LPF L.267).",
                "decision": "M. VASSEUR condamné solidairement au paiement de 98 000 €.",
            },
            jurist="juriste1",
        ),
        Scenario(
            referrer="agent.ddfip02",
            referred=ago(0, 4),
            court="Juge de l'exécution du tribunal judiciaire de Saint-Quentin",
            appeal_court="Cour d'appel d'Amiens",
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
            to=S.AWAITING_DECISION,
            reasons={
                "mandate_lawyer": "Assigner le tiers détenteur en paiement devant le juge de "
                "l'exécution de Saint-Quentin.",
                "hearings": "Plaidée le {hearing}, délibéré au {deliberation}.",
            },
            jurist="juriste2",
        ),
        Scenario(
            referrer="agent.drfip67",
            referred=ago(0, 3, 6),
            court="Tribunal judiciaire de Strasbourg (exécution forcée immobilière)",
            appeal_court="Cour d'appel de Colmar",
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
                    "land_register_commune": "Strasbourg",
                    "land_register_section": "NE",
                    "land_register_sheet": "48213",
                    "description": "Immeuble de bureaux, trois niveaux",
                }
            ],
            # The ordonnance obtained, inscribed at the livre foncier: the notaire's
            # adjudication to come (loi du 1er juin 1924, art. 141 s.).
            to=S.LOCAL_ORDERED,
            at_step="local_adjudication",
            notaire="Me Claire Wendling, notaire à Strasbourg",
            reasons={
                "mandate_lawyer": "Déposer la requête en exécution forcée immobilière au "
                "tribunal judiciaire de Strasbourg (droit local, loi du 1er juin 1924).",
            },
            jurist="juriste2",
        ),
        Scenario(
            referrer="agent.drfip67",
            referred=ago(0, 1, 12),
            court="Tribunal judiciaire de Strasbourg (exécution forcée immobilière)",
            appeal_court="Cour d'appel de Colmar",
            poste="PRS de Strasbourg",
            mode=Mode.PRISE_EN_CHARGE,
            action="saisie_immobiliere",
            debtor={
                "kind": DebtorKind.NATURAL,
                "name": "Baumann",
                "first_name": "Didier",
                "birth_date": datetime.date(1969, 2, 17),
                "address": "9 rue du Maréchal Foch, 67400 Illkirch-Graffenstaden",
            },
            facts=(
                "Gérant de fait d'un commerce liquidé, redevable d'impôt sur le revenu après "
                "contrôle. Propriétaire d'un appartement loué à Illkirch-Graffenstaden "
                "(Bas-Rhin) : exécution forcée immobilière de droit local, livre foncier."
            ),
            request="Demander au tribunal judiciaire de Strasbourg l'exécution forcée sur "
            "l'appartement.",
            claims=[
                claim(T.IR, y(3), ago(1, 8), "88200.00", "8820.00", "97020.00", ago(0, 9)),
            ],
            properties=[
                {
                    "address": "14 rue du Rhin Tortu",
                    "postal_code": "67400",
                    "commune": "Illkirch-Graffenstaden",
                    "departement": "67",
                    "cadastral_section": "AB",
                    "cadastral_number": "233",
                    "land_register_commune": "Illkirch-Graffenstaden",
                    "land_register_section": "AB",
                    "land_register_sheet": "10457",
                    "family_home": False,
                    "description": "Appartement de trois pièces, loué",
                }
            ],
            # The requête filed: the tribunal de l'exécution has not ruled yet.
            to=S.LOCAL_REQUESTED,
            jurist="juriste2",
        ),
        Scenario(
            referrer="comptable.ddfip02",
            referred=ago(0, 2, 9),
            court="Tribunal judiciaire de Laon",
            appeal_court="Cour d'appel d'Amiens",
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
            to=S.TAKEN_OVER,
            jurist="juriste1",
        ),
        Scenario(
            referrer="agent.drfip67",
            referred=ago(0, 1, 10),
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
            to=S.SUPPORT_IN_PROGRESS,
            jurist="juriste1",
        ),
        Scenario(
            referrer="agent.ddfip02",
            referred=ago(0, 4, 9),
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
            to=S.OPINION_GIVEN,
            reasons={
                "write_opinion": "Avis favorable : valeur vénale estimée à 310 000 €, "
                "inscription de l'administration en premier rang."
            },
            jurist="juriste2",
            expert="expert.ddfip30",
        ),
        Scenario(
            referrer="comptable.ddfip02",
            referred=ago(0, 3, 12),
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
            to=S.DECLINED,
            reasons={
                "receivability": "La cession a été faite au prix du marché (estimation jointe) et "
                "son prix a désintéressé un créancier de rang préférable : la fraude paulienne "
                "n'est pas caractérisable. Une SATD sur le solde du compte reste possible."
            },
        ),
        Scenario(
            referrer="comptable.ddfip02",
            referred=ago(0, 1, 15),
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
            at_step="validate_opinion",
            jurist="juriste2",
            expert="expert.ddfip30",
        ),
        Scenario(
            referrer="agent.ddfip02",
            referred=ago(days=16),
            court="Président du tribunal judiciaire de Saint-Quentin",
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
            to=S.UNDER_EXAMINATION,
        ),
        Scenario(
            referrer="agent.ddfip02",
            referred=ago(days=24),
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
            to=S.RETURNED,
            reasons={
                "receivability": "Pièces manquantes : état hypothécaire (fiche "
                "d'immeuble) de moins de trois mois, fiche de renseignements patrimoniaux à "
                "jour, bilans des deux derniers exercices. Précisez aussi les diligences déjà "
                "faites (SATD bancaires)."
            },
        ),
        Scenario(
            referrer="agent.drfip67",
            referred=ago(days=20),
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
            at_step="write_opinion",
            expert="expert.ddfip30",
        ),
        Scenario(
            referrer="comptable.ddfip02",
            referred=ago(days=6),
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
        Scenario(
            referrer="comptable.ddfip02",
            referred=ago(days=12),
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
        Scenario(
            referrer="agent.ddfip02",
            referred=ago(days=7),
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
        Scenario(
            referrer="comptable.ddfip02",
            referred=ago(days=4),
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
        # The manager of SARL Le Comptoir Laonnois, condemned under LPF L.267, now the
        # debtor of his own case: once sent, it joins the company's case as co-obligé
        # (cases/debtors.py), and each case's page shows the other.
        Scenario(
            referrer="comptable.ddfip02",
            referred=ago(days=3),
            mode=Mode.AVIS,
            action="saisie_immobiliere",
            debtor={
                "kind": DebtorKind.NATURAL,
                "name": "Vasseur",
                "first_name": "Laurent",
                "birth_date": datetime.date(1971, 9, 2),
                "address": "9 allée des Tilleuls, 02000 Laon",
                "marital_situation": "marie",
            },
            facts=(
                "Gérant de la SARL Le Comptoir Laonnois, condamné solidairement au paiement de "
                "98 000 € (LPF L.267) ; aucun paiement depuis la signification du jugement. "
                "Propriétaire, avec son épouse, d'un appartement loué à Laon."
            ),
            request="Avis sur l'opportunité d'une saisie de l'appartement de la rue Châtelaine.",
            claims=[
                claim(T.TVA, y(3) + "-" + y(2), ago(2, 3), "89300.00", "35720.00", "98000.00"),
            ],
            properties=[
                {
                    "address": "21 rue Châtelaine",
                    "postal_code": "02000",
                    "commune": "Laon",
                    "departement": "02",
                    "cadastral_section": "AB",
                    "cadastral_number": "112",
                    "family_home": False,
                    "description": "Appartement de trois pièces, loué",
                    "occupation": "locataire",
                }
            ],
        ),
    ]
