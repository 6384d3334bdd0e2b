"""The one place that decides who may see and change which case.

Views, selectors and the lifecycle ask this module; none of them filters by direction,
poste comptable or role on its own.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from . import history
from .enums import (
    CLOSED_STATUSES,
    TAKEN_OVER_STATUSES,
    BulkAction,
    CaseStatus,
    EventKind,
    ExperimentRole,
    Mode,
    OpinionStatus,
    Role,
)
from .models import (
    Absence,
    AccessLog,
    Case,
    CaseEvent,
    Debtor,
    Direction,
    Opinion,
    PosteComptable,
    User,
)

EDITABLE_STATUSES = frozenset({CaseStatus.DRAFT, CaseStatus.RETURNED})
# Never sent to the pôle: a draft, and a draft its author deleted (which nobody sees any
# more on the site: the administrators find it in /admin/).
NEVER_SENT = frozenset({CaseStatus.DRAFT, CaseStatus.DISCARDED})
POLE_ROLES = frozenset({Role.JURIST, Role.HEAD})


def _is_admin(user: User) -> bool:
    return user.is_superuser or user.role == Role.ADMIN


def _scope(user: User) -> Q | None:
    """The cases a user may see, as a filter; None means none at all."""
    if not user.is_authenticated or not user.is_active:
        return None
    submitted = ~Q(status__in=NEVER_SENT)
    kept = ~Q(status=CaseStatus.DISCARDED)
    if user.role == Role.POSTE_AGENT:
        return Q(poste_comptable_id=user.poste_comptable_id) & kept
    if user.role == Role.DIRECTION_AGENT:
        return Q(direction_id=user.direction_id) & kept
    if user.role in (Role.JURIST, Role.HEAD) or _is_admin(user):
        return submitted
    if user.role == Role.EXPERT:
        # Their own cases, and those of the absent experts they replace today.
        return submitted & (
            Q(assigned_expert_id=user.pk) | Q(assigned_expert_id__in=replaced_by(user).values("pk"))
        )
    if user.role == Role.MANAGEMENT:
        if user.direction_id:
            return submitted & Q(direction_id=user.direction_id)
        return submitted
    return None


def visible_cases(user: User) -> QuerySet[Case]:
    scope = _scope(user)
    if scope is None:
        return Case.objects.none()
    return Case.objects.filter(scope)


def may_link_co_obligors(user: User) -> bool:
    """The pôle (jurists, head) and administrators link a debtor's co-obligés."""
    return user.is_authenticated and (user.role in POLE_ROLES or _is_admin(user))


def co_obligors_named(user: User, debtor_ids, seen: set[int]) -> set[int]:
    """Which of these debtors `user` is told the name of when shown as a co-obligé
    (cases/debtors.py), `seen` being those of whom they see a case: all of them for the
    pôle and administrators; for the others, those seen. Of another, they learn only that
    the pôle follows one, as of a duplicate."""
    if user.is_authenticated and (user.role in POLE_ROLES or _is_admin(user)):
        return set(debtor_ids)
    return set(debtor_ids) & seen


def names_duplicate(user: User, other: Case) -> bool:
    """Whether a referrer warned of a possible duplicate is told which case it is
    (reference, direction, status): only for their own direction's. Of another
    direction's case they learn only that the pôle has one for the same debtor, and whom
    to ask."""
    return user.direction_id is not None and other.direction_id == user.direction_id


def can_view(user: User, case: Case) -> bool:
    """Same rule as visible_cases, decided on a loaded case without a query."""
    if not user.is_authenticated or not user.is_active:
        return False
    drafted = case.status == CaseStatus.DRAFT
    if case.status == CaseStatus.DISCARDED:
        return False
    if user.role == Role.POSTE_AGENT:
        return case.poste_comptable_id == user.poste_comptable_id
    if user.role == Role.DIRECTION_AGENT:
        return case.direction_id == user.direction_id
    if drafted:
        return False
    if user.role in (Role.JURIST, Role.HEAD) or _is_admin(user):
        return True
    if user.role == Role.EXPERT:
        return case.assigned_expert_id == user.pk or replaces(user, case.assigned_expert_id)
    if user.role == Role.MANAGEMENT:
        return not user.direction_id or case.direction_id == user.direction_id
    return False


