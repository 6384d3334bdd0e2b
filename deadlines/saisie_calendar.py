"""The whole calendar of a saisie immobilière (Code des procédures civiles d'exécution), from
the dates known so far. A pure module: no database, no settings.

Each line says what must be done (or may not be done) by or from a date, under which
article, and what missing it costs:

- R.321-1 al. 3: where a property belonging to one spouse alone ("en propre") is the
  family home, the commandement is denounced to the other spouse "au plus tard le premier
  jour ouvrable suivant la signification".
- R.321-6: the commandement is published within two months of its service.
- R.322-4: the debtor is assigned to the orientation hearing within two months of the
  publication, the assignation being served between one and three months before the
  hearing. The one-month minimum is met by the assignation as served, judged against the
  hearing date written in it: a later renvoi does not move it, and a late assignation stays
  flagged.
- R.322-6: the **commandement** is denounced to the registered creditors no later than the
  fifth jour ouvrable after the debtor's assignation (the denunciation is their summons to
  the orientation hearing, R.322-7).
- R.322-10: the cahier des conditions de vente is filed at the registry no later than the
  fifth jour ouvrable after the assignation.
- R.322-26: the orientation judgment that orders the forced sale sets the adjudication
  hearing between two and four months after it.
- R.322-31: the sale is advertised between two months and one month before the
  adjudication hearing.
- R.322-50: a surenchère is made within ten days of the adjudication.
- R.322-56: the adjudicataire pays (consigns) the price within two months of the
  adjudication définitive, à peine de réitération des enchères (R.322-66 s.); counted here
  from the adjudication itself (the earlier, so the safe, reading: with no surenchère the
  adjudication is définitive on its day; after a surenchère the surenchère's adjudication
  starts its own line).
- R.321-20 (décret n° 2020-1452 of 27 November 2020, in force 1 January 2021, applicable to
  pending cases): the commandement lapses ("péremption", not caducité) five years after its
  publication unless a judgment recording the sale is mentioned in its margin; R.321-22: a
  judgment ordering the prorogation of its effects, mentioned in the margin before that day,
  moves it.

R.311-11 sets the deadlines of R.321-1, R.321-6, R.322-6, R.322-10, R.322-31 and the two-
and three-month limits of R.322-4 "à peine de caducité du commandement de payer valant
saisie" (the creditor can avoid it by showing a motif légitime). The one-month minimum of
R.322-4 is outside that list.

Counting (deadlines.engine, CPC 640-642, statutory public holidays of the court's
département): a "not after" limit running forward from an act is `compute_deadline` (CPC
642 extends it to the next working day); a "not after" limit counted back from a hearing is
`compute_deadline_before` (the same day number earlier, then the working day before); a
"not before" limit is plain arithmetic (CPC 641), never moved: moving it earlier would
allow what the text forbids, and an act done later than it is in time anyway.

In Alsace-Moselle (57, 67, 68) the CPCE calendar does not apply: the forced sale of real
property follows the local law (loi du 1er juin 1924, exécution forcée immobilière, livre
foncier); the calendar is then a notice and no line.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from enum import StrEnum

from cases.enums import MaritalSituation
from cases.formatting import short_date
from cases.validators import add_months

from .engine import (
    compute_deadline_before,
    compute_deadline_details,
    holiday_subdivision,
    public_holidays,
)

ALSACE_MOSELLE = ("57", "67", "68")
LOCAL_LAW_NOTICE = (
    "Alsace-Moselle (départements 57, 67 et 68) : la saisie immobilière y relève du droit "
    "local (loi du 1er juin 1924, exécution forcée immobilière et livre foncier), et non du "
    "calendrier du code des procédures civiles d'exécution. Aucun délai du CPCE n'est calculé : "
    "suivez la procédure d'exécution forcée immobilière du droit local."
)

CADUCITE = "caducité du commandement (R.311-11), sauf motif légitime du créancier poursuivant"
PEREMPTION_YEARS = 5  # R.321-20 as amended by décret n° 2020-1452
SPOUSE_TO_CHECK = " — à vérifier : situation matrimoniale ou logement de la famille non renseigné"


class Bound(StrEnum):
    """Whether the line's date is the earliest or the latest day allowed."""

    NOT_BEFORE = ">="
    NOT_AFTER = "<="


