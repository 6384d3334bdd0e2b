"""The consultation journal: each access to tax data writes one row (who, which case,
what, when), the head of the pôle reads the pôle's, a direction agent cannot, and the purge
keeps the rows of the retention period."""

import datetime
import logging

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from api.models import ApiToken
from cases.enums import AccessKind, CaseStatus
from cases.models import AccessLog, Case, MessageAttachment
from cases.pieces import sample_pdf
from deadlines.models import CalendarToken
from documents.enums import DocumentKind
from documents.services import generate, request_document
from tests import database
from tests.factories import CaseFactory, UserFactory
from workflows import services as workflow

pytestmark = pytest.mark.django_db

K = AccessKind


@pytest.fixture
def case(users):
    return CaseFactory(to=CaseStatus.UNDER_EXAMINATION, created_by=users["poste_agent"])


def _api(user) -> APIClient:
    client = APIClient()
    _, secret = ApiToken.issue(user, "Tests")
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def _only_row(kind: str) -> AccessLog:
    rows = list(AccessLog.objects.filter(kind=kind))
    assert len(rows) == 1, [(r.kind, r.target) for r in AccessLog.objects.all()]
    return rows[0]


def _assert_row(row: AccessLog, user, case: Case | None, target: str, before):
    assert row.user == user
    assert row.user_label.startswith(f"{user.first_name} {user.last_name}")
    assert row.case == case
    assert row.case_reference == (case.reference if case else "")
    assert target in row.target
    assert before <= row.at <= timezone.now()


def test_opening_the_case_page_and_a_step_page_writes_one_row_each(client, users, case):
    before = timezone.now()
    client.force_login(users["direction_agent"])
    assert client.get(case.get_absolute_url()).status_code == 200
    _assert_row(_only_row(K.CASE_VIEWED), users["direction_agent"], case, "", before)
    (task,) = workflow.active_tasks(case)
    assert client.get(reverse("workflows:task", args=[task.pk])).status_code == 200
    row = _only_row(K.STEP_VIEWED)
    _assert_row(row, users["direction_agent"], case, workflow.step_title(task), before)
    assert row.path == reverse("workflows:task", args=[task.pk])
    assert AccessLog.objects.count() == 2


def test_each_download_writes_one_row_naming_the_file(client, users, case):
    before = timezone.now()
    piece = case.pieces.order_by("pk").first()
    client.force_login(users["jurist"])
    pdf = SimpleUploadedFile("projet.pdf", sample_pdf("Projet"), "application/pdf")
    client.post(
        reverse("cases:message_post", args=[case.reference]),
        {"body": "Le projet d'assignation.", "attachments": [pdf]},
    )
    attachment = MessageAttachment.objects.get()
    document = generate(request_document(case, DocumentKind.BORDEREAU, users["head"]).pk)
    downloads = [K.PIECE_DOWNLOADED, K.ATTACHMENT_DOWNLOADED, K.DOCUMENT_DOWNLOADED]
    assert not AccessLog.objects.filter(kind__in=downloads).exists()  # the journal is append-only

    client.force_login(users["poste_agent"])
    url = reverse("cases:piece_download", args=[case.reference, piece.pk])
    assert client.get(url).status_code == 200
    _assert_row(
        _only_row(K.PIECE_DOWNLOADED), users["poste_agent"], case, piece.original_name, before
    )
    url = reverse("cases:attachment_download", args=[case.reference, attachment.pk])
    assert client.get(url).status_code == 200
    _assert_row(
        _only_row(K.ATTACHMENT_DOWNLOADED), users["poste_agent"], case, "projet.pdf", before
    )
    url = reverse("documents:download", args=[case.reference, document.pk])
    assert client.get(url).status_code == 200
    row = _only_row(K.DOCUMENT_DOWNLOADED)
    _assert_row(row, users["poste_agent"], case, f"v{document.version}", before)

    client.force_login(users["jurist"])
    assert client.get(reverse("documents:case_file", args=[case.reference])).status_code == 200
    _assert_row(_only_row(K.CASE_FILE_DOWNLOADED), users["jurist"], case, "", before)


def test_api_reads_of_a_case_and_its_files_are_journalled(users, case):
    before = timezone.now()
    document = generate(request_document(case, DocumentKind.BORDEREAU, users["head"]).pk)
    api = _api(users["poste_agent"])
    reads = {
        "api:case": "Dossier",
        "api:history": "Historique",
        "api:pieces": "Pièces",
        "api:documents": "Documents",
        "api:step": "Étape en cours",
    }
    for name in reads:
        assert api.get(reverse(name, args=[case.reference])).status_code == 200
    rows = AccessLog.objects.filter(kind=K.API_READ).order_by("pk")
    assert [r.target for r in rows] == list(reads.values())
    for row in rows:
        _assert_row(row, users["poste_agent"], case, "", before)
        assert row.path.startswith("/api/v1/")
    url = reverse("api:document_download", args=[case.reference, document.pk])
    assert api.get(url).status_code == 200
    _assert_row(_only_row(K.DOCUMENT_DOWNLOADED), users["poste_agent"], case, "Bordereau", before)


