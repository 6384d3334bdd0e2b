"""Exact figures of the four dashboards on the crafted data set (tests/dashboards/conftest.py),
read from the tables' CSV exports, which carry exactly what the pages show."""

import csv
import io
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from .conftest import PERIOD

pytestmark = pytest.mark.django_db


def table(client, slug, key, **params):
    """The rows of one table as the CSV export gives them, keyed by their first cell."""
    url = reverse("dashboards:export", args=[slug, key, "csv"])
    response = client.get(f"{url}?{urlencode({**PERIOD, **params})}")
    assert response.status_code == 200, response.content
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    return {row[0]: row[1:] for row in rows[1:]} | {"__header__": rows[0]}


@pytest.fixture
def head(client, users, crafted):
    client.force_login(users["head"])
    return client


def test_opinions_requested_and_issued_per_month(head):
    t = table(head, "avis", "opinions_per_period")
    assert t["__header__"] == ["Période", "Avis demandés", "Avis rendus"]
    # Requested: A1, A2 (Jan), A3 (Feb), A4 (Mar), A5 (May). Issued: A6 (Jan), A1 (Feb),
    # A2 and A4 (Mar), A3 (Apr).
    assert t["janvier 2025"] == ["2", "1"]
    assert t["février 2025"] == ["1", "1"]
    assert t["mars 2025"] == ["1", "2"]
    assert t["avril 2025"] == ["0", "1"]
    assert t["mai 2025"] == ["1", "0"]
    assert t["juin 2025"] == ["0", "0"]
    assert t["Total"] == ["5", "5"]


def test_time_to_validated_opinion_median_and_90th_percentile(head):
    t = table(head, "avis", "opinion_delays")
    # Delays 10, 20, 35, 40, 60 days: median 35; 90th percentile 40 + 0.6 × 20 = 52.
    assert t["Ensemble de la période"] == ["5", "35,0", "52,0"]
    assert t["mars 2025"] == ["2", "25,0", "37,0"]  # A4 10 and A2 40 days
    assert t["juin 2025"] == ["0", "", ""]


def test_conclusions_and_follow_up_rates(head):
    t = table(head, "avis", "opinion_conclusions")
    assert t["Favorable"] == ["3", "0,6000"]
    assert t["Défavorable"] == ["1", "0,2000"]
    assert t["Autre action recommandée"] == ["1", "0,2000"]
    f = table(head, "avis", "opinion_follow_up")
    assert f["Avis suivi"] == ["2", "0,4000"]
    assert f["Avis suivi en partie"] == ["1", "0,2000"]
    assert f["Avis non suivi"] == ["1", "0,2000"]
    assert f["Suite non encore indiquée"] == ["1", "0,2000"]


def test_follow_up_rate_shown_on_the_page(head):
    response = head.get(reverse("dashboards:show", args=["avis"]), PERIOD)
    text = response.content.decode()
    # Followed in whole or part: A1, A6, A3 of the four answered.
    assert "Taux de suivi : 75,0\u00a0% des avis" in text
    assert "(3 sur 4)" in text


def test_what_became_of_the_cases_whose_opinion_was_followed(head):
    t = table(head, "avis", "followed_cases")
    assert t == {
        "__header__": ["Situation actuelle du dossier", "Dossiers"],
        "Pris en charge": ["1"],  # A1
        "Clos — avis rendu": ["2"],  # A3, A6
        "Total": ["3"],
    }


def test_opinions_per_author(head, users):
    t = table(head, "avis", "opinions_by_author")
    jurist, expert = str(users["jurist"]), str(users["expert"])
    # juriste.a: A6 20, A1 35, A3 60 days: median 35, p90 35 + 0.8 × 25 = 55; each case
    # assigned on its referral day, so the same from the assignment.
    assert t[jurist] == ["Juriste du pôle", "3", "35,0", "55,0", "35,0"]
    # The expert of DDFIP 30: A4 10 and A2 40 days: median 25, p90 10 + 0.9 × 30 = 37.
    assert t[expert] == ["Expert DDFIP 30", "2", "25,0", "37,0", "25,0"]