@dataclass(frozen=True)
class Rule:
    """One deadline of the calendar: its article, what the text says (the basis shown with
    a case's deadline), its length for `deadlines.engine` and whether it is set à peine de
    caducité (R.311-11). The one definition of each length and article: the case's
    deadline rows (`deadlines.rules`) read them from here."""

    article: str
    text: str
    length: dict[str, int]
    critical: bool

    @property
    def basis(self) -> str:
        suffix = " — à peine de caducité du commandement (R.311-11)" if self.critical else ""
        return f"CPCE art. {self.article} : {self.text}{suffix}"


RULES: dict[str, Rule] = {
    "si_publication": Rule(
        "R.321-6", "dans les deux mois de sa signification", {"months": 2}, True
    ),
    "si_denonciation_conjoint": Rule(
        "R.321-1",
        "al. 3 : dénonciation au conjoint au plus tard le premier jour ouvrable suivant la "
        "signification du commandement (bien propre, logement de la famille)",
        {"ouvrables": 1},
        True,
    ),
    "si_assignation": Rule(
        "R.322-4", "dans les deux mois de la publication du commandement", {"months": 2}, True
    ),
    "si_orientation_min": Rule(
        "R.322-4",
        "assignation délivrée un mois au moins avant l'audience d'orientation fixée dans "
        "l'assignation (hors R.311-11)",
        {"months": 1},
        False,
    ),
    "si_orientation_max": Rule(
        "R.322-4",
        "audience d'orientation fixée au plus tard trois mois après l'assignation",
        {"months": 3},
        True,
    ),
    "si_denonciation_creanciers": Rule(
        "R.322-6",
        "dénonciation du commandement aux créanciers inscrits au plus tard le 5e jour "
        "ouvrable suivant l'assignation du débiteur",
        {"ouvrables": 5},
        True,
    ),
    "si_cahier": Rule(
        "R.322-10",
        "au plus tard le 5e jour ouvrable suivant l'assignation",
        {"ouvrables": 5},
        True,
    ),
    "si_adjudication_min": Rule(
        "R.322-26",
        "audience d'adjudication deux mois au moins après le jugement",
        {"months": 2},
        False,
    ),
    "si_adjudication_max": Rule(
        "R.322-26",
        "audience d'adjudication quatre mois au plus après le jugement",
        {"months": 4},
        False,
    ),
    "si_publicite_min": Rule(
        "R.322-31",
        "publicité de la vente pas plus de deux mois avant l'audience d'adjudication",
        {"months": 2},
        True,
    ),
    "si_publicite_max": Rule(
        "R.322-31",
        "publicité de la vente au plus tard un mois avant l'audience d'adjudication",
        {"months": 1},
        True,
    ),
    "si_surenchere": Rule("R.322-50", "dix jours après l'adjudication", {"days": 10}, False),
    # The sale, after the adjudication (CPCE R.322-52, R.322-56)
    "si_surenchere_denonciation": Rule(
        "R.322-52",
        "dénonciation de la surenchère au créancier poursuivant, à l'adjudicataire et au "
        "débiteur au plus tard le 3e jour ouvrable suivant sa déclaration, à peine "
        "d'irrecevabilité de la surenchère",
        {"ouvrables": 3},
        False,
    ),
    "si_paiement_prix": Rule(
        "R.322-56",
        "prix consigné ou versé au séquestre dans les deux mois de l'adjudication, à peine "
        "de réitération des enchères (puis intérêts au taux légal)",
        {"months": 2},
        False,
    ),
    "si_peremption": Rule(
        "R.321-20",
        f"péremption du commandement {PEREMPTION_YEARS} ans après sa publication (décret "
        "n° 2020-1452), sauf publication du jugement d'adjudication ou constatant la vente "
        "amiable, ou prorogation (R.321-22)",
        {"years": PEREMPTION_YEARS},
        False,
    ),
}


def _months(code: str) -> int:
    return RULES[code].length["months"]