def may_see_internal_work(user: User, case: Case) -> bool:
    """The pôle's internal work on a case: an opinion before its validation (each version,
    its sense, its reasons), the reviewer's comments, the opinion steps cancelled or undone.
    The pôle (head, jurists), the expert the case was given to (who may write the opinion)
    and administrators; never the referring side nor management: the opinion reaches the
    direction once validated, not before."""
    if not can_view(user, case):
        return False
    return user.role in (Role.JURIST, Role.HEAD, Role.EXPERT) or _is_admin(user)


def may_see_comparables(user: User, case: Case) -> bool:
    """The live figures of the cases comparable to this one (`cases.comparables`), beside the
    opinion being written and through the API: whoever sees the pôle's internal work on it
    (the pôle, the case's expert, administrators). They count every case of the pôle, whoever
    looks (aggregates, no case named); the direction and management read them only as a
    version froze them, with the opinion once validated (`visible_opinion`, its PDF)."""
    return may_see_internal_work(user, case)


def may_search_internal_work(user: User) -> bool:
    """Whether the search (cases/search.py) reaches the pôle's internal work (its notes, an
    opinion before its validation) in the cases the user may see: `may_see_internal_work`
    for every such case, as a rule of the role."""
    return user.is_authenticated and (
        user.role in (Role.JURIST, Role.HEAD, Role.EXPERT) or _is_admin(user)
    )


def may_read_notes(user: User, case: Case) -> bool:
    """The pôle's notes on a case (annotations privées): whoever sees its internal work
    (the pôle, the case's expert, administrators). Never the referring side (direction,
    poste comptable) nor management."""
    return may_see_internal_work(user, case)


def may_write_note(user: User, case: Case) -> bool:
    """Notes are written by the pôle (head, jurists) and the case's expert; administrators
    read them but do not work the case."""
    return may_read_notes(user, case) and user.role in (Role.JURIST, Role.HEAD, Role.EXPERT)


def may_see_labels(user: User) -> bool:
    """The pôle's labels (on the case page, in the case list and its filter): the pôle
    (head, jurists) and administrators. Not the referring side nor management, to whom a
    label such as « dossier sensible » means nothing they should read, nor the experts of
    the helping directions: the list is the pôle's way of sorting its own work."""
    return user.is_authenticated and user.is_active and (user.role in POLE_ROLES or _is_admin(user))


def may_manage_labels(user: User) -> bool:
    """The pôle's list of labels (create, rename, delete): the head of the pôle."""
    return is_head(user)


def may_label(user: User, case: Case) -> bool:
    """Put a label on a case or take it off: the pôle (head, jurists), on a case it sees."""
    return user.is_authenticated and user.role in POLE_ROLES and can_view(user, case)


def may_follow(user: User, case: Case) -> bool:
    """Follow a case (be told what its jurist is told): the pôle (head, jurists), on a
    case it sees."""
    return may_label(user, case)


# --- Bulk actions on the case list (workflows.bulk) -----------------------------------------
BULK_REASSIGN, BULK_LABEL_ADD, BULK_LABEL_REMOVE, BULK_MESSAGE = BulkAction


def bulk_actions(user: User) -> list[str]:
    """The bulk actions the user is offered on the case list: reassigning is the head's
    (as assigning one case is); labels and the one message to the referring sides, the
    pôle's (head, jurists). Each case is then checked on its own (`may_label`,
    `may_message_referrers`, the assignment's own rules)."""
    if not (user.is_authenticated and user.is_active and user.role in POLE_ROLES):
        return []
    actions = [BULK_LABEL_ADD, BULK_LABEL_REMOVE, BULK_MESSAGE]
    return [BULK_REASSIGN, *actions] if is_head(user) else actions