def test_referrals_per_period_by_mode(head):
    t = table(head, "activite", "referrals_per_period")
    assert t["__header__"] == [
        "Période",
        "Avis d'opportunité",
        "Soutien technique",
        "Prise en charge",
        "Total",
    ]
    assert t["janvier 2025"] == ["2", "0", "1", "3"]  # A1, A2, T1
    assert t["février 2025"] == ["1", "0", "1", "2"]  # A3, T2
    assert t["avril 2025"] == ["0", "1", "0", "1"]  # S1
    assert t["Total"] == ["5", "1", "2", "8"]  # the draft and earlier referrals left out


def test_referrals_by_direction_marks_the_experiment(head):
    t = table(head, "activite", "referrals_by_direction")
    d02 = next(k for k in t if k.startswith("DDFIP 02"))
    d67 = next(k for k in t if k.startswith("DRFIP 67"))
    assert t[d02] == ["3", "1", "1", "5"]
    assert t[d67] == ["2", "0", "1", "3"]
    page = head.get(reverse("dashboards:show", args=["activite"]), PERIOD).content.decode()
    assert "Transmet</span>" in page and "Aidante</span>" in page


def test_referrals_by_direction_and_period(head):
    t = table(head, "activite", "referrals_by_direction_period")
    assert t["__header__"] == [
        "Direction",
        "janv. 25",
        "févr. 25",
        "mars 25",
        "avr. 25",
        "mai 25",
        "juin 25",
    ]
    assert t["DDFIP 02"] == ["3", "0", "0", "1", "1", "0"]  # A1 A2 T1; S1; A5
    assert t["DRFIP 67"] == ["0", "2", "1", "0", "0", "0"]  # A3 T2; A4
    assert t["Total"] == ["3", "2", "1", "1", "1", "0"]
    assert len(t) == 4  # header, the two directions with referrals, total


def test_referrals_by_action(head):
    t = table(head, "activite", "referrals_by_action")
    assert t["Saisie immobilière"][:1] == ["5"]  # A1, A5, S1, T1 + A3
    assert t["Total"] == ["8", "1,0000"]


def test_returns_and_their_grounds(head):
    t = table(head, "activite", "return_grounds")
    # Two returns (S1 for missing pieces and claims, A5 for the debtor's identity).
    assert t["Pièces manquantes ou illisibles"] == ["1", "0,5000"]
    assert t["Créances : état incomplet ou titre manquant"] == ["1", "0,5000"]
    assert t["Débiteur insuffisamment identifié"] == ["1", "0,5000"]
    assert t["Autre motif"] == ["0", "0,0000"]
    assert t["Renvois (tous motifs)"] == ["2", ""]
    page = head.get(reverse("dashboards:show", args=["activite"]), PERIOD).content.decode()
    assert "2 renvois pour complément dans la période, sur 2 dossiers (8 saisines reçues)" in page


def test_open_cases_by_stage_and_jurist_load(head, users):
    t = table(head, "activite", "open_by_stage")
    assert t["Pris en charge"] == ["1"]
    assert t["En exécution"] == ["1"]
    assert t["En appel"] == ["1"]
    assert t["Avis rendu"] == ["1"]
    assert t["Total"] == ["7"]  # A1 A4 A5 S1 T1 T2 T3; closed cases and the draft left out
    load = table(head, "activite", "jurist_load")
    assert load[str(users["jurist"])] == ["1", "0", "2", "3", "1"]  # A1; T1, T2; T1 overdue
    assert load[str(users["other_jurist"])] == ["0", "1", "1", "2", "0"]  # S1; T3
    assert load["Non attribué"] == ["2", "0", "0", "2", "0"]  # A4 (expert only), A5
    assert load[str(users["head"])] == ["0", "0", "0", "0", "0"]


