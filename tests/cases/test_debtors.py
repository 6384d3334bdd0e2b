"""The debtor as one entity (issue 24): a legal person by SIREN, a natural person by name,
first name and birth date; all its cases on one page, scoped; its co-obligés both ways
(CGI 1691 bis, C. civ. 1857-1858, LPF L.267)."""

import datetime

import pytest
from django.urls import reverse

from cases import debtors, services
from cases.enums import CaseStatus, CoObligorKind, DebtorKind
from cases.forms import ReferralForms
from cases.models import ActionType, Case, CoObligor, Debtor, DebtorMerge, Direction, ManagerTarget
from tests.api.conftest import client_for
from tests.factories import CaseFactory, DebtorFactory

S = CaseStatus
SIREN = "552100554"
OTHER_SIREN = "732829320"


def _company(name="SARL LES TANNEURS", siren=SIREN, **fields):
    return DebtorFactory(kind=DebtorKind.LEGAL, name=name, siren=siren, **fields)


def _person(first_name="Paul", name="Durand", birth=datetime.date(1970, 5, 4), **fields):
    return DebtorFactory(
        kind=DebtorKind.NATURAL,
        name=name,
        first_name=first_name,
        birth_date=birth,
        siren="",
        **fields,
    )


def _sent(debtor, **kwargs) -> Case:
    """A referral for `debtor`, sent to the pôle through the real submission."""
    return CaseFactory(to=S.SUBMITTED, debtor=debtor, **kwargs)


@pytest.fixture
def d67(db) -> Direction:
    return Direction.objects.get(code="DRFIP 67")


# --- One row per debtor ------------------------------------------------------------------


@pytest.mark.django_db
def test_two_referrals_for_one_siren_make_one_debtor(d67):
    first = _sent(_company(address="1 rue Haute, 02000 Laon"))
    second = _sent(_company(name="LES TANNEURS SARL", address=""), direction=d67)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.debtor_id == second.debtor_id
    assert Debtor.objects.filter(siren=SIREN).count() == 1
    entity = first.debtor
    assert entity.identity_key == f"pm:{SIREN}"
    assert entity.address == "1 rue Haute, 02000 Laon"  # a blank detail never erases one
    # The second referral's own row is merged, and kept whole in the report.
    merge = DebtorMerge.objects.get(kept=entity)
    assert merge.values["name"] == "LES TANNEURS SARL"
    assert merge.cases == [second.reference]
    assert "rattaché à sa fiche" in second.events.order_by("-pk")[1].summary


@pytest.mark.django_db
def test_a_later_referral_brings_the_debtors_address_up_to_date_and_the_report_keeps_the_old():
    _sent(_company(address="1 rue Haute, 02000 Laon"))
    case = _sent(_company(address="8 place du Marché, 02000 Laon"))
    entity = Debtor.objects.get(siren=SIREN)
    assert entity.address == "8 place du Marché, 02000 Laon"
    merge = DebtorMerge.objects.get(kept=entity)
    assert merge.changed == {
        "address": ["1 rue Haute, 02000 Laon", "8 place du Marché, 02000 Laon"]
    }
    assert "fiche mise à jour : adresse" in " ".join(case.events.values_list("summary", flat=True))


@pytest.mark.django_db
def test_twins_are_two_debtors_and_a_person_is_found_whatever_the_accents():
    paul = _sent(_person("Paul", name="LEFÈVRE"))
    pierre = _sent(_person("Pierre", name="LEFÈVRE"))
    again = _sent(_person("paul", name="Lefevre"))
    assert paul.debtor_id != pierre.debtor_id
    again.refresh_from_db()
    assert again.debtor_id == paul.debtor_id


@pytest.mark.django_db
def test_a_draft_keeps_its_own_row_until_it_is_sent():
    sent = _sent(_company())
    draft = CaseFactory(complete=True, debtor=_company(name="brouillon"))
    assert draft.debtor_id != sent.debtor_id
    assert draft.debtor.identity_key is None
    services.submit_referral(draft.created_by, draft, confirm_duplicate=True)
    draft.refresh_from_db()
    assert draft.debtor_id == sent.debtor_id