class SaisieSequenceError(ValueError):
    """Dates out of sequence or a hearing on a day the court does not sit; the message is
    French, one sentence per problem."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = tuple(problems)
        super().__init__(" ".join(problems))


@dataclass(frozen=True)
class Prorogation:
    """A judgment prorogating the effects of the commandement (R.321-22): the day it was
    mentioned in the margin of the published commandement, and the day its effects now end
    as the judgment fixes it; when the judgment gives no day, a new five-year term from the
    mention (the case-law reading; the earlier of the two readings, so the safe one)."""

    mentioned_on: datetime.date
    until: datetime.date | None = None


@dataclass(frozen=True)
class SaisieDates:
    """What is known of one saisie immobilière. Only `commandement_signifie` is required.

    `audience_orientation_assignation` is the hearing date written in the assignation
    (R.322-4 is judged against it); `audience_orientation` the hearing as held or now set
    (after a renvoi). `marital_situation` and `family_home` (a property belonging to the
    debtor spouse alone is the family home) decide R.321-1 al. 3: when either is unknown
    the line is shown, marked to be checked. The `*_fait` dates are the acts that meet a
    line, when done."""

    commandement_signifie: datetime.date
    commandement_signe: datetime.date | None = None
    publie: datetime.date | None = None
    assigne: datetime.date | None = None
    audience_orientation_assignation: datetime.date | None = None
    audience_orientation: datetime.date | None = None
    jugement_orientation: datetime.date | None = None
    audience_adjudication: datetime.date | None = None
    adjudication: datetime.date | None = None
    departement: str | None = None
    marital_situation: MaritalSituation | None = None
    family_home: bool | None = None
    denonciation_conjoint_fait: datetime.date | None = None
    denonciation_creanciers_fait: datetime.date | None = None
    cahier_depose_fait: datetime.date | None = None
    publicite_vente_fait: datetime.date | None = None
    prorogations: tuple[Prorogation, ...] = ()

    @property
    def orientation_hearing_for_r322_4(self) -> datetime.date | None:
        return self.audience_orientation_assignation or self.audience_orientation


@dataclass(frozen=True)
class CalendarLine:
    code: str
    date: datetime.date
    bound: Bound
    article: str  # "R.321-6"
    label: str
    sanction: str
    critical: bool  # set à peine de caducité (R.311-11)
    met: bool | None = None  # None: the act that meets it is not recorded yet
    met_on: datetime.date | None = None
    warnings: tuple[str, ...] = field(default_factory=tuple)

    @property
    def status(self) -> str:
        if self.met is None:
            return ""
        when = short_date(self.met_on) if self.met_on else ""
        return f"respecté (le {when})" if self.met else f"NON RESPECTÉ (le {when})"

    @property
    def text(self) -> str:
        """The label with its status, as one line of a report."""
        return f"{self.label} — {self.status}" if self.status else self.label


@dataclass(frozen=True)
class SaisieCalendar:
    lines: tuple[CalendarLine, ...]
    local_law_notice: str = ""


def non_sitting_day(day: datetime.date, departement: str | None) -> str:
    """Why a court does not sit on `day`, or "" if it does."""
    if day.weekday() == 5:
        return "un samedi"
    if day.weekday() == 6:
        return "un dimanche"
    name = public_holidays(day.year, departement).get(day)
    return f"un jour férié ({name})" if name else ""


_HEARINGS = (
    ("audience_orientation_assignation", "L'audience d'orientation fixée dans l'assignation"),
    ("audience_orientation", "L'audience d'orientation"),
    ("audience_adjudication", "L'audience d'adjudication"),
    ("adjudication", "L'adjudication"),
)


def _chain_problems(chain: list[tuple[str, datetime.date | None, bool]]) -> list[str]:
    """`chain`: (French name, date or None, whether it must fall strictly after the
    previous date given), in the order the procedure takes them."""
    problems = []
    previous: tuple[str, datetime.date] | None = None
    strict_since_previous = False
    for name, value, strict in chain:
        strict_since_previous = strict_since_previous or strict
        if value is None:
            continue
        if previous is not None:
            before_name, before = previous
            if value < before or (strict_since_previous and value == before):
                relation = "après" if strict_since_previous else "au plus tôt le jour de"
                problems.append(
                    f"Dates incohérentes : {name} ({short_date(value)}) doit venir {relation} "
                    f"{before_name} ({short_date(before)})."
                )
        previous = (name, value)
        strict_since_previous = False
    return problems


def check_sequence(dates: SaisieDates) -> None:
    """Raise SaisieSequenceError (French) for dates out of sequence: commandement signed ≤
    served < published < assignation < orientation hearing ≤ orientation judgment <
    adjudication hearing ≤ adjudication, and for a hearing on a Saturday, a Sunday or a
    public holiday of the court's département."""
    d, departement = dates, dates.departement
    # The hearing as held (after a renvoi) or, failing it, the one the assignation fixed.
    hearing = d.audience_orientation or d.audience_orientation_assignation
    problems = _chain_problems(
        [
            ("la signature du commandement", d.commandement_signe, False),
            ("la signification du commandement", d.commandement_signifie, False),
            ("la publication du commandement", d.publie, True),
            ("l'assignation du débiteur", d.assigne, True),
            ("l'audience d'orientation", hearing, True),
            ("le jugement d'orientation", d.jugement_orientation, False),
            ("l'audience d'adjudication", d.audience_adjudication, True),
            ("l'adjudication", d.adjudication, False),
        ]
    )
    if d.audience_orientation is not None:
        problems += _chain_problems(
            [
                ("l'assignation du débiteur", d.assigne, False),
                (
                    "l'audience d'orientation fixée dans l'assignation",
                    d.audience_orientation_assignation,
                    True,
                ),
            ]
        )
    for attribute, name in _HEARINGS:
        day = getattr(dates, attribute)
        if day is not None and (why := non_sitting_day(day, departement)):
            problems.append(
                f"{name} du {short_date(day)} tombe {why} : le tribunal ne siège pas ce "
                "jour-là. Corrigez la date."
            )
    if dates.denonciation_conjoint_fait and (
        dates.denonciation_conjoint_fait < dates.commandement_signifie
    ):
        problems.append(
            "Dates incohérentes : la dénonciation au conjoint "
            f"({short_date(dates.denonciation_conjoint_fait)}) ne peut précéder la "
            f"signification du commandement ({short_date(dates.commandement_signifie)})."
        )
    if dates.publie:
        for prorogation in dates.prorogations:
            if prorogation.mentioned_on <= dates.publie:
                problems.append(
                    "Dates incohérentes : la prorogation mentionnée le "
                    f"{short_date(prorogation.mentioned_on)} précède la publication du "
                    f"commandement ({short_date(dates.publie)})."
                )
    if problems:
        raise SaisieSequenceError(problems)


