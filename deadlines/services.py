"""What creates, moves and closes the deadlines of a case, and moves its prescription.

The workflow's steps call these in their transaction (under the process lock), after the
`cases.proceedings` operation that recorded the act: `on_starting_act`, `on_hearing`,
`on_hearing_adjourned`, `on_decision`, `record_procedure_act`, `record_interruptive_act`.
The deadline pages call `add_manual_deadline`, `mark_done`, `cancel` and
`correct_procedure_act`. Each operation runs in one transaction with its history entry.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cases import collective, history
from cases import local_law as local_law_messages
from cases.enums import (
    CLOSED_STATUSES,
    ActOutcome,
    ActParty,
    DebtorKind,
    EventKind,
    HearingKind,
    HearingStatus,
    Instance,
    MaritalSituation,
    StartingActKind,
)
from cases.formatting import short_date
from cases.models import Case, CaseEvent, Decision, Hearing, StartingAct, User
from cases.validators import add_months

from . import local_law as local_procedure
from . import prescription, rules
from .calendar import calendar_departement, compute_due
from .engine import compute_deadline
from .enums import DeadlineStatus, ProcedureActKind, SuspensionCause
from .models import Deadline, PrescriptionSuspension, ProcedureAct
from .saisie_calendar import (
    SPOUSE_TO_CHECK,
    SaisieDates,
    SaisieSequenceError,
    check_sequence,
    non_sitting_day,
)


def _required(value: str, message: str, field: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value


def local_law_applies(case: Case) -> bool:
    """A saisie immobilière in Alsace-Moselle: no CPCE calendar (loi du 1er juin 1924)."""
    return case.is_alsace_moselle


def deadline_basis(template: rules.Template, case: Case) -> str:
    if template.length == rules.APPEAL:
        return rules.appeal_basis(case.action_type.appeal_days if case.action_type_id else None)
    return template.basis


def deadline_summary(prefix: str, deadlines: list[Deadline]) -> str:
    parts = "; ".join(f"{d.label} : {short_date(d.due_date)}" for d in deadlines)
    text = f"{prefix} — {parts}"
    return text if len(text) <= 300 else text[:299] + "…"


def deadline_details(deadlines: list[Deadline]) -> str:
    return "\n".join(f"- {d.label} : {short_date(d.due_date)} ({d.basis})" for d in deadlines)


def spouse_denunciation(case: Case) -> bool | None:
    """Whether the commandement must be denounced to the debtor's spouse (CPCE R.321-1
    al. 3: the debtor is married and the seized property, his own, is the family home):
    False when the referral says it is not, None while the referral leaves it unknown."""
    homes = [prop.family_home for prop in sorted(case.properties.all(), key=lambda p: p.pk)]
    return spouse_denunciation_for(case.debtor.kind, case.debtor.marital_situation, homes)


def spouse_denunciation_for(
    debtor_kind: str, marital_situation: str, family_homes: list[bool | None]
) -> bool | None:
    """`spouse_denunciation` on plain values (also for the demo generator)."""
    if debtor_kind == DebtorKind.LEGAL or marital_situation == MaritalSituation.NOT_MARRIED:
        return False
    if family_homes and all(home is False for home in family_homes):
        return False
    if marital_situation and any(family_homes):
        return True
    return None


def _applies(template: rules.Template, case: Case) -> tuple[bool, str]:
    """Whether `template` applies to `case`, and what to add to its label."""
    return condition_applies(template, lambda: spouse_denunciation(case))


def condition_applies(template: rules.Template, spouse) -> tuple[bool, str]:
    """`_applies` given `spouse()`, the answer of `spouse_denunciation_for`."""
    if template.condition == rules.SPOUSE_CONDITION:
        needed = spouse()
        if needed is False:
            return False, ""
        if needed is None:
            return True, SPOUSE_TO_CHECK
    return True, ""


@transaction.atomic
def on_act(
    case: Case,
    user: User | None,
    trigger: str,
    start: datetime.date,
    *,
    source: str,
    act_label: str,
    label_suffix: str = "",
    dates: dict[str, datetime.date | None] | None = None,
) -> list[Deadline]:
    """An act of `trigger` dated `start` was recorded: create the deadlines it starts
    (with their legal basis) and mark done those it meets; one history entry each.
    `dates`: the act's other dates (an assignation's `hearing_on`), for the templates
    counted from or judged on one of them."""
    code = case.action_type.code if case.action_type_id else None
    local_law = local_law_applies(case)
    dates = {"date": start, **(dates or {})}
    created, judged = [], []
    for template in rules.templates_for(trigger, code):
        if (template.cpce and local_law) or (template.local_law and not local_law):
            continue
        applies, suffix = _applies(template, case)
        if not applies:
            continue
        counted_from = dates.get(template.counted_from) if template.counted_from else start
        if counted_from is None:
            continue
        if Deadline.objects.filter(case=case, template=template.code, source=source).exists():
            continue
        deadline = Deadline(
            case=case,
            template=template.code,
            source=source,
            label=(template.label + suffix + label_suffix)[:300],
            basis=deadline_basis(template, case)[:300],
            start_date=counted_from,
            due_date=compute_due(template, case, counted_from),
            critical=template.critical,
            created_by=user,
        )
        deadline.save()
        created.append(deadline)
        if template.judged_on and dates.get(template.judged_on) is not None:
            judged.append((deadline, template))
    if created:
        CaseEvent.record(
            case,
            user,
            EventKind.DEADLINES_CREATED,
            deadline_summary(history.deadlines_opened(act_label, start), created),
            reason=deadline_details(created),
            data={"deadlines": [d.pk for d in created], "source": source, "trigger": trigger},
        )
    # Judged at once on the act (late or not: a late one stays flagged, Deadline.is_late).
    for deadline, template in judged:
        on = dates[template.judged_on]
        _close(deadline, user, DeadlineStatus.DONE, done_act=template.judged_act, done_on=on)
    met = list(
        Deadline.objects.open()
        .filter(case=case, template__in=rules.met_by(trigger))
        .select_for_update()
    )
    for deadline in met:
        done_act = history.act_on(act_label, start)
        if deadline.template == "si_publicite_max" and deadline.start_date:
            earliest = add_months(deadline.start_date, -rules.PUBLICITY_EARLIEST.length["months"])
            if start < earliest:
                done_act += (
                    f" — prématurée : avant le {short_date(earliest)}, plus de deux mois avant "
                    "l'audience d'adjudication (R.322-31)"
                )
        _close(deadline, user, DeadlineStatus.DONE, done_act=done_act, done_on=start)
    return created


# --- The acts that start deadlines ---------------------------------------------------


def on_starting_act(case: Case, user: User, act: StartingAct) -> list[Deadline]:
    """The starting act, once served, starts deadlines (a commandement: its publication)
    and interrupts the prescription."""
    if act.served_on is None:
        return []
    with transaction.atomic():
        record_interruptive_act(case, user, act.served_on, history.served(act.get_kind_display()))
        trigger = rules.STARTING_ACT_TRIGGERS.get(act.kind)
        if trigger is None:
            return []
        return on_act(
            case,
            user,
            trigger,
            act.served_on,
            source=f"starting_act:{act.pk}",
            act_label=history.served(act.get_kind_display()),
        )


def hearing_trigger(hearing: Hearing) -> str | None:
    """The trigger of a hearing: its kind decides, never the words of its purpose."""
    return rules.HEARING_TRIGGERS.get(hearing.kind)


def on_hearing(case: Case, user: User, hearing: Hearing) -> list[Deadline]:
    _reinstated(case, user, hearing)
    trigger = hearing_trigger(hearing)
    if trigger is None:
        return []
    return on_act(
        case,
        user,
        trigger,
        timezone.localdate(hearing.scheduled_at),
        source=f"hearing:{hearing.pk}",
        act_label=hearing.purpose or hearing.get_kind_display(),
    )


def on_radiation(case: Case, user: User, decision: Decision) -> list[Deadline]:
    """A radiation (CPC 381) suspends the instance, which lapses after two years without
    diligence of the parties (CPC 386): the deadline to have the case reinstated, from the
    radiation (on appeal, from its notification, CPC 524)."""
    start = decision.decided_on
    if decision.instance != Instance.FIRST and decision.notified_on is not None:
        start = decision.notified_on
    return on_act(
        case,
        user,
        rules.Trigger.RADIATION,
        start,
        source=f"decision:{decision.pk}",
        act_label=history.decision_recorded(decision),
    )


def _reinstated(case: Case, user: User, hearing: Hearing) -> None:
    """A hearing fixed after a radiation reinstates the case (CPC 383): the péremption's
    deadline is met on the day it is recorded."""
    on_act(
        case,
        user,
        rules.Trigger.RETABLISSEMENT,
        timezone.localdate(),
        source=f"hearing:{hearing.pk}",
        act_label=REINSTATED,
    )


REINSTATED = "Affaire rétablie : nouvelle audience fixée (CPC 383)"


@transaction.atomic
def on_hearing_adjourned(case: Case, user: User, old: Hearing, new: Hearing) -> list[Deadline]:
    """A renvoi: every open deadline counted from the old hearing now runs from the new
    one (and a hearing that starts deadlines but had none gets them)."""
    moved = recompute(
        case,
        user,
        old_source=f"hearing:{old.pk}",
        new_source=f"hearing:{new.pk}",
        start=timezone.localdate(new.scheduled_at),
        reason=f"Audience renvoyée au {short_date(timezone.localdate(new.scheduled_at))} : "
        f"{old.adjournment_reason}",
    )
    if not moved:
        on_hearing(case, user, new)
    return moved


def on_decision(case: Case, user: User, decision: Decision) -> list[Deadline]:
    """A notified decision starts the appeal deadline (calendar.appeal_deadline); any
    decision may end the instance that interrupts the prescription (C. civ. 2242-2243), or
    make the manager a co-débiteur solidaire (LPF L.267)."""
    with transaction.atomic():
        prescription.refresh_case(case, user, f"décision du {short_date(decision.decided_on)}")
        return _on_decision_notified(case, user, decision)


def on_appeal(case: Case, user: User, what: str) -> list:
    """An appeal keeps the instance pending (C. civ. 2242)."""
    return prescription.refresh_case(case, user, what)


def _on_decision_notified(case: Case, user: User, decision: Decision) -> list[Deadline]:
    """The deadline of the recourse the decision opens (`rules.decision_trigger`): the
    appeal, the pourvoi (CPC 612) or the opposition (CPC 538, 571-572); none when it opens
    none."""
    trigger = rules.decision_trigger(
        decision.instance, decision.outcome, by_default=decision.by_default
    )
    if decision.notified_on is None or trigger is None:
        return []
    return on_act(
        case,
        user,
        trigger,
        decision.notified_on,
        source=f"decision:{decision.pk}",
        act_label=history.DECISION_NOTIFIED,
        label_suffix=history.of_decision(decision),
    )


# --- The saisie immobilière's sequence (deadlines.saisie_calendar.check_sequence) ----------


def _first(acts, kind: str) -> datetime.date | None:
    return next((act.date for act in acts if act.kind == kind), None)


def saisie_dates(case: Case, *, extra: ProcedureAct | None = None, hearing: Hearing | None = None):
    """What the case holds of its saisie immobilière's calendar, as the pure calendar
    reads it (with an act or a hearing about to be recorded); None before the commandement
    is served (nothing to check against yet)."""
    acts = list(case.procedure_acts.order_by("date", "pk"))
    if extra is not None:
        acts.append(extra)
    starting = (
        case.starting_acts.filter(kind="commandement", served_on__isnull=False)
        .order_by("pk")
        .first()
    )
    served = starting.served_on if starting else _first(acts, ProcedureActKind.COMMANDEMENT_SERVED)
    if served is None:
        return None
    hearings = [h for h in case.hearings.all() if h.status != HearingStatus.ADJOURNED]
    if hearing is not None:
        hearings.append(hearing)

    def last_hearing(kind: str) -> datetime.date | None:
        days = [timezone.localdate(h.scheduled_at) for h in hearings if h.kind == kind]
        return max(days) if days else None

    assignation = next((a for a in acts if a.kind == ProcedureActKind.ASSIGNATION), None)
    # A surenchère or a réitération des enchères brings a new adjudication hearing and a
    # new adjudication: the sequence is checked on the last adjudication and the hearing it
    # took place at (the one on or before it), or on the hearing still to come.
    adjudications = [a.date for a in acts if a.kind == ProcedureActKind.ADJUDICATION]
    adjudication = max(adjudications) if adjudications else None
    adjudication_hearing = last_hearing(HearingKind.ADJUDICATION)
    if adjudication is not None:
        held = [
            timezone.localdate(h.scheduled_at)
            for h in hearings
            if h.kind == HearingKind.ADJUDICATION
            and timezone.localdate(h.scheduled_at) <= adjudication
        ]
        adjudication_hearing = max(held) if held else adjudication_hearing
    return SaisieDates(
        commandement_signifie=served,
        commandement_signe=starting.signed_on if starting else None,
        publie=_first(acts, ProcedureActKind.PUBLICATION),
        assigne=assignation.date if assignation else None,
        audience_orientation_assignation=assignation.hearing_on if assignation else None,
        audience_orientation=last_hearing(HearingKind.ORIENTATION),
        audience_adjudication=adjudication_hearing,
        adjudication=adjudication,
        departement=calendar_departement(case),
    )


def check_saisie_sequence(
    case: Case, *, act: ProcedureAct | None = None, hearing: Hearing | None = None
) -> None:
    """Refuse (ValidationError, French) an act or a hearing that would put the saisie
    immobilière's dates out of sequence: commandement signed ≤ served < published <
    assignation < orientation hearing…, a hearing on a day the court does not sit."""
    code = case.action_type.code if case.action_type_id else None
    if code not in rules.SAISIE_IMMOBILIERE:
        return
    if local_law_applies(case):
        try:
            local_procedure.check_local_sequence(local_dates(case, extra=act))
        except SaisieSequenceError as error:
            raise ValidationError(list(error.problems)) from None
        return
    dates = saisie_dates(case, extra=act, hearing=hearing)
    if dates is None:
        return
    try:
        check_sequence(dates)
    except SaisieSequenceError as error:
        raise ValidationError(list(error.problems)) from None


# --- Alsace-Moselle: the local law's exécution forcée immobilière (deadlines.local_law) ---


def local_dates(case: Case, *, extra: ProcedureAct | None = None) -> local_procedure.LocalDates:
    """What the case holds of its local procedure, as `local_law.local_calendar` reads it
    (with an act about to be recorded): the first act of each step, the requête (the
    starting act: filed on the date it was served, else signed)."""
    acts = list(case.procedure_acts.order_by("date", "pk"))
    if extra is not None:
        acts.append(extra)
        acts.sort(key=lambda a: a.date)
    requete = case.starting_acts.filter(kind=StartingActKind.REQUETE).order_by("pk").first()
    PAK = ProcedureActKind
    return local_procedure.LocalDates(
        commandement=_first(acts, PAK.LF_COMMANDEMENT),
        requete=(requete.served_on or requete.signed_on) if requete else None,
        ordonnance=_first(acts, PAK.LF_ORDONNANCE),
        notification=_first(acts, PAK.LF_NOTIFICATION),
        inscription=_first(acts, PAK.LF_INSCRIPTION),
        notaire=_first(acts, PAK.LF_NOTAIRE),
        cahier=_first(acts, PAK.LF_CAHIER),
        adjudication=_first(acts, PAK.LF_ADJUDICATION),
        departement=calendar_departement(case),
    )


def local_calendar(case: Case) -> local_procedure.LocalCalendar | None:
    """The local procedure's calendar of a saisie immobilière in Alsace-Moselle (None
    elsewhere), for the case's deadlines page."""
    if not local_law_applies(case):
        return None
    dates = local_dates(case)
    try:
        return local_procedure.local_calendar(dates)
    except SaisieSequenceError:
        # Dates recorded out of order before a correction: shown as they are.
        return local_procedure.local_calendar(dates, check=False)


