"""Possible duplicates: another open case for the same debtor, found before a submission,
which the agent must confirm."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse

from cases import services
from cases.enums import CaseStatus, DebtorKind, Role
from cases.formatting import pole_contact
from cases.models import Case, CaseEvent, Direction, User
from cases.selectors import possible_duplicates
from tests.api.conftest import client_for
from tests.factories import CaseFactory, DebtorFactory, complete_referral

S = CaseStatus
SIREN = "552100554"
OTHER_SIREN = "732829320"
ON_SQLITE = settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")


@pytest.fixture
def d67(db) -> Direction:
    return Direction.objects.get(code="DRFIP 67")


def _company(siren=SIREN, name="SARL LES TANNEURS"):
    return DebtorFactory(kind=DebtorKind.LEGAL, name=name, siren=siren)


def _person(name="Durand", birth=datetime.date(1970, 5, 4), first_name="Paul"):
    return DebtorFactory(
        kind=DebtorKind.NATURAL, name=name, first_name=first_name, birth_date=birth, siren=""
    )


def _new_referral(debtor) -> Case:
    """A complete draft of DDFIP 02 (SIE de Laon) for `debtor`."""
    return CaseFactory(to=S.DRAFT, debtor=debtor)


# --- Companies, by SIREN ---------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("status", [S.SUBMITTED, S.UNDER_EXAMINATION, S.RETURNED, S.EXECUTION])
def test_open_case_of_another_direction_with_the_same_siren_is_found(d67, status):
    other = CaseFactory(to=status, direction=d67, debtor=_company(name="LES TANNEURS SAS"))
    case = _new_referral(_company())
    assert possible_duplicates(case) == [other]


@pytest.mark.django_db
@pytest.mark.parametrize("status", [S.CLOSED, S.DECLINED])
def test_closed_or_declined_cases_are_not_duplicates(d67, status):
    CaseFactory(to=status, direction=d67, debtor=_company())
    assert possible_duplicates(_new_referral(_company())) == []


@pytest.mark.django_db
def test_draft_of_another_direction_is_not_a_duplicate(d67):
    CaseFactory(direction=d67, debtor=_company())
    assert possible_duplicates(_new_referral(_company())) == []


@pytest.mark.django_db
def test_draft_of_the_same_direction_is_a_duplicate():
    other = CaseFactory(debtor=_company())
    assert possible_duplicates(_new_referral(_company())) == [other]


@pytest.mark.django_db
def test_other_siren_or_no_siren_finds_nothing(d67):
    CaseFactory(to=S.SUBMITTED, direction=d67, debtor=_company())
    assert possible_duplicates(_new_referral(_company(siren=OTHER_SIREN))) == []
    assert possible_duplicates(CaseFactory(debtor=_company(siren=""))) == []


@pytest.mark.django_db
def test_several_duplicates_come_oldest_first(d67):
    first = CaseFactory(to=S.SUBMITTED, direction=d67, debtor=_company())
    second = CaseFactory(to=S.TAKEN_OVER, debtor=_company())
    assert possible_duplicates(_new_referral(_company())) == [first, second]


# --- Natural persons, by name and birth date -------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["Durand", "DURAND", "durand", " Durand "])
def test_person_with_the_same_name_and_birth_date_is_found(d67, typed):
    other = CaseFactory(to=S.SUBMITTED, direction=d67, debtor=_person(name="Durand"))
    assert possible_duplicates(_new_referral(_person(name=typed))) == [other]


@pytest.mark.django_db
def test_person_with_another_birth_date_or_name_is_not_found(d67):
    CaseFactory(to=S.SUBMITTED, direction=d67, debtor=_person())
    assert possible_duplicates(_new_referral(_person(birth=datetime.date(1971, 5, 4)))) == []
    assert possible_duplicates(_new_referral(_person(name="Durant"))) == []


@pytest.mark.django_db
def test_person_is_not_matched_against_a_company_of_the_same_name(d67):
    # The debtor form keeps a birth date typed before the kind was switched to "personne
    # morale": the company below has the person's very name and date, only its kind differs.
    company = _company(name="Durand")
    company.birth_date = datetime.date(1970, 5, 4)
    company.save()
    CaseFactory(to=S.SUBMITTED, direction=d67, debtor=company)
    assert possible_duplicates(_new_referral(_person(name="Durand"))) == []


@pytest.mark.django_db
def test_company_without_siren_is_compared_with_no_one(d67):
    # Not with the other debtors whose SIREN is blank (a draft of the same direction would
    # count), nor by its name and a birth date left in the form when its kind was switched.
    CaseFactory(debtor=_company(siren=""))
    CaseFactory(to=S.SUBMITTED, direction=d67, debtor=_person(name="Durand"))
    company = _company(siren="", name="Durand")
    company.birth_date = datetime.date(1970, 5, 4)
    company.save()
    assert possible_duplicates(_new_referral(company)) == []


@pytest.mark.django_db
def test_person_is_compared_by_name_and_birth_date_even_with_a_siren(d67):
    # An entrepreneur individuel may have a SIREN: the person is still who they are.
    other = CaseFactory(to=S.SUBMITTED, direction=d67, debtor=_person(name="Durand"))
    person = _person(name="Durand")
    person.siren = OTHER_SIREN
    person.save()
    assert possible_duplicates(_new_referral(person)) == [other]


@pytest.mark.django_db
def test_person_without_a_name_or_a_birth_date_is_compared_with_no_one():
    # Drafts of the same direction, which would count, as incomplete as the new one.
    CaseFactory(debtor=_person(name="Durand", birth=None))
    CaseFactory(debtor=_person(name=""))
    assert possible_duplicates(_new_referral(_person(name="Durand", birth=None))) == []
    assert possible_duplicates(_new_referral(_person(name=""))) == []


@pytest.mark.django_db
def test_person_name_with_accents_matches_whatever_the_case(d67):
    other = CaseFactory(to=S.SUBMITTED, direction=d67, debtor=_person(name="Lefèvre"))
    assert possible_duplicates(_new_referral(_person(name="LEFÈVRE"))) == [other]


# --- Submitting ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_submission_asks_for_confirmation_then_goes_through(users, d67):
    other = CaseFactory(to=S.SUBMITTED, direction=d67, debtor=_company())
    case = _new_referral(_company())
    events = case.events.count()

    with pytest.raises(services.DuplicateNotConfirmed) as refused:
        services.submit_referral(users["poste_agent"], case)
    assert refused.value.duplicates == [other]
    assert refused.value.duplicates[0].direction.code == "DRFIP 67"
    assert str(refused.value) == "Ce redevable a déjà un dossier ouvert."
    assert Case.objects.get(pk=case.pk).status == S.DRAFT
    assert case.status == S.DRAFT
    assert CaseEvent.objects.filter(case=case).count() == events
    assert not CaseEvent.objects.filter(case=case, kind="transition").exists()

    services.submit_referral(users["poste_agent"], case, confirm_duplicate=True)
    assert Case.objects.get(pk=case.pk).status == S.SUBMITTED
    assert case.events.filter(kind="transition", transition="submit").count() == 1


@pytest.mark.django_db
def test_submission_without_duplicate_needs_no_confirmation(users, d67):
    CaseFactory(to=S.CLOSED, direction=d67, debtor=_company())
    case = _new_referral(_company())
    services.submit_referral(users["poste_agent"], case)
    assert Case.objects.get(pk=case.pk).status == S.SUBMITTED


# --- What the referrer is told -----------------------------------------------------------


def _beside(users, other_direction) -> tuple[Case, Case]:
    """A complete draft of the SIE de Laon's, and an open case of `other_direction`'s for
    the same company."""
    other = CaseFactory(to=S.UNDER_EXAMINATION, direction=other_direction, debtor=_company())
    case = CaseFactory(complete=True, created_by=users["poste_agent"], debtor=_company())
    return case, other


def _warning_page(client, users, other_direction) -> tuple[str, Case]:
    """The draft's page, as its poste agent sees it."""
    case, other = _beside(users, other_direction)
    client.force_login(users["poste_agent"])
    return client.get(case.get_absolute_url()).content.decode(), other


