"""The deadline pages by role, the case page and the calendar feed."""

import datetime
import hashlib

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.enums import EventKind
from cases.models import Claim
from deadlines import services
from deadlines.enums import DeadlineStatus
from deadlines.models import CalendarToken

from .conftest import starting_act

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def add(case, user, label, days, basis="Calendrier du juge"):
    return services.add_manual_deadline(
        case, user, label=label, due_date=TODAY + datetime.timedelta(days=days), basis=basis
    )


@pytest.fixture
def two_cases(users, engaged_case):
    mine = engaged_case()
    other = engaged_case()
    other.assigned_jurist = users["other_jurist"]
    other.save()
    add(mine, users["jurist"], "Conclusions en réponse", 10)
    add(mine, users["jurist"], "Bordereau de pièces", -3)
    add(other, users["other_jurist"], "Dépôt au greffe", 5)
    return mine, other


def labels(response) -> list[str]:
    return [d.label for d in response.context["deadlines"]]


def test_the_jurist_sees_their_own_deadlines_overdue_first(client, users, two_cases):
    mine, _ = two_cases
    client.force_login(users["jurist"])
    response = client.get(reverse("deadlines:mine"))
    assert response.status_code == 200
    assert labels(response) == ["Bordereau de pièces", "Conclusions en réponse"]
    html = response.content.decode()
    assert "Mes échéances" in html and "Dépassée de 3 j" in html
    assert mine.reference in html and "Calendrier du juge" in html
    assert "10 j" in html


def test_the_head_sees_the_team_and_management_all(client, users, two_cases):
    for key in ("head", "management"):
        client.force_login(users[key])
        response = client.get(reverse("deadlines:mine"))
        assert labels(response) == [
            "Bordereau de pièces",
            "Dépôt au greffe",
            "Conclusions en réponse",
        ], key
    client.force_login(users["management_d67"])
    assert labels(client.get(reverse("deadlines:mine"))) == []


@pytest.mark.parametrize("key", ["direction_agent", "poste_agent", "expert"])
def test_the_referring_side_and_experts_are_refused(client, users, two_cases, key):
    mine, _ = two_cases
    client.force_login(users[key])
    assert client.get(reverse("deadlines:mine")).status_code == 403
    assert client.get(reverse("deadlines:case", args=[mine.reference])).status_code in (403, 404)


def test_the_header_shows_the_link_to_the_pole_and_management(client, users):
    # The exact link: the calculator's (/echeances/calculateur/, for everyone) shares its start.
    link = f'href="{reverse("deadlines:mine")}"'
    client.force_login(users["jurist"])
    assert link in client.get(reverse("cases:list")).content.decode()
    client.force_login(users["direction_agent"])
    assert link not in client.get(reverse("cases:list")).content.decode()


def test_prescription_under_six_months_is_flagged(client, users, two_cases):
    mine, _ = two_cases
    claim = mine.claims.get()
    Claim.objects.filter(pk=claim.pk).update(prescription_date=TODAY + datetime.timedelta(days=60))
    client.force_login(users["jurist"])
    html = client.get(reverse("deadlines:mine")).content.decode()
    assert "Prescription dans moins de six mois" in html and mine.reference in html


def test_the_case_page_marks_done_and_cancels(client, users, two_cases):
    mine, _ = two_cases
    first, second = mine.deadlines.order_by("due_date")
    client.force_login(users["jurist"])
    page = client.get(reverse("deadlines:case", args=[mine.reference]))
    assert page.status_code == 200 and "Ajouter une échéance" in page.content.decode()

    response = client.post(reverse("deadlines:done", args=[first.pk]), {"act": "", "done_on": ""})
    assert response.status_code == 422
    response = client.post(
        reverse("deadlines:done", args=[first.pk]),
        {"act": "Bordereau communiqué", "done_on": TODAY.isoformat()},
    )
    assert response.status_code == 302
    response = client.post(reverse("deadlines:cancel", args=[second.pk]), {"reason": "Sans objet"})
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == DeadlineStatus.DONE and second.status == DeadlineStatus.CANCELLED

    client.force_login(users["other_jurist"])
    response = client.post(
        reverse("deadlines:add", args=[mine.reference]),
        {"label": "x", "due_date": TODAY.isoformat(), "basis": "y"},
    )
    assert response.status_code == 403
    client.force_login(users["management"])
    page = client.get(reverse("deadlines:case", args=[mine.reference]))
    assert page.status_code == 200 and "Ajouter une échéance" not in page.content.decode()


def test_alsace_moselle_case_page_shows_the_local_law_notice(client, users, engaged_case):
    case = engaged_case(departement="57")
    client.force_login(users["jurist"])
    response = client.get(reverse("deadlines:case", args=[case.reference]))
    html = response.content.decode()
    assert "loi du 1er juin 1924" in html and 'id="local-law"' in html
    response = client.post(
        reverse("deadlines:add", args=[case.reference]),
        {
            "label": "Requête en adjudication",
            "due_date": "2027-02-01",
            "basis": "Loi du 1er juin 1924",
        },
    )
    assert response.status_code == 302
    assert case.deadlines.get().basis == "Loi du 1er juin 1924"


