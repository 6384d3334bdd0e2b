"""The exécution forcée immobilière of Alsace-Moselle, from the dates known so far: the
local procedure's steps in their order, the deadline that can be counted, and the acts that
belong to it. A pure module (no database, no settings), sibling of `saisie_calendar`.

A saisie immobilière of a property in Moselle, Bas-Rhin or Haut-Rhin does not follow the
CPCE (livre III) but the loi du 1er juin 1924 mettant en vigueur la législation civile
française dans ces départements, chapitre « De l'exécution forcée sur les biens
immeubles » (art. 141 s.):

- a commandement de payer is served first (ancien art. 2217 C. civ., kept in force in the
  three départements: Cour de cassation, 2009); it is not « valant saisie »;
- art. 141: the demande (requête) « qui tend à faire ordonner l'exécution forcée sur les
  biens immeubles » goes to the court of the place where they are (now the tribunal
  judiciaire, « tribunal de l'exécution »), with the titre exécutoire, « une copie du livre
  foncier concernant les immeubles », a mise à prix for each and the creditor's proposals on
  the adjudication and the notaire to be commis;
- the court orders the exécution forcée by an ordonnance and commits the notaire who
  conducts the adjudication; the ordonnance is notified to the debtor and the exécution
  forcée is inscribed at the livre foncier; the notaire draws up the cahier des charges and
  holds the adjudication.

Lengths. Only one length is counted here: the pourvoi immédiat against the ordonnance,
fifteen days from its notification — the figure the ministère de la Justice gives for this
procedure (CDAD de la Moselle, « L'exécution forcée immobilière » : « un recours appelé
“pourvoi immédiat” peut ensuite être formé, dans un délai de 15 jours à compter de la
notification, auprès du greffe où la décision a été rendue »); the article that sets it was
not read, so the line says so. Every other step is shown without a computed date, marked
« délai à vérifier »: no length is written here without its text.

Counting: CPC 640-642 with the statutory public holidays of the court's département
(Good Friday and 26 December in 57, 67, 68: C. trav. L.3134-13), as everywhere
(`deadlines.engine`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from cases.formatting import short_date

from .enums import ProcedureActKind
from .saisie_calendar import SaisieSequenceError, _chain_problems, _forward

PAK = ProcedureActKind
TO_CHECK = "délai à vérifier"
LOI_1924 = "Loi du 1er juin 1924"

# The acts of the local procedure: recorded only on a saisie immobilière in Alsace-Moselle.
LOCAL_ACTS = frozenset(
    {
        PAK.LF_COMMANDEMENT,
        PAK.LF_ORDONNANCE,
        PAK.LF_NOTIFICATION,
        PAK.LF_INSCRIPTION,
        PAK.LF_NOTAIRE,
        PAK.LF_CAHIER,
        PAK.LF_ADJUDICATION,
    }
)
# The acts of the CPCE's saisie immobilière (livre III): refused there.
CPCE_ACTS = frozenset(
    {
        PAK.COMMANDEMENT_SERVED,
        PAK.PUBLICATION,
        PAK.DENONCIATION_CONJOINT,
        PAK.ASSIGNATION,
        PAK.DENONCIATION_CREANCIERS,
        PAK.CAHIER,
        PAK.PUBLICITE_VENTE,
        PAK.PROROGATION,
        PAK.ADJUDICATION,
        PAK.ADJUDICATION_PUBLISHED,
        PAK.VENTE_AMIABLE_PUBLISHED,
    }
)

POURVOI_SOURCE = (
    "délai donné par le ministère de la Justice (CDAD de la Moselle) ; article qui le fixe "
    "à vérifier"
)


@dataclass(frozen=True)
class Rule:
    """A length of the local procedure, its basis as a deadline row shows it."""

    code: str
    length: dict[str, int]
    text: str
    source: str

    @property
    def basis(self) -> str:
        return f"{LOI_1924} (droit local) : {self.text} — {self.source}"


RULES: dict[str, Rule] = {
    "lf_pourvoi": Rule(
        "lf_pourvoi",
        {"days": 15},
        "pourvoi immédiat contre l'ordonnance d'exécution forcée dans les quinze jours de sa "
        "notification, au greffe du tribunal qui l'a rendue",
        POURVOI_SOURCE,
    ),
}


@dataclass(frozen=True)
class Step:
    """One step of the local procedure: what is done, under which text, the act that
    records it (a `ProcedureActKind`, or "requete": the starting act)."""

    code: str
    label: str
    article: str
    act: str


STEPS: tuple[Step, ...] = (
    Step(
        "lf_commandement",
        "Commandement de payer préalable signifié au débiteur (il ne vaut pas saisie)",
        "ancien art. 2217 C. civ., maintenu en Alsace-Moselle",
        PAK.LF_COMMANDEMENT,
    ),
    Step(
        "lf_requete",
        "Requête en exécution forcée au tribunal judiciaire (tribunal de l'exécution) du lieu "
        "de situation de l'immeuble, avec le titre exécutoire, une copie du livre foncier, la "
        "mise à prix et le notaire proposé",
        f"{LOI_1924}, art. 141",
        "requete",
    ),
    Step(
        "lf_ordonnance",
        "Ordonnance d'exécution forcée (le tribunal commet le notaire chargé de l'adjudication)",
        f"{LOI_1924}, art. 141 s.",
        PAK.LF_ORDONNANCE,
    ),
    Step(
        "lf_notification",
        "Notification ou signification de l'ordonnance au débiteur",
        f"{LOI_1924}, art. 141 s.",
        PAK.LF_NOTIFICATION,
    ),
    Step(
        "lf_inscription",
        "Inscription de l'exécution forcée au livre foncier",
        f"{LOI_1924}, art. 141 s.",
        PAK.LF_INSCRIPTION,
    ),
    Step(
        "lf_notaire",
        "Désignation du notaire chargé de l'adjudication",
        f"{LOI_1924}, art. 141 (5°) s.",
        PAK.LF_NOTAIRE,
    ),
    Step(
        "lf_cahier",
        "Cahier des charges de l'adjudication dressé par le notaire",
        f"{LOI_1924}, art. 141 s.",
        PAK.LF_CAHIER,
    ),
    Step(
        "lf_adjudication",
        "Adjudication par le notaire commis",
        f"{LOI_1924}, art. 141 s.",
        PAK.LF_ADJUDICATION,
    ),
)


@dataclass(frozen=True)
class LocalDates:
    """What is known of one exécution forcée immobilière: the date of each step done
    (`requete`: the starting act), and the court's département (its public holidays)."""

    commandement: datetime.date | None = None
    requete: datetime.date | None = None
    ordonnance: datetime.date | None = None
    notification: datetime.date | None = None
    inscription: datetime.date | None = None
    notaire: datetime.date | None = None
    cahier: datetime.date | None = None
    adjudication: datetime.date | None = None
    departement: str | None = None

    def done_on(self, step: Step) -> datetime.date | None:
        return getattr(self, step.code.removeprefix("lf_"))


