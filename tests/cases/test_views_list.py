"""The case list (search, filters, pagination) and the pinned query counts of the pages."""

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.enums import CaseStatus, Mode
from cases.models import ActionType, Case, Direction
from cases.pieces import check_upload, sample_pdf
from tests.factories import CaseFactory, ClaimFactory, DebtorFactory
from workflows.services import ACTIVE


def _references(response) -> list[str]:
    return [case.reference for case in response.context["page"].object_list]


@pytest.mark.django_db
def test_search_by_reference_debtor_and_siren(client, users):
    a = CaseFactory(to=CaseStatus.SUBMITTED, debtor=DebtorFactory(name="SARL ALPHA"))
    b = CaseFactory(
        to=CaseStatus.SUBMITTED, debtor=DebtorFactory(name="SAS BETA", siren="732829320")
    )
    client.force_login(users["head"])
    url = reverse("cases:list")
    assert _references(client.get(url, {"q": "alpha"})) == [a.reference]
    assert _references(client.get(url, {"q": "732 829 320"})) == [b.reference]
    assert _references(client.get(url, {"q": b.reference})) == [b.reference]


@pytest.mark.django_db
def test_filters_by_status_direction_action_and_mode(client, users):
    d67 = Direction.objects.get(code="DRFIP 67")
    examined = CaseFactory(to=CaseStatus.UNDER_EXAMINATION)
    strasbourg = CaseFactory(to=CaseStatus.SUBMITTED, direction=d67)
    opinion = CaseFactory(to=CaseStatus.OPINION_GIVEN)
    holder = CaseFactory(
        to=CaseStatus.SUBMITTED, action_type=ActionType.objects.get(code="tiers_detenteur")
    )
    client.force_login(users["management"])
    url = reverse("cases:list")
    assert _references(client.get(url, {"status": "under_examination"})) == [examined.reference]
    assert _references(client.get(url, {"direction": d67.pk})) == [strasbourg.reference]
    assert _references(client.get(url, {"mode": Mode.AVIS})) == [opinion.reference]
    assert _references(
        client.get(url, {"action_type": holder.action_type.pk, "status": "submitted"})
    ) == [holder.reference]


@pytest.mark.django_db
def test_list_is_scoped_and_filter_cannot_widen_it(client, users):
    mine = CaseFactory(to=CaseStatus.SUBMITTED, created_by=users["poste_agent"])
    d67 = Direction.objects.get(code="DRFIP 67")
    CaseFactory(to=CaseStatus.SUBMITTED, direction=d67)
    client.force_login(users["poste_agent"])
    url = reverse("cases:list")
    assert _references(client.get(url)) == [mine.reference]
    # DRFIP 67 is not offered to this agent: the filter is ignored, the scope stays.
    assert _references(client.get(url, {"direction": d67.pk})) == [mine.reference]


@pytest.mark.django_db
def test_pagination(client, users, settings):
    settings.CASES_PER_PAGE = 3
    cases = [CaseFactory(to=CaseStatus.SUBMITTED) for _ in range(7)]
    client.force_login(users["head"])
    url = reverse("cases:list")
    page3 = client.get(url, {"page": 3})
    assert len(_references(page3)) == 1
    assert "Page 3 / 3" in page3.content.decode()
    seen = set()
    for number in (1, 2, 3):
        seen |= set(_references(client.get(url, {"page": number})))
    assert seen == {c.reference for c in cases}


@pytest.mark.django_db
def test_list_shows_amount_and_earliest_prescription(client, users):
    case = CaseFactory(to=CaseStatus.SUBMITTED)
    ClaimFactory(case=case, remaining=1000, principal=1000, penalties=0)
    client.force_login(users["head"])
    page = client.get(reverse("cases:list")).content.decode()
    assert "89\u202f000,00\u00a0€" in page
    assert "15/03/2028" in page


def _message(user, case, index: int) -> None:
    upload = ContentFile(sample_pdf("pj"), name=f"pj{index}.pdf")
    services.post_message(user, case, f"Message {index}", [(upload, check_upload(upload))])


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _referred() -> Case:
    """A complete referral submitted by its poste agent: its process has an open step."""
    case = CaseFactory(complete=True)
    services.submit_referral(case.created_by, case, confirm_duplicate=True)
    return case