def test_the_calendar_feed_and_its_revocation(client, users, two_cases):
    mine, _ = two_cases
    jurist = users["jurist"]
    deadline = mine.deadlines.get(label="Conclusions en réponse")
    client.force_login(jurist)
    token = _new_feed_token(client)
    client.logout()

    response = client.get(reverse("deadlines:feed", args=[token]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")
    assert "\n" not in body.replace("\r\n", "")
    assert body.count("BEGIN:VEVENT") == 2
    unfolded = body.replace("\r\n ", "")
    due = deadline.due_date.strftime("%Y%m%d")
    assert f"DTSTART;VALUE=DATE:{due}\r\n" in unfolded
    assert f"UID:deadline-{deadline.pk}@" in unfolded
    assert f"SUMMARY:{mine.reference} — Conclusions en réponse\r\n" in unfolded
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))

    client.force_login(jurist)
    new = _new_feed_token(client)
    client.logout()
    assert client.get(reverse("deadlines:feed", args=[token])).status_code == 404
    assert new != token
    assert client.get(reverse("deadlines:feed", args=[new])).status_code == 200


def _new_feed_token(client) -> str:
    """The secret of the feed URL the page shows once, when the link is made."""
    response = client.post(reverse("deadlines:regenerate_token"))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    url = response.context["feed_url"]
    assert f'<code id="feed-url">{url}</code>' in response.content.decode()
    return url.rsplit("/", 1)[1].removesuffix(".ics")


def test_the_feed_secret_is_stored_only_as_its_digest_and_shown_only_once(client, users):
    jurist = users["jurist"]
    client.force_login(jurist)
    secret = _new_feed_token(client)
    stored = CalendarToken.objects.get(user=jurist)
    assert stored.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(CalendarToken.objects.filter(user=jurist).values().get())
    page = client.get(reverse("deadlines:mine")).content.decode()
    assert secret not in page
    assert "Votre lien est actif depuis le" in page
    assert "Régénérer le lien (révoque l'ancien)" in page
    client.logout()
    assert client.get(reverse("deadlines:feed", args=[secret])).status_code == 200
    assert client.get(reverse("deadlines:feed", args=[stored.digest])).status_code == 404


def test_ical_escaping():
    from deadlines.ical import escape, fold

    assert escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    folded = fold("SUMMARY:" + "é" * 80)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == "SUMMARY:" + "é" * 80


def test_correcting_a_procedure_act_on_the_case_page(client, users, engaged_case):
    case = engaged_case()
    act = services.record_procedure_act(
        case, users["jurist"], kind="adjudication", date=datetime.date(2026, 6, 4)
    )
    client.force_login(users["jurist"])
    url = reverse("deadlines:correct_act", args=[act.pk])
    assert client.post(url, {"date": "2026-06-04", "reason": "x"}).status_code == 422
    response = client.post(url, {"date": "2026-06-08", "reason": "Date du jugement erronée"})
    assert response.status_code == 302
    assert case.deadlines.get(template="si_surenchere").due_date == datetime.date(2026, 6, 18)
    client.force_login(users["other_jurist"])
    assert client.post(url, {"date": "2026-06-09", "reason": "x"}).status_code == 403


def test_correcting_the_date_the_commandement_was_served(client, users, engaged_case):
    case = engaged_case()
    jurist = users["jurist"]
    act = starting_act(case, jurist, datetime.date(2026, 1, 15))
    services.on_starting_act(case, jurist, act)
    assert case.deadlines.get(template="si_publication").due_date == datetime.date(2026, 3, 16)
    client.force_login(jurist)
    page = client.get(reverse("deadlines:case", args=[case.reference])).content.decode()
    assert "Corriger la date de signification" in page
    url = reverse("deadlines:correct_starting_act", args=[act.pk])
    assert client.post(url, {"date": "2026-01-15", "reason": "x"}).status_code == 422
    response = client.post(url, {"date": "2026-01-20", "reason": "Erreur de saisie"})
    assert response.status_code == 302
    # 20 March 2026 is a Friday.
    assert case.deadlines.get(template="si_publication").due_date == datetime.date(2026, 3, 20)
    event = case.events.filter(kind=EventKind.DEADLINES_RECOMPUTED).get()
    assert "Erreur de saisie" in event.reason
    client.force_login(users["other_jurist"])
    assert client.post(url, {"date": "2026-01-21", "reason": "x"}).status_code == 403


def test_the_deadlines_come_a_page_at_a_time_the_overdue_counted_on_all(
    client, users, engaged_case
):
    from deadlines.views import DEADLINES_PER_PAGE

    case = engaged_case()
    for day in range(DEADLINES_PER_PAGE + 5):
        add(case, users["jurist"], f"Échéance {day:03d}", day - 30)  # 30 overdue
    client.force_login(users["jurist"])
    first = client.get(reverse("deadlines:mine"))
    assert len(labels(first)) == DEADLINES_PER_PAGE
    assert labels(first)[0] == "Échéance 000"  # the most overdue first
    assert first.context["overdue"] == 30
    assert "30 dépassées" in first.content.decode()  # all of them, not the page's
    second = client.get(reverse("deadlines:mine"), {"page": 2})
    assert labels(second)[0] == f"Échéance {DEADLINES_PER_PAGE:03d}"
    assert "Page 2 / 2" in second.content.decode()