def check_act_kind(case: Case, kind: str) -> None:
    """A procedure act belongs to its procedure: in Alsace-Moselle a saisie immobilière
    takes the local law's acts, never the CPCE's (loi du 1er juin 1924, art. 141 s.); the
    local acts belong to it alone."""
    label = ProcedureActKind(kind).label if kind in ProcedureActKind.values else kind
    if local_law_applies(case):
        if kind in local_procedure.CPCE_ACTS:
            raise ValidationError({"kind": local_law_messages.cpce_act_refusal(label)})
    elif kind in local_procedure.LOCAL_ACTS:
        raise ValidationError({"kind": local_law_messages.local_act_refusal(label)})


def check_hearing_day(case: Case, when: datetime.datetime) -> None:
    """A court does not sit on a Saturday, a Sunday or a public holiday of its
    département (`calendar.calendar_departement`)."""
    day = timezone.localdate(when)
    why = non_sitting_day(day, calendar_departement(case))
    if why:
        raise ValidationError(
            {
                "scheduled_at": f"Le {short_date(day)} tombe {why} : le tribunal ne siège pas ce "
                "jour-là. Corrigez la date de l'audience."
            }
        )


def sitting_day_on_or_before(case: Case, day: datetime.date) -> datetime.date:
    """The last day on or before `day` the court sits (for the demo and the factories,
    which place hearings some days before today)."""
    departement = calendar_departement(case)
    while non_sitting_day(day, departement):
        day -= datetime.timedelta(days=1)
    return day


