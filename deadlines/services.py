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

from cases import history
from cases.enums import ActOutcome, ActParty, EventKind, StartingActKind
from cases.formatting import short_date
from cases.models import Case, CaseEvent, Decision, Hearing, StartingAct, User
from cases.validators import fold_name

from . import prescription, rules
from .calendar import compute_due
from .enums import DeadlineStatus
from .models import Deadline, PrescriptionSuspension, ProcedureAct


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
) -> list[Deadline]:
    """An act of `trigger` dated `start` was recorded: create the deadlines it starts
    (with their legal basis) and mark done those it meets; one history entry each."""
    code = case.action_type.code if case.action_type_id else None
    local_law = local_law_applies(case)
    created = []
    for template in rules.templates_for(trigger, code):
        if template.cpce and local_law:
            continue
        if Deadline.objects.filter(case=case, template=template.code, source=source).exists():
            continue
        deadline = Deadline(
            case=case,
            template=template.code,
            source=source,
            label=(template.label + label_suffix)[:300],
            basis=deadline_basis(template, case)[:300],
            start_date=start,
            due_date=compute_due(template, case, start),
            critical=template.critical,
            created_by=user,
        )
        deadline.save()
        created.append(deadline)
    if created:
        CaseEvent.record(
            case,
            user,
            EventKind.DEADLINES_CREATED,
            deadline_summary(history.deadlines_opened(act_label, start), created),
            reason=deadline_details(created),
            data={"deadlines": [d.pk for d in created], "source": source, "trigger": trigger},
        )
    met = list(
        Deadline.objects.open()
        .filter(case=case, template__in=rules.met_by(trigger))
        .select_for_update()
    )
    for deadline in met:
        _close(
            deadline,
            user,
            DeadlineStatus.DONE,
            done_act=history.act_on(act_label, start),
            done_on=start,
        )
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
    purpose = fold_name(hearing.purpose)
    for word, trigger in rules.HEARING_TRIGGERS.items():
        if word in purpose:
            return trigger
    return None


def on_hearing(case: Case, user: User, hearing: Hearing) -> list[Deadline]:
    trigger = hearing_trigger(hearing)
    if trigger is None:
        return []
    return on_act(
        case,
        user,
        trigger,
        timezone.localdate(hearing.scheduled_at),
        source=f"hearing:{hearing.pk}",
        act_label=hearing.purpose,
    )


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
    if decision.notified_on is None:
        return []
    return on_act(
        case,
        user,
        rules.Trigger.DECISION_NOTIFIED,
        decision.notified_on,
        source=f"decision:{decision.pk}",
        act_label=history.DECISION_NOTIFIED,
        label_suffix=history.of_decision(decision),
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
) -> ProcedureAct:
    """Record an act of the procedure (publication, assignation, adjudication, an
    acknowledgement of the debt…) with the party it is against or made by, the deadlines it
    starts or meets, and what it does to the prescription."""
    act = ProcedureAct(
        case=case,
        kind=kind,
        date=date,
        party=party or ActParty.DEBTOR,
        note=(note or "").strip(),
        created_by=user,
    )
    act.full_clean()
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
    on_act(case, user, kind, date, source=act.source, act_label=act.get_kind_display())
    return act


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
    today = timezone.localdate()
    moved, changes = [], []
    deadlines = (
        Deadline.objects.open()
        .filter(case=case, source=old_source)
        .exclude(template="")
        .select_for_update()
    )
    for deadline in deadlines:
        template = rules.BY_CODE.get(deadline.template)
        if template is None:
            continue
        previous = deadline.due_date
        deadline.source = new_source
        deadline.start_date = start
        deadline.due_date = compute_due(template, case, start)
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
            data={"changes": changes, "source": new_source},
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
    return _close(locked, user, DeadlineStatus.DONE, done_act=act, done_on=done_on)


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
