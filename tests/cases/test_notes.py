"""The pôle's private notes on a case (issue 22): read and written by the pôle and the
case's expert, never by the referring side nor management, on the page, in the API and in
the history."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from cases import access, workspace
from cases.enums import CaseStatus
from cases.models import CaseEvent, CaseNote
from tests.api.conftest import client_for
from tests.factories import ROLE_KEYS, CaseFactory

SECRET = "Le gérant organise son insolvabilité : voir avec le notaire avant tout appel."

# Per role of the `users` fixture, on a DDFIP 02 case of the SIE de Laon given to the
# expert: (reads the notes, writes them). A role that cannot see the case reads nothing.
EXPECTED = {
    "poste_agent": (False, False),
    "other_poste_agent": (False, False),
    "direction_agent": (False, False),
    "other_direction_agent": (False, False),
    "jurist": (True, True),
    "other_jurist": (True, True),
    "head": (True, True),
    "expert": (True, True),
    "management": (False, False),
    "management_d02": (False, False),
    "management_d67": (False, False),
    "admin": (True, False),
}


@pytest.fixture
def case(users):
    case = CaseFactory(
        to=CaseStatus.UNDER_EXAMINATION,
        poste_comptable=users["poste_agent"].poste_comptable,
        direction=users["poste_agent"].direction,
    )
    case.assigned_expert = users["expert"]
    case.save()
    workspace.add_note(users["jurist"], case, SECRET)
    return case


def test_every_role_is_covered():
    assert set(EXPECTED) == set(ROLE_KEYS)


@pytest.mark.django_db
@pytest.mark.parametrize("key", ROLE_KEYS)
def test_who_reads_and_writes_the_notes(users, case, key):
    user = users[key]
    reads, writes = EXPECTED[key]
    assert access.may_read_notes(user, case) is reads
    assert access.may_write_note(user, case) is writes
    assert (workspace.case_notes(user, case) is not None) is reads


@pytest.mark.django_db
@pytest.mark.parametrize("key", ROLE_KEYS)
def test_the_case_page_shows_the_notes_only_to_those_who_read_them(client, users, case, key):
    reads, writes = EXPECTED[key]
    client.force_login(users[key])
    response = client.get(case.get_absolute_url())
    if response.status_code == 404:  # the case itself is out of their sight
        assert not reads
        return
    page = response.content.decode()
    assert (SECRET in page) is reads
    assert ('id="notes"' in page) is reads
    assert (reverse("cases:note_add", args=[case.reference]) in page) is writes


@pytest.mark.django_db
@pytest.mark.parametrize("key", ROLE_KEYS)
def test_posting_a_note(client, users, case, key):
    reads, writes = EXPECTED[key]
    client.force_login(users[key])
    url = reverse("cases:note_add", args=[case.reference])
    response = client.post(url, {"note": f"Note de {key}"})
    if writes:
        assert response.status_code == 302
        assert response.url.endswith("#notes")
        note = CaseNote.objects.get(text=f"Note de {key}")
        assert note.author == users[key]
        assert client.get(case.get_absolute_url()).content.decode().count(f"Note de {key}") == 1
    else:
        assert response.status_code in (403, 404)
        assert not CaseNote.objects.filter(text=f"Note de {key}").exists()


@pytest.mark.django_db
def test_an_empty_note_is_refused_in_french(client, users, case):
    client.force_login(users["head"])
    response = client.post(reverse("cases:note_add", args=[case.reference]), {"note": "  "})
    assert response.status_code == 422
    assert "Écrivez la note." in response.content.decode()
    assert case.notes.count() == 1


@pytest.mark.django_db
def test_the_service_refuses_the_referring_side(users, case):
    with pytest.raises(PermissionDenied):
        workspace.add_note(users["direction_agent"], case, "Rien")


@pytest.mark.django_db
def test_a_note_writes_no_history_entry_and_tells_no_one(users, case):
    """The history is the referring side's to read; nothing of a note goes in it, nor in
    the notifications (which the history's entries cause)."""
    from notifications.models import Notification

    events, notifications = CaseEvent.objects.count(), Notification.objects.count()
    workspace.add_note(users["head"], case, "Une autre note")
    assert CaseEvent.objects.count() == events
    assert Notification.objects.count() == notifications
    assert not CaseEvent.objects.filter(summary__contains="note").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["poste_agent", "direction_agent", "management_d02"])
def test_the_api_never_carries_the_notes(users, case, key):
    client = client_for(users[key])
    for name in ("api:case", "api:history"):
        response = client.get(reverse(name, args=[case.reference]))
        assert response.status_code == 200, name
        assert SECRET not in response.content.decode()
