"""The prescription of a claim, with the reasons of its date (« pourquoi cette date »). A pure
module: no database, no settings.

Regimes are data, per claim nature (REGIMES); an unknown nature is refused, never given a
default term:
- taxes: LPF L.274, four years from the mise en recouvrement of the rôle or, for an avis de
  mise en recouvrement (AMR), from its sending (both dates are kept: the term runs from the
  sending; when it is not known, from the AMR's date, earlier, so never too late);
- criminal fines: the prescription of the sentence, from the date the conviction became
  final, by class of offence: crimes 20 years (C. pén. 133-2), délits 6 years (133-3, as
  amended by loi n° 2017-242 of 27 February 2017), contraventions 3 years (133-4); it is
  interrupted by the acts of the Trésor that tend to its execution (C. proc. pén. 707-1,
  last paragraph), not by the debtor's payment or acknowledgement;
- other non-fiscal claims with their own term: the local public sector's titres de
  recettes (CGCT L.1617-5 3°, four years from the prise en charge), civil claims
  (C. civ. 2224, five years), the execution of a judgment (CPCE L.111-4, ten years). A
  caller may pass any other `Regime`.

Interruption (C. civ. 2231: it erases the time run and starts a new term of the same
length):
- only an act against the debtor itself interrupts, or against a co-débiteur solidaire
  (C. civ. 2245, for a demande en justice, an act of forced execution or an
  acknowledgement); an act against the manager before his condemnation under LPF L.267,
  a third-party holder, the acquirer in an action paulienne or anyone else interrupts
  nothing;
- a payment or an acknowledgement by the debtor (C. civ. 2240), a demande en justice
  (2241), a conservatory measure or an act of forced execution (2244), the mise en demeure
  de payer for taxes (LPF L.257-0 A and L.274 al. 2);
- a demande en justice interrupts until the end of the instance (2242): the claim is then
  « interrompue jusqu'à l'issue de l'instance », and a new term runs from the day the
  decision became final; the interruption is non avenue (2243) if the action is withdrawn,
  the instance lapses or the claim is finally rejected, and so is that of a commandement
  that becomes caduc or périmé (the reading of the case law the issue adopts).

Suspension (C. civ. 2230: it stops the term without erasing the time already run), with
a start and an end: the sursis de paiement (LPF L.277), collective proceedings for a
declared claim, surendettement, or another cause the caller names. An open suspension
leaves the claim « suspendue ».

The prescription date is the last day on which an act can still interrupt: the term ends
at the end of the day bearing the same number as its starting day (C. civ. 2228-2229,
CPC 641 by analogy). It is not extended to the next working day (CPC 642 governs
procedural deadlines; the pôle does not count on that reading for a prescription).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TypeVar

from cases.formatting import short_date
from cases.validators import add_years

ONE_DAY = datetime.timedelta(days=1)


class Party(StrEnum):
    """Whom an act is directed against (for a payment or an acknowledgement: who made it)."""

    DEBTOR = "debtor", "le débiteur"
    CO_DEBTOR = "co_debtor", "un co-débiteur solidaire"
    MANAGER = "manager", "le dirigeant (non encore condamné)"
    THIRD_PARTY_HOLDER = "third_party_holder", "un tiers détenteur"
    ACQUIRER = "acquirer", "l'acquéreur (action paulienne)"
    OTHER = "other", "un tiers"

    def __new__(cls, value: str, label: str) -> Party:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label  # type: ignore[attr-defined]
        return member


class ActKind(StrEnum):
    MISE_EN_DEMEURE = "mise_en_demeure", "mise en demeure de payer"
    EXECUTION = "execution", "acte d'exécution forcée ou mesure conservatoire"
    DEMANDE_EN_JUSTICE = "demande_en_justice", "demande en justice"
    PAIEMENT = "paiement", "paiement"
    RECONNAISSANCE = "reconnaissance", "reconnaissance de dette"

    def __new__(cls, value: str, label: str) -> ActKind:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label  # type: ignore[attr-defined]
        return member


class Outcome(StrEnum):
    """What became of a demande en justice or an act of execution."""

    PENDING = "pending", "instance en cours"
    FINAL_DECISION = "final_decision", "décision devenue définitive"
    WITHDRAWN = "withdrawn", "désistement"
    LAPSED = "lapsed", "péremption de l'instance"
    REJECTED = "rejected", "demande définitivement rejetée"
    CADUC = "caduc", "acte devenu caduc"
    PERIME = "perime", "commandement périmé"

    def __new__(cls, value: str, label: str) -> Outcome:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label  # type: ignore[attr-defined]
        return member


WIPED_OUT = (Outcome.WITHDRAWN, Outcome.LAPSED, Outcome.REJECTED, Outcome.CADUC, Outcome.PERIME)
# C. civ. 2245: what interrupts against a co-débiteur solidaire.
CO_DEBTOR_KINDS = frozenset(
    {ActKind.DEMANDE_EN_JUSTICE, ActKind.EXECUTION, ActKind.RECONNAISSANCE, ActKind.PAIEMENT}
)


class SuspensionCause(StrEnum):
    SURSIS_DE_PAIEMENT = "sursis_de_paiement", "sursis de paiement (LPF L.277)"
    PROCEDURE_COLLECTIVE = "procedure_collective", "procédure collective, créance déclarée"
    SURENDETTEMENT = "surendettement", "procédure de surendettement"
    OTHER = "other", "autre cause de suspension"

    def __new__(cls, value: str, label: str) -> SuspensionCause:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label  # type: ignore[attr-defined]
        return member


@dataclass(frozen=True)
class Regime:
    code: str
    label: str
    years: int
    basis: str
    origin: str  # what starts the term, in French
    interrupting: frozenset[ActKind]
    interruption_basis: str


_ALL_KINDS = frozenset(ActKind)
_CIVIL_KINDS = _ALL_KINDS - {ActKind.MISE_EN_DEMEURE}  # C. civ. 2240-2244
_PENAL_KINDS = frozenset({ActKind.MISE_EN_DEMEURE, ActKind.EXECUTION})  # C. proc. pén. 707-1
_PENAL_INTERRUPTION = (
    "C. proc. pén. 707-1 : actes du Trésor tendant à l'exécution de la peine (ni le "
    "paiement ni la reconnaissance du condamné)"
)

REGIMES: Mapping[str, Regime] = {
    regime.code: regime
    for regime in (
        Regime(
            "impot_role",
            "Impôt recouvré par voie de rôle",
            4,
            "LPF L.274",
            "la mise en recouvrement du rôle",
            _ALL_KINDS,
            "C. civ. 2240, 2241, 2244, 2245 ; LPF L.257-0 A et L.274 al. 2",
        ),
        Regime(
            "impot_amr",
            "Impôt recouvré par avis de mise en recouvrement",
            4,
            "LPF L.274",
            "l'envoi de l'avis de mise en recouvrement",
            _ALL_KINDS,
            "C. civ. 2240, 2241, 2244, 2245 ; LPF L.257-0 A et L.274 al. 2",
        ),
        Regime(
            "amende_crime",
            "Amende prononcée pour un crime",
            20,
            "C. pén. 133-2",
            "la date à laquelle la condamnation est devenue définitive",
            _PENAL_KINDS,
            _PENAL_INTERRUPTION,
        ),
        Regime(
            "amende_delit",
            "Amende prononcée pour un délit",
            6,
            "C. pén. 133-3",
            "la date à laquelle la condamnation est devenue définitive",
            _PENAL_KINDS,
            _PENAL_INTERRUPTION,
        ),
        Regime(
            "amende_contravention",
            "Amende prononcée pour une contravention",
            3,
            "C. pén. 133-4",
            "la date à laquelle la condamnation est devenue définitive",
            _PENAL_KINDS,
            _PENAL_INTERRUPTION,
        ),
        Regime(
            "produit_local",
            "Produit local (titre de recettes d'une collectivité ou d'un établissement local)",
            4,
            "CGCT L.1617-5 3°",
            "la prise en charge du titre de recettes",
            _CIVIL_KINDS,
            "CGCT L.1617-5 3° ; C. civ. 2240, 2241, 2244, 2245",
        ),
        Regime(
            "creance_civile",
            "Créance civile",
            5,
            "C. civ. 2224",
            "le jour où le créancier a connu ou aurait dû connaître les faits",
            _CIVIL_KINDS,
            "C. civ. 2240, 2241, 2244, 2245",
        ),
        Regime(
            "titre_executoire",
            "Exécution d'une décision de justice",
            10,
            "CPCE L.111-4",
            "la date à laquelle la décision est devenue exécutoire",
            _CIVIL_KINDS,
            "C. civ. 2240, 2241, 2244, 2245",
        ),
    )
}


def regime_for(nature: str) -> Regime:
    """The regime of a claim's nature; an unknown nature is a French error, never a
    default term."""
    try:
        return REGIMES[nature]
    except KeyError:
        known = ", ".join(f"{code} ({r.label.lower()})" for code, r in REGIMES.items())
        raise ValueError(
            f"Nature de créance inconnue : « {nature} ». Aucune prescription n'est calculée "
            f"par défaut : choisissez l'une de : {known}."
        ) from None


@dataclass(frozen=True)
class Act:
    kind: ActKind
    on: datetime.date
    party: Party  # against whom (for a payment or an acknowledgement: by whom)
    label: str = ""  # "Assignation en paiement", "SATD notifiée au débiteur"…
    outcome: Outcome | None = None  # a demande en justice without one: PENDING
    outcome_on: datetime.date | None = None  # final decision, withdrawal, caducité…


@dataclass(frozen=True)
class Suspension:
    cause: SuspensionCause
    start: datetime.date
    end: datetime.date | None = None  # None: still running
    label: str = ""


class State(StrEnum):
    RUNNING = "running", "en cours"
    INTERRUPTED_PENDING = "interrupted_pending", "interrompue jusqu'à l'issue de l'instance"
    SUSPENDED = "suspended", "suspendue"

    def __new__(cls, value: str, label: str) -> State:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label  # type: ignore[attr-defined]
        return member


@dataclass(frozen=True)
class Step:
    on: datetime.date
    event: str  # French: what happened
    effect: str  # French: what it did to the prescription
    date_after: datetime.date | None  # the prescription date after this step (None: none)


@dataclass(frozen=True)
class PrescriptionResult:
    regime: Regime
    origin: datetime.date  # the day the term first ran from
    assessed_on: datetime.date  # mise en recouvrement / conviction final / prise en charge
    sent_on: datetime.date | None  # the AMR's sending, where it differs
    state: State
    date: datetime.date | None  # the last day to interrupt; None unless RUNNING
    steps: tuple[Step, ...] = field(default_factory=tuple)

    def is_prescribed(self, on: datetime.date) -> bool:
        """Prescribed on `on`: the term ran out before it (an interrupted instance or a
        suspension keeps the claim alive)."""
        return self.state is State.RUNNING and self.date is not None and on > self.date

    @property
    def summary(self) -> str:
        """One French sentence: the date or the state, then the last reason."""
        if self.state is State.RUNNING:
            head = f"prescription le {short_date(self.date)}"  # type: ignore[arg-type]
        else:
            head = self.state.label  # type: ignore[attr-defined]
        return f"{head} — {self.steps[-1].effect}" if self.steps else head


def _end_of_term(
    start: datetime.date, years: int, suspensions: list[Suspension]
) -> datetime.date | None:
    """The last day of a term of `years` from `start`, the days of `suspensions` not
    counted (C. civ. 2230); None while an open suspension stops it."""
    remaining = (add_years(start, years) - start).days
    day = start
    for suspension in sorted(suspensions, key=lambda s: s.start):
        if suspension.end is not None and suspension.end <= day:
            continue
        begins = max(suspension.start, day)
        run = (begins - day).days
        if run >= remaining:
            break  # the term ran out before this suspension began
        remaining -= run
        if suspension.end is None:
            return None
        day = suspension.end
    return day + datetime.timedelta(days=remaining)


def _describe(act: Act) -> str:
    what = act.label or act.kind.label  # type: ignore[attr-defined]
    by = "par" if act.kind in (ActKind.PAIEMENT, ActKind.RECONNAISSANCE) else "contre"
    return f"{what[0].upper()}{what[1:]} {by} {act.party.label}"  # type: ignore[attr-defined]


def _interrupts(regime: Regime, act: Act) -> str:
    """Why `act` does not interrupt, or "" if it does."""
    if act.kind not in regime.interrupting:
        return (
            f"sans effet : une {act.kind.label} n'interrompt pas la prescription de ce "  # type: ignore[attr-defined]
            f"régime ({regime.interruption_basis})"
        )
    if act.party is Party.DEBTOR:
        return ""
    if act.party is Party.CO_DEBTOR:
        if act.kind in CO_DEBTOR_KINDS:
            return ""
        return (
            "sans effet : contre un co-débiteur solidaire, seules une demande en justice, un "
            "acte d'exécution forcée ou une reconnaissance interrompent (C. civ. 2245)"
        )
    return (
        f"sans effet : acte dirigé contre {act.party.label}, et non contre le débiteur ou un "  # type: ignore[attr-defined]
        "co-débiteur solidaire (C. civ. 2240, 2241, 2244, 2245)"
    )


def prescription(
    nature: str | Regime,
    *,
    assessed_on: datetime.date,
    sent_on: datetime.date | None = None,
    acts: Iterable[Act] = (),
    suspensions: Iterable[Suspension] = (),
) -> PrescriptionResult:
    """The prescription of one claim of `nature` (a key of REGIMES, or a Regime), from
    `assessed_on` (mise en recouvrement, conviction become final, prise en charge…) or, for
    an AMR, `sent_on`, through `acts` and `suspensions`, with every step explained.

    Raises ValueError (French) for an unknown nature or an act or suspension that
    precedes the starting point or ends before it starts."""
    regime = nature if isinstance(nature, Regime) else regime_for(nature)
    acts = sorted(acts, key=lambda a: a.on)
    suspensions = list(suspensions)
    origin, origin_note = assessed_on, ""
    if regime.code == "impot_amr":
        if sent_on is None:
            origin_note = (
                " ; date d'envoi de l'AMR inconnue : le délai court de sa date de mise en "
                "recouvrement, antérieure (lecture prudente)"
            )
        elif sent_on < assessed_on:
            raise ValueError(
                f"L'envoi de l'AMR ({short_date(sent_on)}) ne peut précéder sa mise en "
                f"recouvrement ({short_date(assessed_on)})."
            )
        else:
            origin = sent_on
    _check_dates(origin, acts, suspensions)

    seen: list[Suspension] = []
    start = origin
    end = _end_of_term(start, regime.years, seen)
    steps = [
        Step(
            origin,
            f"Point de départ : {regime.origin}",
            f"délai de {regime.years} ans ({regime.basis}){origin_note}",
            end,
        )
    ]
    instance_until: datetime.date | None = None  # an instance interrupts until this day
    pending = False  # an instance with no end yet

    events: list[tuple[datetime.date, int, Act | Suspension]] = [
        (s.start, 0, s) for s in suspensions
    ] + [(a.on, 1, a) for a in acts]
    for on, _, event in sorted(events, key=lambda e: (e[0], e[1])):
        prescribed_on = end if end is not None and end < on and not pending else None
        if isinstance(event, Suspension):
            seen.append(event)
            what = f"Suspension : {event.label or event.cause.label}"  # type: ignore[attr-defined]
            period = f"du {short_date(event.start)} " + (
                f"au {short_date(event.end)}" if event.end else "(en cours)"
            )
            if prescribed_on:
                effect = f"sans effet : la prescription était acquise le {short_date(end)}"
            elif pending:
                effect = (
                    "sans effet propre : prescription interrompue jusqu'à l'issue de l'instance"
                )
            else:
                end = _end_of_term(start, regime.years, seen)
                effect = (
                    f"le délai ne court pas {period} (C. civ. 2230)"
                    if end is not None
                    else f"délai suspendu {period} (C. civ. 2230)"
                )
            steps.append(Step(on, what, effect, end if not pending else None))
            continue

        act = event
        what = _describe(act)
        if prescribed_on:
            steps.append(
                Step(
                    on,
                    what,
                    f"sans effet : la prescription était acquise le {short_date(prescribed_on)}",
                    end,
                )
            )
            continue
        if why_not := _interrupts(regime, act):
            steps.append(Step(on, what, why_not, None if pending else end))
            continue
        if act.outcome in WIPED_OUT:
            when = f" le {short_date(act.outcome_on)}" if act.outcome_on else ""
            steps.append(
                Step(
                    on,
                    what,
                    f"interruption non avenue ({act.outcome.label}{when}, C. civ. 2243)",  # type: ignore[attr-defined]
                    None if pending else end,
                )
            )
            continue
        if pending or (instance_until is not None and on <= instance_until):
            steps.append(
                Step(
                    on,
                    what,
                    "sans effet propre : prescription déjà interrompue jusqu'à l'issue de "
                    "l'instance",
                    None if pending else end,
                )
            )
            continue
        if act.kind is ActKind.DEMANDE_EN_JUSTICE:
            if act.outcome in (None, Outcome.PENDING) or act.outcome_on is None:
                pending, end = True, None
                steps.append(
                    Step(
                        on,
                        what,
                        "prescription interrompue jusqu'à l'issue de l'instance (C. civ. 2242)",
                        None,
                    )
                )
                continue
            instance_until = act.outcome_on
            start = act.outcome_on
            end = _end_of_term(start, regime.years, seen)
            steps.append(
                Step(
                    on,
                    what,
                    "interrompue jusqu'à l'issue de l'instance (C. civ. 2242) ; "
                    f"{act.outcome.label} le {short_date(act.outcome_on)} : nouveau délai de "  # type: ignore[attr-defined]
                    f"{regime.years} ans (C. civ. 2231)",
                    end,
                )
            )
            continue
        start = act.on
        end = _end_of_term(start, regime.years, seen)
        steps.append(
            Step(
                on,
                what,
                f"interruption : nouveau délai de {regime.years} ans (C. civ. 2231 ; "
                f"{regime.interruption_basis})",
                end,
            )
        )

    if pending:
        state = State.INTERRUPTED_PENDING
    elif end is None:
        state = State.SUSPENDED
    else:
        state = State.RUNNING
    return PrescriptionResult(
        regime=regime,
        origin=origin,
        assessed_on=assessed_on,
        sent_on=sent_on,
        state=state,
        date=end if state is State.RUNNING else None,
        steps=tuple(steps),
    )


def _check_dates(origin: datetime.date, acts: list[Act], suspensions: list[Suspension]) -> None:
    for act in acts:
        if act.on < origin:
            raise ValueError(
                f"{_describe(act)} du {short_date(act.on)} précède le point de départ de la "
                f"prescription ({short_date(origin)}) : corrigez sa date."
            )
        if act.outcome_on is not None and act.outcome_on < act.on:
            raise ValueError(
                f"L'issue de l'acte du {short_date(act.on)} ({short_date(act.outcome_on)}) ne "
                "peut le précéder."
            )
        if (
            act.outcome is not None
            and act.kind is not ActKind.DEMANDE_EN_JUSTICE
            and (act.outcome not in (Outcome.CADUC, Outcome.PERIME, Outcome.PENDING))
        ):
            raise ValueError(
                f"Issue « {act.outcome.label} » réservée à une demande en justice."  # type: ignore[attr-defined]
            )
    for suspension in suspensions:
        if suspension.end is not None and suspension.end < suspension.start:
            raise ValueError(
                f"La suspension du {short_date(suspension.start)} ne peut finir avant de "
                f"commencer ({short_date(suspension.end)})."
            )


K = TypeVar("K")


@dataclass(frozen=True)
class ClaimSplit:
    live: tuple
    prescribed: tuple


def split_prescribed(results: Mapping[K, PrescriptionResult], on: datetime.date) -> ClaimSplit:
    """LPF L.267: the action against a manager needs a debt that is not prescribed (Cass.
    com. 5 December 2000). On `on`, the claims (keys of `results`) still live, and the
    prescribed ones, to be excluded from the action (form, pleadings, amounts) rather than
    refusing the whole referral; every other action warns on the prescribed ones."""
    live = tuple(key for key, result in results.items() if not result.is_prescribed(on))
    prescribed = tuple(key for key, result in results.items() if result.is_prescribed(on))
    return ClaimSplit(live=live, prescribed=prescribed)