@pytest.mark.django_db
def test_a_returned_referral_edits_a_copy_and_the_other_direction_sees_no_change(users, d67):
    other = _sent(_company(address="1 rue Haute"), direction=d67)
    case = CaseFactory(to=S.RETURNED, debtor=_company(address="1 rue Haute"))
    case.refresh_from_db()
    assert case.debtor_id == other.debtor_id
    agent = users["direction_agent"]
    forms = ReferralForms(agent, _post_of(case, siren=OTHER_SIREN), case=case)
    assert forms.is_valid(), forms.debtor_form.errors
    services.save_referral(agent, forms, expected_version=case.version)
    case.refresh_from_db()
    other.refresh_from_db()
    assert case.debtor_id != other.debtor_id  # its copy, not the shared row
    assert other.debtor.siren == SIREN
    # Already sent: the edited identity is an entity of its own at once.
    assert case.debtor.siren == OTHER_SIREN and case.debtor.identity_key == f"pm:{OTHER_SIREN}"


@pytest.mark.django_db
def test_a_returned_referrals_new_address_reaches_the_entity_keeps_its_links_and_tells_the_others(
    users, d67
):
    other = _sent(_company(address="1 rue Haute"), direction=d67)
    manager = _sent(_person("Paul"))
    case = CaseFactory(to=S.RETURNED, debtor=_company(address="1 rue Haute"))
    case.refresh_from_db()
    entity = Debtor.objects.get(pk=case.debtor_id)
    CoObligor.objects.create(
        debtor=entity, co_obligor=Debtor.objects.get(pk=manager.debtor.pk), kind="manager"
    )
    agent = users["direction_agent"]
    forms = ReferralForms(agent, _post_of(case, address="8 place du Marché"), case=case)
    assert forms.is_valid(), forms.debtor_form.errors
    services.save_referral(agent, forms, expected_version=case.version)
    case.refresh_from_db()
    assert case.debtor_id == entity.pk  # joined again at once, not left on its copy
    entity.refresh_from_db()
    assert entity.address == "8 place du Marché"
    assert CoObligor.objects.filter(debtor=entity).count() == 1
    told = other.events.order_by("-pk").first()
    assert told.summary == (
        f"Fiche du redevable mise à jour par la saisine {case.reference} : adresse"
    )


def _post_of(case, **debtor):
    """The referral page's data for `case`, as it shows it, with the debtor's fields
    changed as given."""
    forms = ReferralForms(case.created_by, case=case)
    data = {}
    for form in [forms.case_form, forms.debtor_form]:
        for name, field in form.fields.items():
            value = form.initial.get(name, field.initial)
            if value is None:
                continue
            if hasattr(value, "pk"):
                value = value.pk
            data[f"{form.prefix}-{name}"] = value
    for formset in forms.formsets:
        data[f"{formset.prefix}-TOTAL_FORMS"] = str(len(formset.forms) - formset.extra)
        data[f"{formset.prefix}-INITIAL_FORMS"] = str(formset.initial_form_count())
        for form in formset.forms[: formset.initial_form_count()]:
            for name, field in form.fields.items():
                value = form.initial.get(name, field.initial)
                if value is None:
                    continue
                if hasattr(value, "pk"):
                    value = value.pk
                data[f"{form.prefix}-{name}"] = value
    for name, value in debtor.items():
        data[f"debtor-{name}"] = value
    return data


# --- The debtor's page, scoped ------------------------------------------------------------


@pytest.mark.django_db
def test_the_debtors_page_lists_the_directions_cases_and_only_counts_the_others(client, users, d67):
    mine = _sent(_company())
    theirs = _sent(_company(), direction=d67)
    mine.refresh_from_db()
    url = reverse("debtors:detail", args=[mine.debtor_id])

    client.force_login(users["direction_agent"])
    page = client.get(url).content.decode()
    assert mine.reference in page
    assert theirs.reference not in page
    assert "1 autre dossier de ce redevable que vous ne voyez pas" in page

    client.force_login(users["jurist"])
    page = client.get(url).content.decode()
    assert mine.reference in page and theirs.reference in page
    assert "autre dossier de ce redevable" not in page


