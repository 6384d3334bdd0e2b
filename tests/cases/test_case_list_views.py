"""The case list as a workspace (issue 22, « The case list »): sorted by any column, the
columns each user chooses, filters by jurist, expert, deadline and prescription windows and
amount, views saved per user, and the filtered list exported whole to CSV and XLSX."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from cases.enums import AccessKind, CaseStatus
from cases.models import AccessLog, Case, Claim, Label, SavedView
from deadlines.models import Deadline
from tests.factories import CaseFactory, ClaimFactory

pytestmark = pytest.mark.django_db

LIST = reverse("cases:list")


def _case(remaining: str | None, **fields) -> Case:
    case = CaseFactory(to=CaseStatus.SUBMITTED, **fields)
    Claim.objects.filter(case=case).delete()
    if remaining is not None:
        ClaimFactory(case=case, principal=Decimal(remaining), penalties=0, remaining=remaining)
    return case


def _references(response) -> list[str]:
    return [case.reference for case in response.context["page"].object_list]


def test_the_list_sorts_by_amount_both_ways_with_empty_amounts_last(client, users):
    small, big, none = _case("1000"), _case("90000"), _case(None)
    client.force_login(users["head"])
    assert _references(client.get(LIST, {"sort": "amount"})) == [
        small.reference,
        big.reference,
        none.reference,
    ]
    page = client.get(LIST, {"sort": "-amount"})
    assert _references(page) == [big.reference, small.reference, none.reference]
    # The header says which column is sorted, and its link sorts the other way.
    html = page.content.decode()
    assert 'aria-sort="descending"' in html
    assert "sort=amount" in html


def test_a_user_chooses_the_columns(client, users):
    case = _case("1000")
    case.assigned_jurist = users["jurist"]
    case.save(update_fields=["assigned_jurist"])
    users["jurist"].last_name = "Durand-Lefebvre"
    users["jurist"].save()
    client.force_login(users["head"])
    cell = f"<td>{users['jurist'].get_full_name()}</td>"
    default = client.get(LIST).content.decode()
    assert cell not in default and "Reste à recouvrer" in default
    chosen = client.get(LIST, {"columns": ["jurist", "last_activity"]}).content.decode()
    assert cell in chosen
    assert "Dernière activité" in chosen
    assert "Reste à recouvrer</a></th>" not in chosen  # the amount left out


def test_filters_by_jurist_deadline_prescription_and_amount(client, users):
    mine, other = _case("50000"), _case("5000")
    mine.assigned_jurist = users["jurist"]
    mine.save(update_fields=["assigned_jurist"])
    today = timezone.localdate()
    Deadline.objects.create(
        case=mine,
        label="Publication",
        basis="CPCE R.321-6",
        due_date=today + datetime.timedelta(10),
    )
    Deadline.objects.create(
        case=other,
        label="Publication",
        basis="CPCE R.321-6",
        due_date=today + datetime.timedelta(40),
    )
    Claim.objects.filter(case=other).update(prescription_date=today + datetime.timedelta(60))
    Claim.objects.filter(case=mine).update(prescription_date=today + datetime.timedelta(900))
    client.force_login(users["head"])
    assert _references(client.get(LIST, {"jurist": users["jurist"].pk})) == [mine.reference]
    assert _references(client.get(LIST, {"deadline_within": 15})) == [mine.reference]
    assert set(_references(client.get(LIST, {"deadline_within": 60}))) == {
        mine.reference,
        other.reference,
    }
    assert _references(client.get(LIST, {"prescription_within": 90})) == [other.reference]
    assert _references(client.get(LIST, {"amount_min": "10000"})) == [mine.reference]
    assert _references(client.get(LIST, {"amount_max": "10000"})) == [other.reference]
    shown = client.get(LIST, {"columns": ["next_deadline"]}).content.decode()
    assert (today + datetime.timedelta(10)).strftime("%d/%m/%Y") in shown


def test_a_reversed_amount_range_is_explained_in_french(client, users):
    client.force_login(users["head"])
    page = client.get(LIST, {"amount_min": "5000", "amount_max": "100"}).content.decode()
    assert "Le montant maximal doit être supérieur ou égal au montant minimal." in page
    page = client.get(LIST, {"amount_min": "beaucoup"}).content.decode()
    assert "Indiquez un montant en euros" in page


def test_views_are_saved_per_user_and_reopened(client, users):
    near, far = _case("1000"), _case("2000")
    today = timezone.localdate()
    Deadline.objects.create(
        case=near, label="Publication", basis="CPCE R.321-6", due_date=today + datetime.timedelta(5)
    )
    client.force_login(users["jurist"])
    name = "Échéances de la quinzaine"
    response = client.post(
        reverse("cases:view_create"),
        {"name": name, "query": "deadline_within=15&page=3&q="},
    )
    view = SavedView.objects.get(user=users["jurist"])
    assert view.query == "deadline_within=15"  # neither the page nor empty filters
    assert response.url.endswith("?deadline_within=15")
    page = client.get(LIST)
    assert name in page.content.decode()
    assert _references(client.get(f"{LIST}?{view.query}")) == [near.reference]
    assert far.reference not in _references(client.get(f"{LIST}?{view.query}"))
    # The same name again is refused in French; nothing is added.
    again = client.post(
        reverse("cases:view_create"), {"name": name.upper(), "query": ""}, follow=True
    )
    assert "Vous avez déjà une vue nommée" in again.content.decode()
    assert SavedView.objects.count() == 1
    # Another user neither sees nor deletes it.
    client.force_login(users["other_jurist"])
    assert name not in client.get(LIST).content.decode()
    assert client.post(reverse("cases:view_delete", args=[view.pk])).status_code == 404
    client.force_login(users["jurist"])
    client.post(reverse("cases:view_delete", args=[view.pk]))
    assert not SavedView.objects.exists()


def test_the_export_gives_every_filtered_row_in_the_columns_shown(client, users, settings):
    settings.CASES_PER_PAGE = 2
    cases = [_case(str(1000 * (i + 1))) for i in range(5)]
    _case("50")  # filtered out by the amount
    client.force_login(users["direction_agent"])
    response = client.get(
        reverse("cases:export", args=["csv"]),
        {"amount_min": "500", "columns": ["debtor", "amount"], "sort": "amount"},
    )
    assert response.streaming
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = text.strip().split("\r\n")
    assert lines[0] == "Référence;Redevable;Reste à recouvrer"
    assert [line.split(";")[0] for line in lines[1:]] == [c.reference for c in cases]
    assert lines[1].endswith(";1000,00")
    log = AccessLog.objects.get(kind=AccessKind.LIST_EXPORTED)
    assert log.user == users["direction_agent"]

    book = client.get(reverse("cases:export", args=["xlsx"]), {"amount_min": "500"})
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(book.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Référence" and len(rows) == 6
    assert "Étiquettes" not in rows[0]  # the pôle's labels are not the referring side's


def test_the_pole_exports_its_labels_and_a_formula_is_written_as_text(client, users):
    case = _case("1000")
    label = Label.objects.create(name="=urgent")
    case.labels.add(label, through_defaults={"added_by": users["head"]})
    client.force_login(users["head"])
    response = client.get(reverse("cases:export", args=["csv"]), {"columns": ["labels"]})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert text.splitlines()[0] == "Référence;Étiquettes"
    assert f"{case.reference};'=urgent" in text


def test_an_unknown_export_format_is_not_found(client, users):
    client.force_login(users["head"])
    assert client.get(reverse("cases:export", args=["pdf"])).status_code == 404
