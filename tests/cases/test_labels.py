"""The pôle's labels (issue 22): its own list, managed by the head, put on cases by the
pôle, shown as DSFR tags on the case page and the case list, a filter of the list; never
shown to the referring side, management or the experts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases import access, workspace
from cases.enums import CaseStatus, LabelColour
from cases.models import CaseLabel, Label
from tests.factories import ROLE_KEYS, CaseFactory

SEES = {"jurist", "other_jurist", "head", "admin"}
LABELS = {"jurist", "other_jurist", "head"}


@pytest.fixture
def case(users):
    case = CaseFactory(
        to=CaseStatus.UNDER_EXAMINATION,
        poste_comptable=users["poste_agent"].poste_comptable,
        direction=users["poste_agent"].direction,
    )
    case.assigned_expert = users["expert"]
    case.save()
    return case


@pytest.fixture
def urgent(users, case):
    label = Label.objects.create(name="Dossier sensible", colour=LabelColour.PINK_TUILE)
    workspace.add_label(users["jurist"], case, label)
    return label


@pytest.mark.django_db
@pytest.mark.parametrize("key", ROLE_KEYS)
def test_who_sees_manages_and_puts_labels(users, case, key):
    user = users[key]
    assert access.may_see_labels(user) is (key in SEES)
    assert access.may_manage_labels(user) is (key == "head")
    assert access.may_label(user, case) is (key in LABELS)


@pytest.mark.django_db
@pytest.mark.parametrize("key", ROLE_KEYS)
def test_the_case_page_and_the_list_show_labels_only_to_the_pole(client, users, case, urgent, key):
    client.force_login(users[key])
    listed = client.get(reverse("cases:list")).content.decode()
    assert ("Dossier sensible" in listed) is (key in SEES)
    assert ('name="label"' in listed) is (key in SEES)  # the filter
    response = client.get(case.get_absolute_url())
    if response.status_code == 404:
        assert key not in SEES
        return
    page = response.content.decode()
    assert ("Dossier sensible" in page) is (key in SEES)
    assert ("fr-tag--pink-tuile" in page) is (key in SEES)
    remove = reverse("cases:case_label_remove", args=[case.reference, urgent.pk])
    assert (remove in page) is (key in LABELS)


@pytest.mark.django_db
def test_a_referrer_cannot_filter_by_label_to_learn_of_it(client, users, case, urgent):
    """The filter is not theirs: a label in the address is ignored, not applied."""
    other = CaseFactory(
        to=CaseStatus.SUBMITTED,
        poste_comptable=users["poste_agent"].poste_comptable,
        direction=users["poste_agent"].direction,
    )
    client.force_login(users["direction_agent"])
    response = client.get(reverse("cases:list"), {"label": urgent.pk})
    shown = {c.reference for c in response.context["page"].object_list}
    assert {case.reference, other.reference} <= shown


@pytest.mark.django_db
def test_the_list_filters_by_label(client, users, case, urgent):
    CaseFactory(to=CaseStatus.SUBMITTED)
    client.force_login(users["jurist"])
    response = client.get(reverse("cases:list"), {"label": urgent.pk})
    assert [c.reference for c in response.context["page"].object_list] == [case.reference]


@pytest.mark.django_db
@pytest.mark.parametrize("key", ROLE_KEYS)
def test_putting_and_removing_a_label(client, users, case, key):
    label = Label.objects.create(name="À relancer", colour=LabelColour.GREEN_MENTHE)
    client.force_login(users[key])
    add = reverse("cases:case_label_add", args=[case.reference])
    response = client.post(add, {"label": label.pk})
    if key in LABELS:
        assert response.status_code == 302
        assert CaseLabel.objects.filter(case=case, label=label, added_by=users[key]).exists()
        remove = reverse("cases:case_label_remove", args=[case.reference, label.pk])
        assert client.post(remove).status_code == 302
        assert not CaseLabel.objects.filter(case=case).exists()
    else:
        assert response.status_code in (403, 404)
        assert not CaseLabel.objects.filter(case=case).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("key", ROLE_KEYS)
def test_only_the_head_opens_the_label_pages(client, users, urgent, key):
    client.force_login(users[key])
    for url in (
        reverse("cases:labels"),
        reverse("cases:label_create"),
        reverse("cases:label_edit", args=[urgent.pk]),
        reverse("cases:label_delete", args=[urgent.pk]),
    ):
        assert client.get(url).status_code == (200 if key == "head" else 403), url
    response = client.post(reverse("cases:label_create"), {"name": "X", "colour": "blue-ecume"})
    assert response.status_code == (302 if key == "head" else 403)


@pytest.mark.django_db
def test_the_head_creates_renames_and_deletes_a_label(client, users, case, urgent):
    client.force_login(users["head"])
    response = client.post(
        reverse("cases:label_create"), {"name": "  Enjeu   fort ", "colour": "brown-caramel"}
    )
    assert response.status_code == 302
    created = Label.objects.get(name="Enjeu fort")
    assert created.colour == "brown-caramel"

    response = client.post(
        reverse("cases:label_edit", args=[urgent.pk]), {"name": "Sensible", "colour": "pink-tuile"}
    )
    assert response.status_code == 302
    urgent.refresh_from_db()
    assert urgent.name == "Sensible"
    assert list(case.labels.all()) == [urgent]  # still on its case

    page = client.get(reverse("cases:label_delete", args=[urgent.pk])).content.decode()
    assert "Elle sera retirée de 1 dossier" in page
    response = client.post(reverse("cases:label_delete", args=[urgent.pk]), follow=True)
    assert "retirée de 1 dossier." in response.content.decode()
    assert not Label.objects.filter(pk=urgent.pk).exists()
    assert not case.labels.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"name": "dossier SENSIBLE", "colour": "blue-ecume"}, "Une étiquette porte déjà ce nom."),
        ({"name": "   ", "colour": "blue-ecume"}, "Indiquez le nom de l&#x27;étiquette."),
        ({"name": "Rouge", "colour": "red"}, "Sélectionnez un choix valide"),
    ],
)
def test_a_label_refused_says_why_in_french(client, users, urgent, data, error):
    client.force_login(users["head"])
    response = client.post(reverse("cases:label_create"), data)
    assert response.status_code == 422
    assert error in response.content.decode()
    assert Label.objects.count() == 1


@pytest.mark.django_db
def test_the_database_refuses_a_colour_outside_the_dsfr_accents():
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Label.objects.create(name="Rouge", colour="red")


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_the_labels_of_the_list_cost_no_query_per_row(client, users):
    client.force_login(users["jurist"])
    labels = [Label.objects.create(name=f"L{i}", colour="blue-ecume") for i in range(3)]
    first = CaseFactory(to=CaseStatus.SUBMITTED, lifecycle_only=True)
    workspace.add_label(users["jurist"], first, labels[0])
    url = reverse("cases:list")
    filtered = url + f"?label={labels[0].pk}"
    one, one_filtered = _count(client, url), _count(client, filtered)
    for _ in range(5):
        other = CaseFactory(to=CaseStatus.SUBMITTED, lifecycle_only=True)
        for label in labels:
            workspace.add_label(users["jurist"], other, label)
    assert _count(client, url) == one
    assert _count(client, filtered) == one_filtered  # + the chosen label's validation
