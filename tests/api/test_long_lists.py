"""A case's long lists through the API: bounded pages, the same JSON list, and the way on
in the Link header; the case names its first pieces and where the others are."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.enums import EventKind, PieceKind
from cases.models import CaseEvent, Piece
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy_case(users):
    agent = users["poste_agent"]
    case = CaseFactory(created_by=agent, poste_comptable=agent.poste_comptable)
    now = timezone.now()
    CaseEvent.objects.bulk_create(
        CaseEvent(
            case=case,
            kind=EventKind.UPDATED,
            summary=f"Entrée {i:03d}",
            at=now + datetime.timedelta(seconds=i),
        )
        for i in range(250)
    )
    Piece.objects.bulk_create(
        Piece(
            case=case,
            number=i + 1,
            kind=PieceKind.AUTRE,
            uploaded_by=agent,
            original_name=f"piece-{i:03d}.pdf",
            size=10,
            content_type="application/pdf",
            sha256=f"{i:064d}",
            file=f"pieces/{i}.pdf",
            uploaded_at=now + datetime.timedelta(seconds=i),
        )
        for i in range(130)
    )
    return case


def _next(response) -> str | None:
    for part in response.get("Link", "").split(","):
        if 'rel="next"' in part:
            return part.split(";")[0].strip(" <>")
    return None


def test_the_history_comes_in_bounded_pages_with_next_links(api, busy_case):
    client = api("poste_agent")
    url = reverse("api:history", args=[busy_case.reference])
    seen, pages = [], 0
    while url:
        response = client.get(url)
        assert response.status_code == 200
        assert len(response.json()) <= 100
        assert response["X-Total-Count"] == "250"
        seen += [event["summary"] for event in response.json()]
        url, pages = _next(response), pages + 1
    assert pages == 3
    assert seen == [f"Entrée {i:03d}" for i in range(250)]  # oldest first, nothing skipped


def test_a_smaller_limit_and_an_offset(api, busy_case):
    url = reverse("api:history", args=[busy_case.reference])
    response = api("poste_agent").get(url, {"limit": 10, "offset": 20})
    assert [e["summary"] for e in response.json()] == [f"Entrée {i:03d}" for i in range(20, 30)]
    assert 'rel="prev"' in response["Link"] and 'rel="next"' in response["Link"]
    # Beyond the maximum, or unreadable: refused in French (not silently read as 100).
    for limit in (1000, 0, "dix"):
        refused = api("poste_agent").get(url, {"limit": limit})
        assert refused.status_code == 400
        assert refused.json()["errors"]["limit"] == ["Donnez un nombre entier de 1 à 100."]
    refused = api("poste_agent").get(url, {"offset": -1})
    assert refused.json()["errors"]["offset"] == ["Donnez un nombre entier positif ou nul."]


def test_the_pieces_list_and_the_case_are_bounded(api, busy_case):
    client = api("poste_agent")
    pieces = client.get(reverse("api:pieces", args=[busy_case.reference]))
    assert len(pieces.json()) == 100 and pieces["X-Total-Count"] == "130"
    rest = client.get(_next(pieces)).json()
    assert [p["original_name"] for p in rest][-1] == "piece-129.pdf" and len(rest) == 30

    case = client.get(reverse("api:case", args=[busy_case.reference])).json()
    assert len(case["pieces"]) == 100 and case["pieces_count"] == 130
    following = client.get(case["pieces_next"]).json()
    assert following == rest


def test_a_short_list_is_whole_and_has_no_next_link(api, users):
    agent = users["poste_agent"]
    case = CaseFactory(created_by=agent, poste_comptable=agent.poste_comptable)
    client = api("poste_agent")
    history = client.get(reverse("api:history", args=[case.reference]))
    assert history.json() == [] and not history.has_header("Link")
    body = client.get(reverse("api:case", args=[case.reference])).json()
    assert body["pieces"] == [] and body["pieces_count"] == 0 and body["pieces_next"] is None
