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


def debtor_joined(others: int, changed: Iterable[str]) -> str:
    """The referral sent joined its debtor's entity (cases/debtors.py)."""
    if others:
        summary = f"Redevable rattaché à sa fiche, commune à {others} autre(s) dossier(s) en cours"
    else:
        summary = "Redevable rattaché à sa fiche existante"
    changed = list(changed)
    if changed:
        summary += " ; fiche mise à jour : " + ", ".join(changed)
    return _cut(summary)


def debtor_updated_by(case, changed: Iterable[str]) -> str:
    """Another referral for the same debtor brought its record up to date."""
    return _cut(
        f"Fiche du redevable mise à jour par la saisine {case.reference} : " + ", ".join(changed)
    )


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
    sentence = f"{label} {signed} le {long_date(act.signed_on)}{served} ({act.court})"
    # Issue 17 (« holder »): the publication at the land registry, the CPC 1360 mentions.
    if act.published_on:
        sentence += (
            f" ; {_agreed(label, 'publié')} au service de la publicité foncière"
            f" le {long_date(act.published_on)}"
        )
    if any(code.startswith("cpc1360") for code in act.confirmed_checks):
        sentence += " ; mentions de l'article 1360 du CPC confirmées"
    return sentence


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
    """The reason of the appeal transition (a pourvoi or an opposition says so)."""
    kind = {"cassation": "Pourvoi en cassation : ", "opposition": "Opposition : "}.get(
        getattr(appeal, "instance", ""), ""
    )
    return (
        f"{kind}{appeal.get_lodged_by_display()} — {appeal.court}, "
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


# --- Collective proceedings (cases/collective.py) ------------------------------------------


def collective_opened(proceeding) -> str:
    return _cut(
        f"{proceeding.get_kind_display()} du débiteur ouverte le "
        f"{short_date(proceeding.opened_on)} par {court_in_sentence(proceeding.court)}"
    )


def collective_published(proceeding) -> str:
    return _cut(
        f"Jugement d'ouverture ({lower_first(proceeding.get_kind_display())}) publié au "
        f"BODACC le {short_date(proceeding.bodacc_on)}"
    )


def collective_mandataire(proceeding) -> str:
    return _cut(f"Mandataire judiciaire ou liquidateur : {proceeding.mandataire}")


def action_stopped(proceeding) -> str:
    return _cut(
        f"Action individuelle arrêtée : {lower_first(proceeding.get_kind_display())} du "
        f"débiteur ouverte le {short_date(proceeding.opened_on)} (C. com. L.622-21)"
    )


def subrogation(on: datetime.date, mandataire: str) -> str:
    who = f" ({mandataire})" if mandataire else ""
    return _cut(f"Liquidateur{who} subrogé dans la saisie le {short_date(on)} (C. com. L.642-18)")


def action_resumed(proceeding) -> str:
    return _cut(
        f"Action individuelle reprise le {short_date(proceeding.closed_on)} : "
        f"{lower_first(proceeding.get_kind_display())} du débiteur ouverte le "
        f"{short_date(proceeding.opened_on)}, jugement d'ouverture infirmé sur recours "
        "(fin de la suspension de C. com. L.622-21)"
    )


def collective_closed(proceeding) -> str:
    return _cut(
        f"{proceeding.get_kind_display()} close le {short_date(proceeding.closed_on)} : "
        f"{lower_first(proceeding.get_closing_cause_display())}"
    )


def claim_declared(declaration) -> str:
    return _cut(
        f"Créance de {euros(declaration.amount)} déclarée le "
        f"{short_date(declaration.declared_on)} au mandataire judiciaire ou au liquidateur"
    )


def opening_not_appealed() -> str:
    return "Pas d'appel du jugement d'ouverture : la créance est à déclarer (C. com. L.622-24)"


BODACC_PUBLICATION = "Publication du jugement d'ouverture au BODACC"
CLAIM_DECLARATION = "Déclaration de créance"
# --- Money: imputations, costs, the distribution of the price (issue 17, « distrib ») ------


def imputed(parts: Iterable[tuple[str, Decimal]], unimputed: Decimal) -> str:
    """The reason of a recovery's entry: where it went (C. civ. 1342-10)."""
    lines = [f"{euros(amount)} imputés sur {claim}" for claim, amount in parts]
    if unimputed > 0:
        lines.append(f"{euros(unimputed)} non imputés (aucune créance restant due)")
    return "; ".join(lines)


def cost_recorded(kind_label: str, amount: Decimal, incurred_on: datetime.date) -> str:
    return _cut(f"Frais enregistrés : {lower_first(kind_label)}, {euros(amount)} "
                f"({short_date(incurred_on)})")  # fmt: skip


def distribution_opened(kind_label: str, price: Decimal, opened_on: datetime.date) -> str:
    return _cut(
        f"Distribution du prix demandée le {short_date(opened_on)} : {lower_first(kind_label)}, "
        f"prix à distribuer {euros(price)}"
    )


def creditor_declared(name: str, security_label: str, declared: Decimal, rank: int) -> str:
    return _cut(
        f"Créancier déclaré à la distribution : {name}, rang {rank} "
        f"({lower_first(security_label)}), {euros(declared)}"
    )


def distribution_project(
    judicial: bool, on: datetime.date, treasury: Decimal, contest_until: datetime.date | None
) -> str:
    what = "État de répartition du juge" if judicial else "Projet de distribution notifié"
    until = (
        f" ; contestation possible jusqu'au {short_date(contest_until)}" if contest_until else ""
    )
    return _cut(f"{what} le {short_date(on)} : part du Trésor {euros(treasury)}{until}")


def distribution_contested(on: datetime.date) -> str:
    return _cut(
        f"Projet de distribution contesté le {short_date(on)} : distribution judiciaire "
        "(CPCE R.333-1)"
    )


def distribution_paid(amount: Decimal, paid_on: datetime.date) -> str:
    return _cut(f"Part du Trésor dans la distribution du prix reçue le {short_date(paid_on)} : "
                f"{euros(amount)}")  # fmt: skip


# --- Saisie immobilière: the sale of the seized property (CPCE R.322-20 s.) -------------


def orientation(decision, hearing) -> str:
    """The reason of the move after the orientation judgment: the hearing it fixed
    (adjudication, R.322-26; recall of the amicable sale, R.322-21), if any."""
    text = decision_recorded(decision)
    if hearing is not None:
        kind = lower_first(hearing.get_kind_display())
        text += f" — {kind} le {short_datetime(hearing.scheduled_at)}"
    return _cut(text)


def amicable_extension(reason: str) -> str:
    """The reason of the recall hearing's adjournment: the one extra delay of R.322-21."""
    return _cut(f"Délai supplémentaire accordé pour la vente amiable (R.322-21) : {reason}")


def sale_reported(ground_label: str, detail: str) -> str:
    """The reason of the adjudication hearing's report (R.322-28)."""
    return _cut(f"Vente forcée reportée (R.322-28) — {lower_first(ground_label)} : {detail}")


def sale_recorded(sale) -> str:
    """An adjudication, or the amicable sale recorded by the judge."""
    return _cut(
        f"{sale.get_kind_display()} le {short_date(sale.sold_on)} : prix de "
        f"{euros(sale.price)}, adjudicataire ou acquéreur : {sale.buyer}"
    )


def surenchere(sale) -> str:
    return _cut(
        f"Surenchère déclarée le {short_date(sale.overbid_on)} par {sale.overbidder} : prix "
        f"porté à {euros(sale.overbid_price)} (adjudication du {short_date(sale.sold_on)} à "
        f"{euros(sale.price)})"
    )


def surenchere_denounced(on: datetime.date) -> str:
    return f"Surenchère dénoncée le {short_date(on)} (R.322-52)"


def reiteration(sale) -> str:
    return _cut(
        f"Réitération des enchères : certificat de non-paiement signifié le "
        f"{short_date(sale.defaulted_on)} à {sale.buyer}, adjudicataire défaillant "
        f"(R.322-66 s.)"
    )


def price_paid(sale) -> str:
    return _cut(
        f"Prix de {euros(sale.price)} consigné le {short_date(sale.paid_on)} "
        f"({lower_first(sale.get_kind_display())} du {short_date(sale.sold_on)})"
    )


# --- The parties of a case (issue 17) ---------------------------------------------------


def party_recorded(party, *, added: bool) -> str:
    """« Partie ajoutée : SCI Les Tilleuls (acquéreur (action paulienne)) »."""
    what = "Partie ajoutée" if added else "Partie modifiée"
    return _cut(f"{what} : {party.name} ({lower_first(party.get_role_display())})")