def may_message_referrers(user: User, case: Case) -> bool:
    """Write on the case's thread to its referring side, from the pôle (head, jurists) on
    a case that reached the pôle."""
    return (
        user.role in POLE_ROLES and case.status not in NEVER_SENT and can_post_message(user, case)
    )


# History entries that are the pôle's internal work whatever they carry; a step change
# is when the workflow marked it so (`data["internal"]`: a step of the opinion's writing).
INTERNAL_EVENT_KINDS = frozenset({EventKind.OPINION_SUBMITTED, EventKind.OPINION_RETURNED})


def is_internal_work(event: CaseEvent) -> bool:
    return event.kind in INTERNAL_EVENT_KINDS or bool((event.data or {}).get("internal"))


def visible_opinion(user: User, case: Case) -> Opinion | None:
    """The opinion the user may read: the current version for those who see the pôle's
    internal work, else the validated one (None until it is)."""
    opinions = Opinion.objects.filter(case=case).select_related(
        "author", "reviewed_by", "recommended_action"
    )
    if not may_see_internal_work(user, case):
        opinions = opinions.filter(status=OpinionStatus.VALIDATED)
    return opinions.order_by("-version").first()


def visible_history(user: User, case: Case, events) -> list[CaseEvent]:
    """The case's history as the user may read it. Outside the pôle, an opinion submitted
    for validation reads « Avis en cours d'élaboration au pôle » (no version, no sense, no
    reason); its returns to the author and the opinion steps cancelled or undone are left
    out (their reasons are the reviewer's comments)."""
    if may_see_internal_work(user, case):
        return list(events)
    shown = []
    for event in events:
        if not is_internal_work(event):
            shown.append(event)
        elif event.kind == EventKind.OPINION_SUBMITTED:
            shown.append(_redacted(event, history.opinion_in_progress()))
    return shown


def _redacted(event: CaseEvent, summary: str) -> CaseEvent:
    """An unsaved copy of the entry with only its date, author and a neutral summary
    (the history is append-only: the copy can never be written back)."""
    return CaseEvent(
        pk=event.pk,
        case_id=event.case_id,
        at=event.at,
        actor_id=event.actor_id,
        actor_label=event.actor_label,
        kind=event.kind,
        summary=summary,
    )


def can_create_referral(user: User) -> bool:
    return user.is_authenticated and user.role in (Role.POSTE_AGENT, Role.DIRECTION_AGENT)


def is_referrer(user: User, case: Case) -> bool:
    """The referring side of a case: its poste comptable's agents and its direction's."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.role == Role.POSTE_AGENT:
        return case.poste_comptable_id == user.poste_comptable_id
    if user.role == Role.DIRECTION_AGENT:
        return case.direction_id == user.direction_id
    return False


def can_edit_referral(user: User, case: Case) -> bool:
    return case.status in EDITABLE_STATUSES and is_referrer(user, case)


def may_add_piece(user: User, case: Case) -> bool:
    """While the referral is written, its referring side (`can_edit_referral`). Once sent
    and until closed, the referring side still (a piece the pôle asked for, a new AMR) and
    the pôle's people who act on the case (`may_act_for_pole`: the judgment received, the
    act served); a piece added then is never removed (it may have gone to the lawyer, to
    court), and the other side is told (notifications: PIECE_ADDED)."""
    if can_edit_referral(user, case):
        return True
    if case.status in NEVER_SENT or case.status in CLOSED_STATUSES:
        return False
    return is_referrer(user, case) or may_act_for_pole(user, case)


def can_discard_draft(user: User, case: Case) -> bool:
    """A draft never sent may be deleted by the referring side (who may edit it)."""
    return case.status == CaseStatus.DRAFT and case.submitted_at is None and is_referrer(user, case)


def is_head(user: User) -> bool:
    return user.is_authenticated and user.is_active and user.role == Role.HEAD


def may_set_step_targets(user: User) -> bool:
    """The time targets of the pôle's own steps (workflows.targets): the head of the pôle."""
    return is_head(user)


