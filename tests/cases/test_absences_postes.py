"""Account management without the admin, its remaining parts (issue 23): a jurist's
absences and their replacement (/comptes/<id>/absences/), the postes comptables
(/comptes/postes/), the reset of an account's second factor. Each by the people the issue
names, refused to the others; each in the accounts' journal; bad input refused in French
with nothing saved."""

import datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases import absences, access, accounts
from cases.enums import AccountChangeKind, PosteKind, Role
from cases.forms import CaseForm
from cases.models import Absence, AccountChange, Direction, PosteComptable, User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def day(offset: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=offset)


def absences_url(account) -> str:
    return reverse("accounts:absences", args=[account.pk])


def period(start: int, end: int, replacement) -> dict:
    return {
        "starts_on": day(start).isoformat(),
        "ends_on": day(end).isoformat(),
        "replacement": replacement.pk,
    }


@pytest.fixture
def direction_admin(db):
    return UserFactory(
        username="admin.d02",
        role=Role.DIRECTION_ADMIN,
        direction=Direction.objects.get(code="DDFIP 02"),
    )


# --- Absences ----------------------------------------------------------------------------------


@pytest.mark.parametrize("manager", ["head", "admin"])
def test_the_head_or_an_administrator_records_an_absence_and_its_replacement(
    client, users, manager
):
    jurist, replacement = users["jurist"], users["other_jurist"]
    client.force_login(users[manager])
    page = client.get(absences_url(jurist))
    assert page.status_code == 200
    assert "Enregistrer une absence" in page.content.decode()
    response = client.post(absences_url(jurist), period(14, 20, replacement))
    assert response.status_code == 302
    absence = Absence.objects.get()
    assert (absence.person, absence.replacement) == (jurist, replacement)
    assert (absence.starts_on, absence.ends_on) == (day(14), day(20))
    line = AccountChange.objects.get(kind=AccountChangeKind.ABSENCE_ON)
    assert line.account == jurist and line.actor == users[manager]
    assert f"remplacé par {replacement}" in line.summary
    listing = client.get(absences_url(jurist)).content.decode()
    assert day(14).strftime("%d/%m/%Y") in listing and "À venir" in listing
    assert (
        "Absences et remplacement"
        in client.get(reverse("accounts:detail", args=[jurist.pk])).content.decode()
    )


@pytest.mark.parametrize(
    "role",
    ["jurist", "other_jurist", "expert", "poste_agent", "direction_agent", "management"],
)
def test_absences_are_refused_to_who_does_not_manage_the_jurist(client, users, role):
    client.force_login(users[role])
    jurist = users["jurist"] if role != "jurist" else users["other_jurist"]
    assert client.get(absences_url(jurist)).status_code == 403
    response = client.post(absences_url(users["jurist"]), period(1, 3, users["head"]))
    assert response.status_code == 403
    assert not Absence.objects.exists()
    assert not AccountChange.objects.exists()


def test_a_direction_administrator_records_no_absence_of_a_jurist(client, users, direction_admin):
    client.force_login(direction_admin)
    response = client.post(absences_url(users["jurist"]), period(1, 3, users["other_jurist"]))
    assert response.status_code == 404  # out of their reach: not disclosed
    agent = users["direction_agent"]
    assert client.get(absences_url(agent)).status_code == 403  # not a jurist
    assert not Absence.objects.exists()


def test_the_head_records_an_experts_absence_replaced_by_an_expert_of_the_same_direction(
    client, users
):
    expert = users["expert"]
    colleague = UserFactory(username="expert.d30.b", role=Role.EXPERT, direction=expert.direction)
    elsewhere = UserFactory(
        username="expert.d67",
        role=Role.EXPERT,
        direction=Direction.objects.exclude(pk=expert.direction_id).first(),
    )
    client.force_login(users["head"])
    page = client.get(absences_url(expert)).content.decode()
    assert f'value="{colleague.pk}"' in page and f'value="{elsewhere.pk}"' not in page
    # An expert of another direction is refused, in French, nothing saved.
    refused = client.post(absences_url(expert), period(0, 3, elsewhere)).content.decode()
    assert "Choisissez comme remplaçant un autre membre actif du pôle" in refused
    assert not Absence.objects.exists()
    assert client.post(absences_url(expert), period(0, 3, colleague)).status_code == 302
    assert access.is_absent(expert)
    assert AccountChange.objects.get(kind=AccountChangeKind.ABSENCE_ON).account == expert


