"""A case with hundreds of messages, pieces and history entries: its page shows one page of
each list, with a pager of its own (?messages=2, ?pieces=2, ?historique=2)."""

import datetime

import pytest
from django.utils import timezone

from cases.enums import EventKind, PieceKind
from cases.models import CaseEvent, Message, Piece
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db
PER_PAGE = 20


@pytest.fixture
def busy_case(users, settings):
    settings.CASE_LIST_PER_PAGE = PER_PAGE
    agent = users["poste_agent"]
    case = CaseFactory(created_by=agent, poste_comptable=agent.poste_comptable)
    start = timezone.now() - datetime.timedelta(days=30)
    Message.objects.bulk_create(
        Message(
            case=case,
            author=agent,
            author_label="Agent",
            body=f"Message numéro {i:03d}.",
            sent_at=start + datetime.timedelta(minutes=i),
        )
        for i in range(300)
    )
    return case


def _page(client, case, query: str = "") -> str:
    response = client.get(case.get_absolute_url() + query)
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_shows_the_latest_messages_and_a_pager(client, users, busy_case):
    client.force_login(users["poste_agent"])
    page = _page(client, busy_case)
    shown = [i for i in range(300) if f"Message numéro {i:03d}." in page]
    assert shown == list(range(280, 300))  # the latest 20, oldest of them first
    assert page.index("Message numéro 280.") < page.index("Message numéro 299.")
    assert 'aria-label="Pagination des échanges"' in page
    assert "?messages=2#echanges" in page

    older = _page(client, busy_case, "?messages=2")
    assert [i for i in range(300) if f"Message numéro {i:03d}." in older] == list(range(260, 280))
    last = _page(client, busy_case, "?messages=15")
    assert [i for i in range(300) if f"Message numéro {i:03d}." in last] == list(range(0, 20))


def test_each_list_keeps_its_own_page(client, users, busy_case):
    now = timezone.now()
    Piece.objects.bulk_create(
        Piece(
            case=busy_case,
            number=i + 1,
            kind=PieceKind.AUTRE,
            uploaded_by=users["poste_agent"],
            original_name=f"piece-{i:03d}.pdf",
            size=10,
            content_type="application/pdf",
            sha256=f"{i:064d}",
            file=f"pieces/{i}.pdf",
            uploaded_at=now + datetime.timedelta(seconds=i),
        )
        for i in range(45)
    )
    for i in range(50):
        CaseEvent.objects.create(case=busy_case, kind=EventKind.UPDATED, summary=f"Entrée {i:03d}")
    client.force_login(users["poste_agent"])
    page = _page(client, busy_case, "?messages=3&pieces=3")
    assert [i for i in range(45) if f"piece-{i:03d}.pdf" in page] == list(range(40, 45))
    assert "Message numéro 259." in page and "Message numéro 260." not in page
    # The history is on its first page (the latest entries), its pager keeps the others.
    assert "Entrée 049" in page and "Entrée 020" not in page
    assert "?messages=3&amp;pieces=3&amp;historique=2#historique" in page


def test_a_page_number_out_of_range_shows_the_last_page(client, users, busy_case):
    client.force_login(users["poste_agent"])
    page = _page(client, busy_case, "?messages=999")
    assert "Message numéro 000." in page and "Message numéro 020." not in page
