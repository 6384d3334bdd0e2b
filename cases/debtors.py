"""The debtor as one entity: a legal person by its SIREN, a natural person by its name,
first name and birth date.

A referral being written has its own debtor row (`Debtor.identity_key` NULL): what the
referring agent types there touches nobody else's case. When the referral is sent to the
pôle (`join`, called by `cases.services.submit_referral`), the case joins the entity of
that identity: the existing row when another referral named it, which the new referral's
details update (the latest known address, legal form, situation; the values replaced are
kept in a `DebtorMerge` report and the history of every case of it), or its own row,
which becomes the entity. A referral sent back for completion never edits the entity's
row: its changes go to a copy (`editable_copy`), which joins the entity again at once
(or makes a new one if the identity changed).

The managers a referral targets and the natural persons who are debtors of another case
are linked as co-obligés (`CoObligor`) on the way, both ways; the pôle links the others
(spouse, partners) on the debtor's page.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q

from . import access, history
from .enums import CLOSED_STATUSES, CoObligorKind, DebtorKind, EventKind
from .models import (
    Case,
    CaseEvent,
    Claim,
    CollectiveProceeding,
    CoObligor,
    Debtor,
    DebtorMerge,
    Decision,
    ManagerTarget,
    PropertyTarget,
    ThirdPartyHolderTarget,
    User,
)
from .selectors import pole_contact_for_referrers
from .validators import fold_name

# The details a later referral brings up to date on the entity (never blanked by it).
UPDATED_FIELDS = ("address", "residence", "marital_situation", "legal_form")
# Every field of a debtor row, as kept in a merge's report: those a referral gives.
REPORTED_FIELDS = tuple(
    f.name for f in Debtor._meta.concrete_fields if f.editable and not f.primary_key
)


def identity_key(
    kind: str, *, siren: str = "", name: str = "", first_name: str = "", birth_date=None
) -> str | None:
    """The key one debtor has whichever referral names it; None when the identity is
    incomplete (such a row stays the case's own). Pure: the merge migration uses it."""
    if kind == DebtorKind.LEGAL:
        return f"pm:{siren}" if siren else None
    if kind == DebtorKind.NATURAL and fold_name(name) and fold_name(first_name) and birth_date:
        if isinstance(birth_date, datetime.date):
            birth_date = birth_date.isoformat()
        return f"pp:{fold_name(name)}|{fold_name(first_name)}|{birth_date}"
    return None


def key_of(debtor: Debtor) -> str | None:
    return identity_key(
        debtor.kind,
        siren=debtor.siren,
        name=debtor.name,
        first_name=debtor.first_name,
        birth_date=debtor.birth_date,
    )


def reported(debtor) -> dict:
    """A debtor row's values, as a merge's report keeps them (JSON)."""
    values = {name: getattr(debtor, name) for name in REPORTED_FIELDS}
    if values["birth_date"] is not None:
        values["birth_date"] = values["birth_date"].isoformat()
    return values


def bring_up_to_date(entity, incoming) -> dict:
    """Copy onto `entity` the details `incoming` gives that differ (a blank one never
    erases); returns what changed, field -> [before, after]. Pure: the migration uses it."""
    changed = {}
    for name in UPDATED_FIELDS:
        new = getattr(incoming, name)
        old = getattr(entity, name)
        if new and new != old:
            changed[name] = [old, new]
            setattr(entity, name, new)
    return changed


# --- A referral being written, a referral sent --------------------------------------------


def editable_copy(debtor: Debtor) -> Debtor:
    """The row a referral's debtor form may write (`debtor` holds the form's values, not
    saved yet): its own. An entity is never edited from one referral: the form's values
    go to a new row, which joins the entity again when the referral is sent (or at once
    for one already sent: `ReferralForms.save`), or makes a new one if the identity
    changed; the entity and its links stay as they were."""
    if debtor.pk is not None and debtor.identity_key is not None:
        debtor.pk = None
        debtor._state.adding = True
        debtor.identity_key = None
    return debtor


def join(user: User, case: Case) -> Debtor:
    """On sending a referral: the case joins its debtor's entity (in the caller's
    transaction). Returns the entity, or the case's own row when its identity is
    incomplete."""
    own = case.debtor
    key = key_of(own)
    if key is None or own.identity_key == key:
        return own
    entity = Debtor.objects.select_for_update().filter(identity_key=key).first()
    if entity is None:
        own.identity_key = key
        try:
            with transaction.atomic():
                own.save(update_fields=["identity_key"])
        except IntegrityError:  # another referral made the entity meanwhile
            own.identity_key = None
            entity = Debtor.objects.select_for_update().get(identity_key=key)
        else:
            link_managers(user, case, own)
            return own
    others = list(Case.objects.filter(debtor=entity).exclude(status__in=CLOSED_STATUSES))
    changed = bring_up_to_date(entity, own)
    labels = [Debtor._meta.get_field(name).verbose_name for name in changed]
    if changed:
        entity.save()
        for other in others:  # their documents read the same row: each is told
            CaseEvent.record(
                other,
                user,
                EventKind.UPDATED,
                history.debtor_updated_by(case, labels),
                data={"debtor": entity.pk, "changed": changed, "by_case": case.reference},
            )
    DebtorMerge.objects.create(
        kept=entity,
        merged_pk=own.pk,
        values=reported(own),
        changed=changed,
        cases=[case.reference],
        source="referral",
    )
    case.debtor = entity
    case.save(update_fields=["debtor"])
    # The row left behind: a draft's or an edit's own, never an entity (links, reports).
    if not (
        Case.objects.filter(debtor_id=own.pk).exists()
        or CoObligor.objects.filter(Q(debtor_id=own.pk) | Q(co_obligor_id=own.pk)).exists()
        or DebtorMerge.objects.filter(kept_id=own.pk).exists()
    ):
        own.delete()
    CaseEvent.record(
        case,
        user,
        EventKind.UPDATED,
        history.debtor_joined(len(others), labels),
        data={"debtor": entity.pk, "changed": changed},
    )
    link_managers(user, case, entity)
    return entity


def link_managers(user: User | None, case: Case, entity: Debtor) -> None:
    """The co-obligés a sent referral shows: each manager it targets who is the debtor of
    a case of the pôle; and, for a natural person, the companies whose referral targets
    them as manager."""
    for manager in case.managers.all():
        key = identity_key(
            DebtorKind.NATURAL,
            name=manager.last_name,
            first_name=manager.first_name,
            birth_date=manager.birth_date,
        )
        person = Debtor.objects.filter(identity_key=key).first() if key else None
        if person is not None and person.pk != entity.pk:
            _link(user, entity, person, CoObligorKind.MANAGER, manager.function)
    if entity.kind != DebtorKind.NATURAL or entity.birth_date is None:
        return
    targeting = ManagerTarget.objects.filter(
        birth_date=entity.birth_date, case__debtor__identity_key__isnull=False
    ).select_related("case__debtor")
    for manager in targeting:
        key = identity_key(
            DebtorKind.NATURAL,
            name=manager.last_name,
            first_name=manager.first_name,
            birth_date=manager.birth_date,
        )
        company = manager.case.debtor
        if key == entity.identity_key and company.pk != entity.pk:
            _link(user, company, entity, CoObligorKind.MANAGER, manager.function)


def _link(user, debtor: Debtor, co_obligor: Debtor, kind: str, basis: str = "") -> CoObligor:
    link, _ = CoObligor.objects.get_or_create(
        debtor=debtor,
        co_obligor=co_obligor,
        kind=kind,
        defaults={"basis": basis[:300], "created_by": user},
    )
    return link


# --- The co-obligés the pôle links --------------------------------------------------------


def link_from_form(user: User, debtor: Debtor, fields: dict) -> CoObligor:
    """A link asked on the debtor's page or through the API (`CoObligorForm`'s cleaned
    data): the other debtor is the co-obligé of this one, or the reverse."""
    other = fields["other"]
    one, two = (debtor, other) if fields["direction"] == "co_obligor" else (other, debtor)
    return add_co_obligor(user, one, two, fields["kind"], fields["basis"])


@transaction.atomic
def add_co_obligor(user: User, debtor: Debtor, co_obligor: Debtor, kind: str, basis: str):
    if not access.may_link_co_obligors(user):
        raise PermissionDenied("Seul le pôle relie des co-obligés.")
    if co_obligor.pk == debtor.pk:
        raise ValidationError({"other": "Un redevable n'est pas son propre co-obligé."})
    if CoObligor.objects.filter(debtor=debtor, co_obligor=co_obligor, kind=kind).exists():
        raise ValidationError({"other": "Ce lien entre ces deux redevables existe déjà."})
    return _link(user, debtor, co_obligor, kind, basis.strip())


@transaction.atomic
def remove_co_obligor(user: User, link: CoObligor) -> None:
    if not access.may_link_co_obligors(user):
        raise PermissionDenied("Seul le pôle relie des co-obligés.")
    link.delete()


def find_entity(*, siren: str = "", name: str = "", first_name: str = "", birth_date=None):
    """The entity of a SIREN, or of a natural person's identity; None when the pôle has
    no sent case of it."""
    if siren:
        key = identity_key(DebtorKind.LEGAL, siren=siren)
    else:
        key = identity_key(
            DebtorKind.NATURAL, name=name, first_name=first_name, birth_date=birth_date
        )
    return Debtor.objects.filter(identity_key=key).first() if key else None


# --- The debtor's page ----------------------------------------------------------------------


@dataclass(frozen=True)
class CoObligorLine:
    """One co-obligé as a user is shown it: `other` None when they may not be told who it
    is (`access.co_obligors_named`), `viewable` when they may open its page."""

    other: Debtor | None
    role: str  # what the other is to this debtor, or this debtor to the other
    basis: str
    link: CoObligor
    viewable: bool


@dataclass(frozen=True)
class DebtorView:
    """What one user is shown of a debtor: the cases of it they may see, with their claims,
    targets and decisions; only how many others the pôle has (and whom to ask), as the
    duplicate warning does; its collective proceedings, which the BODACC makes public; its
    co-obligés."""

    debtor: Debtor
    cases: list[Case]
    others: int
    contact: str
    claims: list
    properties: list
    managers: list
    holders: list
    decisions: list
    proceedings: list
    co_obligors: list[CoObligorLine]

    @property
    def total_remaining(self):
        return sum((case.total_remaining or 0) for case in self.cases)


def debtor_view(user: User, debtor: Debtor) -> DebtorView:
    seen = list(
        access.visible_cases(user)
        .filter(debtor=debtor)
        .with_amounts()
        .select_related("direction", "action_type")
        .order_by("-created_at")
    )
    ids = [case.pk for case in seen]
    others = (
        Case.objects.filter(debtor=debtor)
        .exclude(status__in=access.NEVER_SENT)
        .exclude(pk__in=ids)
        .count()
    )

    def of_cases(model, *order):
        return list(model.objects.filter(case__in=ids).select_related("case").order_by(*order))

    return DebtorView(
        debtor=debtor,
        cases=seen,
        others=others,
        contact=pole_contact_for_referrers() if others else "",
        claims=of_cases(Claim, "case__reference", "assessment_date", "pk"),
        properties=of_cases(PropertyTarget, "case__reference", "pk"),
        managers=of_cases(ManagerTarget, "case__reference", "pk"),
        holders=of_cases(ThirdPartyHolderTarget, "case__reference", "pk"),
        decisions=of_cases(Decision, "-decided_on", "-pk"),
        proceedings=list(
            CollectiveProceeding.objects.filter(case__debtor=debtor)
            .select_related("case")
            .order_by("-opened_on", "-pk")
        ),
        co_obligors=co_obligor_lines(user, debtor),
    )


@dataclass(frozen=True)
class CaseDebtor:
    """What a case page says of its debtor's entity: how many other cases of it the pôle
    has (sent), and its co-obligés."""

    others: int
    co_obligors: list[CoObligorLine]


def case_debtor(user: User, case: Case) -> CaseDebtor | None:
    if case.debtor.identity_key is None:  # a draft's own row: the duplicate warning speaks
        return None
    others = (
        Case.objects.filter(debtor_id=case.debtor_id)
        .exclude(status__in=access.NEVER_SENT)
        .exclude(pk=case.pk)
        .count()
    )
    return CaseDebtor(others=others, co_obligors=co_obligor_lines(user, case.debtor))


def co_obligor_lines(user: User, debtor: Debtor) -> list[CoObligorLine]:
    """Both ways: those bound to this debtor's debts, and the debtors this one is bound
    to (the company whose manager it is)."""
    links = list(
        CoObligor.objects.filter(Q(debtor=debtor) | Q(co_obligor=debtor)).select_related(
            "debtor", "co_obligor"
        )
    )
    others = {
        link.co_obligor_id if link.debtor_id == debtor.pk else link.debtor_id for link in links
    }
    seen = (
        set(
            access.visible_cases(user).filter(debtor__in=others).values_list("debtor_id", flat=True)
        )
        if others
        else set()
    )
    named = access.co_obligors_named(user, others, seen)
    lines = []
    for link in sorted(links, key=lambda link: (link.kind, link.pk)):
        if link.debtor_id == debtor.pk:
            other, role = link.co_obligor, CoObligorKind(link.kind).label
        else:
            other, role = link.debtor, OBLIGED_TOWARDS[link.kind]
        told = other.pk in named
        lines.append(
            CoObligorLine(
                other=other if told else None,
                role=role,
                basis=link.basis if told else "",
                link=link,
                viewable=other.pk in seen,
            )
        )
    return lines


# What this debtor is to the other when it is the co-obligé (the company's page says « Dirigeant
# (LPF L.267) » of its manager; the manager's page says of the company:)
OBLIGED_TOWARDS = {
    CoObligorKind.SPOUSE: "Conjoint ou partenaire de PACS de ce redevable (CGI 1691 bis)",
    CoObligorKind.PARTNER: "Société dont ce redevable est associé tenu des dettes sociales",
    CoObligorKind.MANAGER: "Société dont ce redevable est dirigeant (LPF L.267)",
}
