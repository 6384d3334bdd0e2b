"""The message thread of a case: who writes, attachments, unread counts."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases import selectors, services
from cases.enums import CaseStatus
from cases.models import Message, MessageAttachment
from cases.pieces import sample_pdf
from tests.factories import ROLE_KEYS, CaseFactory

# Who may write on a submitted DDFIP 02 case referred through the SIE de Laon, and what
# the others get: 403 when they see the case, 404 when they do not.
POST_STATUS = {
    **dict.fromkeys(ROLE_KEYS, 302),
    "other_poste_agent": 404,
    "other_direction_agent": 404,
    "expert": 404,
    "management": 403,
    "management_d02": 403,
    "management_d67": 404,
    "admin": 403,
}


@pytest.fixture
def case(users):
    return CaseFactory(to=CaseStatus.SUBMITTED, created_by=users["poste_agent"])


def _post(client, case, body="Pouvez-vous préciser la date de la dernière SATD ?", files=()):
    return client.post(
        reverse("cases:message_post", args=[case.reference]),
        {"body": body, "attachments": list(files)},
    )


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLE_KEYS)
def test_who_may_write(client, users, case, role):
    client.force_login(users[role])
    response = _post(client, case)
    assert response.status_code == POST_STATUS[role]
    assert Message.objects.filter(case=case).count() == (1 if response.status_code == 302 else 0)


@pytest.mark.django_db
def test_assigned_expert_may_write(client, users, case):
    services.assign_case(users["head"], case, expert=users["expert"])
    client.force_login(users["expert"])
    assert _post(client, case).status_code == 302


@pytest.mark.django_db
def test_attachments_are_kept_and_downloadable_only_by_those_who_see_the_case(client, users, case):
    client.force_login(users["jurist"])
    pdf = SimpleUploadedFile("projet.pdf", sample_pdf("Projet"), "application/pdf")
    assert _post(client, case, "Voici le projet d'assignation.", [pdf]).status_code == 302
    attachment = MessageAttachment.objects.get()
    assert attachment.message.author == users["jurist"] and attachment.size > 0
    url = reverse("cases:attachment_download", args=[case.reference, attachment.pk])
    client.force_login(users["poste_agent"])
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    client.force_login(users["other_direction_agent"])
    assert client.get(url).status_code == 404
    other = CaseFactory(to=CaseStatus.SUBMITTED, created_by=users["poste_agent"])
    client.force_login(users["poste_agent"])
    wrong_case = reverse("cases:attachment_download", args=[other.reference, attachment.pk])
    assert client.get(wrong_case).status_code == 404


@pytest.mark.django_db
def test_disguised_attachment_or_empty_message_is_refused_and_nothing_is_kept(client, users, case):
    client.force_login(users["direction_agent"])
    fake = SimpleUploadedFile("releve.pdf", b"MZ\x90\x00 programme", "application/pdf")
    response = _post(client, case, "Relevé joint.", [fake])
    assert response.status_code == 422
    assert "ne correspond pas à son extension" in response.content.decode()
    response = _post(client, case, "   ")
    assert response.status_code == 422
    assert "Écrivez votre message." in response.content.decode()
    assert Message.objects.count() == 0 and MessageAttachment.objects.count() == 0


@pytest.mark.django_db
def test_unread_counts_follow_reading(client, users, case):
    client.force_login(users["direction_agent"])
    _post(client, case, "Premier message")
    _post(client, case, "Second message")
    assert selectors.unread_messages(users["direction_agent"]).count() == 0  # own messages
    assert selectors.unread_messages(users["poste_agent"]).count() == 2
    assert selectors.unread_messages(users["other_direction_agent"]).count() == 0

    client.force_login(users["head"])
    page = client.get(reverse("cases:list")).content.decode()
    assert "2 messages non lus" in page
    listed = client.get(reverse("cases:list"), {"unread": "on"})
    assert [c.reference for c in listed.context["page"].object_list] == [case.reference]
    detail = client.get(case.get_absolute_url()).content.decode()
    assert "2 non lus" in detail
    assert selectors.unread_messages(users["head"]).count() == 2  # reading the page writes nothing

    client.post(reverse("cases:messages_read", args=[case.reference]))
    assert selectors.unread_messages(users["head"]).count() == 0
    assert "messages non lus" not in client.get(reverse("cases:list")).content.decode()

    client.force_login(users["poste_agent"])
    _post(client, case, "Réponse du poste")  # writing marks the thread read for its author
    assert selectors.unread_messages(users["poste_agent"]).count() == 0
    assert selectors.unread_messages(users["head"]).count() == 1


@pytest.mark.django_db
def test_a_jurist_counts_only_the_threads_of_their_own_cases(client, users, case):
    other = CaseFactory(to=CaseStatus.SUBMITTED, created_by=users["poste_agent"])
    services.assign_case(users["head"], case, jurist=users["jurist"])
    services.assign_case(users["head"], other, jurist=users["other_jurist"])
    services.post_message(users["poste_agent"], case, "Pour le juriste A")
    services.post_message(users["poste_agent"], other, "Pour le juriste B")
    assert selectors.unread_messages(users["jurist"]).count() == 1
    assert selectors.unread_messages(users["other_jurist"]).count() == 1
    assert selectors.unread_messages(users["head"]).count() == 2
    assert selectors.unread_messages(users["management"]).count() == 0
