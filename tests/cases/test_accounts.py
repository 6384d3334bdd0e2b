"""Accounts managed without the admin (/comptes/): the head of the pôle opens and changes
the pôle's accounts and the helping directions' experts, puts jurists on intake duty; a
direction's administrator its agents; nobody else. Every change is a line of the accounts'
journal, which nothing rewrites; the pôle always keeps an active head."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from cases import access, accounts
from cases.enums import AccountChangeKind, Role
from cases.models import AccountChange, AppendOnlyError, Direction, PosteComptable, User
from tests.factories import UserFactory

LIST = reverse("accounts:list")
CREATE = reverse("accounts:create")
LAST_HEAD = "Le pôle doit garder au moins un chef actif"


def detail(account) -> str:
    return reverse("accounts:detail", args=[account.pk])


def helping() -> Direction:
    return Direction.objects.get(code="DDFIP 30")


def new_jurist(**extra) -> dict:
    return {
        "username": "juriste.nouveau",
        "first_name": "Anne",
        "last_name": "Martin",
        "email": "anne.martin@dgfip.finances.gouv.fr",
        "role": Role.JURIST,
        **extra,
    }


def edit(account, **changes) -> dict:
    values = {
        "first_name": account.first_name,
        "last_name": account.last_name,
        "email": account.email or f"{account.username}@dgfip.finances.gouv.fr",
        "role": account.role,
        "direction": account.direction_id or "",
        "is_active": "on" if account.is_active else "",
    }
    values.update(changes)
    return {key: value for key, value in values.items() if value is not None}


@pytest.fixture
def direction_admin(db):
    return UserFactory(
        username="admin.d02",
        role=Role.DIRECTION_ADMIN,
        direction=Direction.objects.get(code="DDFIP 02"),
    )


# --- Who may open the pages ------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role", ["poste_agent", "direction_agent", "jurist", "expert", "management", "management_d02"]
)
def test_the_pages_are_refused_to_who_manages_no_account(client, users, role):
    client.force_login(users[role])
    for url in (LIST, CREATE, detail(users["jurist"])):
        assert client.get(url).status_code == 403, url
    response = client.post(CREATE, new_jurist())
    assert response.status_code == 403
    assert not User.objects.filter(username="juriste.nouveau").exists()
    assert AccountChange.objects.count() == 0


@pytest.mark.django_db
def test_the_head_sees_the_poles_accounts_and_not_the_directions(client, users):
    client.force_login(users["head"])
    page = client.get(LIST).content.decode()
    assert "juriste.a" in page and "expert.d30" in page
    assert "comptable.laon" not in page and "agent.d02" not in page
    assert client.get(detail(users["direction_agent"])).status_code == 404
    assert f'href="{LIST}"' in page  # the header's « Comptes »


# --- Opening an account ----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_head_opens_a_jurists_account_on_intake_duty(client, users):
    client.force_login(users["head"])
    response = client.post(CREATE, new_jurist(intake_duty="on"))
    assert response.status_code == 302
    account = User.objects.get(username="juriste.nouveau")
    assert account.role == Role.JURIST and account.is_active
    assert account.direction is None
    assert account in access.on_intake_duty()
    # No password anyone knows: the owner chooses one (« Mot de passe oublié »).
    assert account.has_usable_password() and not account.check_password("demo")

    rows = list(AccountChange.objects.filter(account=account).order_by("pk"))
    assert [row.kind for row in rows] == [AccountChangeKind.CREATED, AccountChangeKind.INTAKE_ON]
    assert rows[0].actor == users["head"]
    assert rows[0].summary == "Compte de Anne Martin ouvert (Juriste du pôle)"
    page = client.get(detail(account)).content.decode()
    assert "Anne Martin mis de permanence d&#x27;accueil" in page


@pytest.mark.django_db
def test_an_expert_needs_a_helping_direction(client, users):
    client.force_login(users["head"])
    response = client.post(CREATE, new_jurist(role=Role.EXPERT))
    assert response.status_code == 422
    assert "Choisissez la direction de ce compte" in response.content.decode()
    sending = Direction.objects.get(code="DDFIP 02")
    response = client.post(CREATE, new_jurist(role=Role.EXPERT, direction=sending.pk))
    assert response.status_code == 422  # not offered: not a helping direction
    response = client.post(CREATE, new_jurist(role=Role.EXPERT, direction=helping().pk))
    assert response.status_code == 302
    assert User.objects.get(username="juriste.nouveau").direction == helping()


@pytest.mark.django_db
def test_the_head_cannot_give_a_role_beyond_the_pole(client, users):
    client.force_login(users["head"])
    response = client.post(CREATE, new_jurist(role=Role.ADMIN))
    assert response.status_code == 422
    assert not User.objects.filter(username="juriste.nouveau").exists()
    with pytest.raises(PermissionDenied):  # whatever the caller
        accounts.open_account(
            users["head"], accounts.AccountData("x", "A", "B", "x@d.fr", role=Role.ADMIN)
        )


@pytest.mark.django_db
def test_a_taken_username_or_email_is_refused_in_french(client, users):
    client.force_login(users["head"])
    response = client.post(CREATE, new_jurist(username="Juriste.A"))
    assert "Cet identifiant est déjà pris" in response.content.decode()
    users["jurist"].email = "anne.martin@dgfip.finances.gouv.fr"
    users["jurist"].save()
    response = client.post(CREATE, new_jurist())
    assert "Un autre compte a déjà cette adresse électronique" in response.content.decode()


# --- Changing, disabling ---------------------------------------------------------------------


@pytest.mark.django_db
def test_the_head_disables_a_jurist_who_leaves_intake_duty(client, users):
    jurist = users["jurist"]
    accounts.change_account(
        users["head"],
        jurist,
        accounts.AccountData(
            jurist.username, "A", "B", "a@d.fr", role=Role.JURIST, intake_duty=True
        ),
    )
    client.force_login(users["head"])
    response = client.post(
        detail(jurist), edit(jurist, first_name="A", last_name="B", is_active="")
    )
    assert response.status_code == 302
    jurist.refresh_from_db()
    assert not jurist.is_active
    assert jurist not in access.on_intake_duty()
    kinds = list(
        AccountChange.objects.filter(account=jurist).order_by("pk").values_list("kind", flat=True)
    )
    assert kinds[-2:] == [AccountChangeKind.DISABLED, AccountChangeKind.INTAKE_OFF], kinds
    assert client.get(LIST).status_code == 200


@pytest.mark.django_db
def test_a_role_change_is_journaled_with_before_and_after(client, users):
    client.force_login(users["head"])
    jurist = users["jurist"]
    response = client.post(detail(jurist), edit(jurist, role=Role.HEAD))
    assert response.status_code == 302
    row = AccountChange.objects.get(account=jurist, kind=AccountChangeKind.ROLE)
    assert row.data["role"] == [Role.JURIST, Role.HEAD]
    assert "Juriste du pôle → Chef du pôle" in row.summary


# --- The last head -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_last_head_can_neither_disable_nor_demote_themselves(client, users):
    head = users["head"]
    client.force_login(head)
    for changes in ({"is_active": ""}, {"role": Role.JURIST}):
        response = client.post(detail(head), edit(head, **changes))
        assert response.status_code == 422
        assert LAST_HEAD in response.content.decode()
        head.refresh_from_db()
        assert head.is_active and head.role == Role.HEAD
    assert AccountChange.objects.count() == 0


@pytest.mark.django_db
def test_with_a_second_head_the_first_may_step_down(client, users):
    head = users["head"]
    UserFactory(username="chef.adjoint", role=Role.HEAD)
    client.force_login(head)
    response = client.post(detail(head), edit(head, role=Role.JURIST))
    assert response.status_code == 302
    head.refresh_from_db()
    assert head.role == Role.JURIST


@pytest.mark.django_db
def test_an_administrator_cannot_disable_the_last_head_either(users):
    head = users["head"]
    with pytest.raises(accounts.AccountError, match=LAST_HEAD):
        accounts.change_account(
            users["admin"],
            head,
            accounts.AccountData(head.username, "C", "H", "c@d.fr", Role.HEAD, is_active=False),
        )


# --- A direction's administrator ---------------------------------------------------------------


@pytest.mark.django_db
def test_a_direction_administrator_opens_its_agents_accounts_only(client, users, direction_admin):
    client.force_login(direction_admin)
    page = client.get(LIST).content.decode()
    assert "agent.d02" in page and "comptable.laon" in page
    assert "agent.d67" not in page and "juriste.a" not in page
    assert client.get(detail(users["other_direction_agent"])).status_code == 404
    assert client.get(detail(users["jurist"])).status_code == 404

    laon = PosteComptable.objects.get(name="SIE de Laon")
    response = client.post(
        CREATE,
        new_jurist(username="comptable.nouveau", role=Role.POSTE_AGENT, poste_comptable=laon.pk),
    )
    assert response.status_code == 302
    agent = User.objects.get(username="comptable.nouveau")
    assert agent.poste_comptable == laon and agent.direction == laon.direction
    assert AccountChange.objects.get(account=agent).actor == direction_admin

    response = client.post(CREATE, new_jurist(username="juriste.z"))
    assert response.status_code == 422  # a jurist is not theirs to open
    other_poste = PosteComptable.objects.exclude(direction=direction_admin.direction).first()
    response = client.post(
        CREATE,
        new_jurist(
            username="c.z", email="z@d.fr", role=Role.POSTE_AGENT, poste_comptable=other_poste.pk
        ),
    )
    assert response.status_code == 422
    assert not User.objects.filter(username__in=["juriste.z", "c.z"]).exists()


def test_a_direction_administrator_sees_no_case_and_needs_a_second_factor():
    admin = User(role=Role.DIRECTION_ADMIN, direction_id=1)
    assert access.needs_second_factor(admin)
    assert access._scope(admin) is None


# --- The journal is append-only ----------------------------------------------------------------


@pytest.mark.django_db
def test_the_journal_cannot_be_rewritten(users):
    row = accounts.record(users["head"], users["jurist"], AccountChangeKind.IDENTITY, "x")
    with pytest.raises(AppendOnlyError):
        row.save()
    with pytest.raises(AppendOnlyError):
        AccountChange.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AccountChange.objects.update(summary="y")
    table = AccountChange._meta.db_table
    for statement in (f"UPDATE {table} SET summary = 'y'", f"DELETE FROM {table}"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
    assert AccountChange.objects.get().summary == "x"