def may_edit_document_templates(user: User) -> bool:
    """The text of the documents' templates (documents.templating): the head of the pôle
    writes it (a new version each time)."""
    return is_head(user)


def may_read_document_templates(user: User) -> bool:
    """The templates' texts and their history: the head and the jurists of the pôle."""
    return user.is_authenticated and user.is_active and user.role in (Role.HEAD, Role.JURIST)


# The roles whose ProConnect sign-in must be multi-factor (`amr` containing "mfa", or an
# `acr` of eidas2 or more): the head and the jurists of the pôle see every case and act on
# them, administrators (the site's, a direction's) manage accounts.
MULTI_FACTOR_ROLES = frozenset({Role.HEAD, Role.JURIST, Role.ADMIN, Role.DIRECTION_ADMIN})


def needs_multi_factor(user: User) -> bool:
    return user.role in MULTI_FACTOR_ROLES or _is_admin(user)


# The roles whose local sign-in (a password) asks a second factor (TOTP, pnsr.mfa): those who
# decide for the whole pôle or administer accounts.
SECOND_FACTOR_ROLES = frozenset({Role.HEAD, Role.ADMIN, Role.DIRECTION_ADMIN})


def needs_second_factor(user: User) -> bool:
    return user.is_authenticated and (user.is_superuser or user.role in SECOND_FACTOR_ROLES)


# Intake duty (the receivability of new referrals): the head, and the jurists an
# administrator gives this permission (workflows.permissions.INTAKE names the same).
INTAKE_APP, INTAKE_CODENAME = "workflows", "intake"


def on_intake_duty() -> QuerySet[User]:
    """The active jurists on intake duty (given the permission directly or by a group)."""
    granted = Q(
        user_permissions__codename=INTAKE_CODENAME,
        user_permissions__content_type__app_label=INTAKE_APP,
    ) | Q(
        groups__permissions__codename=INTAKE_CODENAME,
        groups__permissions__content_type__app_label=INTAKE_APP,
    )
    return User.objects.filter(
        pk__in=User.objects.filter(granted).values("pk"), role=Role.JURIST, is_active=True
    ).exclude(pk__in=absent_today().values("pk"))


# --- Absences and their replacement (cases.absences) -----------------------------------------
# During an absence (from its first to its last day included, unless ended before), the
# replacement sees in their queue and may take or finish the steps the absent person holds,
# acts on the absent person's cases as on their own, and receives the absent person's
# notifications (marked « en remplacement de … »); the absent person is off intake duty and
# offered for no new case. The pôle's jurists and head are away and replaced so, and the
# experts of the helping directions too (an expert's replacement sees and writes the
# opinions of the cases given to the absent expert). A replacement gets the absent person's
# cases and steps, never their role: a jurist replacing the head does not validate opinions.
ABSENT_ROLES = (Role.JURIST, Role.HEAD, Role.EXPERT)


def current_absences(today=None) -> QuerySet[Absence]:
    today = today or timezone.localdate()
    return Absence.objects.filter(ended_at__isnull=True, starts_on__lte=today, ends_on__gte=today)


def absent_today(today=None) -> QuerySet[User]:
    return User.objects.filter(pk__in=current_absences(today).values("person_id"))


def is_absent(user: User, today=None) -> bool:
    return current_absences(today).filter(person_id=user.pk).exists()


def replaced_by(user: User, today=None) -> QuerySet[User]:
    """The absent people `user` replaces today (none for who is neither of the pôle nor an
    expert)."""
    if not user.is_authenticated or not user.is_active or user.role not in ABSENT_ROLES:
        return User.objects.none()
    return User.objects.filter(
        pk__in=current_absences(today).filter(replacement_id=user.pk).values("person_id")
    )


def replacements_for(user_ids, today=None) -> dict[int, User]:
    """For each of `user_ids` absent today, their active replacement."""
    rows = (
        current_absences(today)
        .filter(person_id__in=list(user_ids), replacement__is_active=True)
        .select_related("replacement")
    )
    return {absence.person_id: absence.replacement for absence in rows}