def is_alsace_moselle(departement: str | None) -> bool:
    return departement is not None and str(departement).strip().upper() in ALSACE_MOSELLE


def _met(limit: datetime.date, bound: Bound, done: datetime.date | None) -> dict:
    if done is None:
        return {}
    ok = done >= limit if bound is Bound.NOT_BEFORE else done <= limit
    return {"met": ok, "met_on": done}


def _forward(start: datetime.date, departement: str | None, **length: int):
    """A "not after" limit running forward (CPC 642), with the warnings of the engine on
    the non-statutory days it met."""
    details = compute_deadline_details(start, departement=departement, **length)
    warnings = tuple(
        f"Le {short_date(day)} ({name}) n'est pas un jour férié légal : il ne proroge pas ce "
        "délai, même si le greffe est fermé."
        for day, name in details.non_statutory_days
    )
    return details.last_day, warnings


def _line(code, day, bound, article, label, sanction, critical, done=None, warnings=()):
    return CalendarLine(
        code=code,
        date=day,
        bound=bound,
        article=article,
        label=label,
        sanction=sanction,
        critical=critical,
        warnings=tuple(warnings),
        **_met(day, bound, done),
    )


def _spouse_line(d: SaisieDates) -> CalendarLine | None:
    """R.321-1 al. 3, when the debtor may be married and the property may be the family
    home: shown, marked to be checked, while either is unknown."""
    if d.marital_situation == MaritalSituation.NOT_MARRIED or d.family_home is False:
        return None
    rule = RULES["si_denonciation_conjoint"]
    day, warnings = _forward(d.commandement_signifie, d.departement, **rule.length)
    label = "Dénoncer le commandement au conjoint du débiteur (bien propre, logement de la famille)"
    if d.marital_situation is None or d.family_home is None:
        label += SPOUSE_TO_CHECK
    return _line(
        "si_denonciation_conjoint",
        day,
        Bound.NOT_AFTER,
        rule.article,
        label,
        CADUCITE,
        rule.critical,
        d.denonciation_conjoint_fait,
        warnings,
    )