def check_claims_before(case: Case, on: datetime.date, what: str) -> None:
    """A starting act cannot precede the claims it enforces (their mise en recouvrement)."""
    latest = max((claim.assessment_date for claim in case.claims.all()), default=None)
    if latest is not None and on < latest:
        raise ValidationError(
            f"{what} ({short_date(on)}) ne peut précéder la mise en recouvrement des créances "
            f"qu'il poursuit (la plus récente le {short_date(latest)}). Corrigez la date."
        )


@transaction.atomic
def record_procedure_act(
    case: Case,
    user: User,
    *,
    kind: str,
    date: datetime.date,
    note: str = "",
    party: str = ActParty.DEBTOR,
    hearing_on: datetime.date | None = None,
    until: datetime.date | None = None,
) -> ProcedureAct:
    """Record an act of the procedure (publication, assignation, adjudication, an
    acknowledgement of the debt…) with the party it is against or made by, the deadlines it
    starts, meets or moves (a prorogation, R.321-22), and what it does to the
    prescription."""
    check_act_kind(case, kind)
    is_saisie = case.action_type_id and case.action_type.code in rules.SAISIE_IMMOBILIERE
    if kind == ProcedureActKind.ASSIGNATION and is_saisie and hearing_on is None:
        raise ValidationError(
            {
                "hearing_on": "Indiquez la date de l'audience d'orientation écrite dans "
                "l'assignation : le délai d'un à trois mois de R.322-4 se juge sur elle."
            }
        )
    if kind != ProcedureActKind.ASSIGNATION:
        hearing_on = None
    if kind != ProcedureActKind.PROROGATION:
        until = None
    act = ProcedureAct(
        case=case,
        kind=kind,
        date=date,
        party=party or ActParty.DEBTOR,
        note=(note or "").strip(),
        hearing_on=hearing_on,
        until=until,
        created_by=user,
    )
    act.full_clean()
    check_saisie_sequence(case, act=act)
    if kind == ProcedureActKind.PROROGATION:
        peremption = _peremption_to_move(case, act)
    act.save()
    CaseEvent.record(
        case,
        user,
        EventKind.PROCEDURE_ACT,
        history.procedure_act(act.get_kind_display(), date),
        reason=act.note,
        data={"procedure_act": act.pk, "kind": kind, "date": date.isoformat()},
    )
    if kind in prescription.PROCEDURE_ACT_KINDS:
        record_interruptive_act(case, user, date, act.get_kind_display())
    if kind == ProcedureActKind.PROROGATION:
        _prorogate(case, user, act, peremption)
    on_act(
        case,
        user,
        kind,
        date,
        source=act.source,
        act_label=act.get_kind_display(),
        dates={"hearing_on": hearing_on},
    )
    return act