def replaces(user: User, other_id: int | None, today=None) -> bool:
    return other_id is not None and replaced_by(user, today).filter(pk=other_id).exists()


def assignable_jurists() -> QuerySet[User]:
    """Whom the head may give a case to: the pôle's active members not absent today."""
    return User.objects.filter(role__in=POLE_ROLES, is_active=True).exclude(
        pk__in=absent_today().values("pk")
    )


def assignable_experts() -> QuerySet[User]:
    """Whom an opinion may be given to: the helping directions' active experts not absent
    today."""
    return User.objects.filter(role=Role.EXPERT, is_active=True).exclude(
        pk__in=absent_today().values("pk")
    )


def may_manage_absences(user: User, account: User) -> bool:
    """An absence is recorded for a jurist, the head or an expert by whoever manages the
    account: the head of the pôle, the site's administrators."""
    return account.role in ABSENT_ROLES and managed_accounts(user).filter(pk=account.pk).exists()


def replacement_candidates(account: User) -> QuerySet[User]:
    """Who may replace an absent person: another active member of the pôle (a jurist, the
    head); for an expert, also another active expert of the same direction."""
    others = Q(role__in=POLE_ROLES)
    if account.role == Role.EXPERT and account.direction_id:
        others |= Q(role=Role.EXPERT, direction_id=account.direction_id)
    return (
        User.objects.filter(others, is_active=True)
        .exclude(pk=account.pk)
        .order_by("last_name", "first_name", "username")
    )


def may_act_for_pole(user: User, case: Case) -> bool:
    """The head of the pôle always; a jurist on an unassigned case, on their own, or on a
    case of the absent jurist they replace."""
    if is_head(user):
        return True
    return (
        user.is_authenticated
        and user.is_active
        and user.role == Role.JURIST
        and (case.assigned_jurist_id in (None, user.pk) or replaces(user, case.assigned_jurist_id))
    )


def can_post_message(user: User, case: Case) -> bool:
    """The case's thread is between its referring side, the pôle and the expert it was
    given to; management and administrators read it."""
    if not can_view(user, case):
        return False
    return is_referrer(user, case) or user.role in (Role.JURIST, Role.HEAD, Role.EXPERT)


def followers(case: Case) -> QuerySet[User]:
    """The active users of the pôle who follow the case (a follower who has left the pôle
    since is told nothing more)."""
    return User.objects.filter(followed__case=case, role__in=POLE_ROLES, is_active=True)


def thread_cases(user: User) -> QuerySet[Case]:
    """The cases whose messages are addressed to the user (for the unread counts): the
    referring side's own cases, a jurist's assigned cases, every case for the head,
    the expert's given cases. Management and administrators read but are not addressed."""
    if user.is_authenticated and user.role == Role.JURIST:
        return visible_cases(user).filter(assigned_jurist_id=user.pk)
    if user.is_authenticated and user.role in (Role.MANAGEMENT, Role.ADMIN):
        return Case.objects.none()
    return visible_cases(user)


def referral_postes(user: User, keep: int | None = None) -> QuerySet[PosteComptable]:
    """The postes comptables offered for a referral: the user's active ones (and `keep`,
    the draft's own, even inactive since)."""
    return postes_for(user).filter(Q(active=True) | Q(pk=keep))


def postes_for(user: User) -> QuerySet[PosteComptable]:
    """The postes comptables a user refers cases through (inactive ones included: their
    cases stay the agents')."""
    if user.role == Role.POSTE_AGENT:
        return PosteComptable.objects.filter(pk=user.poste_comptable_id)
    if user.role == Role.DIRECTION_AGENT:
        return PosteComptable.objects.filter(direction_id=user.direction_id)
    return PosteComptable.objects.none()


def filterable_directions(user: User) -> QuerySet[Direction]:
    """Directions offered in the list filter: only those whose cases the user may see."""
    if user.role in (Role.POSTE_AGENT, Role.DIRECTION_AGENT) or (
        user.role == Role.MANAGEMENT and user.direction_id
    ):
        return Direction.objects.filter(pk=user.direction_id)
    if user.role == Role.EXPERT:
        return Direction.objects.filter(cases__assigned_expert=user).distinct()
    return Direction.objects.all()