# The header's counts (unread messages and notifications, tasks held and to take) are one
# query; the task counts need the user's permissions, which Django's ModelBackend reads in
# two queries (the user's and their groups'), plus one for the postes comptables of the
# referring side (workflows.permissions). None of it depends on the number of cases or tasks.
# The pôle's list adds its labels: the filter's choices and the page's tags (one each).
# Every list adds the choices of its jurist and expert filters (one query for both) and the
# user's saved views (one). The pôle's bulk form (workflows.bulk) adds its labels and, for
# the head, the jurists a case may be reassigned to (one each).


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "most"), [("head", 15), ("direction_agent", 13)])
def test_case_list_query_count_does_not_grow_with_cases(client, users, role, most):
    client.force_login(users[role])
    url = reverse("cases:list")
    _referred()
    one = _count_queries(client, url)
    for _ in range(6):
        _referred()  # each with a receivability step in the head's queue
    for _ in range(6):
        CaseFactory(to=CaseStatus.SUBMITTED)
    assert _count_queries(client, url) == one
    assert one <= most


@pytest.mark.django_db
def test_case_page_query_count_does_not_grow_with_its_content(client, users):
    client.force_login(users["poste_agent"])
    case = CaseFactory(complete=True, created_by=users["poste_agent"])
    url = case.get_absolute_url()
    _message(users["direction_agent"], case, 0)
    small = _count_queries(client, url)
    for _ in range(6):
        ClaimFactory(case=case)
    for index in range(4):
        services.add_piece_bytes(
            users["poste_agent"], case, "autre", f"autre{index}.pdf", sample_pdf("x")
        )
        _message(users["direction_agent"], case, index + 1)
    assert _count_queries(client, url) == small
    # +5: the chain of the claims' prescription (acts, payments, decisions, suspensions);
    # +2: the counts of the paged thread and history; +3: the consultation journal's row
    # (one INSERT, in its savepoint inside the test's transaction: a failed row must not
    # break it); +2: whether the case has parties, the debtor's collective proceedings
    # (issue 17: one query each, whatever their number)
    assert small <= 31


@pytest.mark.django_db
def test_pole_case_page_query_count_is_constant(client, users):
    client.force_login(users["head"])
    case = CaseFactory(to=CaseStatus.EXECUTION)
    url = case.get_absolute_url()
    before = _count_queries(client, url)
    for _ in range(5):
        ClaimFactory(case=case)
    assert _count_queries(client, url) == before


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["head", "poste_agent", "jurist"])
def test_case_page_query_count_does_not_grow_with_its_process(client, users, role):
    """The process panel reads the open steps in one query, whatever the steps done."""
    case = _referred()
    agent, head = case.created_by, users["head"]
    url = case.get_absolute_url()
    viewer = agent if role == "poste_agent" else users[role]

    def count() -> int:
        client.force_login(viewer)
        return _count_queries(client, url)

    def return_and_resubmit() -> None:
        task = case.process.task_set.get(flow_task_type="HUMAN", status__in=ACTIVE)
        client.force_login(head)
        client.post(
            reverse("workflows:task", args=[task.pk]),
            {"action": "complete", "decision": "return", "grounds": ["pieces"], "missing": "Kbis"},
        )
        case.refresh_from_db()
        assert case.status == CaseStatus.RETURNED
        services.submit_referral(agent, case, confirm_duplicate=True)

    return_and_resubmit()
    _message(agent, case, 0)
    first = count()
    for index in range(3):
        return_and_resubmit()  # two more steps done each time, and their history
        _message(agent, case, index + 1)
    assert count() == first
    # The documents section (one query), the prescription chain (five), the counts of the
    # paged thread and history (two), the consultation journal's row (three: its INSERT in
    # a savepoint inside the test's transaction), the parties and the debtor's collective
    # proceedings (one each); for the pôle, its labels, its notes and whether the user
    # follows the case (one each); the debtor's other cases and its co-obligés (one each).
    assert first <= 36


@pytest.mark.django_db
def test_cases_near_prescription_are_flagged_in_the_list(client, users):
    import datetime

    from cases.validators import add_years

    near = CaseFactory(to=CaseStatus.SUBMITTED)
    act = add_years(timezone.localdate(), -4) + datetime.timedelta(days=60)
    near.claims.update(
        assessment_date=act, last_interruptive_act=act, prescription_date=add_years(act, 4)
    )
    CaseFactory(to=CaseStatus.SUBMITTED)  # prescription in 2028
    client.force_login(users["head"])
    page = client.get(reverse("cases:list")).content.decode()
    assert page.count("Moins de 6 mois") == 1
