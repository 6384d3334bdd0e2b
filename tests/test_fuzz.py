"""Nasty input over the main forms, the API and the GET parameters: a French refusal or
the page, never a 500 (NUL bytes, lone surrogates, a megabyte of text, year 1 and 9999,
absurd amounts, other scripts' digits, bidirectional overrides…)."""

import json
from urllib.parse import quote, urlencode

import pytest
from django.urls import reverse

from cases.models import Case
from tests.api.conftest import client_for
from tests.api.test_journey import draft_body
from tests.factories import case_at_step, referral_data
from tests.workflows.conftest import open_task

pytestmark = pytest.mark.django_db

NASTY = [
    "\x00",
    "a\x00b",
    "%00",
    "\ud800",
    "\udfff",
    "x\ud83d",
    "‮gnp.exe",
    "\u202e\u2066\u2069",
    "\u200b",
    "\ufeff",
    "x" * 1_000_000,
    "é" * 100_000,
    "0001-01-01",
    "9999-12-31",
    "0000-00-00",
    "2025-02-30",
    "0001-01-01T00:00",
    "9999-12-31T23:59",
    "-1",
    "-0,01",
    "1e308",
    "9" * 400,
    "-" + "9" * 400,
    "NaN",
    "Infinity",
    "١٢٣",
    "１２３",
    "१२३",
    "12,34,56",
    "0x1F",
    "99999999999999999999",
    "-99999999999999999999",
    "1.5",
    "",
    " ",
    "\t\n\r",
    "null",
    "None",
    "[]",
    "{}",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "../../etc/passwd",
    "%s%s%s%n",
    "{{ 7*7 }}",
    "\\",
    "😀" * 1000,
    "\x1b[31m",
    "\x7f\x08",
    "A" * 256,
]
IDS = [repr(value)[:24] for value in NASTY]


def _ok(response):
    assert response.status_code < 500, response.content[:1000]
    return response


def _raw(data: dict) -> str:
    """The query string a browser or a script would send, lone surrogates included (as
    the bytes of their UTF-8 encoding, which the server cannot decode)."""
    return urlencode({k: str(v).encode("utf-8", "surrogatepass") for k, v in data.items()})


def get(client, url, params):
    return _ok(client.get(f"{url}?{_raw(params)}"))


def post(client, url, data):
    return _ok(client.post(url, _raw(data), content_type="application/x-www-form-urlencoded"))


# --- GET parameters ----------------------------------------------------------------------


@pytest.mark.parametrize("value", NASTY, ids=IDS)
def test_get_parameters(client, users, value):
    client.force_login(users["head"])
    pages = [
        (reverse("cases:list"), ["q", "status", "direction", "action_type", "mode", "page"]),
        (reverse("deadlines:calculator"), ["d-start", "d-length", "d-unit", "d-departement"]),
        (reverse("notifications:list"), ["page"]),
        (reverse("workflows:inbox"), ["page"]),
        (reverse("dashboards:show", args=["activite"]), ["debut", "fin", "pas", "direction"]),
    ]
    for url, names in pages:
        for name in names:
            extra = {"calcul": "simple"} if "calculateur" in url else {}
            get(client, url, {**extra, name: value})
    get(client, reverse("deadlines:calculator"), {"calcul": "saisie", "s-publie": value})


@pytest.mark.parametrize("value", [v for v in NASTY if len(v) < 300], ids=repr)
def test_path_parameters(client, users, value):
    client.force_login(users["head"])
    typed = quote(value.encode("utf-8", "surrogatepass"), safe="")
    for path in (
        f"/echeances/calendrier/{typed}.ics",
        f"/dossiers/{typed}/",
        f"/dossiers/{typed}/modifier/",
        f"/echeances/dossier/{typed}/",
        f"/pilotage/{typed}/",
        f"/pilotage/avis/{typed}.csv",
        f"/documents/{typed}/",
        f"/taches/{typed}/",
        f"/api/v1/cases/{typed}/",
    ):
        _ok(client.get(path))


# --- forms -------------------------------------------------------------------------------


@pytest.mark.parametrize("value", NASTY, ids=IDS)
def test_the_referral_page(client, users, value):
    agent = users["poste_agent"]
    client.force_login(agent)
    good = referral_data()
    names = [k for k in good if not k.endswith(("TOTAL_FORMS", "INITIAL_FORMS"))]
    everywhere = {**good, **{name: value for name in names}}
    one = {**good, names[NASTY.index(value) % len(names)]: value}
    for data in (everywhere, one):
        post(client, reverse("cases:create"), data)


@pytest.mark.parametrize("value", NASTY, ids=IDS)
def test_a_message_and_a_hearing(client, users, value):
    case = case_at_step("hearings")
    client.force_login(case.assigned_jurist)
    post(client, reverse("cases:message_post", args=[case.reference]), {"body": value})
    task = open_task(case, "hearings")
    good = {"court": "TJ de Laon", "scheduled_at": "2026-03-03T09:30", "kind": "other"}
    for name in ("court", "scheduled_at", "kind", "purpose"):
        url = reverse("workflows:side_action", args=[task.pk, "hearing"])
        post(client, url, {**good, name: value})
    draft = {"action": "draft", "deliberation_on": value}
    post(client, reverse("workflows:task", args=[task.pk]), draft)
    _ok(client.get(reverse("workflows:task", args=[task.pk])))
    _ok(client.get(case.get_absolute_url()))


@pytest.mark.parametrize("value", NASTY, ids=IDS)
def test_the_api(users, value):
    api = client_for(users["poste_agent"])
    everywhere = draft_body()
    everywhere["facts"] = value
    everywhere["debtor"]["name"] = value
    everywhere["claims"][0]["principal"] = value
    only_facts = {**draft_body(), "facts": value}
    for body in (everywhere, only_facts):
        # As a client sends it: JSON escapes (a lone surrogate is "\\ud800" in JSON).
        _ok(api.post("/api/v1/cases/", json.dumps(body), content_type="application/json"))
    _ok(api.get(f"/api/v1/cases/?{_raw({'q': value, 'status': value, 'page': value})}"))
    for case in Case.objects.all():
        _ok(api.get(f"/api/v1/cases/{case.reference}/"))
