"""French phrasing: « de » before a name elides before a vowel or a mute h."""

import pytest

from cases.formatting import de_name
from cases.services import post_message
from notifications.models import Notification
from tests.factories import CaseFactory


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Antoine Leroy", "d'Antoine Leroy"),
        ("Émilie Roux", "d'Émilie Roux"),
        ("Hélène Marchand", "d'Hélène Marchand"),
        ("Yves Martin", "d'Yves Martin"),
        ("Paul Durand", "de Paul Durand"),
        ("SIE de Laon", "de SIE de Laon"),
    ],
)
def test_de_name_elides_before_a_vowel_or_a_mute_h(name, expected):
    assert de_name(name) == expected


@pytest.mark.django_db
def test_a_message_from_antoine_is_announced_as_d_antoine(users):
    jurist = users["jurist"]
    jurist.first_name, jurist.last_name = "Antoine", "Leroy"
    jurist.save(update_fields=["first_name", "last_name"])
    case = CaseFactory(to="taken_over", assigned_jurist=jurist)
    post_message(jurist, case, "Bonjour.")
    summaries = set(Notification.objects.filter(case=case).values_list("summary", flat=True))
    assert any(s.startswith("Nouveau message d'Antoine") for s in summaries), summaries


@pytest.mark.django_db
def test_selects_offer_choisir_not_django_dashes(users, client):
    client.force_login(users["poste_agent"])
    page = client.get("/dossiers/nouveau/").content.decode()
    assert "---------" not in page
    assert ">Choisir…</option>" in page


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        (0, "0"),
        (999, "999"),
        (1000, "1\u202f000"),
        (20000, "20\u202f000"),
        (1234567, "1\u202f234\u202f567"),
        (-1200, "-1\u202f200"),
        (None, "—"),
    ],
)
def test_counts_group_their_thousands_as_french_prints_them(number, expected):
    from cases.formatting import count

    assert count(number) == expected