@dataclass(frozen=True)
class LocalLine:
    """One line of the local calendar: a step (done on `done_on`, or to do) or the
    deadline counted from one (`date`). `to_check`: no length is counted, « délai à
    vérifier »."""

    code: str
    label: str
    article: str
    date: datetime.date | None = None
    done_on: datetime.date | None = None
    to_check: bool = False
    sanction: str = ""
    warnings: tuple[str, ...] = field(default_factory=tuple)

    @property
    def status(self) -> str:
        if self.done_on is not None:
            return f"fait le {short_date(self.done_on)}"
        if self.date is not None:
            return f"jusqu'au {short_date(self.date)}"
        return TO_CHECK if self.to_check else "à faire"

    @property
    def text(self) -> str:
        return f"{self.label} — {self.status}"


@dataclass(frozen=True)
class LocalCalendar:
    lines: tuple[LocalLine, ...]


def check_local_sequence(dates: LocalDates) -> None:
    """Raise SaisieSequenceError (French) for dates out of the local procedure's order:
    commandement ≤ requête ≤ ordonnance ≤ its notification; the inscription, the notaire,
    the cahier des charges not before the ordonnance; the adjudication after it and not
    before the cahier des charges."""
    d = dates
    problems = _chain_problems(
        [
            ("le commandement de payer préalable", d.commandement, False),
            ("la requête en exécution forcée", d.requete, False),
            ("l'ordonnance d'exécution forcée", d.ordonnance, False),
            ("la notification de l'ordonnance", d.notification, False),
        ]
    )
    for name, value in (
        ("l'inscription au livre foncier", d.inscription),
        ("la désignation du notaire", d.notaire),
        ("le cahier des charges", d.cahier),
    ):
        problems += _chain_problems(
            [("l'ordonnance d'exécution forcée", d.ordonnance, False), (name, value, False)]
        )
    problems += _chain_problems(
        [
            ("l'ordonnance d'exécution forcée", d.ordonnance, False),
            ("le cahier des charges", d.cahier, False),
            ("l'adjudication", d.adjudication, True),
        ]
    )
    if problems:
        raise SaisieSequenceError(list(dict.fromkeys(problems)))


def local_calendar(dates: LocalDates, *, check: bool = True) -> LocalCalendar:
    """Every step of the local procedure in its order, each done or to do, with the
    pourvoi immédiat counted once the ordonnance is notified; after the sequence checks
    (SaisieSequenceError) unless `check` is False."""
    if check:
        check_local_sequence(dates)
    lines: list[LocalLine] = []
    for step in STEPS:
        done = dates.done_on(step)
        lines.append(
            LocalLine(
                step.code,
                step.label,
                step.article,
                done_on=done,
                to_check=done is None,
            )
        )
        if step.code == "lf_notification" and done is not None:
            rule = RULES["lf_pourvoi"]
            day, warnings = _forward(done, dates.departement, **rule.length)
            lines.append(
                LocalLine(
                    rule.code,
                    "Fin du délai de pourvoi immédiat du débiteur contre l'ordonnance "
                    f"(quinze jours de sa notification du {short_date(done)})",
                    f"{LOI_1924} (droit local) — {POURVOI_SOURCE}",
                    date=day,
                    sanction="passé ce délai, l'ordonnance ne peut plus être attaquée par le "
                    "pourvoi immédiat",
                    warnings=warnings,
                )
            )
    return LocalCalendar(lines=tuple(lines))