def test_the_heads_own_absence_hands_over_the_cases_not_the_role(client, users):
    head = users["head"]
    absences.record_absence(
        head, head, starts_on=day(0), ends_on=day(2), replacement=users["jurist"]
    )
    assert access.replaces(users["jurist"], head.pk)
    assert not access.is_head(users["jurist"])


def test_a_direction_agents_absence_is_not_recorded(client, users):
    client.force_login(users["admin"])  # who manages every account
    assert client.get(absences_url(users["direction_agent"])).status_code == 403
    assert not access.may_manage_absences(users["admin"], users["direction_agent"])


def test_overlapping_absences_are_refused_in_french(client, users):
    jurist = users["jurist"]
    absences.record_absence(
        users["head"], jurist, starts_on=day(10), ends_on=day(20), replacement=users["head"]
    )
    client.force_login(users["head"])
    for start, end in [(15, 25), (5, 10), (20, 20), (0, 30)]:
        response = client.post(absences_url(jurist), period(start, end, users["other_jurist"]))
        assert response.status_code == 422, (start, end)
        page = response.content.decode()
        assert "a déjà une absence du" in page and "qui chevauche ces dates" in page
    assert Absence.objects.count() == 1
    assert AccountChange.objects.filter(kind=AccountChangeKind.ABSENCE_ON).count() == 1
    # Next to it (the day after its end) is fine; and another jurist's at the same dates.
    assert client.post(absences_url(jurist), period(21, 22, users["head"])).status_code == 302
    other = users["other_jurist"]
    assert client.post(absences_url(other), period(10, 20, users["head"])).status_code == 302


def test_an_end_before_the_start_is_refused_in_french(client, users):
    client.force_login(users["head"])
    response = client.post(absences_url(users["jurist"]), period(10, 9, users["other_jurist"]))
    assert response.status_code == 422
    assert "Le dernier jour d&#x27;absence doit être le premier jour ou après." in (
        response.content.decode()
    )
    assert not Absence.objects.exists()


def test_a_past_absence_an_unknown_replacement_and_empty_dates_are_refused(client, users):
    client.force_login(users["head"])
    url = absences_url(users["jurist"])
    page = client.post(url, period(-10, -5, users["other_jurist"])).content.decode()
    assert "Cette absence est déjà passée" in page
    page = client.post(url, period(1, 2, users["jurist"])).content.decode()
    assert "Choisissez comme remplaçant un autre membre actif du pôle." in page
    page = client.post(url, period(1, 2, users["poste_agent"])).content.decode()
    assert "Choisissez comme remplaçant un autre membre actif du pôle." in page
    page = client.post(url, {"starts_on": "", "ends_on": "", "replacement": ""}).content.decode()
    assert "Indiquez le premier jour d&#x27;absence." in page
    assert "Choisissez le remplaçant." in page
    assert not Absence.objects.exists()


def test_ending_an_absence_is_journalled_and_frees_its_dates(client, users):
    jurist = users["jurist"]
    current = absences.record_absence(
        users["head"], jurist, starts_on=day(0), ends_on=day(10), replacement=users["head"]
    )
    assert access.is_absent(jurist)
    client.force_login(users["head"])
    response = client.post(reverse("accounts:absence_end", args=[jurist.pk, current.pk]))
    assert response.status_code == 302
    current.refresh_from_db()
    assert current.ended_at is not None and current.ended_by == users["head"]
    assert not access.is_absent(jurist)
    line = AccountChange.objects.get(kind=AccountChangeKind.ABSENCE_OFF)
    assert line.account == jurist and line.summary.endswith("terminée")
    # Ended twice: a French message, no second line.
    client.post(reverse("accounts:absence_end", args=[jurist.pk, current.pk]), follow=True)
    assert AccountChange.objects.filter(kind=AccountChangeKind.ABSENCE_OFF).count() == 1
    # The dates are free again.
    assert client.post(absences_url(jurist), period(2, 5, users["other_jurist"])).status_code == 302