def _peremption_line(d: SaisieDates) -> CalendarLine:
    assert d.publie is not None
    rule = RULES["si_peremption"]
    day, warnings = _forward(d.publie, d.departement, **rule.length)
    article, label = (
        rule.article,
        (
            "Péremption du commandement (cinq ans après sa publication), sauf mention en marge "
            "d'un jugement constatant la vente ou d'une prorogation"
        ),
    )
    for prorogation in sorted(d.prorogations, key=lambda p: p.mentioned_on):
        if prorogation.mentioned_on > day:
            raise SaisieSequenceError(
                [
                    f"La prorogation mentionnée le {short_date(prorogation.mentioned_on)} "
                    f"vient après la péremption du commandement ({short_date(day)}) : "
                    "un commandement périmé ne peut plus être prorogé (R.321-22)."
                ]
            )
        if prorogation.until is not None:
            day, warnings = prorogation.until, ()
        else:
            day, warnings = _forward(prorogation.mentioned_on, d.departement, **rule.length)
        article = "R.321-22"
        label = (
            "Péremption du commandement, reportée par le jugement de prorogation mentionné "
            f"le {short_date(prorogation.mentioned_on)}"
        )
    return _line(
        "si_peremption",
        day,
        Bound.NOT_AFTER,
        article,
        label,
        "péremption : le commandement cesse de plein droit de produire effet (R.321-20), "
        "sauf publication du jugement d'adjudication ou constatant la vente amiable",
        rule.critical,
        warnings=warnings,
    )


def _orientation_lines(d: SaisieDates) -> list[CalendarLine]:
    """R.322-4's one- and three-month limits between the assignation and the hearing."""
    assert d.assigne is not None
    hearing = d.orientation_hearing_for_r322_4
    minimum_sanction = (
        "hors R.311-11 (pas de caducité) : le débiteur peut obtenir le renvoi de l'audience, "
        "et l'assignation peut être annulée s'il en subit un grief (CPC 114)"
    )
    if hearing is None:
        # The hearing is not fixed yet: the window it must fall in.
        return [
            _line(
                "si_orientation_min",
                add_months(d.assigne, _months("si_orientation_min")),
                Bound.NOT_BEFORE,
                "R.322-4",
                "Audience d'orientation au plus tôt un mois après l'assignation",
                minimum_sanction,
                False,
            ),
            _line(
                "si_orientation_max",
                add_months(d.assigne, _months("si_orientation_max")),
                Bound.NOT_AFTER,
                "R.322-4",
                "Audience d'orientation au plus tard trois mois après l'assignation",
                CADUCITE,
                True,
            ),
        ]
    written = short_date(hearing)
    if d.audience_orientation_assignation is not None:
        written += " (date fixée dans l'assignation)"
    return [
        _line(
            "si_orientation_max",
            add_months(hearing, -_months("si_orientation_max")),
            Bound.NOT_BEFORE,
            "R.322-4",
            f"Assignation délivrée au plus tôt trois mois avant l'audience d'orientation du "
            f"{written}",
            CADUCITE,
            True,
            d.assigne,
        ),
        _line(
            "si_orientation_min",
            compute_deadline_before(
                hearing, **RULES["si_orientation_min"].length, departement=d.departement
            ),
            Bound.NOT_AFTER,
            "R.322-4",
            f"Assignation délivrée au plus tard un mois avant l'audience d'orientation du "
            f"{written}",
            minimum_sanction,
            False,
            d.assigne,
        ),
    ]