def test_a_list_export_is_journalled_without_a_case(client, users, case):
    before = timezone.now()
    client.force_login(users["management"])
    url = reverse("dashboards:export", args=["avis", "opinion_conclusions", "xlsx"])
    assert client.get(url).status_code == 200
    row = _only_row(K.LIST_EXPORTED)
    _assert_row(row, users["management"], None, "(XLSX)", before)
    assert row.path.startswith(url)


def test_a_refused_access_writes_nothing(client, users, case):
    client.force_login(users["other_direction_agent"])
    assert client.get(case.get_absolute_url()).status_code == 404
    piece = case.pieces.first()
    url = reverse("cases:piece_download", args=[case.reference, piece.pk])
    assert client.get(url).status_code == 404
    assert not AccessLog.objects.exists()


def test_the_page_is_served_even_when_the_journal_cannot_be_written(
    client, users, case, monkeypatch, caplog
):
    def refuse(self, *args, **kwargs):
        raise RuntimeError("disque plein")

    monkeypatch.setattr(AccessLog, "save", refuse)
    client.force_login(users["jurist"])
    with caplog.at_level(logging.ERROR, logger="cases.journal"):
        response = client.get(case.get_absolute_url())
    assert response.status_code == 200
    assert case.reference in response.content.decode()
    assert "n'a pas été écrite" in caplog.text
    assert not AccessLog.objects.exists()


# The journal's page --------------------------------------------------------------------


def _seed(users, case):
    other = CaseFactory(to=CaseStatus.SUBMITTED)
    draft = CaseFactory(created_by=users["poste_agent"])  # not the pôle's yet
    now = timezone.now()
    rows = [
        (users["direction_agent"], case, now - datetime.timedelta(days=1)),
        (users["poste_agent"], case, now - datetime.timedelta(days=40)),
        (users["jurist"], other, now),
        (users["poste_agent"], draft, now),
    ]
    for user, on, at in rows:
        AccessLog.objects.create(
            user=user,
            user_label=str(user),
            kind=K.CASE_VIEWED,
            case=on,
            case_reference=on.reference,
            path=on.get_absolute_url(),
            at=at,
        )
    return other, draft


def _listed(response) -> list[tuple[str, str]]:
    return [(r.user_label, r.case_reference) for r in response.context["page"].object_list]


def test_the_head_reads_the_journal_of_the_poles_cases_and_filters_it(client, users, case):
    other, draft = _seed(users, case)
    client.force_login(users["head"])
    url = reverse("cases:access_log")
    response = client.get(url)
    assert response.status_code == 200
    listed = _listed(response)
    assert (str(users["direction_agent"]), case.reference) in listed
    assert (str(users["jurist"]), other.reference) in listed
    assert draft.reference not in {ref for _, ref in listed}  # a draft is not the pôle's
    assert "Journal des consultations" in response.content.decode()

    by_user = _listed(client.get(url, {"user": users["poste_agent"].pk}))
    assert by_user == [(str(users["poste_agent"]), case.reference)]
    by_case = _listed(client.get(url, {"reference": other.reference}))
    assert by_case == [(str(users["jurist"]), other.reference)]
    today = timezone.localdate()
    recent = client.get(url, {"start": (today - datetime.timedelta(days=7)).isoformat()})
    assert {ref for _, ref in _listed(recent)} == {case.reference, other.reference}
    assert len(_listed(recent)) == 2
    old = client.get(url, {"end": (today - datetime.timedelta(days=30)).isoformat()})
    assert _listed(old) == [(str(users["poste_agent"]), case.reference)]

    wrong = client.get(url, {"start": today.isoformat(), "end": "2020-01-01"})
    assert "La date de début doit précéder la date de fin." in wrong.content.decode()


def test_the_journal_is_paginated(client, users, case, settings):
    settings.ACCESS_LOG_PER_PAGE = 2
    _seed(users, case)
    client.force_login(users["head"])
    first = client.get(reverse("cases:access_log"))
    assert first.context["page"].paginator.num_pages == 2
    assert len(first.context["page"].object_list) == 2
    second = client.get(reverse("cases:access_log"), {"page": 2})
    assert len(second.context["page"].object_list) == 1