def test_a_jurist_may_not_end_their_own_absence(client, users):
    absence = absences.record_absence(
        users["head"], users["jurist"], starts_on=day(0), ends_on=day(3), replacement=users["head"]
    )
    client.force_login(users["jurist"])
    url = reverse("accounts:absence_end", args=[users["jurist"].pk, absence.pk])
    assert client.post(url).status_code == 403
    absence.refresh_from_db()
    assert absence.ended_at is None


def test_the_database_refuses_an_end_before_the_start(users):
    with pytest.raises(IntegrityError), transaction.atomic():
        Absence.objects.create(
            person=users["jurist"],
            replacement=users["head"],
            starts_on=day(5),
            ends_on=day(4),
            created_by=users["head"],
        )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's exclusion constraint")
def test_postgresql_refuses_overlapping_absences_written_behind_the_application(users):
    values = {"person": users["jurist"], "replacement": users["head"], "created_by": users["head"]}
    Absence.objects.create(starts_on=day(1), ends_on=day(10), **values)
    with pytest.raises(IntegrityError), transaction.atomic():
        Absence.objects.create(starts_on=day(10), ends_on=day(12), **values)
    Absence.objects.create(starts_on=day(11), ends_on=day(12), **values)  # the day after: fine


# --- Postes comptables -------------------------------------------------------------------------

POSTES = reverse("accounts:postes")


def new_poste(direction, **extra) -> dict:
    return {
        "direction": direction.pk,
        "name": "SIE de Chauny",
        "kind": PosteKind.SIE,
        "codique": "002099",
        "mailbox": "sie.chauny@dgfip.finances.gouv.fr",
        **extra,
    }


def test_a_direction_administrator_lists_creates_and_deactivates_its_postes(
    client, users, direction_admin
):
    d02, d67 = Direction.objects.get(code="DDFIP 02"), Direction.objects.get(code="DRFIP 67")
    client.force_login(direction_admin)
    page = client.get(POSTES).content.decode()
    assert "SIE de Laon" in page
    assert all(p.name not in page for p in PosteComptable.objects.filter(direction=d67))
    assert client.post(POSTES, new_poste(d02)).status_code == 302
    poste = PosteComptable.objects.get(codique="002099")
    assert poste.active and poste.direction == d02
    created = AccountChange.objects.get(kind=AccountChangeKind.POSTE_CREATED)
    assert created.poste_comptable == poste and created.account is None
    # Another direction's: refused.
    response = client.post(POSTES, new_poste(d67, codique="067099"))
    assert response.status_code == 422
    assert not PosteComptable.objects.filter(codique="067099").exists()

    url = reverse("accounts:poste_active", args=[poste.pk])
    assert "ne pourra plus être choisi" in client.get(url).content.decode()  # confirmation
    assert client.post(url, {"active": "0"}).status_code == 302
    poste.refresh_from_db()
    assert not poste.active
    assert AccountChange.objects.filter(
        kind=AccountChangeKind.POSTE_DEACTIVATED, poste_comptable=poste
    ).exists()
    other = PosteComptable.objects.filter(direction=d67).first()
    assert client.get(reverse("accounts:poste_active", args=[other.pk])).status_code == 404


def test_a_duplicate_codique_and_missing_fields_are_refused_in_french(client, direction_admin):
    d02 = Direction.objects.get(code="DDFIP 02")
    laon = PosteComptable.objects.get(name="SIE de Laon")
    client.force_login(direction_admin)
    response = client.post(POSTES, new_poste(d02, codique=laon.codique))
    assert response.status_code == 422
    assert "Un poste comptable a déjà ce codique." in response.content.decode()
    page = client.post(POSTES, new_poste(d02, name="", mailbox="pas une adresse")).content
    assert "Indiquez le nom du poste." in page.decode()
    assert "Indiquez une adresse électronique valide" in page.decode()
    assert not AccountChange.objects.exists()