@pytest.mark.django_db
def test_another_directions_case_is_not_named_and_the_heads_are_given(client, users, d67):
    case, other = _beside(users, d67)
    User.objects.filter(role=Role.HEAD).exclude(pk=users["head"].pk).update(is_active=False)
    head = users["head"]
    head.first_name, head.last_name, head.email = "Marc", "Lepôle", "marc.lepole@dgfip.test"
    head.save()
    client.force_login(users["poste_agent"])
    page = client.get(case.get_absolute_url()).content.decode()
    assert "Un dossier ouvert au pôle concerne déjà ce redevable" in page
    assert "contactez le chef du pôle, Marc Lepôle (marc.lepole@dgfip.test)" in page
    assert other.reference not in page
    assert "DRFIP 67" not in page
    assert other.get_status_display() not in page


@pytest.mark.django_db
def test_the_poles_intake_address_is_given_when_set(client, users, d67, settings):
    settings.POLE_INTAKE_EMAIL = "pnsr.saisines@dgfip.test"
    page, other = _warning_page(client, users, d67)
    assert "contactez le pôle (pnsr.saisines@dgfip.test)" in page
    assert other.reference not in page


@pytest.mark.django_db
def test_the_same_directions_case_is_named_with_its_status(client, users):
    page, other = _warning_page(client, users, users["poste_agent"].direction)
    assert other.reference in page
    assert f"{other.reference}</strong> — DDFIP 02 — {other.get_status_display()}" in page
    assert "Un dossier ouvert au pôle concerne déjà ce redevable" not in page


@pytest.mark.django_db
def test_the_api_names_only_the_same_directions_cases(users, d67):
    mine = CaseFactory(to=S.SUBMITTED, debtor=_company())
    theirs = CaseFactory(to=S.SUBMITTED, direction=d67, debtor=_company())
    agent = users["poste_agent"]
    draft = complete_referral(
        CaseFactory(created_by=agent, poste_comptable=agent.poste_comptable, debtor=_company())
    )
    response = client_for(agent).post(
        reverse("api:submit", args=[draft.reference]), {}, format="json"
    )
    assert response.status_code == 409
    body = response.json()
    assert [other["reference"] for other in body["duplicates"]] == [mine.reference]
    assert body["other_direction"] is True
    assert "Un dossier ouvert au pôle concerne déjà ce redevable" in body["detail"]
    assert body["contact"] in body["detail"]
    assert theirs.reference not in response.content.decode()
    assert "DRFIP 67" not in response.content.decode()


def test_the_contact_sentence_names_one_head_several_or_the_pole():
    one = User(first_name="Marc", last_name="Lepôle", email="marc@dgfip.test")
    two = User(first_name="Anne", last_name="Roy", email="")
    assert pole_contact("", [one]) == "le chef du pôle, Marc Lepôle (marc@dgfip.test)"
    assert pole_contact("", [one, two]) == (
        "les chefs du pôle, Marc Lepôle (marc@dgfip.test) ou Anne Roy"
    )
    assert pole_contact("", []) == "le pôle"
    assert pole_contact("accueil@dgfip.test", [one]) == "le pôle (accueil@dgfip.test)"
