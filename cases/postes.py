"""The postes comptables managed on the site (/comptes/postes/): a direction's
administrator opens and deactivates its direction's, the site's administrators any
(`cases.access.managed_postes`); each change one transaction with its line in the accounts'
journal. An inactive poste keeps its cases and agents but is offered for no new referral
and no new account (`cases.access.referral_postes`, `account_postes`)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from . import access
from .accounts import AccountError, record
from .enums import AccountChangeKind
from .models import Direction, PosteComptable, User


@dataclass
class PosteData:
    direction: Direction
    name: str
    kind: str
    codique: str
    mailbox: str


@transaction.atomic
def open_poste(actor: User, data: PosteData) -> PosteComptable:
    if not access.may_manage_postes(actor):
        raise PermissionDenied("Vous ne gérez pas de postes comptables.")
    if not access.poste_directions(actor).filter(pk=data.direction.pk).exists():
        raise PermissionDenied("Vous ne pouvez pas créer de poste dans cette direction.")
    poste = PosteComptable(
        direction=data.direction,
        name=data.name,
        kind=data.kind,
        codique=data.codique,
        mailbox=data.mailbox,
    )
    try:
        poste.full_clean()
    except ValidationError as error:
        raise AccountError(" ".join(error.messages)) from None
    poste.save()
    record(
        actor,
        None,
        AccountChangeKind.POSTE_CREATED,
        f"Poste comptable « {poste.name} » ({poste.codique}, {poste.direction}) créé",
        poste=poste,
        codique=poste.codique,
        direction=poste.direction.code,
    )
    return poste


@transaction.atomic
def set_active(actor: User, poste: PosteComptable, active: bool) -> PosteComptable:
    """Deactivate (or reactivate) a poste; nothing if it already is."""
    poste = access.managed_postes(actor).select_for_update().filter(pk=poste.pk).first()
    if poste is None:
        raise PermissionDenied("Vous ne gérez pas ce poste comptable.")
    if poste.active == active:
        return poste
    poste.active = active
    poste.save(update_fields=["active"])
    if active:
        kind, what = AccountChangeKind.POSTE_REACTIVATED, "réactivé"
    else:
        kind, what = AccountChangeKind.POSTE_DEACTIVATED, "désactivé"
    record(
        actor,
        None,
        kind,
        f"Poste comptable « {poste.name} » ({poste.codique}) {what}",
        poste=poste,
        codique=poste.codique,
    )
    return poste
