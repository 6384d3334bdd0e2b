"""Accounts opened, changed and disabled on the site (/comptes/), without the admin: each
operation one transaction with its lines in the accounts' journal (`AccountChange`). Who
may manage which account is `cases.access`'s (`managed_roles`, `managed_accounts`); this
module checks it again on what it is given, so that no caller can give a role beyond it.

The pôle always keeps an active head: the last one can be neither disabled nor given
another role (by themselves or anyone). The heads' rows are locked while this is counted,
so that two heads who demote each other at the same time cannot both succeed."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.crypto import get_random_string
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import access
from .enums import AccountChangeKind, Role
from .formatting import actor_label, person_name
from .models import AccountChange, Direction, PosteComptable, User

LAST_HEAD = (
    "Le pôle doit garder au moins un chef actif : nommez d'abord un autre chef du pôle, "
    "puis recommencez."
)


class AccountError(Exception):
    """A change refused, with a French message saying what to do."""


@dataclass
class AccountData:
    """What a manager sets on an account (the form's cleaned data)."""

    username: str
    first_name: str
    last_name: str
    email: str
    role: str
    direction: Direction | None = None
    poste_comptable: PosteComptable | None = None
    is_active: bool = True
    intake_duty: bool = False


def _intake_permission() -> Permission:
    return Permission.objects.get(
        codename=access.INTAKE_CODENAME, content_type__app_label=access.INTAKE_APP
    )


def on_intake_duty(account: User) -> bool:
    return access.on_intake_duty().filter(pk=account.pk).exists()


BY_THE_APPLICATION = "PNSR (automatiquement)"


def record(
    actor: User | None,
    account: User | None,
    kind: str,
    summary: str,
    *,
    poste: PosteComptable | None = None,
    **data,
) -> AccountChange:
    """A line of the accounts' journal, about an account or a poste comptable; `actor`
    None for what the application records by itself."""
    return AccountChange.objects.create(
        actor=actor,
        actor_label=actor_label(actor) if actor is not None else BY_THE_APPLICATION,
        account=account,
        poste_comptable=poste,
        kind=kind,
        summary=summary[:300],
        data=data,
    )


def _check_reach(actor: User, data: AccountData, account: User | None = None) -> None:
    if data.role not in access.managed_roles(actor):
        raise PermissionDenied("Vous ne pouvez pas donner ce rôle.")
    if data.direction and not access.account_directions(actor).filter(pk=data.direction.pk):
        raise PermissionDenied("Vous ne pouvez pas rattacher un compte à cette direction.")
    kept = account.poste_comptable_id if account is not None else None
    postes = access.account_postes(actor, keep=kept)
    if data.poste_comptable and not postes.filter(pk=data.poste_comptable.pk):
        raise PermissionDenied("Vous ne pouvez pas rattacher un compte à ce poste comptable.")


def _attachment(data: AccountData) -> tuple[Direction | None, PosteComptable | None]:
    """The direction and poste an account of this role keeps: a poste's agent belongs to
    its poste's direction; the pôle's members to none."""
    if data.role == Role.POSTE_AGENT and data.poste_comptable:
        return data.poste_comptable.direction, data.poste_comptable
    if data.role in (Role.JURIST, Role.HEAD):
        return None, None
    return data.direction, None


def _set_intake(actor: User, account: User, wanted: bool) -> None:
    """Intake duty is the permission given to the account itself (a group's stays the
    group's: /admin/); an account that leaves the jurists or is disabled leaves it."""
    wanted = wanted and account.role == Role.JURIST and account.is_active
    permission = _intake_permission()
    if wanted == account.user_permissions.filter(pk=permission.pk).exists():
        return
    name = person_name(account)
    if wanted:
        account.user_permissions.add(permission)
        record(actor, account, AccountChangeKind.INTAKE_ON, f"{name} mis de permanence d'accueil")
    else:
        account.user_permissions.remove(permission)
        record(
            actor,
            account,
            AccountChangeKind.INTAKE_OFF,
            f"{name} retiré de la permanence d'accueil",
        )


def _lock_heads() -> set[int]:
    """The active heads, their rows locked in one order (two changes wait for each other
    rather than deadlock)."""
    heads = User.objects.select_for_update().filter(role=Role.HEAD, is_active=True)
    return set(heads.order_by("pk").values_list("pk", flat=True))


def _keep_a_head(account: User, data: AccountData, heads: set[int]) -> None:
    if account.role != Role.HEAD or (data.role == Role.HEAD and data.is_active):
        return
    if heads <= {account.pk}:
        raise AccountError(LAST_HEAD)


def _validate(account: User) -> None:
    try:
        account.full_clean(exclude=["password"])
    except ValidationError as error:
        raise AccountError(" ".join(error.messages)) from None


@transaction.atomic
def open_account(actor: User, data: AccountData) -> User:
    """A new account. It has no password anyone knows: its owner signs in through
    ProConnect, or chooses one with « Mot de passe oublié »."""
    _check_reach(actor, data)
    direction, poste = _attachment(data)
    account = User(
        username=data.username,
        first_name=data.first_name,
        last_name=data.last_name,
        email=data.email,
        role=data.role,
        direction=direction,
        poste_comptable=poste,
        is_active=data.is_active,
    )
    account.set_password(get_random_string(40))
    _validate(account)
    account.save()
    record(
        actor,
        account,
        AccountChangeKind.CREATED,
        f"Compte de {person_name(account)} ouvert ({account.get_role_display()}"
        + (f", {poste or direction}" if poste or direction else "")
        + ")",
        role=account.role,
        direction=direction.code if direction else None,
        poste_comptable=poste.codique if poste else None,
    )
    _set_intake(actor, account, data.intake_duty)
    return account


@transaction.atomic
def change_account(actor: User, account: User, data: AccountData) -> User:
    """Apply a manager's changes to an account, one journal line per kind of change."""
    heads = _lock_heads() if account.role == Role.HEAD else set()
    account = access.managed_accounts(actor).select_for_update().get(pk=account.pk)
    if account.role == Role.HEAD and not heads:  # became a head meanwhile
        heads = _lock_heads()
    _check_reach(actor, data, account)
    _keep_a_head(account, data, heads)
    direction, poste = _attachment(data)
    before = {
        "first_name": account.first_name,
        "last_name": account.last_name,
        "email": account.email,
        "role": account.role,
        "direction": account.direction.code if account.direction else None,
        "poste_comptable": account.poste_comptable.codique if account.poste_comptable else None,
        "is_active": account.is_active,
    }
    account.first_name, account.last_name, account.email = (
        data.first_name,
        data.last_name,
        data.email,
    )
    account.role, account.direction, account.poste_comptable = data.role, direction, poste
    account.is_active = data.is_active
    _validate(account)
    account.save()
    after = {
        "first_name": account.first_name,
        "last_name": account.last_name,
        "email": account.email,
        "role": account.role,
        "direction": direction.code if direction else None,
        "poste_comptable": poste.codique if poste else None,
        "is_active": account.is_active,
    }
    changed = {key: [before[key], after[key]] for key in before if before[key] != after[key]}
    name = person_name(account)
    identity = {k: v for k, v in changed.items() if k in ("first_name", "last_name", "email")}
    if identity:
        record(
            actor,
            account,
            AccountChangeKind.IDENTITY,
            f"Nom ou adresse de {name} modifiés",
            **identity,
        )
    role = {k: v for k, v in changed.items() if k in ("role", "direction", "poste_comptable")}
    if role:
        record(
            actor,
            account,
            AccountChangeKind.ROLE,
            f"{name} : {Role(before['role']).label} → {account.get_role_display()}"
            + (f" ({poste or direction})" if poste or direction else ""),
            **role,
        )
    if "is_active" in changed:
        if account.is_active:
            record(actor, account, AccountChangeKind.ENABLED, f"Compte de {name} réactivé")
        else:
            record(actor, account, AccountChangeKind.DISABLED, f"Compte de {name} désactivé")
    _set_intake(actor, account, data.intake_duty)
    return account


@transaction.atomic
def reset_second_factor(actor: User, account: User) -> int:
    """Remove the account's authenticator applications (lost, changed phone): its owner
    enrols a new one at the next sign-in (pnsr.mfa), and a session of theirs verified with
    the old one is asked again. The number of applications removed."""
    if not access.may_reset_second_factor(actor, account):
        raise PermissionDenied("Vous ne pouvez pas réinitialiser le second facteur de ce compte.")
    account = User.objects.select_for_update().get(pk=account.pk)
    removed, _ = TOTPDevice.objects.filter(user=account).delete()
    record(
        actor,
        account,
        AccountChangeKind.SECOND_FACTOR_RESET,
        f"Second facteur de {person_name(account)} réinitialisé "
        "(nouvelle application à enregistrer à la prochaine connexion)",
        devices=removed,
    )
    return removed