@pytest.mark.parametrize(
    "role", ["head", "jurist", "poste_agent", "direction_agent", "expert", "management"]
)
def test_postes_are_refused_to_who_is_no_administrator(client, users, role):
    d02 = Direction.objects.get(code="DDFIP 02")
    laon = PosteComptable.objects.get(name="SIE de Laon")
    client.force_login(users[role])
    assert client.get(POSTES).status_code == 403
    assert client.post(POSTES, new_poste(d02)).status_code == 403
    url = reverse("accounts:poste_active", args=[laon.pk])
    assert client.post(url, {"active": "0"}).status_code == 403
    laon.refresh_from_db()
    assert laon.active
    assert not PosteComptable.objects.filter(codique="002099").exists()


def test_the_site_administrator_manages_every_poste(client, users):
    other = PosteComptable.objects.filter(direction__code="DRFIP 67").first()
    client.force_login(users["admin"])
    assert other.name in client.get(POSTES).content.decode()
    client.post(reverse("accounts:poste_active", args=[other.pk]), {"active": "0"})
    client.post(reverse("accounts:poste_active", args=[other.pk]), {"active": "1"})
    other.refresh_from_db()
    assert other.active
    kinds = AccountChange.objects.filter(poste_comptable=other).values_list("kind", flat=True)
    assert sorted(kinds) == sorted(
        [AccountChangeKind.POSTE_DEACTIVATED, AccountChangeKind.POSTE_REACTIVATED]
    )


def test_an_inactive_poste_is_offered_for_no_new_referral_nor_account(
    client, users, direction_admin
):
    laon = PosteComptable.objects.get(name="SIE de Laon")
    agent = users["direction_agent"]
    assert laon in CaseForm(user=agent).fields["poste_comptable"].queryset
    PosteComptable.objects.filter(pk=laon.pk).update(active=False)
    assert laon not in CaseForm(user=agent).fields["poste_comptable"].queryset
    assert laon not in access.account_postes(direction_admin)
    client.force_login(direction_admin)
    response = client.post(
        reverse("accounts:create"),
        {
            "username": "comptable.nouveau",
            "first_name": "Luc",
            "last_name": "Roux",
            "email": "luc.roux@dgfip.finances.gouv.fr",
            "role": Role.POSTE_AGENT,
            "direction": laon.direction_id,
            "poste_comptable": laon.pk,
        },
    )
    assert response.status_code == 422
    assert not User.objects.filter(username="comptable.nouveau").exists()
    # Its existing agent keeps it, and can still be changed.
    assert laon in access.account_postes(direction_admin, keep=laon.pk)


# --- Second factor reset -----------------------------------------------------------------------


def second_factor_url(account) -> str:
    return reverse("accounts:second_factor", args=[account.pk])


@pytest.fixture
def enrolled_head(db):
    other = UserFactory(username="chef.adjoint", role=Role.HEAD)
    TOTPDevice.objects.create(user=other, name="Téléphone", confirmed=True)
    return other


def test_the_head_resets_another_heads_second_factor_after_a_confirmation(
    client, users, enrolled_head
):
    client.force_login(users["head"])
    page = client.get(second_factor_url(enrolled_head))
    assert page.status_code == 200
    assert "devra enregistrer une nouvelle application" in page.content.decode()
    assert TOTPDevice.objects.filter(user=enrolled_head).exists()  # nothing yet
    response = client.post(second_factor_url(enrolled_head))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=enrolled_head).exists()
    line = AccountChange.objects.get(kind=AccountChangeKind.SECOND_FACTOR_RESET)
    assert line.account == enrolled_head and line.actor == users["head"]


def test_after_the_reset_the_agent_enrols_again_at_the_next_sign_in(
    client, users, enrolled_head, settings
):
    settings.LOCAL_MFA = True
    accounts.reset_second_factor(users["admin"], enrolled_head)
    response = client.post(reverse("login"), {"username": "chef.adjoint", "password": "demo"})
    assert response.status_code == 302
    assert client.get(reverse("cases:list"))["Location"].startswith(reverse("mfa_enrol"))


@pytest.mark.parametrize("role", ["jurist", "poste_agent", "management", "expert"])
def test_the_reset_is_refused_to_others(client, users, enrolled_head, role):
    client.force_login(users[role])
    assert client.get(second_factor_url(enrolled_head)).status_code == 403
    assert client.post(second_factor_url(enrolled_head)).status_code == 403
    assert TOTPDevice.objects.filter(user=enrolled_head).exists()
    assert not AccountChange.objects.exists()


