"""What the pôle records while it conducts a case (takeover mode: lawyer, starting act,
hearings and adjournments, decision, appeal, recoveries) and while it gives an opinion
(opinion mode: versions, validation by another member of the pôle's management, what the
direction made of it).

Each operation validates (French messages), saves and, where the history should say so,
records one entry, in one transaction. None of them checks permissions nor changes the
case's status: the workflow does both, and its transitions announce the starting act, the
decision, the appeal and the validated opinion.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from . import history, local_law, money, risk_grid
from .comparables import comparables
from .enums import (
    ActParty,
    EventKind,
    HearingKind,
    HearingStatus,
    Instance,
    OpinionConclusion,
    OpinionFollow,
    OpinionStatus,
    PieceKind,
    SaleKind,
)
from .formatting import de_name, euros, short_date, short_datetime
from .models import (
    ActionType,
    Appeal,
    Case,
    CaseEvent,
    Decision,
    Hearing,
    Lawyer,
    LawyerMandate,
    Opinion,
    Party,
    Piece,
    PropertySale,
    Recovery,
    StartingAct,
    User,
)
from .pieces import check_upload
from .services import store_upload

STEP_CHANGE_KINDS = (EventKind.STEP_CANCELLED, EventKind.STEP_UNDONE)


def _required(value: str, message: str, field: str | None = None) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message} if field else message)
    return value


# --- Lawyer -----------------------------------------------------------------------------


@transaction.atomic
def mandate_lawyer(
    case: Case,
    user: User,
    *,
    lawyer: Lawyer,
    mandated_on: datetime.date,
    fee_agreement: str = "",
    instructions: str = "",
) -> LawyerMandate:
    """Mandate a lawyer; the current mandate, if any, ends on the same day."""
    if not lawyer.active:
        raise ValidationError({"lawyer": f"{lawyer} n'est plus actif dans l'annuaire."})
    current = case.mandates.select_for_update().filter(revoked_on__isnull=True).first()
    if current is not None:
        if current.lawyer_id == lawyer.pk:
            raise ValidationError({"lawyer": f"{lawyer} est déjà l'avocat mandaté du dossier."})
        if mandated_on is not None and mandated_on < current.mandated_on:
            raise ValidationError(
                {
                    "mandated_on": "Le nouveau mandat ne peut pas précéder le mandat en cours "
                    f"(donné le {short_date(current.mandated_on)})."
                }
            )
        current.revoked_on = mandated_on
        current.revocation_reason = f"Remplacé par {lawyer}"
        current.full_clean()
        current.save(update_fields=["revoked_on", "revocation_reason"])
    mandate = LawyerMandate(
        case=case,
        lawyer=lawyer,
        mandated_on=mandated_on,
        fee_agreement=(fee_agreement or "").strip() or lawyer.fee_agreement,
        instructions=(instructions or "").strip(),
        created_by=user,
    )
    mandate.full_clean()
    mandate.save()
    CaseEvent.record(
        case,
        user,
        EventKind.LAWYER_MANDATED,
        history.lawyer_mandated(mandated_on, lawyer, current.lawyer if current else None),
        data={
            "mandate": mandate.pk,
            "lawyer": lawyer.pk,
            "replaced_mandate": current.pk if current else None,
        },
    )
    return mandate


@transaction.atomic
def revoke_mandate(
    mandate: LawyerMandate,
    user: User,
    *,
    reason: str,
    revoked_on: datetime.date | None = None,
) -> LawyerMandate:
    """End a mandate (today by default) without naming a successor."""
    reason = _required(reason, "Indiquez le motif de la révocation.", "revocation_reason")
    mandate = LawyerMandate.objects.select_for_update().get(pk=mandate.pk)
    if mandate.revoked_on is not None:
        raise ValidationError(f"Ce mandat a déjà pris fin le {short_date(mandate.revoked_on)}.")
    mandate.revoked_on = revoked_on or timezone.localdate()
    mandate.revocation_reason = reason
    mandate.full_clean()
    mandate.save(update_fields=["revoked_on", "revocation_reason"])
    CaseEvent.record(
        mandate.case,
        user,
        EventKind.MANDATE_REVOKED,
        f"Mandat {de_name(mandate.lawyer)} révoqué le {short_date(mandate.revoked_on)}"[:300],
        reason=reason,
        data={"mandate": mandate.pk, "lawyer": mandate.lawyer_id},
    )
    return mandate


# --- Starting act and hearings ------------------------------------------------------------


@transaction.atomic
def record_starting_act(
    case: Case,
    user: User,
    *,
    kind: str,
    court: str,
    signed_on: datetime.date,
    served_on: datetime.date | None = None,
    party: str = "",
    confirmed_checks: list[str] = (),
    published_on: datetime.date | None = None,
) -> StartingAct:
    """No history entry: the lifecycle's engage_action announces it. `party`: against whom
    the act is directed; by default, the one the action type names (ActionType.
    starting_act_party: the manager for L.267, the third-party holder…)."""
    if not party:
        party = case.action_type.starting_act_party if case.action_type_id else ActParty.DEBTOR
    # Alsace-Moselle: the local law's requête, never a CPCE commandement (loi du 1er juin
    # 1924, art. 141).
    if case.is_alsace_moselle and (refusal := local_law.starting_act_refusal(kind)):
        raise ValidationError({"kind": refusal})
    act = StartingAct(
        case=case,
        kind=kind,
        court=(court or "").strip(),
        signed_on=signed_on,
        served_on=served_on,
        party=party,
        confirmed_checks=list(confirmed_checks),
        published_on=published_on,
        created_by=user,
    )
    act.full_clean()
    act.save()
    return act


@transaction.atomic
def schedule_hearing(
    case: Case,
    user: User,
    *,
    instance: str,
    court: str,
    scheduled_at: datetime.datetime,
    kind: str,
    purpose: str = "",
    rg_number: str = "",
) -> Hearing:
    # Alsace-Moselle: no audience d'orientation nor d'adjudication (loi du 1er juin 1924).
    if case.is_alsace_moselle and (refusal := local_law.hearing_refusal(kind)):
        raise ValidationError({"kind": refusal})
    hearing = Hearing(
        case=case,
        instance=instance,
        court=(court or "").strip(),
        scheduled_at=scheduled_at,
        kind=kind,
        purpose=(purpose or "").strip() or HearingKind(kind).label,
        rg_number=(rg_number or "").strip() or _rg_number(case, instance, court),
        created_by=user,
    )
    hearing.full_clean()
    hearing.save()
    CaseEvent.record(
        case,
        user,
        EventKind.HEARING_SET,
        history.hearing_set(scheduled_at, hearing.court, hearing.purpose),
        data={"hearing": hearing.pk, "scheduled_at": scheduled_at.isoformat()},
    )
    return hearing


def _rg_number(case: Case, instance: str, court: str) -> str:
    """The RG number the court's registry gave the case at this instance, from its latest
    hearing there that has one (the adjudication keeps the orientation's number)."""
    earlier = case.hearings.filter(instance=instance, court=(court or "").strip())
    hearing = earlier.exclude(rg_number="").order_by("-scheduled_at", "-pk").first()
    return hearing.rg_number if hearing else ""


def _lock_scheduled(hearing: Hearing, doing: str) -> Hearing:
    hearing = Hearing.objects.select_for_update().select_related("case").get(pk=hearing.pk)
    if hearing.status != HearingStatus.SCHEDULED:
        raise ValidationError(
            f"Seule une audience prévue peut être {doing} : celle du "
            f"{short_datetime(hearing.scheduled_at)} est {hearing.get_status_display().lower()}."
        )
    return hearing


@transaction.atomic
def adjourn_hearing(
    hearing: Hearing, user: User, *, new_date: datetime.datetime, reason: str
) -> Hearing:
    """The judge adjourns (renvoi): the hearing is marked adjourned with the reason and
    a new scheduled hearing replaces it. Returns the new hearing."""
    reason = _required(reason, "Indiquez le motif du renvoi.", "adjournment_reason")
    old = _lock_scheduled(hearing, "renvoyée")
    if new_date is None or new_date <= old.scheduled_at:
        raise ValidationError(
            {
                "scheduled_at": "La nouvelle date doit être postérieure à celle de l'audience "
                f"renvoyée ({short_datetime(old.scheduled_at)})."
            }
        )
    old.status = HearingStatus.ADJOURNED
    old.adjournment_reason = reason
    old.full_clean()
    old.save(update_fields=["status", "adjournment_reason"])
    new = Hearing(
        case=old.case,
        instance=old.instance,
        court=old.court,
        scheduled_at=new_date,
        kind=old.kind,
        purpose=old.purpose,
        rg_number=old.rg_number,
        adjourned_from=old,
        created_by=user,
    )
    new.full_clean()
    new.save()
    hearing.status, hearing.adjournment_reason = old.status, old.adjournment_reason
    CaseEvent.record(
        old.case,
        user,
        EventKind.HEARING_ADJOURNED,
        history.hearing_adjourned(old.scheduled_at, new_date, reason),
        reason=reason,
        data={
            "hearing": new.pk,
            "adjourned_hearing": old.pk,
            "scheduled_at": new_date.isoformat(),
            "previous_date": old.scheduled_at.isoformat(),
        },
    )
    return new


@transaction.atomic
def mark_hearing_held(hearing: Hearing, user: User) -> Hearing:
    locked = _lock_scheduled(hearing, "tenue")
    if locked.scheduled_at > timezone.now():
        raise ValidationError(
            f"L'audience du {short_datetime(locked.scheduled_at)} n'a pas encore eu lieu : "
            "elle ne peut pas être marquée tenue."
        )
    locked.status = HearingStatus.HELD
    locked.save(update_fields=["status"])
    hearing.status = locked.status
    CaseEvent.record(
        locked.case,
        user,
        EventKind.HEARING_HELD,
        history.hearing_held(locked.scheduled_at, locked.court, locked.purpose),
        data={"hearing": locked.pk},
    )
    return locked


# --- Decision and appeal ------------------------------------------------------------------


@transaction.atomic
def record_decision(
    case: Case,
    user: User,
    *,
    instance: str,
    decided_on: datetime.date,
    court: str,
    outcome: str,
    amount_awarded: Decimal | None = None,
    notified_on: datetime.date | None = None,
    judgment_file,
    summary: str = "",
    article_700: Decimal | None = None,
    depens: Decimal | None = None,
    by_default: bool = False,
) -> Decision:
    """Record the judge's decision with its uploaded judgment (a piece of kind JUGEMENT,
    stored through the same checks and storage as every piece). No history entry: the
    lifecycle's record_decision announces it."""
    decision = Decision(
        case=case,
        instance=instance,
        decided_on=decided_on,
        court=(court or "").strip(),
        outcome=outcome,
        amount_awarded=amount_awarded,
        notified_on=notified_on,
        summary=(summary or "").strip(),
        article_700=article_700,
        depens=depens,
        by_default=by_default,
        created_by=user,
    )
    decision.full_clean(exclude=["judgment"])
    held = (
        case.hearings.filter(instance=instance, status=HearingStatus.HELD)
        .order_by("-scheduled_at")
        .first()
    )
    if decided_on is not None and held and decided_on < timezone.localdate(held.scheduled_at):
        raise ValidationError(
            {
                "decided_on": f"La décision ({short_date(decided_on)}) ne peut précéder "
                f"l'audience qu'elle suit ({short_datetime(held.scheduled_at)})."
            }
        )
    if judgment_file is None:
        raise ValidationError({"judgment": "Joignez le jugement."})
    checked = check_upload(judgment_file)
    piece = Piece(case=case, kind=PieceKind.JUGEMENT, uploaded_by=user, dated_on=decided_on)

    def save_rows() -> None:
        piece.save()
        decision.judgment = piece
        decision.save()

    store_upload(piece, judgment_file, checked, save_rows)
    return decision


@transaction.atomic
def record_appeal(
    case: Case,
    user: User,
    *,
    decision: Decision,
    lodged_by: str,
    lodged_on: datetime.date,
    court: str,
    grounds: str,
    instance: str = Instance.APPEAL,
) -> Appeal:
    """No history entry: the lifecycle's appeal transition announces it. `instance`: the
    recourse (an appeal, a pourvoi en cassation, an opposition)."""
    appeal = Appeal(
        case=case,
        decision=decision,
        instance=instance,
        lodged_by=lodged_by,
        lodged_on=lodged_on,
        court=(court or "").strip(),
        grounds=(grounds or "").strip(),
        created_by=user,
    )
    appeal.full_clean()
    appeal.save()
    return appeal


# --- Recoveries -----------------------------------------------------------------------------


def record_recovery(
    case: Case,
    user: User,
    *,
    received_on: datetime.date,
    amount: Decimal,
    comment: str = "",
    party: str = ActParty.DEBTOR,
    awarded_costs: Decimal | None = None,
    claims=(),
) -> Recovery:
    """A sum received, imputed to the claims (C. civ. 1342-10): `cases.money`."""
    return money.record_recovery(
        case,
        user,
        received_on=received_on,
        amount=amount,
        comment=comment,
        party=party,
        awarded_costs=awarded_costs,
        claims=claims,
    )


def recovered_total(case: Case) -> Decimal:
    total = case.recoveries.aggregate(total=models.Sum("amount"))["total"]
    return Decimal(total or 0).quantize(Decimal("0.01"))


# --- Opinion ------------------------------------------------------------------------------------


@transaction.atomic
def submit_opinion(
    case: Case,
    user: User,
    *,
    conclusion: str,
    recommended_action: ActionType | None = None,
    recommended_measure: str = "",
    reasons: str,
    risk_level: str,
    risk_assessment: str,
    conditions: str = "",
    estimated_costs: Decimal | None = None,
    expected_recovery: Decimal | None = None,
    creditors_ranking: str = "",
    **grid: str,
) -> Opinion:
    """A new version of the case's opinion, submitted for validation: its conclusion
    (another action: a heavy one or a lighter measure), its reasons, the examination of
    the action's conditions, its costs against the expected recovery, the creditors'
    ranking, the risk and its grid (`grid`: `<dimension>_risk` and `<dimension>_comment`
    of each row, `cases.risk_grid`, the whole grid required), with the figures of the
    comparable cases it relied on, frozen now (`cases.comparables`)."""
    unknown = sorted(set(grid) - set(risk_grid.FIELDS))
    if unknown:
        raise TypeError(f"submit_opinion() got unexpected keyword arguments {unknown}")
    grid = {name: (grid.get(name) or "").strip() for name in risk_grid.FIELDS}
    problems = risk_grid.problems(grid, required=True)
    if problems:
        raise ValidationError(problems)
    Case.objects.select_for_update().filter(pk=case.pk).first()  # one version at a time
    current = Opinion.objects.current(case)
    if current is not None and current.status == OpinionStatus.SUBMITTED:
        raise ValidationError(
            f"La version {current.version} de l'avis attend encore sa validation."
        )
    measure = recommended_measure or ""
    if conclusion == OpinionConclusion.OTHER_ACTION:
        if (recommended_action is None) == (not measure):
            raise ValidationError(
                {
                    "recommended_action": "Indiquez l'action ou la mesure que l'avis recommande "
                    "à la place (l'une ou l'autre)."
                }
            )
    else:
        recommended_action, measure = None, ""
    opinion = Opinion(
        case=case,
        version=(current.version + 1) if current else 1,
        author=user,
        conclusion=conclusion,
        recommended_action=recommended_action,
        recommended_measure=measure,
        reasons=(reasons or "").strip(),
        conditions=(conditions or "").strip(),
        estimated_costs=estimated_costs,
        expected_recovery=expected_recovery,
        creditors_ranking=(creditors_ranking or "").strip(),
        risk_level=risk_level,
        risk_assessment=(risk_assessment or "").strip(),
        **grid,
        comparables=comparables(case),
        status=OpinionStatus.SUBMITTED,
        submitted_at=timezone.now(),
    )
    opinion.full_clean()
    opinion.save()
    CaseEvent.record(
        case,
        user,
        EventKind.OPINION_SUBMITTED,
        history.opinion_submitted(opinion),
        data={"opinion": opinion.pk, "version": opinion.version, "conclusion": conclusion},
    )
    return opinion


@transaction.atomic
def review_opinion(opinion: Opinion, user: User, *, validate: bool, comments: str = "") -> Opinion:
    """Validate the opinion (announced by the lifecycle's give_opinion), or return it to its
    author with comments."""
    locked = Opinion.objects.select_for_update().select_related("case").get(pk=opinion.pk)
    if locked.author_id == user.pk:
        raise ValidationError(
            "Personne ne valide son propre avis : un autre membre de l'encadrement du pôle "
            "doit le faire."
        )
    if locked.status != OpinionStatus.SUBMITTED:
        raise ValidationError(
            f"Cet avis n'attend pas de validation : il est {locked.get_status_display().lower()}."
        )
    comments = (comments or "").strip()
    if not validate:
        _required(comments, "Indiquez ce que l'auteur doit revoir.", "review_comments")
    locked.status = OpinionStatus.VALIDATED if validate else OpinionStatus.RETURNED
    locked.reviewed_by = user
    locked.reviewed_at = timezone.now()
    locked.review_comments = comments
    locked.full_clean()
    locked.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_comments"])
    if not validate:
        CaseEvent.record(
            locked.case,
            user,
            EventKind.OPINION_RETURNED,
            history.opinion_returned(locked),
            reason=comments,
            data={"opinion": locked.pk, "version": locked.version},
        )
    _refresh(opinion, locked, ["status", "reviewed_by", "reviewed_at", "review_comments"])
    return locked


@transaction.atomic
def record_opinion_follow_up(
    opinion: Opinion,
    user: User,
    *,
    follow: str,
    comment: str = "",
    takeover_requested: bool = False,
) -> Opinion:
    """What the direction made of a validated opinion (the dashboards count it)."""
    locked = Opinion.objects.select_for_update().select_related("case").get(pk=opinion.pk)
    if locked.status != OpinionStatus.VALIDATED:
        raise ValidationError("La suite donnée ne s'indique que sur un avis validé.")
    if follow not in OpinionFollow.values:
        raise ValidationError({"follow": "Indiquez si l'avis a été suivi."})
    locked.follow = follow
    locked.follow_up_comment = (comment or "").strip()
    locked.follow_up_by = user
    locked.follow_up_at = timezone.now()
    locked.takeover_requested = bool(takeover_requested)
    locked.full_clean()
    fields = ["follow", "follow_up_comment", "follow_up_by", "follow_up_at", "takeover_requested"]
    locked.save(update_fields=fields)
    CaseEvent.record(
        locked.case,
        user,
        EventKind.OPINION_FOLLOW_UP,
        history.opinion_follow_up(OpinionFollow(follow).label, locked.takeover_requested),
        reason=locked.follow_up_comment,
        data={
            "opinion": locked.pk,
            "version": locked.version,
            "follow": follow,
            "takeover_requested": locked.takeover_requested,
        },
    )
    _refresh(opinion, locked, fields)
    return locked


def _refresh(stale: models.Model, fresh: models.Model, fields: list[str]) -> None:
    """Keep the caller's instance in step with the row just saved."""
    if stale is not fresh:
        for name in fields:
            setattr(stale, name, getattr(fresh, name))


# --- Steps cancelled or undone ----------------------------------------------------------


@transaction.atomic
def record_step_change(
    case: Case, user: User, *, kind: str, step_label: str, reason: str, internal: bool = False
) -> CaseEvent:
    """The history entry of a workflow step cancelled or undone (the workflow does the rest);
    `internal`: a step of the pôle's internal work (`cases.access.is_internal_work`)."""
    if kind not in STEP_CHANGE_KINDS:
        raise ValueError(f"Nature d'événement inattendue : {kind}")
    reason = _required(reason, "Indiquez le motif.", "reason")
    step_label = _required(step_label, "Indiquez l'étape concernée.")
    return CaseEvent.record(
        case,
        user,
        kind,
        f"{EventKind(kind).label} : {step_label}"[:300],
        reason=reason,
        data={"step": step_label, "internal": True} if internal else {"step": step_label},
    )


# --- Saisie immobilière: the sale of the seized property (CPCE R.322-20 s.) ---------------

OVERBID_SHARE = Decimal("1.1")  # R.322-50: a surenchère of a tenth at least


def current_sale(case: Case) -> PropertySale | None:
    """The case's sale still standing (not overbid, not set aside for non-payment)."""
    return case.sales.standing().order_by("-sold_on", "-pk").first()


def _sale_event(sale: PropertySale, user: User, summary: str, **data) -> CaseEvent:
    return CaseEvent.record(
        sale.case,
        user,
        EventKind.SALE_RECORDED,
        summary,
        reason=sale.note,
        data={"sale": sale.pk, **{k: str(v) for k, v in data.items()}},
    )


@transaction.atomic
def record_sale(
    case: Case,
    user: User,
    *,
    kind: str,
    sold_on: datetime.date,
    price: Decimal,
    buyer: str,
    hearing: Hearing | None = None,
    note: str = "",
    paid_on: datetime.date | None = None,
) -> PropertySale:
    """An adjudication at its hearing (R.322-39 s.; the hearing is marked held), or the
    amicable sale the judge recorded (R.322-25: its price already consigned)."""
    if current_sale(case) is not None:
        raise ValidationError(
            "Une vente est déjà enregistrée pour ce bien : enregistrez d'abord la surenchère "
            "ou la réitération des enchères qui la remet en cause."
        )
    sale = PropertySale(
        case=case,
        kind=kind,
        hearing=hearing,
        sold_on=sold_on,
        price=price,
        buyer=(buyer or "").strip(),
        note=(note or "").strip(),
        paid_on=paid_on,
        created_by=user,
    )
    sale.full_clean()
    if hearing is not None:
        mark_hearing_held(hearing, user)
    sale.save()
    _sale_event(sale, user, history.sale_recorded(sale), price=sale.price)
    return sale


@transaction.atomic
def record_surenchere(
    sale: PropertySale,
    user: User,
    *,
    declared_on: datetime.date,
    overbidder: str,
    price: Decimal,
    last_day: datetime.date,
) -> PropertySale:
    """A surenchère of a tenth at least of the principal price (R.322-50), declared at the
    registry within ten days of the adjudication (R.322-51; `last_day` as the case's
    calendar counts it); none on the adjudication that follows a surenchère (R.322-55)."""
    sale = PropertySale.objects.select_for_update().get(pk=sale.pk)
    if sale.overbid_on or sale.defaulted_on:
        raise ValidationError("Cette adjudication a déjà été remise en cause.")
    if sale.kind == SaleKind.SURENCHERE:
        raise ValidationError(
            {
                "declared_on": "Aucune surenchère n'est reçue sur l'adjudication qui suit une "
                "surenchère (R.322-55)."
            }
        )
    if sale.kind == SaleKind.AMIABLE:
        raise ValidationError("Une vente amiable ne peut pas faire l'objet d'une surenchère.")
    errors = {}
    if declared_on < sale.sold_on:
        errors["declared_on"] = (
            f"La surenchère ne peut précéder l'adjudication du {short_date(sale.sold_on)}."
        )
    elif declared_on > last_day:
        errors["declared_on"] = (
            f"Le délai de surenchère expirait le {short_date(last_day)} (dix jours après "
            f"l'adjudication du {short_date(sale.sold_on)}, R.322-51) : la surenchère "
            "serait irrecevable."
        )
    minimum = (sale.price * OVERBID_SHARE).quantize(Decimal("0.01"))
    if price < minimum:
        errors["price"] = (
            f"La surenchère doit être du dixième au moins du prix principal (R.322-50) : "
            f"au moins {euros(minimum)} pour une adjudication à {euros(sale.price)}."
        )
    if errors:
        raise ValidationError(errors)
    sale.overbid_on = declared_on
    sale.overbidder = (overbidder or "").strip()
    sale.overbid_price = price
    sale.full_clean()
    sale.save(update_fields=["overbid_on", "overbidder", "overbid_price"])
    _sale_event(sale, user, history.surenchere(sale), overbid_price=price)
    return sale


def overbid_sale(case: Case) -> PropertySale | None:
    """The last adjudication a surenchère remit, while its new adjudication is to come."""
    last = case.sales.order_by("-sold_on", "-pk").first()
    return last if last is not None and last.overbid_on else None


@transaction.atomic
def record_surenchere_denounced(sale: PropertySale, user: User, on: datetime.date) -> None:
    if sale.overbid_on is None:
        raise ValidationError("Aucune surenchère n'a été déclarée sur cette adjudication.")
    if on < sale.overbid_on:
        raise ValidationError(
            {
                "denounced_on": "La dénonciation ne peut précéder la déclaration de "
                f"surenchère du {short_date(sale.overbid_on)}."
            }
        )
    _sale_event(sale, user, history.surenchere_denounced(on), denounced_on=on)


@transaction.atomic
def record_reiteration(sale: PropertySale, user: User, *, served_on: datetime.date) -> PropertySale:
    """The adjudicataire did not pay the price: the registry's certificate served on them
    (R.322-67), the property is sold again (R.322-66, R.322-69)."""
    sale = PropertySale.objects.select_for_update().get(pk=sale.pk)
    if sale.kind == SaleKind.AMIABLE:
        raise ValidationError(
            "La réitération des enchères suit une adjudication, non une vente amiable."
        )
    if sale.paid_on is not None:
        raise ValidationError(
            f"Le prix a été consigné le {short_date(sale.paid_on)} : pas de réitération des "
            "enchères."
        )
    if served_on < sale.sold_on:
        raise ValidationError(
            {
                "served_on": "Le certificat ne peut précéder l'adjudication du "
                f"{short_date(sale.sold_on)}."
            }
        )
    sale.defaulted_on = served_on
    sale.save(update_fields=["defaulted_on"])
    _sale_event(sale, user, history.reiteration(sale), defaulted_on=served_on)
    return sale


@transaction.atomic
def record_price_paid(sale: PropertySale, user: User, *, paid_on: datetime.date) -> PropertySale:
    """The price consigned or paid to the séquestre (R.322-56)."""
    sale = PropertySale.objects.select_for_update().get(pk=sale.pk)
    if sale.paid_on is not None:
        raise ValidationError(f"Le prix a déjà été consigné le {short_date(sale.paid_on)}.")
    if paid_on < sale.sold_on:
        raise ValidationError(
            {
                "paid_on": "Le prix ne peut être consigné avant la vente du "
                f"{short_date(sale.sold_on)}."
            }
        )
    sale.paid_on = paid_on
    sale.save(update_fields=["paid_on"])
    _sale_event(sale, user, history.price_paid(sale), paid_on=paid_on)
    return sale


# --- The parties of a case (issue 17) ---------------------------------------------------


PARTY_FIELDS = ("role", "name", "address", "residence", "counsel_name", "counsel_bar")


@transaction.atomic
def record_party(case: Case, user: User, *, party: Party | None = None, **values) -> Party:
    """Add a party to the case (`party` None) or change one of its parties: its role,
    name, address, residence (the délais de distance) and counsel. One history entry."""
    added = party is None
    if added:
        party = Party(case=case, created_by=user)
    else:
        party = Party.objects.select_for_update().get(pk=party.pk)
        if party.case_id != case.pk:
            raise ValidationError("Cette partie ne concerne pas ce dossier.")
    for name in PARTY_FIELDS:
        if name in values:
            value = values[name]
            setattr(party, name, (value or "").strip() if isinstance(value, str) else value)
    party.full_clean()
    party.save()
    CaseEvent.record(
        case,
        user,
        EventKind.UPDATED,
        history.party_recorded(party, added=added),
        data={"party": party.pk},
    )
    return party