def saisie_calendar(dates: SaisieDates) -> SaisieCalendar:
    """Every deadline known from `dates`, sorted by date, after the sequence checks
    (SaisieSequenceError). In Alsace-Moselle: no line, the local-law notice. An unknown
    département raises ValueError (French)."""
    holiday_subdivision(dates.departement)  # an unknown département is refused here
    if is_alsace_moselle(dates.departement):
        return SaisieCalendar(lines=(), local_law_notice=LOCAL_LAW_NOTICE)
    check_sequence(dates)
    d, dep = dates, dates.departement
    lines: list[CalendarLine] = []

    day, warnings = _forward(d.commandement_signifie, dep, **RULES["si_publication"].length)
    lines.append(
        _line(
            "si_publication",
            day,
            Bound.NOT_AFTER,
            "R.321-6",
            "Publier le commandement au service de la publicité foncière (deux mois de sa "
            "signification)",
            CADUCITE,
            True,
            d.publie,
            warnings,
        )
    )
    if spouse := _spouse_line(d):
        lines.append(spouse)

    if d.publie:
        day, warnings = _forward(d.publie, dep, **RULES["si_assignation"].length)
        lines.append(
            _line(
                "si_assignation",
                day,
                Bound.NOT_AFTER,
                "R.322-4",
                "Assigner le débiteur à l'audience d'orientation (deux mois de la publication)",
                CADUCITE,
                True,
                d.assigne,
                warnings,
            )
        )
        lines.append(_peremption_line(d))

    if d.assigne:
        day, warnings = _forward(d.assigne, dep, **RULES["si_denonciation_creanciers"].length)
        lines.append(
            _line(
                "si_denonciation_creanciers",
                day,
                Bound.NOT_AFTER,
                "R.322-6",
                "Dénoncer le commandement aux créanciers inscrits (5e jour ouvrable après "
                "l'assignation)",
                CADUCITE,
                True,
                d.denonciation_creanciers_fait,
                warnings,
            )
        )
        lines.append(
            _line(
                "si_cahier",
                day,
                Bound.NOT_AFTER,
                "R.322-10",
                "Déposer le cahier des conditions de vente au greffe (5e jour ouvrable après "
                "l'assignation)",
                CADUCITE,
                True,
                d.cahier_depose_fait,
                warnings,
            )
        )
        lines += _orientation_lines(d)

    if d.jugement_orientation:
        judged = d.jugement_orientation
        lines.append(
            _line(
                "si_adjudication_min",
                add_months(judged, _months("si_adjudication_min")),
                Bound.NOT_BEFORE,
                "R.322-26",
                "Audience d'adjudication au plus tôt deux mois après le jugement d'orientation",
                "délai fixé par le juge dans le jugement d'orientation (vente forcée)",
                False,
                d.audience_adjudication,
            )
        )
        day, warnings = _forward(judged, dep, **RULES["si_adjudication_max"].length)
        lines.append(
            _line(
                "si_adjudication_max",
                day,
                Bound.NOT_AFTER,
                "R.322-26",
                "Audience d'adjudication au plus tard quatre mois après le jugement d'orientation",
                "délai fixé par le juge dans le jugement d'orientation (vente forcée)",
                False,
                d.audience_adjudication,
                warnings,
            )
        )

    if d.audience_adjudication:
        hearing = d.audience_adjudication
        lines.append(
            _line(
                "si_publicite_min",
                add_months(hearing, -_months("si_publicite_min")),
                Bound.NOT_BEFORE,
                "R.322-31",
                "Publicité de la vente au plus tôt deux mois avant l'audience d'adjudication",
                CADUCITE,
                True,
                d.publicite_vente_fait,
            )
        )
        lines.append(
            _line(
                "si_publicite_max",
                compute_deadline_before(
                    hearing, **RULES["si_publicite_max"].length, departement=dep
                ),
                Bound.NOT_AFTER,
                "R.322-31",
                "Publicité de la vente au plus tard un mois avant l'audience d'adjudication",
                CADUCITE,
                True,
                d.publicite_vente_fait,
            )
        )

    if d.adjudication:
        day, warnings = _forward(d.adjudication, dep, **RULES["si_surenchere"].length)
        lines.append(
            _line(
                "si_surenchere",
                day,
                Bound.NOT_AFTER,
                "R.322-50",
                "Surenchère (dix jours après l'adjudication)",
                "irrecevabilité de la surenchère formée après ce délai",
                False,
                warnings=warnings,
            )
        )
        day, warnings = _forward(d.adjudication, dep, **RULES["si_paiement_prix"].length)
        lines.append(
            _line(
                "si_paiement_prix",
                day,
                Bound.NOT_AFTER,
                "R.322-56",
                "Consignation du prix par l'adjudicataire (deux mois après l'adjudication)",
                "réitération des enchères (R.322-66) ; au-delà, intérêts au taux légal",
                False,
                warnings=warnings,
            )
        )

    order = {line.code: index for index, line in enumerate(lines)}
    lines.sort(key=lambda line: (line.date, order[line.code]))
    return SaisieCalendar(lines=tuple(lines))