def _peremption_to_move(case: Case, act: ProcedureAct) -> Deadline:
    """The open péremption a prorogation moves; refused when there is none, when the
    commandement is already périmé, or when the new end is not after the judgment."""
    peremption = (
        Deadline.objects.open()
        .filter(case=case, template=rules.PEREMPTION)
        .select_for_update()
        .order_by("-pk")
        .first()
    )
    if peremption is None:
        raise ValidationError(
            {
                "kind": "Aucune péremption du commandement en cours : enregistrez d'abord la "
                "publication du commandement (R.321-20)."
            }
        )
    if act.date > peremption.due_date:
        raise ValidationError(
            {
                "date": f"Le commandement est périmé depuis le {short_date(peremption.due_date)} "
                ": un commandement périmé ne peut plus être prorogé (R.321-22)."
            }
        )
    if act.until is not None and act.until <= act.date:
        raise ValidationError(
            {"until": "La nouvelle fin des effets doit venir après le jugement de prorogation."}
        )
    return peremption


def _prorogate(case: Case, user: User, act: ProcedureAct, peremption: Deadline) -> None:
    """R.321-22: the péremption now falls on the day the judgment fixes or, when it fixes
    none, five years after its mention (the earlier reading: the safe one)."""
    due = act.until or compute_deadline(
        act.date, **rules.RULES[rules.PEREMPTION].length, departement=calendar_departement(case)
    )
    _move(
        case,
        user,
        [(peremption, act.source, act.date, due)],
        reason=f"{act.get_kind_display()} du {short_date(act.date)}"
        + (f" : effets prorogés jusqu'au {short_date(act.until)}" if act.until else "")
        + ". CPCE art. R.321-22.",
    )