def test_results_engaged_decisions_amounts(head):
    e = table(head, "resultats", "engaged_by_action")
    assert e["Saisie immobilière"] == ["1", "100000,00"]  # T1 (T3 engaged in 2024)
    assert e["Mise en cause du dirigeant (LPF L.267)"] == ["1", "75000,00"]  # T2
    assert e["Total"] == ["2", "175000,00"]
    by_direction = table(head, "resultats", "engaged_by_direction")
    d02 = next(k for k in by_direction if k.startswith("DDFIP 02"))
    d67 = next(k for k in by_direction if k.startswith("DRFIP 67"))
    assert by_direction[d02] == ["1", "100000,00"]  # T1
    assert by_direction[d67] == ["1", "75000,00"]  # T2
    d = table(head, "resultats", "decisions_by_outcome")
    # Instances: first, appeal, cassation, opposition, renvoi après cassation.
    assert d["Demande accueillie"] == ["1", "1", "0", "0", "0", "2", "0,6667"]  # T1; T4 on appeal
    assert d["Demande partiellement accueillie"] == ["1", "0", "0", "0", "0", "1", "0,3333"]  # T3
    assert d["Demande rejetée"] == ["0", "0", "0", "0", "0", "0", "0,0000"]  # T4's in 2024
    assert d["Total"] == ["2", "1", "0", "0", "0", "3", "1,0000"]
    a = table(head, "resultats", "amounts_by_action")
    # Condemnations, at stake (claims of their cases), awarded, recovered in the period,
    # costs (none here), net recovery.
    assert a["Saisie immobilière"] == ["2", "300000,00", "210000,00", "40000,00", "", "40000,00"]
    assert a["Mise en cause du tiers détenteur"] == [
        "1", "30000,00", "30000,00", "10000,00", "", "10000,00"
    ]  # fmt: skip
    assert a["Total"] == ["3", "330000,00", "240000,00", "50000,00", "", "50000,00"]
    by_direction = table(head, "resultats", "amounts_by_direction")
    d02 = next(k for k in by_direction if k.startswith("DDFIP 02"))
    assert by_direction[d02] == ["2", "300000,00", "210000,00", "40000,00", "", "40000,00"]


def test_time_to_first_instance_decision(head):
    t = table(head, "resultats", "decision_delays")
    # T1 85 days, T3 80 days: median 82.5, p90 80 + 0.9 × 5 = 84.5.
    assert t["Saisie immobilière"] == ["2", "82,5", "84,5"]
    assert t["Ensemble"] == ["2", "82,5", "84,5"]


def test_risks_deadlines_and_prescription(head, users):
    t = table(head, "risques", "deadlines_by_jurist")
    assert t[str(users["jurist"])] == ["1", "1", "0"]  # T1 overdue, T2 in 3 days
    assert t[str(users["other_jurist"])] == ["0", "0", "1"]  # T3 in 20 days
    assert t["Total"] == ["1", "1", "1"]  # A2's is on a closed case; T1's met one is done
    p = table(head, "risques", "prescription_by_direction")
    d02 = next(k for k in p if k.startswith("DDFIP 02"))
    d67 = next(k for k in p if k.startswith("DRFIP 67"))
    assert p[d02] == ["0", "1", "0"]  # A1 in 60 days
    assert p[d67] == ["1", "0", "1"]  # A4 past; T2 in 120 days
    assert p["Total"] == ["1", "1", "1"]


def test_filters_narrow_every_figure(head, crafted):
    d67 = crafted["T2"].direction_id
    t = table(head, "activite", "referrals_per_period", direction=d67)
    assert t["Total"] == ["2", "0", "1", "3"]
    t = table(head, "avis", "opinion_conclusions", demande="prise_en_charge")
    assert t["Total"] == ["0", ""]
    jurist = crafted["T1"].assigned_jurist_id
    t = table(head, "resultats", "decisions_by_outcome", juriste=jurist)
    assert t["Total"] == ["1", "0", "0", "0", "0", "1", "1,0000"]  # T1 only
    action = crafted["T2"].action_type_id
    t = table(head, "activite", "referrals_by_action", action=action)
    assert t == {
        "__header__": ["Action", "Saisines", "Part"],
        "Mise en cause du dirigeant (LPF L.267)": ["2", "1,0000"],  # A2, T2
        "Total": ["2", "1,0000"],
    }


def test_quarters_and_years(head):
    t = table(head, "avis", "opinions_per_period", pas="trimestre")
    assert t["T1 2025"] == ["4", "4"]
    assert t["T2 2025"] == ["1", "1"]
    t = table(head, "activite", "referrals_per_period", debut="2024-01-01", pas="annee")
    assert t["2024"] == ["1", "0", "2", "3"]  # A6, T3, T4
    assert t["2025"] == ["5", "1", "2", "8"]
