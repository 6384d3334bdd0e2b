"""Every date the application takes is a date a person could mean (cases.validators'
PlausibleDate): year 1 and year 9999 get a French message, in every form, model field,
side action, the API and the GET pages, never a 500 (PostgreSQL stores year 1 as BC and
psycopg cannot read it back: the case's pages would fail until repaired in SQL)."""

import datetime
import importlib
import pkgutil

import pytest
from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone

from cases.models import Case
from cases.validators import PlausibleDate, validate_birth_date
from deadlines import engine
from tests.api.conftest import client_for
from tests.api.test_journey import draft_body
from tests.factories import case_at_step, referral_claim, sitting_moment
from tests.workflows.conftest import open_task

APPS = ("cases", "deadlines", "documents", "notifications", "workflows", "dashboards", "api")
ABSURD = ["0001-01-01", "9999-12-31"]
MESSAGE = "Indiquez une date comprise entre le "
MESSAGES = (MESSAGE, "Cette date ne peut pas être dans le futur.")


def _import_all() -> None:
    for name in APPS:
        package = importlib.import_module(name)
        for module in pkgutil.walk_packages(package.__path__, f"{name}."):
            if ".migrations" not in module.name and ".management" not in module.name:
                importlib.import_module(module.name)


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _date_fields():
    _import_all()
    found = []
    for form_class in set(_subclasses(forms.BaseForm)):
        if not form_class.__module__.startswith(APPS):
            continue
        for name, field in form_class.base_fields.items():
            if isinstance(field, forms.DateField | forms.DateTimeField):
                found.append(pytest.param(form_class, name, id=f"{form_class.__qualname__}.{name}"))
    return sorted(found, key=lambda p: p.id)


DATE_FIELDS = _date_fields()


def test_the_forms_have_date_fields():
    """The collection below sees the step forms, the side actions, the referral, the
    deadlines' forms and the dashboards' filters (a broken collection would pass)."""
    ids = {p.id for p in DATE_FIELDS}
    assert len(ids) > 30
    for expected in (
        "HearingForm.scheduled_at",
        "AdjournmentForm.new_date",
        "MandateForm.mandated_on",
        "DebtorForm.birth_date",
        "ClaimForm.assessment_date",
        "FilterForm.fin",
        "SimpleDeadlineForm.start",
        "SuspensionForm.start",
    ):
        assert expected in ids, sorted(ids)


def _clean(form_class, name: str, value: str):
    """What the form does with one field's value: the form field's cleaning, then, for a
    ModelForm, the model field's validators (run by the form's full_clean)."""
    cleaned = form_class.base_fields[name].clean(value)
    if issubclass(form_class, forms.ModelForm):
        form_class._meta.model._meta.get_field(name).run_validators(cleaned)
    return cleaned


@pytest.mark.parametrize("form_class, name", DATE_FIELDS)
@pytest.mark.parametrize("typed", ABSURD)
def test_every_form_date_refuses_year_1_and_9999(form_class, name, typed):
    field = form_class.base_fields[name]
    value = typed + "T09:30" if isinstance(field, forms.DateTimeField) else typed
    with pytest.raises(forms.ValidationError) as raised:
        _clean(form_class, name, value)
    assert any(message.startswith(MESSAGES) for message in raised.value.messages)


# Moments the application writes itself (now, or computed), never typed by anyone.
SET_BY_THE_APPLICATION = {
    "User.last_login",
    "Opinion.reviewed_at",
    "Opinion.follow_up_at",
    "Notification.read_at",
    "Notification.next_attempt_at",
    "Notification.sent_at",
    "Document.generated_at",
    "Document.claimed_at",
    "TamperAlert.alerted_at",
    "Document.heartbeat_at",
    "Document.validated_at",
    "Deadline.closed_at",
    "DeadlineReminder.sent_on",
    "ApiToken.last_used_at",
    "ApiToken.revoked_at",
    "Absence.ended_at",
    "Absence.lapse_recorded_at",
    "ClaimImport.imported_at",
    "StepReminder.sent_at",
}


def _model_dates():
    found = []
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if not isinstance(field, models.DateField) or not field.editable:
                continue
            name = f"{model.__name__}.{field.name}"
            if (
                field.model.__module__.startswith(APPS)
                and field.default is models.NOT_PROVIDED
                and not field.auto_now
                and name not in SET_BY_THE_APPLICATION
            ):
                found.append(pytest.param(field, id=name))
    return found