@transaction.atomic
def correct_procedure_act(
    act: ProcedureAct, user: User, *, date: datetime.date, reason: str
) -> list[Deadline]:
    """Correct the date of an act: the deadlines that run from it move."""
    reason = _required(reason, "Indiquez pourquoi la date est corrigée.", "reason")
    act = ProcedureAct.objects.select_for_update().select_related("case").get(pk=act.pk)
    if date == act.date:
        raise ValidationError({"date": "La date n'a pas changé."})
    previous = act.date
    act.date = date
    act.full_clean()
    act.save(update_fields=["date"])
    check_saisie_sequence(act.case)  # refused: rolled back with the transaction
    if act.kind in prescription.PROCEDURE_ACT_KINDS:
        record_interruptive_act(act.case, user, date, f"{act.get_kind_display()} (date corrigée)")
    return recompute(
        act.case,
        user,
        old_source=act.source,
        new_source=act.source,
        start=date,
        reason=f"{act.get_kind_display()} : date corrigée du {short_date(previous)} au "
        f"{short_date(date)}. "
        f"{reason}",
    )


@transaction.atomic
def correct_starting_act(
    act: StartingAct, user: User, *, date: datetime.date, reason: str
) -> list[Deadline]:
    """Correct the date the starting act was served: the deadlines it started move (and,
    served later than recorded, it interrupts the prescription from then)."""
    reason = _required(reason, "Indiquez pourquoi la date est corrigée.", "reason")
    act = StartingAct.objects.select_for_update().select_related("case").get(pk=act.pk)
    if act.served_on is None:
        raise ValidationError({"date": "Cet acte n'a pas encore été signifié."})
    if date == act.served_on:
        raise ValidationError({"date": "La date n'a pas changé."})
    previous = act.served_on
    act.served_on = date
    act.full_clean()
    act.save(update_fields=["served_on"])
    check_saisie_sequence(act.case)
    label = history.served(act.get_kind_display())
    record_interruptive_act(act.case, user, date, label)
    return recompute(
        act.case,
        user,
        old_source=f"starting_act:{act.pk}",
        new_source=f"starting_act:{act.pk}",
        start=date,
        reason=f"{label} : date corrigée du {short_date(previous)} au {short_date(date)}. {reason}",
    )


def recompute(
    case: Case, user: User, *, old_source: str, new_source: str, start: datetime.date, reason: str
) -> list[Deadline]:
    """Move the open computed deadlines that run from `old_source` to run from
    `new_source`, dated `start`; the reminders not yet due are sent again on the new
    schedule. One history entry (DEADLINES_RECOMPUTED) says what moved."""
    moves = []
    deadlines = (
        Deadline.objects.open()
        .filter(case=case, source=old_source)
        .exclude(template="")
        .select_for_update()
    )
    for deadline in deadlines:
        template = rules.BY_CODE.get(deadline.template)
        if template is None or template.counted_from:
            # Counted from another date of its act (R.322-4: the hearing written in the
            # assignation): a change of the act's own date or a renvoi does not move it.
            continue
        moves.append((deadline, new_source, start, compute_due(template, case, start)))
    return _move(case, user, moves, reason=reason)


def _move(case: Case, user: User | None, moves: list, *, reason: str) -> list[Deadline]:
    """`moves`: (deadline, new source, new start, new due date). The reminders whose day
    has not come under the new date are sent again; one DEADLINES_RECOMPUTED entry."""
    today = timezone.localdate()
    moved, changes = [], []
    for deadline, source, start, due in moves:
        previous = deadline.due_date
        deadline.source = source
        deadline.start_date = start
        deadline.due_date = due
        deadline.save(update_fields=["source", "start_date", "due_date"])
        # A reminder whose day has not come under the new date is sent again then.
        for reminder in deadline.reminders.all():
            days = reminder.days_before
            if days < 0:
                not_yet = deadline.due_date >= today
            else:
                not_yet = deadline.due_date - datetime.timedelta(days=days) > today
            if not_yet:
                reminder.delete()
        moved.append(deadline)
        changes.append(
            {
                "deadline": deadline.pk,
                "from": previous.isoformat(),
                "to": deadline.due_date.isoformat(),
            }
        )
    if moved:
        parts = "; ".join(
            f"{d.label} : {short_date(datetime.date.fromisoformat(c['from']))} → "
            f"{short_date(d.due_date)}"
            for d, c in zip(moved, changes, strict=True)
        )
        summary = f"Échéances recalculées — {parts}"
        CaseEvent.record(
            case,
            user,
            EventKind.DEADLINES_RECOMPUTED,
            summary if len(summary) <= 300 else summary[:299] + "…",
            reason=reason,
            data={"changes": changes, "source": moves[-1][1]},
        )
    return moved


# --- What the jurist does with deadlines ---------------------------------------------


@transaction.atomic
def add_manual_deadline(
    case: Case, user: User, *, label: str, due_date: datetime.date, basis: str
) -> Deadline:
    """A deadline entered by hand (the local law of Alsace-Moselle, any other)."""
    label = _required(label, "Indiquez l'échéance.", "label")
    basis = _required(basis, "Indiquez le fondement de l'échéance.", "basis")
    if due_date is None:
        raise ValidationError({"due_date": "Indiquez la date limite."})
    deadline = Deadline.objects.create(
        case=case, label=label[:300], basis=basis[:300], due_date=due_date, created_by=user
    )
    CaseEvent.record(
        case,
        user,
        EventKind.DEADLINE_ADDED,
        f"Échéance ajoutée : {deadline.label} au {short_date(due_date)}"[:300],
        reason=basis,
        data={"deadline": deadline.pk},
    )
    return deadline


