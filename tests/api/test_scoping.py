"""Every role sees, reads and changes through the API exactly what the pages let it: the
same cases.access decides, and the same 403/404."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from cases.enums import CaseStatus
from cases.models import Direction
from cases.services import assign_case
from tests.factories import ROLE_KEYS, CaseFactory

from .conftest import client_for

pytestmark = pytest.mark.django_db
S = CaseStatus


@pytest.fixture
def cases(users):
    laon = users["poste_agent"]
    d67 = Direction.objects.get(code="DRFIP 67")
    examined = CaseFactory(to=S.UNDER_EXAMINATION, created_by=laon)
    assign_case(users["head"], examined, expert=users["expert"])
    return {
        "draft": CaseFactory(created_by=laon, poste_comptable=laon.poste_comptable),
        "submitted": CaseFactory(to=S.SUBMITTED, created_by=laon),
        "examined": examined,
        "d67": CaseFactory(to=S.SUBMITTED, direction=d67),
    }


POLE = {"submitted", "examined", "d67"}
SEES = {
    "poste_agent": {"draft", "submitted", "examined"},
    "other_poste_agent": set(),
    "direction_agent": {"draft", "submitted", "examined"},
    "other_direction_agent": {"d67"},
    "jurist": POLE,
    "other_jurist": POLE,
    "head": POLE,
    "expert": {"examined"},
    "management": POLE,
    "management_d02": {"submitted", "examined"},
    "management_d67": {"d67"},
    "admin": POLE,
}
CREATORS = {"poste_agent", "other_poste_agent", "direction_agent", "other_direction_agent"}


@pytest.mark.parametrize("role", ROLE_KEYS)
def test_list_and_detail_follow_the_case_scope(role, users, cases):
    api = client_for(users[role])
    listed = api.get(reverse("api:cases")).json()
    by_reference = {case.reference: key for key, case in cases.items()}
    assert {by_reference[row["reference"]] for row in listed["results"]} == SEES[role]
    assert listed["count"] == len(SEES[role])
    for key, case in cases.items():
        expected = 200 if key in SEES[role] else 404
        for name in ["case", "history", "step", "documents", "pieces"]:
            response = api.get(reverse(f"api:{name}", args=[case.reference]))
            assert response.status_code == expected, (role, key, name)
        if expected == 404:
            assert response.json() == {"detail": "Dossier introuvable."}


@pytest.mark.parametrize("role", ROLE_KEYS)
def test_writes_answer_like_the_referral_pages(role, users, cases, client):
    """PATCH and the submission get the status the web's edit page gets; a piece, the
    status the case page's piece form gets (a piece is added after sending too)."""
    api = client_for(users[role])
    client.force_login(users[role])
    for key, case in cases.items():
        expected = web = client.get(reverse("cases:edit", args=[case.reference])).status_code
        if key == "draft" and role in {"poste_agent", "direction_agent"}:  # its referrers
            assert web == 200
        elif key in SEES[role]:
            assert web == 403, (role, key)
        else:
            assert web == 404, (role, key)
        patch = api.patch(reverse("api:case", args=[case.reference]), {}, format="json")
        assert patch.status_code == expected, (role, key)
        piece = api.post(reverse("api:pieces", args=[case.reference]), {}, format="multipart")
        web_piece = client.post(reverse("cases:piece_add", args=[case.reference]), {})
        assert web_piece.status_code in (422, 403, 404), (role, key)
        from_web = {422: 400}.get(web_piece.status_code, web_piece.status_code)
        assert piece.status_code == from_web, (role, key)
        submit = api.post(reverse("api:submit", args=[case.reference]), {}, format="json")
        # An editable draft: refused as incomplete (no pieces), 400.
        assert submit.status_code == (400 if expected == 200 else expected), (role, key)


@pytest.mark.parametrize("role", ROLE_KEYS)
def test_only_the_referring_side_creates_referrals(role, users, client):
    response = client_for(users[role]).post(reverse("api:cases"), {}, format="json")
    client.force_login(users[role])
    web = client.get(reverse("cases:create")).status_code
    if role in CREATORS:
        assert (web, response.status_code) == (200, 201)
    else:
        assert (web, response.status_code) == (403, 403)
        assert response.json()["detail"] == (
            "Seuls les directions et postes comptables saisissent le pôle."
        )


@pytest.mark.parametrize("role", ROLE_KEYS)
def test_deadlines_like_the_deadlines_page(role, users, cases, client):
    api = client_for(users[role])
    client.force_login(users[role])
    for key, case in cases.items():
        web = client.get(reverse("deadlines:case", args=[case.reference])).status_code
        response = api.get(reverse("api:deadlines", args=[case.reference]))
        assert response.status_code == web, (role, key)
        assert web in (200, 403, 404)


def test_anonymous_gets_401_everywhere(cases):
    anonymous = APIClient()
    reference = cases["submitted"].reference
    for name, args in [("cases", []), ("case", [reference]), ("history", [reference])]:
        response = anonymous.get(reverse(f"api:{name}", args=args))
        assert response.status_code == 401
    assert anonymous.post(reverse("api:cases"), {}, format="json").status_code == 401


def test_list_and_detail_queries_do_not_grow_with_the_cases(
    api, users, settings, django_assert_num_queries
):
    # A day's window, so that no new window (one more query, to forget the old ones)
    # starts during the test; each request counts itself with one upsert.
    settings.API_RATE = "100000/day"
    client = api("head")
    client.get(reverse("api:cases"))  # the token's first use is written once
    CaseFactory(to=S.SUBMITTED)
    with django_assert_num_queries(4):
        client.get(reverse("api:cases"))
    for _ in range(5):
        case = CaseFactory(to=S.SUBMITTED)
    with django_assert_num_queries(4):
        client.get(reverse("api:cases"))
    # the history and the thread are not read; +3: the consultation journal's row (its
    # INSERT in a savepoint, inside the test's transaction)
    with django_assert_num_queries(12):
        client.get(reverse("api:case", args=[case.reference]))