@pytest.mark.parametrize(
    "role",
    ["direction_agent", "poste_agent", "jurist", "expert", "management", "management_d02"],
)
def test_nobody_else_reads_the_journal(client, users, case, role):
    _seed(users, case)
    client.force_login(users[role])
    assert client.get(reverse("cases:access_log")).status_code == 403
    page = client.get(case.get_absolute_url()).content.decode()
    assert reverse("cases:access_log") not in page  # no link in the menu either


def test_administrators_read_it_in_the_admin_read_only(client, users, case):
    _seed(users, case)
    client.force_login(users["admin"])
    listing = client.get(reverse("admin:cases_accesslog_changelist"))
    assert listing.status_code == 200
    assert case.reference in listing.content.decode()
    row = AccessLog.objects.first()
    assert client.post(reverse("admin:cases_accesslog_delete", args=[row.pk])).status_code == 403


# The purge -------------------------------------------------------------------------------


@pytest.fixture
def committed(transactional_db):
    """The owner's connection sees only what is committed: the test commits, and loads
    again the reference data the flush between such tests takes."""
    call_command(
        "loaddata", "directions", "action_types", "postes_comptables", "lawyers", verbosity=0
    )


def test_the_purge_removes_only_the_rows_past_the_retention_period(
    committed, users, case, settings
):
    # Run with the owner's DATABASE_URL: the application's role cannot delete the journal.
    settings.ACCESS_LOG_RETENTION_DAYS = 30
    _seed(users, case)  # rows of today, yesterday, and 40 days ago
    kept = set(
        AccessLog.objects.filter(at__gte=timezone.now() - datetime.timedelta(days=30)).values_list(
            "pk", flat=True
        )
    )
    assert len(kept) == 3
    out = []
    with database.as_owner():
        call_command("purge_access_log", stdout=_Writer(out))
    assert set(AccessLog.objects.values_list("pk", flat=True)) == kept
    assert "1 consultation(s) de plus de 30 jours effacée(s)" in "".join(out)
    with database.as_owner():
        call_command("purge_access_log", stdout=_Writer(out))
    assert AccessLog.objects.count() == 3  # nothing more to purge


class _Writer:
    def __init__(self, into: list):
        self.into = into

    def write(self, text: str) -> None:
        self.into.append(text)

    def flush(self) -> None:
        pass


def test_the_retention_default_is_a_year():
    assert django_settings.ACCESS_LOG_RETENTION_DAYS == 365


def test_a_user_who_left_stays_named_in_the_journal(client, users, case):
    leaving = UserFactory(username="parti", role="jurist")
    client.force_login(leaving)
    client.get(case.get_absolute_url())
    label = str(_only_row(K.CASE_VIEWED).user_label)
    client.logout()
    leaving.delete()
    row = _only_row(K.CASE_VIEWED)
    assert row.user is None and row.user_label == label


# The other ways to see a case, each one row ------------------------------------------------


def test_the_case_deadlines_page_writes_one_row(client, users, case):
    client.force_login(users["jurist"])
    assert client.get(reverse("deadlines:case", args=[case.reference])).status_code == 200
    row = _only_row(K.CASE_VIEWED)
    assert row.case == case and row.target == "Échéances du dossier"
    assert row.user == users["jurist"]


def test_the_calendar_feed_writes_one_row_in_its_owners_name(client, users, case):
    secret = CalendarToken.issue(users["jurist"])
    response = Client().get(reverse("deadlines:feed", args=[secret]))
    assert response.status_code == 200
    row = _only_row(K.LIST_EXPORTED)
    assert row.user == users["jurist"] and row.target == "Calendrier des échéances"


def test_opening_a_draft_for_edit_writes_one_row(client, users):
    draft = CaseFactory(complete=True, created_by=users["poste_agent"])
    client.force_login(users["poste_agent"])
    assert client.get(reverse("cases:edit", args=[draft.reference])).status_code == 200
    row = _only_row(K.CASE_VIEWED)
    assert row.case == draft and row.target == "Modification du brouillon"


def test_the_workflow_diagram_page_writes_one_row(client, users, case):
    client.force_login(users["jurist"])
    assert client.get(reverse("workflows:chart_page", args=[case.reference])).status_code == 200
    row = _only_row(K.CASE_VIEWED)
    assert row.case == case and row.target == "Schéma du circuit"


def test_the_cases_behind_a_dashboard_figure_write_one_row(client, users, case):
    client.force_login(users["head"])
    params = {"debut": "2025-01-01", "fin": "2025-06-30", "pas": "mois", "figure": "saisines"}
    response = client.get(reverse("dashboards:cases"), params)
    assert response.status_code == 200
    row = _only_row(K.LIST_VIEWED)
    assert row.user == users["head"] and row.target == "Saisines reçues"