def _lock_open(deadline: Deadline) -> Deadline:
    locked = Deadline.objects.select_for_update().select_related("case").get(pk=deadline.pk)
    if not locked.is_open:
        raise ValidationError(
            "Cette échéance n'est plus à respecter : elle est "
            f"{locked.get_status_display().lower()}."
        )
    return locked


def _close(
    deadline: Deadline,
    user: User | None,
    status: str,
    *,
    done_act: str = "",
    done_on: datetime.date | None = None,
    reason: str = "",
) -> Deadline:
    deadline.status = status
    deadline.done_act = done_act[:300]
    deadline.done_on = done_on
    deadline.cancel_reason = reason
    deadline.closed_by = user
    deadline.closed_at = timezone.now()
    deadline.save(
        update_fields=["status", "done_act", "done_on", "cancel_reason", "closed_by", "closed_at"]
    )
    if status == DeadlineStatus.DONE:
        summary = history.deadline_done(deadline.label, done_act, done_on, deadline.due_date)
        kind = EventKind.DEADLINE_DONE
    else:
        summary = history.deadline_cancelled(deadline.label, deadline.due_date)
        kind = EventKind.DEADLINE_CANCELLED
    CaseEvent.record(
        deadline.case,
        user,
        kind,
        summary,
        reason=reason,
        data={"deadline": deadline.pk},
    )
    return deadline


@transaction.atomic
def mark_done(
    deadline: Deadline, user: User, *, act: str, done_on: datetime.date | None = None
) -> Deadline:
    act = _required(act, "Indiquez l'acte qui a respecté l'échéance.", "act")
    done_on = done_on or timezone.localdate()
    if done_on > timezone.localdate():
        raise ValidationError({"done_on": "Cette date ne peut pas être dans le futur."})
    locked = _lock_open(deadline)
    _check_not_stopped(locked, act, done_on)
    return _close(locked, user, DeadlineStatus.DONE, done_act=act, done_on=done_on)


# The deadlines of the collective proceeding itself, which its opening starts rather than
# stops: the declaration of the Trésor's claims (R.622-24) and the relevé de forclusion.
OF_THE_COLLECTIVE_PROCEEDING = (rules.DECLARATION, rules.RELEVE)


def _check_not_stopped(deadline: Deadline, act: str, done_on: datetime.date) -> None:
    """An act of the action done on or after the opening judgment that stopped it cannot
    have met its deadline: the judgment forbids it (C. com. L.622-21). Refused, in French,
    as the steps refuse it (`cases.collective.check_not_stopped`); an act done before the
    opening, recorded late, is accepted."""
    if deadline.template in OF_THE_COLLECTIVE_PROCEEDING:
        return
    stop = collective.pending_stop(deadline.case)
    if stop is not None and done_on >= stop.proceeding.opened_on:
        collective.check_not_stopped(deadline.case, f"l'acte « {act} » à cette date")


@transaction.atomic
def cancel(deadline: Deadline, user: User, *, reason: str) -> Deadline:
    reason = _required(reason, "Indiquez le motif de l'annulation.", "reason")
    locked = _lock_open(deadline)
    return _close(locked, user, DeadlineStatus.CANCELLED, reason=reason)


# --- Prescription ----------------------------------------------------------------------


def record_interruptive_act(case: Case, user: User | None, on: datetime.date, what: str) -> list:
    """An act that may interrupt the prescription (a starting act served, an act of the
    procedure, a payment), dated `on`, was recorded with the party it is against or made
    by: every claim's prescription is recomputed from its chain (only an act against the
    debtor or a co-débiteur solidaire interrupts, C. civ. 2240-2245). One history entry
    when any moves."""
    return prescription.refresh_case(case, user, f"{what} le {short_date(on)}")


@transaction.atomic
def record_act_outcome(
    act: StartingAct, user: User, *, outcome: str, on: datetime.date, reason: str
) -> list:
    """What became of a starting act for the prescription (C. civ. 2242-2243): a
    désistement, a péremption of the instance, a rejection become final, a caducité, a
    commandement périmé; the prescription is recomputed (a wiped-out interruption never
    happened)."""
    reason = _required(reason, "Indiquez l'acte ou la décision qui le constate.", "reason")
    act = StartingAct.objects.select_for_update().select_related("case").get(pk=act.pk)
    if act.served_on is None:
        raise ValidationError(
            {"outcome": "Cet acte n'a pas été signifié : il n'a rien interrompu."}
        )
    if outcome not in ActOutcome.values or outcome == ActOutcome.PENDING:
        raise ValidationError({"outcome": "Choisissez l'issue de l'acte."})
    if act.kind == StartingActKind.COMMANDEMENT:
        if outcome not in (ActOutcome.CADUC, ActOutcome.PERIME):
            raise ValidationError(
                {"outcome": "Un commandement ne peut devenir que caduc ou périmé."}
            )
    elif outcome == ActOutcome.PERIME:
        raise ValidationError({"outcome": "Seul un commandement devient périmé."})
    if on is None:
        raise ValidationError({"on": "Indiquez la date de l'issue."})
    if on < act.served_on:
        raise ValidationError(
            {"on": f"L'issue ne peut précéder la signification ({short_date(act.served_on)})."}
        )
    if on > timezone.localdate():
        raise ValidationError({"on": "Cette date ne peut pas être dans le futur."})
    act.outcome, act.outcome_on = outcome, on
    act.full_clean()
    act.save(update_fields=["outcome", "outcome_on"])
    return prescription.refresh_case(
        act.case,
        user,
        f"{act} : {ActOutcome(outcome).label.lower()} le {short_date(on)} — {reason}",
    )