def may_see_dashboards(user: User) -> bool:
    """The pôle's dashboards: management (national, or a direction head for their own
    direction), the head and the jurists of the pôle, administrators. Their figures count
    the cases of `visible_cases`."""
    return (
        user.is_authenticated
        and user.is_active
        and (user.role in (Role.MANAGEMENT, Role.HEAD, Role.JURIST) or _is_admin(user))
    )


def may_see_access_log(user: User) -> bool:
    """The consultation journal: the head of the pôle (for the pôle's cases) and
    administrators; nobody else, whose own accesses it records."""
    return user.is_authenticated and user.is_active and (is_head(user) or _is_admin(user))


def visible_access_log(user: User) -> QuerySet[AccessLog]:
    """The journal's rows the user may read: every row for an administrator; for the head,
    the accesses to the cases the pôle sees and the list exports (no case)."""
    if not may_see_access_log(user):
        return AccessLog.objects.none()
    if _is_admin(user):
        return AccessLog.objects.all()
    return AccessLog.objects.filter(Q(case__in=visible_cases(user)) | Q(case__isnull=True))


def get_debtor_for_user(user: User, pk: int) -> Debtor:
    """A debtor's page (cases/debtors.py): for whoever may see one of its cases; 404
    otherwise (its existence is not disclosed)."""
    debtor = Debtor.objects.filter(pk=pk).first()
    if debtor is None or not visible_cases(user).filter(debtor=debtor).exists():
        raise Http404("Redevable introuvable.")
    return debtor


def get_case_for_user(user: User, reference: str) -> Case:
    """The case if the user may see it; 404 otherwise (its existence is not disclosed)."""
    if "\x00" in reference:  # PostgreSQL refuses the query: no case has it anyway
        raise Http404("Dossier introuvable.")
    try:
        case = Case.objects.select_related(
            "direction",
            "poste_comptable",
            "action_type",
            "debtor",
            "assigned_jurist",
            "assigned_expert",
            "created_by",
        ).get(reference=reference)
    except Case.DoesNotExist:
        raise Http404("Dossier introuvable.") from None
    if not can_view(user, case):
        raise Http404("Dossier introuvable.")
    return case


def get_editable_case_for_user(user: User, reference: str) -> Case:
    """404 if the user may not see the case, 403 if they see it but may not change it."""
    case = get_case_for_user(user, reference)
    if not can_edit_referral(user, case):
        raise PermissionDenied("Ce dossier ne peut plus être modifié par vous.")
    return case


def get_case_to_add_a_piece(user: User, reference: str) -> Case:
    """404 if the user may not see the case, 403 if they may not add a piece to it."""
    case = get_case_for_user(user, reference)
    if not may_add_piece(user, case):
        raise PermissionDenied("Vous ne pouvez pas ajouter de pièce à ce dossier.")
    return case


# --- The money of a case (issue 17, « distrib ») -------------------------------------------


def may_see_sums(user: User, case: Case) -> bool:
    """The « Sommes » panel (claims recovered and remaining, costs, net recovery): whoever
    sees the case, once the pôle conducts its action (taken over, or closed after it)."""
    if not can_view(user, case):
        return False
    if case.status in TAKEN_OVER_STATUSES:
        return True
    return case.status == CaseStatus.CLOSED and (
        case.mode == Mode.PRISE_EN_CHARGE or case.recoveries.exists()
    )


# --- Accounts managed on the site (/comptes/, cases.accounts) --------------------------------

# The head of the pôle manages the pôle's accounts and those of the experts of the helping
# directions; a direction's administrator those of its agents and of its postes comptables'
# agents; the site's administrators every account (as in /admin/).
POLE_ACCOUNT_ROLES = (Role.JURIST, Role.HEAD, Role.EXPERT)
DIRECTION_ACCOUNT_ROLES = (Role.DIRECTION_AGENT, Role.POSTE_AGENT)