@pytest.mark.parametrize("field", _model_dates())
def test_every_typed_model_date_has_a_plausible_range(field):
    """ModelForms and the API (which goes through the web's forms) inherit the range from
    the model field (the application's own moments, a default of now, are not typed)."""
    assert any(isinstance(v, PlausibleDate) for v in field.validators), field


# Through the pages: the dates that broke a case's page for good --------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["0001-01-01T09:30", "9999-12-31T09:30"])
def test_a_hearing_in_year_1_is_refused_and_the_step_page_still_opens(client, typed):
    case = case_at_step("hearings")
    task = open_task(case, "hearings")
    client.force_login(case.assigned_jurist)
    response = client.post(
        reverse("workflows:side_action", args=[task.pk, "hearing"]),
        {"court": "TJ de Laon", "scheduled_at": typed, "kind": "other", "purpose": "Fond"},
    )
    assert response.status_code == 422
    assert MESSAGE in response.content.decode()
    assert not case.hearings.exists()
    assert client.get(reverse("workflows:task", args=[task.pk])).status_code == 200
    # A real hearing still goes through.
    good = client.post(
        reverse("workflows:side_action", args=[task.pk, "hearing"]),
        {"court": "TJ de Laon", "scheduled_at": sitting_moment(10), "kind": "other"},
    )
    assert good.status_code == 302 and case.hearings.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ABSURD)
def test_the_calculator_refuses_absurd_dates_in_french(client, users, typed):
    client.force_login(users["jurist"])
    response = client.get(
        reverse("deadlines:calculator"),
        {"calcul": "simple", "d-start": typed, "d-length": "15", "d-unit": "jours"},
    )
    assert response.status_code == 400
    assert MESSAGE in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ABSURD)
def test_the_api_refuses_absurd_dates_in_french(users, typed):
    body = draft_body()
    body["debtor"]["birth_date"] = typed
    body["claims"] = [referral_claim(assessment_date=typed)]
    response = client_for(users["poste_agent"]).post("/api/v1/cases/", body, format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["debtor"]["birth_date"][0].startswith(MESSAGES)
    assert errors["claims"][0]["assessment_date"][0].startswith(MESSAGE)
    assert not Case.objects.exists()


def test_a_birth_date_goes_back_to_1900_only():
    validate_birth_date(datetime.date(1900, 1, 1))
    with pytest.raises(ValidationError) as raised:
        validate_birth_date(datetime.date(1899, 12, 31))
    assert raised.value.messages[0] == (
        f"Indiquez une date comprise entre le 01/01/1900 et le {timezone.localdate():%d/%m/%Y}."
    )


@pytest.mark.django_db
def test_the_holiday_engine_s_limit_reaches_the_user_in_french(client, monkeypatch):
    """A deadline the engine cannot count (its holidays are known 1803-2100; here it is
    made to know none of this year's): the step says so on its page, nothing is saved."""
    monkeypatch.setattr(engine, "LAST_YEAR", timezone.localdate().year - 1)
    case = case_at_step("starting_act")
    task = open_task(case, "starting_act")
    client.force_login(case.assigned_jurist)
    day = timezone.localdate().isoformat()
    response = client.post(
        reverse("workflows:task", args=[task.pk]),
        {
            "action": "complete",
            "kind": "commandement",
            "court": "TJ de Laon",
            "signed_on": day,
            "served_on": day,
        },
    )
    assert response.status_code == 409
    assert "Les jours fériés ne sont connus que de 1803 à" in response.content.decode()
    assert not case.starting_acts.exists()


@pytest.mark.django_db
def test_the_database_refuses_a_hearing_in_year_1(client):
    """The last guard, should a script or the admin bypass the forms."""
    case = case_at_step("hearings")
    task = open_task(case, "hearings")
    client.force_login(case.assigned_jurist)
    client.post(
        reverse("workflows:side_action", args=[task.pk, "hearing"]),
        {"court": "TJ de Laon", "scheduled_at": sitting_moment(10), "kind": "other"},
    )
    hearing = case.hearings.get()
    year_1 = datetime.datetime(1, 1, 2, 9, 30, tzinfo=datetime.UTC)
    with pytest.raises(IntegrityError), transaction.atomic():
        type(hearing).objects.filter(pk=hearing.pk).update(scheduled_at=year_1)