@transaction.atomic
def record_suspension(
    case: Case,
    user: User,
    *,
    cause: str,
    start: datetime.date,
    end: datetime.date | None = None,
    claim=None,
    note: str = "",
) -> PrescriptionSuspension:
    """A sursis de paiement, collective proceedings, a surendettement…: the prescription
    of the case's claims (or of `claim`) does not run from `start` (C. civ. 2230)."""
    if claim is not None and claim.case_id != case.pk:
        raise ValidationError({"claim": "Cette créance ne concerne pas ce dossier."})
    suspension = PrescriptionSuspension(
        case=case,
        claim=claim,
        cause=cause,
        start=start,
        end=end,
        note=(note or "").strip(),
        created_by=user,
    )
    suspension.full_clean()
    suspension.save()
    prescription.refresh_case(case, user, f"suspension : {suspension}")
    return suspension


@transaction.atomic
def end_suspension(
    suspension: PrescriptionSuspension, user: User, *, end: datetime.date
) -> PrescriptionSuspension:
    """The suspension ended on `end`: the prescription runs again from then."""
    suspension = PrescriptionSuspension.objects.select_for_update().get(pk=suspension.pk)
    if suspension.end is not None:
        raise ValidationError(
            {"end": f"Cette suspension a déjà pris fin le {short_date(suspension.end)}."}
        )
    if end is None:
        raise ValidationError({"end": "Indiquez la date de fin de la suspension."})
    if end < suspension.start:
        raise ValidationError(
            {
                "end": "La suspension ne peut finir avant de commencer "
                f"({short_date(suspension.start)})."
            }
        )
    if end > timezone.localdate():
        raise ValidationError({"end": "Cette date ne peut pas être dans le futur."})
    suspension.end = end
    suspension.save(update_fields=["end"])
    prescription.refresh_case(suspension.case, user, f"fin de la suspension : {suspension}")
    return suspension


# --- Collective proceedings (cases.collective) ------------------------------------------


def _publication_source(proceeding) -> str:
    return f"collective:{proceeding.pk}"


def on_collective_publication(case: Case, user: User, proceeding) -> list[Deadline]:
    """The opening judgment published in the BODACC starts the declaration of claims: two
    months (C. com. R.622-24), a critical deadline, on `case`."""
    if proceeding.bodacc_on is None:
        return []
    return on_act(
        case,
        user,
        rules.Trigger.COLLECTIVE_PUBLICATION,
        proceeding.bodacc_on,
        source=_publication_source(proceeding),
        act_label=history.BODACC_PUBLICATION,
    )


def declaration_due(case: Case, proceeding) -> datetime.date | None:
    """The last day to declare the claims, from the BODACC publication (R.622-24)."""
    if proceeding.bodacc_on is None:
        return None
    return compute_due(rules.BY_CODE[rules.DECLARATION], case, proceeding.bodacc_on)


@transaction.atomic
def on_claim_declared(case: Case, user: User, declaration) -> list[Deadline]:
    """The declaration meets the deadline of R.622-24; made after it, the claim is forclose
    (L.622-26 al. 1) and the relevé de forclusion has its own deadline, six months from the
    publication (L.622-26 al. 3)."""
    proceeding = declaration.proceeding
    on_act(
        case,
        user,
        rules.Trigger.CLAIM_DECLARED,
        declaration.declared_on,
        source=f"declaration:{declaration.pk}",
        act_label=history.CLAIM_DECLARATION,
    )
    # The declaration interrupts the prescription until the closure (C. com. L.622-25-1):
    # the claims' prescription does not run meanwhile.
    if not case.suspensions.filter(
        cause=SuspensionCause.PROCEDURE_COLLECTIVE, end__isnull=True
    ).exists():
        record_suspension(
            case,
            user,
            cause=SuspensionCause.PROCEDURE_COLLECTIVE,
            start=declaration.declared_on,
            note=f"{history.claim_declared(declaration)} (C. com. L.622-25-1).",
        )
    due = declaration_due(case, proceeding)
    if due is None or declaration.declared_on <= due:
        return []
    return on_act(
        case,
        user,
        rules.Trigger.CLAIM_DECLARED_LATE,
        proceeding.bodacc_on,
        source=_publication_source(proceeding),
        act_label=history.BODACC_PUBLICATION,
        label_suffix=f" (créance déclarée tardivement le {short_date(declaration.declared_on)})",
    )


@transaction.atomic
def on_collective_closed(user: User, proceeding) -> list[PrescriptionSuspension]:
    """The closing judgment ends the suspension the declarations of the proceeding opened
    on their cases: the prescription runs again from it."""
    ended = []
    cases = Case.objects.filter(claim_declarations__proceeding=proceeding).distinct()
    for suspension in PrescriptionSuspension.objects.filter(
        case__in=cases, cause=SuspensionCause.PROCEDURE_COLLECTIVE, end__isnull=True
    ).order_by("pk"):
        if suspension.start <= proceeding.closed_on:
            ended.append(end_suspension(suspension, user, end=proceeding.closed_on))
    return ended