@pytest.mark.django_db
def test_a_direction_without_a_case_of_the_debtor_gets_no_page(client, users, d67):
    theirs = _sent(_company(), direction=d67)
    theirs.refresh_from_db()
    client.force_login(users["direction_agent"])
    assert client.get(reverse("debtors:detail", args=[theirs.debtor_id])).status_code == 404


@pytest.mark.django_db
def test_the_case_page_leads_to_the_debtors_page(client, users, d67):
    mine = _sent(_company())
    _sent(_company(), direction=d67)
    mine.refresh_from_db()
    client.force_login(users["direction_agent"])
    page = client.get(mine.get_absolute_url()).content.decode()
    assert reverse("debtors:detail", args=[mine.debtor_id]) in page
    assert "1 autre dossier au pôle" in page


# --- Co-obligés, both ways ------------------------------------------------------------------


@pytest.mark.django_db
def test_the_company_and_its_managers_case_show_each_other(client, users):
    l267 = ActionType.objects.get(code="solidarite_dirigeant")
    company_case = CaseFactory(complete=True, action_type=l267, debtor=_company())
    ManagerTarget.objects.filter(case=company_case).update(
        last_name="Durand", first_name="Paul", birth_date=datetime.date(1970, 5, 4)
    )
    services.submit_referral(company_case.created_by, company_case, confirm_duplicate=True)
    manager_case = _sent(_person("Paul"))  # later: the person's own case links back
    company_case.refresh_from_db()
    manager_case.refresh_from_db()
    link = CoObligor.objects.get()
    assert (link.debtor_id, link.co_obligor_id, link.kind) == (
        company_case.debtor_id,
        manager_case.debtor_id,
        CoObligorKind.MANAGER,
    )
    client.force_login(users["jurist"])
    company_page = client.get(company_case.get_absolute_url()).content.decode()
    assert "DURAND Paul" in company_page and "Dirigeant (LPF L.267)" in company_page
    manager_page = client.get(manager_case.get_absolute_url()).content.decode()
    assert "SARL LES TANNEURS" in manager_page
    assert "Société dont ce redevable est dirigeant" in manager_page


@pytest.mark.django_db
def test_the_pole_links_a_spouse_and_both_pages_show_it(client, users):
    husband = _sent(_person("Paul"))
    wife = _sent(_person("Marie", name="Martin", birth=datetime.date(1972, 2, 3)))
    husband.refresh_from_db()
    client.force_login(users["jurist"])
    url = reverse("debtors:co_obligor_add", args=[husband.debtor_id])
    answer = client.post(
        url,
        {
            "kind": CoObligorKind.SPOUSE,
            "direction": "co_obligor",
            "name": "MARTIN",
            "first_name": "marie",
            "birth_date": "1972-02-03",
            "basis": "Mariés sous le régime de la communauté",
        },
    )
    assert answer.status_code == 302
    wife.refresh_from_db()
    husband_page = client.get(reverse("debtors:detail", args=[husband.debtor_id])).content.decode()
    assert "MARTIN Marie" in husband_page and "CGI 1691 bis" in husband_page
    wife_page = client.get(reverse("debtors:detail", args=[wife.debtor_id])).content.decode()
    assert "DURAND Paul" in wife_page


