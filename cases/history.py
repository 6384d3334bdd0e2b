"""The sentences of the case history: one function per kind of entry.

The operations that record an entry (`cases.services`, `cases.proceedings`,
`deadlines.services`, the workflow's steps) build its summary or reason here, and so does
the bulk demo generator (`demo.bulk`), which writes the same rows without calling the
operations: one wording, whoever writes the row. The lifecycle's transition summaries are
its table's `done` texts (`cases.lifecycle.transitions_table`).

Each function takes the values or the objects the sentence names (saved or not: nothing
here touches the database) and returns the text, cut to what `CaseEvent.summary` holds.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal

from .formatting import (
    bullet_list,
    court_in_sentence,
    de_name,
    euros,
    long_date,
    lower_first,
    short_date,
    short_datetime,
)

SUMMARY_LENGTH = 300  # CaseEvent.summary's max_length


def _cut(text: str) -> str:
    return text[:SUMMARY_LENGTH]


# --- The referral ---------------------------------------------------------------------


def created() -> str:
    return "Dossier créé (brouillon)"


def updated(sections: Iterable[str]) -> str:
    return _cut("Dossier modifié : " + ", ".join(sections))


def piece_added(kind_label: str, original_name: str) -> str:
    return _cut(f"Pièce ajoutée : {kind_label} — {original_name}")


def assigned(jurist, expert) -> str:
    """'Dossier attribué (juriste : Camille Laurent, expert : Marc Roux (DDFIP 30))'."""
    given = []
    if jurist is not None:
        given.append(f"juriste : {jurist}")
    if expert is not None:
        given.append(f"expert : {expert} ({expert.direction})")
    return _cut("Dossier attribué (" + ", ".join(given) + ")")


def missing_items(lines: str) -> str:
    """The reason of a return for completion: what the direction must complete, a list."""
    return bullet_list(lines)


# --- Lawyer, starting act, hearings -----------------------------------------------------


def lawyer_mandated(mandated_on: datetime.date, lawyer, replaced=None) -> str:
    summary = f"Avocat mandaté le {short_date(mandated_on)} : {lawyer}"
    if replaced is not None:
        summary += f", en remplacement {de_name(replaced)}"
    return _cut(summary)


# The starting acts whose French name is feminine: their past participles agree
# (« Assignation signée », « Requête signée »).
FEMININE_ACTS = ("assignation", "requête", "déclaration")


def _agreed(label: str, participle: str) -> str:
    feminine = label.split(" ", 1)[0].lower() in FEMININE_ACTS
    return participle + "e" if feminine else participle


def action_engaged(act) -> str:
    """The reason of engage_action: the starting act, signed and (perhaps) served."""
    label = act.get_kind_display()
    served = (
        f", {_agreed(label, 'signifié')} le {long_date(act.served_on)}" if act.served_on else ""
    )
    signed = _agreed(label, "signé")
    return f"{label} {signed} le {long_date(act.signed_on)}{served} ({act.court})"


def served(kind_label: str) -> str:
    """The starting act as an act that interrupts the prescription and starts deadlines."""
    return f"{kind_label} {_agreed(kind_label, 'signifié')}"


def hearing_set(when: datetime.datetime, court: str, purpose: str) -> str:
    return _cut(
        f"Audience fixée le {short_datetime(when)} devant {court_in_sentence(court)} "
        f"({lower_first(purpose)})"
    )


def hearing_adjourned(previous: datetime.datetime, new: datetime.datetime, reason: str) -> str:
    return _cut(
        f"Audience du {short_datetime(previous)} renvoyée au {short_datetime(new)} : {reason}"
    )


def hearing_held(when: datetime.datetime, court: str, purpose: str) -> str:
    return _cut(
        f"Audience du {short_datetime(when)} tenue devant {court_in_sentence(court)} "
        f"({lower_first(purpose)})"
    )


def deliberation(on: datetime.date, note: str = "") -> str:
    """The reason of await_decision."""
    note = f" — {note}" if note else ""
    return f"Délibéré au {long_date(on)}{note}"


# --- Decision, appeal, recoveries -------------------------------------------------------


def decision_recorded(decision) -> str:
    """The reason of record_decision: its outcome, court and date."""
    return f"{decision.get_outcome_display()} ({decision.court}, {long_date(decision.decided_on)})"


def appeal_lodged(appeal) -> str:
    """The reason of the appeal transition."""
    return (
        f"{appeal.get_lodged_by_display()} — {appeal.court}, "
        f"le {long_date(appeal.lodged_on)} : {appeal.grounds}"
    )


def recovery_recorded(amount: Decimal, received_on: datetime.date) -> str:
    return _cut(f"Encaissement de {euros(amount)} enregistré (reçu le {short_date(received_on)})")


def payment(amount: Decimal) -> str:
    """A recovery as an act that interrupts the prescription."""
    return "paiement de " + euros(amount)


# --- Opinion ----------------------------------------------------------------------------


def opinion_submitted(opinion) -> str:
    label = opinion.get_conclusion_display().lower()
    if opinion.recommended_action is not None:
        label += f" : {opinion.recommended_action}"
    return _cut(f"Avis (version {opinion.version}, {label}) soumis à validation")


def opinion_in_progress() -> str:
    """An opinion submitted for validation, as the referring side reads it
    (`cases.access.visible_history`): neither its version nor its sense."""
    return "Avis en cours d'élaboration au pôle"


def opinion_returned(opinion) -> str:
    return _cut(f"Avis (version {opinion.version}) renvoyé à {opinion.author}")


def opinion_follow_up(follow_label: str, takeover_requested: bool) -> str:
    summary = f"La direction a indiqué : {follow_label.lower()}"
    if takeover_requested:
        summary += " ; prise en charge demandée"
    return _cut(summary)


# --- Deadlines and prescription (recorded by deadlines.services) ------------------------


def deadlines_opened(act_label: str, start: datetime.date) -> str:
    """The head of the DEADLINES_CREATED summary (deadlines.services.deadline_summary adds
    the deadlines)."""
    return f"Échéances ouvertes par l'acte « {act_label} » du {short_date(start)}"


def act_on(act_label: str, day: datetime.date) -> str:
    """An act and its date, as a deadline met by it records it."""
    return f"{act_label} du {short_date(day)}"


def procedure_act(kind_label: str, day: datetime.date) -> str:
    return _cut(f"{kind_label} le {short_date(day)}")


def deadline_done(label: str, act: str, done_on: datetime.date, due: datetime.date) -> str:
    late = " (hors délai)" if done_on > due else ""
    return _cut(f"Échéance respectée{late} : {label} — {act} le {short_date(done_on)}")


def deadline_cancelled(label: str, due: datetime.date) -> str:
    return _cut(f"Échéance annulée : {label} (au {short_date(due)})")


def prescription_recomputed(what: str, claims: list[str]) -> str:
    return _cut(f"Prescription recalculée ({what}) — " + " ; ".join(claims))


DECISION_NOTIFIED = "Notification de la décision"  # the act that starts the appeal deadline


def of_decision(decision) -> str:
    """The suffix of the deadlines a notified decision starts: ' du 12/01/2027 (Tribunal
    judiciaire de Laon)'."""
    return f" du {short_date(decision.decided_on)} ({decision.court})"