@transaction.atomic
def on_opening_reversed(user: User, proceeding) -> list[Deadline]:
    """The opening judgment reversed on recourse (cases.collective.record_reversal): the
    proceeding ends, so does the suspension its declarations opened, and nothing is left
    to declare: the open declaration and relevé deadlines it started are cancelled. The
    deadlines cancelled."""
    on_collective_closed(user, proceeding)
    reason = f"Jugement d'ouverture infirmé sur recours le {short_date(proceeding.closed_on)}"
    dropped = list(
        Deadline.objects.open()
        .filter(
            source=_publication_source(proceeding),
            template__in=(rules.DECLARATION, rules.RELEVE),
        )
        .select_for_update()
        .order_by("pk")
    )
    for deadline in dropped:
        _close(deadline, user, DeadlineStatus.CANCELLED, reason=reason)
    return dropped


def open_overdue_releves(today: datetime.date) -> int:
    """Every declaration of claims whose deadline (R.622-24) has passed undeclared: the
    claim is forclose (L.622-26 al. 1) and the relevé de forclusion gets its deadline, six
    months from the publication (L.622-26 al. 3). Run daily (deadlines.tasks); idempotent.
    The number of deadlines opened."""
    opened = 0
    overdue = (
        Deadline.objects.open()
        .filter(template=rules.DECLARATION, due_date__lt=today, start_date__isnull=False)
        .exclude(case__status__in=CLOSED_STATUSES)
        .select_related("case", "case__action_type")
        .order_by("pk")
    )
    for deadline in overdue:
        with transaction.atomic():
            opened += len(
                on_act(
                    deadline.case,
                    None,
                    rules.Trigger.CLAIM_DECLARED_LATE,
                    deadline.start_date,
                    source=deadline.source,
                    act_label=history.BODACC_PUBLICATION,
                    label_suffix=" (délai de déclaration expiré le "
                    f"{short_date(deadline.due_date)})",
                )
            )
    return opened


# --- The sale of the seized property (the workflow's forced-sale step) -----------------


def _sale_source(sale, what: str = "") -> str:
    return f"sale:{sale.pk}{':' + what if what else ''}"


@transaction.atomic
def drop_open(case: Case, user: User, codes: tuple[str, ...], reason: str) -> list[Deadline]:
    """Cancel the case's open deadlines of these rules (an adjudication undone by a
    surenchère or a réitération des enchères no longer has its price to pay)."""
    dropped = list(
        Deadline.objects.open().filter(case=case, template__in=codes).select_for_update()
    )
    for deadline in dropped:
        _close(deadline, user, DeadlineStatus.CANCELLED, reason=reason)
    return dropped


def on_adjudication(case: Case, user: User, sale, *, overbid_allowed: bool) -> ProcedureAct:
    """The adjudication as an act of the procedure: the end of the surenchère window
    (R.322-50) and the payment of the price (R.322-56) run from it. No surenchère is
    received on the adjudication that follows one (R.322-55)."""
    with transaction.atomic():
        act = record_procedure_act(
            case,
            user,
            kind=ProcedureActKind.ADJUDICATION,
            date=sale.sold_on,
            note=history.sale_recorded(sale),
            party=ActParty.OTHER,
        )
        if not overbid_allowed:
            drop_open(
                case,
                user,
                ("si_surenchere",),
                "Aucune surenchère n'est reçue sur l'adjudication qui suit une surenchère "
                "(CPCE R.322-55).",
            )
        return act


def surenchere_last_day(case: Case, sale) -> datetime.date:
    """The last day to declare a surenchère on `sale`: ten days after the adjudication
    (R.322-50, R.322-51), counted as the case's deadline row is (CPC 640-642)."""
    return compute_due(rules.BY_CODE["si_surenchere"], case, sale.sold_on)


def on_surenchere(case: Case, user: User, sale) -> list[Deadline]:
    """A surenchère declared: the window is used, its dénonciation is due within three
    jours ouvrables (R.322-52), and the first adjudication's price is no longer owed (the
    surenchère annihilates it)."""
    with transaction.atomic():
        drop_open(
            case,
            user,
            ("si_paiement_prix",),
            "Surenchère déclarée : l'adjudication est remise en cause (CPCE R.322-50 s.).",
        )
        return on_act(
            case,
            user,
            rules.Trigger.SURENCHERE,
            sale.overbid_on,
            source=_sale_source(sale, "surenchere"),
            act_label="Déclaration de surenchère",
        )


def on_surenchere_denounced(case: Case, user: User, sale, on: datetime.date) -> list[Deadline]:
    return on_act(
        case,
        user,
        rules.Trigger.SURENCHERE_DENONCEE,
        on,
        source=_sale_source(sale, "denonciation"),
        act_label=history.surenchere_denounced(on),
    )


def on_reiteration(case: Case, user: User, sale) -> list[Deadline]:
    """The adjudicataire did not pay: the price deadline falls, the property is sold again
    (R.322-66, R.322-69)."""
    return drop_open(
        case,
        user,
        ("si_paiement_prix",),
        "Adjudicataire défaillant : réitération des enchères (CPCE R.322-66).",
    )


def on_price_paid(case: Case, user: User, sale) -> list[Deadline]:
    return on_act(
        case,
        user,
        rules.Trigger.PRIX_CONSIGNE,
        sale.paid_on,
        source=_sale_source(sale, "prix"),
        act_label="Consignation du prix",
    )