# --- The hearings the judge fixes after the orientation (pure) -------------------------


@dataclass(frozen=True)
class HearingWindow:
    """Where a hearing the judge fixes must fall, counted from a decision or an act: at the
    earliest `least` months after it (plain arithmetic, CPC 641; none: the day after), at
    the latest `most` months after it (CPC 642 extends that last day)."""

    article: str
    what: str  # "L'audience d'adjudication"
    after: str  # "le jugement qui ordonne la vente forcée"
    least: int
    most: int

    def bounds(self, start: datetime.date, departement: str | None):
        earliest = add_months(start, self.least) if self.least else start + ONE_DAY
        latest, _ = _forward(start, departement, months=self.most)
        return earliest, latest

    def problem(self, start: datetime.date, day: datetime.date, departement: str | None) -> str:
        """A French sentence when `day` falls outside the window, else ""."""
        earliest, latest = self.bounds(start, departement)
        if earliest <= day <= latest:
            return ""
        span = (
            f"entre {_MONTHS[self.least]} et {_MONTHS[self.most]} mois"
            if self.least
            else f"dans les {_MONTHS[self.most]} mois"
        )
        return (
            f"{self.what} doit se tenir {span} après {self.after} (CPCE {self.article}) : "
            f"entre le {short_date(earliest)} et le {short_date(latest)}, et non le "
            f"{short_date(day)}."
        )


ONE_DAY = datetime.timedelta(days=1)
_MONTHS = {1: "un", 2: "deux", 3: "trois", 4: "quatre"}

WINDOWS: dict[str, HearingWindow] = {
    # R.322-26: the orientation judgment ordering the forced sale.
    "adjudication": HearingWindow(
        "R.322-26", "L'audience d'adjudication", "le jugement qui ordonne la vente forcée", 2, 4
    ),
    # R.322-25 al. 4 and R.322-22 al. 3: the forced sale ordered when the amicable sale
    # cannot be recorded.
    "reprise": HearingWindow(
        "R.322-22 et R.322-25",
        "L'audience d'adjudication",
        "le jugement qui ordonne la vente forcée faute de vente amiable",
        2,
        4,
    ),
    # R.322-21: the recall hearing of the amicable sale, within four months.
    "rappel": HearingWindow(
        "R.322-21",
        "L'audience de rappel de la vente amiable",
        "le jugement qui autorise la vente amiable",
        0,
        4,
    ),
    # R.322-21: the one extra delay, three months at most, on a written purchase commitment.
    "delai_supplementaire": HearingWindow(
        "R.322-21",
        "L'audience de rappel après le délai supplémentaire",
        "l'audience de rappel",
        0,
        3,
    ),
    # R.322-53: the surenchère hearing.
    "surenchere": HearingWindow(
        "R.322-53", "L'audience de surenchère", "la déclaration de surenchère", 2, 4
    ),
    # R.322-69: the new sale on réitération des enchères.
    "reiteration": HearingWindow(
        "R.322-69",
        "La nouvelle audience de vente",
        "la signification du certificat du greffe à l'adjudicataire défaillant",
        2,
        4,
    ),
}