@pytest.mark.django_db
def test_a_direction_is_not_told_the_name_of_a_co_obligé_it_sees_no_case_of(client, users, d67):
    company = _sent(_company(), direction=d67)
    manager = _sent(_person("Paul"))
    company.refresh_from_db()
    manager.refresh_from_db()
    CoObligor.objects.create(
        debtor=company.debtor, co_obligor=manager.debtor, kind="manager", basis="60 % des parts"
    )
    client.force_login(users["direction_agent"])
    page = client.get(manager.get_absolute_url()).content.decode()
    assert "Un co-obligé suivi par le pôle" in page
    assert "SARL LES TANNEURS" not in page and "60 % des parts" not in page
    body = (
        client_for(users["direction_agent"])
        .get(reverse("api:debtor", args=[manager.debtor_id]))
        .json()
    )
    assert body["co_obligors"][0]["other"] is None and body["co_obligors"][0]["basis"] == ""
    client.force_login(users["jurist"])
    assert "SARL LES TANNEURS" in client.get(manager.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_linking_an_unknown_debtor_says_what_to_fix_and_saves_nothing(client, users):
    case = _sent(_company())
    case.refresh_from_db()
    client.force_login(users["jurist"])
    answer = client.post(
        reverse("debtors:co_obligor_add", args=[case.debtor_id]),
        {"kind": CoObligorKind.PARTNER, "direction": "co_obligor", "siren": OTHER_SIREN},
    )
    assert answer.status_code == 422
    assert "Aucun dossier transmis au pôle ne concerne ce redevable" in answer.content.decode()
    assert not CoObligor.objects.exists()


@pytest.mark.django_db
def test_a_direction_may_not_link_co_obligors(client, users):
    case = _sent(_company())
    _sent(_person("Paul"))
    case.refresh_from_db()
    client.force_login(users["direction_agent"])
    answer = client.post(
        reverse("debtors:co_obligor_add", args=[case.debtor_id]),
        {
            "kind": CoObligorKind.MANAGER,
            "direction": "co_obligor",
            "name": "Durand",
            "first_name": "Paul",
            "birth_date": "1970-05-04",
        },
    )
    assert answer.status_code == 403
    assert not CoObligor.objects.exists()


def test_identity_keys():
    assert debtors.identity_key(DebtorKind.LEGAL, siren=SIREN) == f"pm:{SIREN}"
    assert debtors.identity_key(DebtorKind.LEGAL, siren="") is None
    assert (
        debtors.identity_key(
            DebtorKind.NATURAL,
            name="Lefèvre ",
            first_name="Éric",
            birth_date=datetime.date(1970, 1, 2),
        )
        == "pp:lefevre|eric|1970-01-02"
    )
    assert debtors.identity_key(DebtorKind.NATURAL, name="Lefèvre", first_name="Éric") is None


# --- Through the API ------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_api_gives_the_debtors_record_scoped_and_the_pole_links_through_it(users, d67):
    def api(role):
        return client_for(users[role])

    mine = _sent(_company())
    theirs = _sent(_company(), direction=d67)
    person = _sent(_person("Paul"))
    mine.refresh_from_db()
    url = reverse("api:debtor", args=[mine.debtor_id])

    body = api("direction_agent").get(url).json()
    assert [case["reference"] for case in body["cases"]] == [mine.reference]
    assert body["other_cases"] == 1 and body["contact"]
    assert theirs.reference not in str(body)
    assert [claim["case"] for claim in body["claims"]] == [mine.reference]
    assert (
        api("other_direction_agent").get(reverse("api:debtor", args=[person.debtor_id])).status_code
        == 404
    )

    links = reverse("api:co_obligors", args=[mine.debtor_id])
    manager = {
        "kind": "manager",
        "name": "Durand",
        "first_name": "Paul",
        "birth_date": "1970-05-04",
        "basis": "Gérant",
    }
    assert api("direction_agent").post(links, manager, format="json").status_code == 403
    refused = api("jurist").post(links, {"kind": "manager"}, format="json")
    assert refused.status_code == 400
    assert "Indiquez le SIREN de l'autre redevable" in str(refused.json())
    made = api("jurist").post(links, manager, format="json")
    assert made.status_code == 201, made.json()
    assert made.json()["co_obligors"][0]["other"]["name"] == "DURAND Paul"
    person.refresh_from_db()
    case_body = api("jurist").get(reverse("api:case", args=[person.reference])).json()
    assert case_body["debtor"]["id"] == person.debtor_id
