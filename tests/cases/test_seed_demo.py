import pytest
from django.core.management import call_command

from cases import access, selectors
from cases.enums import CaseStatus, EventKind
from cases.models import Case, Message, User
from notifications.models import Notification


@pytest.mark.django_db
def test_seed_demo_creates_every_role_and_cases_in_every_status(capsys):
    call_command("seed_demo")
    out = capsys.readouterr().out
    usernames = [
        "agent.ddfip02", "comptable.ddfip02", "agent.drfip67", "juriste1", "juriste2",
        "chef.pole", "expert.ddfip30", "pilotage", "admin",
    ]  # fmt: skip
    for username in usernames:
        assert username in out
        assert User.objects.get(username=username).check_password("demo")
    assert set(Case.objects.values_list("status", flat=True)) == set(CaseStatus.values)
    assert 18 <= Case.objects.count() <= 25
    for case in Case.objects.all():
        kinds = list(case.events.values_list("kind", flat=True))
        assert kinds[0] == EventKind.CREATED  # made by the application's own functions
    assert access.visible_cases(User.objects.get(username="expert.ddfip30")).exists()
    assert any(case.is_alsace_moselle for case in Case.objects.all())

    assert Message.objects.filter(attachments__isnull=False).exists()
    jurists = User.objects.filter(username__in=["juriste1", "juriste2"])
    assert any(selectors.unread_messages(jurist).exists() for jurist in jurists)
    # The demo cases notify like real ones: the postes' mailboxes, the agents, the pôle.
    assert {"referral_received", "decision_recorded", "message_received"} <= set(
        Notification.objects.values_list("kind", flat=True)
    ) and Notification.objects.filter(user=None).exists()

    count = Case.objects.count()
    call_command("seed_demo")  # a second run adds nothing
    assert Case.objects.count() == count