def test_nobody_resets_their_own_second_factor_nor_out_of_reach(client, users, direction_admin):
    TOTPDevice.objects.create(user=users["head"], name="x", confirmed=True)
    client.force_login(users["head"])
    assert client.post(second_factor_url(users["head"])).status_code == 403
    assert TOTPDevice.objects.filter(user=users["head"]).exists()
    # The head does not reach a direction administrator's account.
    TOTPDevice.objects.create(user=direction_admin, name="x", confirmed=True)
    assert client.post(second_factor_url(direction_admin)).status_code == 404
    # A direction administrator resets nobody's (the issue: the head, an administrator).
    client.force_login(direction_admin)
    agent = users["direction_agent"]
    TOTPDevice.objects.create(user=agent, name="x", confirmed=True)
    assert client.post(second_factor_url(agent)).status_code == 403
    assert TOTPDevice.objects.filter(user=agent).exists()


def test_the_replacement_must_be_there(client, users):
    """A replacement away at the same dates, or an absent jurist who replaces someone
    meanwhile, would leave steps with nobody: refused, in French."""
    jurist, other = users["jurist"], users["other_jurist"]
    absences.record_absence(
        users["head"], other, starts_on=day(5), ends_on=day(8), replacement=users["head"]
    )
    client.force_login(users["head"])
    page = client.post(absences_url(jurist), period(1, 6, other)).content.decode()
    assert f"{other} est absent du {day(5):%d/%m/%Y} au {day(8):%d/%m/%Y}" in page
    absences.record_absence(
        users["head"], jurist, starts_on=day(20), ends_on=day(22), replacement=other
    )
    page = client.post(absences_url(other), period(21, 25, users["head"])).content.decode()
    assert f"{other} remplace {jurist} du" in page
    assert Absence.objects.count() == 2


def test_an_absence_that_runs_to_its_end_is_journalled_the_next_morning_once(client, users):
    jurist = users["jurist"]
    ran = Absence.objects.create(
        person=jurist,
        replacement=users["other_jurist"],
        starts_on=day(-6),
        ends_on=day(-1),
        created_by=users["head"],
    )
    # Ended by hand before its last day: already in the journal, not again.
    cut = Absence.objects.create(
        person=users["other_jurist"],
        replacement=users["head"],
        starts_on=day(-6),
        ends_on=day(-1),
        created_by=users["head"],
        ended_at=timezone.now() - datetime.timedelta(days=3),
        ended_by=users["head"],
    )
    running = absences.record_absence(
        users["head"], users["head"], starts_on=day(0), ends_on=day(3), replacement=jurist
    )
    assert absences.record_lapsed() == 1
    line = AccountChange.objects.get(kind=AccountChangeKind.ABSENCE_OFF)
    assert line.account == jurist and line.actor is None
    assert line.actor_label == accounts.BY_THE_APPLICATION
    assert "arrivée à son terme" in line.summary
    assert line.data == {"absence": ran.pk, "lapsed": True}
    # The next morning, nothing more; nor for the running one before its last day.
    assert absences.record_lapsed() == 0
    assert absences.record_lapsed(day(3)) == 0
    assert absences.record_lapsed(day(4)) == 1
    assert AccountChange.objects.filter(kind=AccountChangeKind.ABSENCE_OFF).count() == 2
    cut.refresh_from_db()
    running.refresh_from_db()
    assert cut.lapse_recorded_at is None and running.lapse_recorded_at is not None
    # The account's page shows the line, by the application.
    client.force_login(users["head"])
    page = client.get(reverse("accounts:detail", args=[jurist.pk])).content.decode()
    assert accounts.BY_THE_APPLICATION in page and "arrivée à son terme" in page
    assert "(fin prévue)" in client.get(absences_url(jurist)).content.decode()


def test_the_daily_task_journals_the_lapsed_absences(users):
    from deadlines.tasks import send_deadline_reminders

    Absence.objects.create(
        person=users["jurist"],
        replacement=users["other_jurist"],
        starts_on=day(-3),
        ends_on=day(-1),
        created_by=users["head"],
    )
    result = send_deadline_reminders.call()
    assert result["absences_lapsed"] == 1
    assert AccountChange.objects.filter(kind=AccountChangeKind.ABSENCE_OFF).count() == 1