def is_direction_admin(user: User) -> bool:
    return (
        user.is_authenticated
        and user.is_active
        and user.role == Role.DIRECTION_ADMIN
        and user.direction_id is not None
    )


def managed_roles(user: User) -> tuple[str, ...]:
    """The roles of the accounts `user` opens, changes and disables, and may give."""
    if not user.is_authenticated or not user.is_active:
        return ()
    if _is_admin(user):
        return tuple(Role.values)
    if is_head(user):
        return POLE_ACCOUNT_ROLES
    if is_direction_admin(user):
        return DIRECTION_ACCOUNT_ROLES
    return ()


def may_manage_accounts(user: User) -> bool:
    return bool(managed_roles(user))


def managed_accounts(user: User) -> QuerySet[User]:
    roles = managed_roles(user)
    if not roles:
        return User.objects.none()
    accounts = User.objects.filter(role__in=roles)
    if is_direction_admin(user):
        accounts = accounts.filter(direction_id=user.direction_id)
    return accounts


def account_directions(user: User) -> QuerySet[Direction]:
    """The directions an account opened by `user` may belong to: the helping directions
    (the experts') for the head, its own for a direction's administrator."""
    if _is_admin(user):
        return Direction.objects.all()
    if is_head(user):
        return Direction.objects.filter(experiment_role=ExperimentRole.HELPING)
    if is_direction_admin(user):
        return Direction.objects.filter(pk=user.direction_id)
    return Direction.objects.none()


def account_postes(user: User, keep: int | None = None) -> QuerySet[PosteComptable]:
    """The postes comptables an agent's account opened by `user` may belong to: the
    active ones of `managed_postes` (and `keep`, the account's own, even inactive)."""
    return managed_postes(user).filter(Q(active=True) | Q(pk=keep))


def managed_postes(user: User) -> QuerySet[PosteComptable]:
    """The postes comptables `user` opens and deactivates (/comptes/postes/): a direction's
    administrator those of their direction, the site's administrators every one."""
    if not user.is_authenticated or not user.is_active:
        return PosteComptable.objects.none()
    if _is_admin(user):
        return PosteComptable.objects.all()
    if is_direction_admin(user):
        return PosteComptable.objects.filter(direction_id=user.direction_id)
    return PosteComptable.objects.none()


def may_manage_postes(user: User) -> bool:
    return (
        user.is_authenticated and user.is_active and (_is_admin(user) or is_direction_admin(user))
    )


def poste_directions(user: User) -> QuerySet[Direction]:
    """The directions a poste comptable opened by `user` may belong to."""
    if _is_admin(user):
        return Direction.objects.all()
    if is_direction_admin(user):
        return Direction.objects.filter(pk=user.direction_id)
    return Direction.objects.none()


def get_poste_for_manager(user: User, poste_id: int) -> PosteComptable:
    if not may_manage_postes(user):
        raise PermissionDenied("Vous ne gérez pas de postes comptables.")
    try:
        return managed_postes(user).select_related("direction").get(pk=poste_id)
    except PosteComptable.DoesNotExist:
        raise Http404("Poste comptable introuvable.") from None


def may_reset_second_factor(user: User, account: User) -> bool:
    """The head of the pôle or an administrator resets the second factor of an account
    they manage (its owner enrols a new application at the next sign-in); never their
    own, which a stolen session would otherwise take over."""
    return (
        (is_head(user) or _is_admin(user))
        and account.pk != user.pk
        and managed_accounts(user).filter(pk=account.pk).exists()
    )


def get_account_for_manager(user: User, account_id: int) -> User:
    """403 for who manages no account; 404 for an account out of their reach (its
    existence is not disclosed)."""
    if not may_manage_accounts(user):
        raise PermissionDenied("Vous ne gérez pas de comptes.")
    try:
        return (
            managed_accounts(user).select_related("direction", "poste_comptable").get(pk=account_id)
        )
    except User.DoesNotExist:
        raise Http404("Compte introuvable.") from None
