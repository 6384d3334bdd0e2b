"""The absences of a jurist, the head or an expert and who replaces them
(/comptes/<id>/absences/): recorded and ended by whoever manages the account
(`cases.access.may_manage_absences`), each one transaction with its line in the accounts'
journal; an absence that runs to its last day gets its line the next morning, written by
the daily task (`record_lapsed`). What an absence changes (the queue,
the notifications, intake duty, assignment) is `cases.access`'s.

Two absences of one person never overlap: the person's row is locked (SELECT … FOR
UPDATE, which SQLite's single writer makes moot) while the others are read, so that two
managers recording at once cannot both succeed; PostgreSQL's exclusion constraint
(migration 0037) refuses it again."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from . import access
from .accounts import AccountError, record
from .enums import AccountChangeKind
from .formatting import person_name
from .models import Absence, User

OVERLAP = (
    "{name} a déjà une absence du {start} au {end} qui chevauche ces dates : "
    "modifiez les dates, ou terminez d'abord cette absence."
)


def _day(value: datetime.date) -> str:
    return value.strftime("%d/%m/%Y")


def _check(actor: User, person: User) -> None:
    if not access.may_manage_absences(actor, person):
        raise PermissionDenied("Vous ne pouvez pas gérer les absences de ce compte.")


@transaction.atomic
def record_absence(
    actor: User,
    person: User,
    *,
    starts_on: datetime.date,
    ends_on: datetime.date,
    replacement: User,
) -> Absence:
    _check(actor, person)
    person = User.objects.select_for_update().get(pk=person.pk)
    if ends_on < starts_on:
        raise AccountError("La date de fin doit être égale ou postérieure à la date de début.")
    if ends_on < timezone.localdate():
        raise AccountError("Cette absence est déjà passée : la date de fin est avant aujourd'hui.")
    if not access.replacement_candidates(person).filter(pk=replacement.pk).exists():
        raise AccountError("Choisissez comme remplaçant un autre membre actif du pôle.")
    clash = (
        Absence.objects.filter(
            person=person, ended_at__isnull=True, starts_on__lte=ends_on, ends_on__gte=starts_on
        )
        .order_by("starts_on")
        .first()
    )
    name = person_name(person)
    if clash is not None:
        raise AccountError(
            OVERLAP.format(name=name, start=_day(clash.starts_on), end=_day(clash.ends_on))
        )
    # The replacement must be there: not away themselves at these dates. And whom the
    # absent jurist replaces meanwhile would be left with nobody.
    during = {"ended_at__isnull": True, "starts_on__lte": ends_on, "ends_on__gte": starts_on}
    away = Absence.objects.filter(person=replacement, **during).order_by("starts_on").first()
    if away is not None:
        raise AccountError(
            f"{person_name(replacement)} est absent du {_day(away.starts_on)} au "
            f"{_day(away.ends_on)} : choisissez un autre remplaçant."
        )
    covering = Absence.objects.filter(replacement=person, **during).order_by("starts_on").first()
    if covering is not None:
        raise AccountError(
            f"{name} remplace {person_name(covering.person)} du {_day(covering.starts_on)} au "
            f"{_day(covering.ends_on)} : nommez d'abord un autre remplaçant pour cette "
            "absence-là (terminez-la et enregistrez-la de nouveau)."
        )
    try:
        with transaction.atomic():
            absence = Absence.objects.create(
                person=person,
                replacement=replacement,
                starts_on=starts_on,
                ends_on=ends_on,
                created_by=actor,
            )
    except IntegrityError:  # the exclusion constraint (a row committed meanwhile)
        raise AccountError(
            f"{name} a déjà une absence qui chevauche ces dates : rechargez la page."
        ) from None
    record(
        actor,
        person,
        AccountChangeKind.ABSENCE_ON,
        f"Absence de {name} du {_day(starts_on)} au {_day(ends_on)}, "
        f"remplacé par {person_name(replacement)}",
        absence=absence.pk,
        starts_on=starts_on.isoformat(),
        ends_on=ends_on.isoformat(),
        replacement=replacement.username,
    )
    return absence


@transaction.atomic
def end_absence(actor: User, absence: Absence) -> Absence:
    """End an absence now (the jurist is back) or cancel one not begun."""
    _check(actor, absence.person)
    User.objects.select_for_update().get(pk=absence.person_id)
    absence = Absence.objects.select_for_update().get(pk=absence.pk)
    if absence.is_over():
        raise AccountError("Cette absence est déjà terminée.")
    absence.ended_at = timezone.now()
    absence.ended_by = actor
    absence.save(update_fields=["ended_at", "ended_by"])
    name = person_name(absence.person)
    begun = absence.starts_on <= timezone.localdate()
    what = "terminée" if begun else "annulée"
    record(
        actor,
        absence.person,
        AccountChangeKind.ABSENCE_OFF,
        f"Absence de {name} du {_day(absence.starts_on)} au {_day(absence.ends_on)} {what}",
        absence=absence.pk,
    )
    return absence


def record_lapsed(today: datetime.date | None = None) -> int:
    """Write in the accounts' journal the end of each absence that ran to its last day
    (not ended before), once: the daily task calls it every morning, a missed morning is
    caught up the next. Each absence in its own transaction, under its row's lock, so that
    two workers never write a line twice. Returns how many were recorded."""
    today = today or timezone.localdate()
    lapsed = Absence.objects.filter(
        ended_at__isnull=True, lapse_recorded_at__isnull=True, ends_on__lt=today
    ).values_list("pk", flat=True)
    done = 0
    for pk in list(lapsed):
        with transaction.atomic():
            absence = (
                Absence.objects.select_for_update()
                .select_related("person", "replacement")
                .filter(pk=pk, ended_at__isnull=True, lapse_recorded_at__isnull=True)
                .first()
            )
            if absence is None:
                continue
            absence.lapse_recorded_at = timezone.now()
            absence.save(update_fields=["lapse_recorded_at"])
            record(
                None,
                absence.person,
                AccountChangeKind.ABSENCE_OFF,
                f"Absence de {person_name(absence.person)} du {_day(absence.starts_on)} au "
                f"{_day(absence.ends_on)} arrivée à son terme : fin du remplacement par "
                f"{person_name(absence.replacement)}",
                absence=absence.pk,
                lapsed=True,
            )
            done += 1
    return done
