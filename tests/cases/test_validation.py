"""Referral input as an agent types it: what the forms accept, what they refuse (with a
French message on the field concerned), and that a refused bundle leaves nothing behind.
Then the database's own constraints, on whatever engine runs the tests."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from cases import services
from cases.forms import PieceForm, ReferralForms
from cases.models import Case, Claim, Debtor, PropertyTarget
from cases.pieces import sample_pdf
from cases.validators import add_years
from tests.factories import LAND_REGISTER, CaseFactory, ClaimFactory, DebtorFactory
from tests.factories import referral_data as _data

TOMORROW = timezone.localdate() + datetime.timedelta(days=1)


def _counts() -> tuple[int, int, int]:
    return Case.objects.count(), Debtor.objects.count(), Claim.objects.count()


def _attempt(user, data):
    """Validate the referral page's forms; save through the service only when valid."""
    before = _counts()
    forms = ReferralForms(user, data)
    valid = forms.is_valid()
    if valid:
        services.save_referral(user, forms)
    return forms, valid, before


def _assert_refused(forms, valid, before):
    assert not valid
    assert _counts() == before == (0, 0, 0)


# --- SIREN -----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("siren", "message"),
    [
        ("55210055", "exactement 9 chiffres"),  # 8 digits
        ("5521005540", "9 caractères"),  # 10 digits: the model's length, in French
        ("55210055A", "exactement 9 chiffres"),  # a letter
        ("ABCDEFGHI", "exactement 9 chiffres"),
        ("552100555", "clé de contrôle ne correspond pas"),  # wrong Luhn check digit
        ("552 100 555", "clé de contrôle ne correspond pas"),
        ("000000000", "n'existe pas"),  # passes Luhn, yet no company has it
        ("000 000 000", "n'existe pas"),
    ],
)
def test_bad_siren_is_refused_on_the_siren_field(users, siren, message):
    forms, valid, before = _attempt(users["poste_agent"], _data(debtor={"siren": siren}))
    _assert_refused(forms, valid, before)
    errors = forms.debtor_form.errors["siren"]
    assert any(message in error for error in errors), errors


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["552 100 554", "552100554", "552.100.554", " 552-100-554 "])
def test_siren_typed_with_separators_is_stored_as_nine_digits(users, typed):
    forms, valid, _ = _attempt(users["poste_agent"], _data(debtor={"siren": typed}))
    assert valid, forms.debtor_form.errors
    assert Debtor.objects.get().siren == "552100554"


@pytest.mark.django_db
def test_siren_with_a_superscript_digit_gets_a_french_error_not_a_crash(users):
    forms, valid, before = _attempt(users["poste_agent"], _data(debtor={"siren": "55210055²"}))
    _assert_refused(forms, valid, before)
    assert "9 chiffres" in forms.debtor_form.errors["siren"][0]


@pytest.mark.django_db
def test_siren_in_full_width_digits_is_refused_or_normalised(users):
    forms, valid, _ = _attempt(users["poste_agent"], _data(debtor={"siren": "５５２１００５５４"}))
    assert not valid or Debtor.objects.get().siren == "552100554"


# --- Amounts ---------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("principal", "-5", "ne peut pas être négatif"),
        ("penalties", "-0,01", "ne peut pas être négatif"),
        ("remaining", "-100", "ne peut pas être négatif"),
        ("principal", "douze", "Saisissez un montant en euros"),
        ("remaining", "12.345,67", "Saisissez un montant en euros"),
        ("principal", "NaN", "Saisissez un montant en euros"),
        ("principal", "10,123", "au plus deux chiffres après la virgule"),
        ("remaining", "0.001", "au plus deux chiffres après la virgule"),
        # Decimal() reads other scripts' digits: refused, not read as 123.
        ("principal", "١٢٣", "Saisissez un montant en euros"),
        ("principal", "１２３", "Saisissez un montant en euros"),
        ("remaining", "१२३,४५", "Saisissez un montant en euros"),
        ("principal", "1e6", "Saisissez un montant en euros"),
        ("principal", "9" * 30, "chiffres au total"),
    ],
)
def test_bad_amount_is_refused_on_its_field(users, field, typed, message):
    forms, valid, before = _attempt(users["poste_agent"], _data(claim={field: typed}))
    _assert_refused(forms, valid, before)
    errors = forms.claims.forms[0].errors[field]
    assert any(message in error for error in errors), errors


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("12 345,67", Decimal("12345.67")),
        ("12\u00a0345,67\u00a0€", Decimal("12345.67")),  # as copied from a French document
        ("12\u202f345,67", Decimal("12345.67")),
        ("12345.67", Decimal("12345.67")),
        ("12345", Decimal("12345.00")),
        ("0,5", Decimal("0.50")),
    ],
)
def test_french_amounts_are_understood(users, typed, expected):
    data = _data(claim={"principal": typed, "penalties": "", "remaining": typed})
    forms, valid, _ = _attempt(users["poste_agent"], data)
    assert valid, forms.claims.errors
    claim = Claim.objects.get()
    assert claim.principal == expected and claim.remaining == expected
    assert claim.penalties == Decimal("0")


@pytest.mark.django_db
def test_remaining_above_principal_plus_penalties_is_refused(users):
    data = _data(claim={"principal": "1 000", "penalties": "100", "remaining": "1 100,01"})
    forms, valid, before = _attempt(users["poste_agent"], data)
    _assert_refused(forms, valid, before)
    errors = forms.claims.forms[0].errors["remaining"]
    assert errors == [
        "Le reste à recouvrer ne peut pas dépasser les droits et pénalités (1\u202f100,00\u00a0€)."
    ]


@pytest.mark.django_db
def test_remaining_equal_to_principal_plus_penalties_is_accepted(users):
    data = _data(claim={"principal": "1 000", "penalties": "100", "remaining": "1 100"})
    forms, valid, _ = _attempt(users["poste_agent"], data)
    assert valid, forms.claims.errors
    assert Claim.objects.get().remaining == Decimal("1100")


# --- Dates -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_interruptive_act_before_the_assessment_is_refused(users):
    data = _data(claim={"assessment_date": "2024-03-15", "last_interruptive_act": "2024-03-14"})
    forms, valid, before = _attempt(users["poste_agent"], data)
    _assert_refused(forms, valid, before)
    assert forms.claims.forms[0].errors["last_interruptive_act"] == [
        "Le dernier acte interruptif ne peut pas précéder la mise en recouvrement."
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("where", "overrides"),
    [
        ("claim.assessment_date", {"claim": {"assessment_date": TOMORROW.isoformat()}}),
        (
            "claim.last_interruptive_act",
            {"claim": {"last_interruptive_act": TOMORROW.isoformat()}},
        ),
        (
            "debtor.birth_date",
            {
                "debtor": {
                    "kind": "natural",
                    "name": "Durand",
                    "first_name": "Paul",
                    "siren": "",
                    "birth_date": TOMORROW.isoformat(),
                }
            },
        ),
    ],
)
def test_dates_in_the_future_are_refused(users, where, overrides):
    forms, valid, before = _attempt(users["poste_agent"], _data(**overrides))
    _assert_refused(forms, valid, before)
    section, field = where.split(".")
    form = forms.claims.forms[0] if section == "claim" else forms.debtor_form
    assert form.errors[field] == ["Cette date ne peut pas être dans le futur."]


@pytest.mark.django_db
def test_satd_date_in_the_future_is_refused(users):
    holder = {
        "name": "Banque du Nord",
        "satd_date": TOMORROW.isoformat(),
        "satd_amount": "15 000",
    }
    forms, valid, before = _attempt(users["poste_agent"], _data(holders=[holder]))
    _assert_refused(forms, valid, before)
    holders = dict((key, fs) for key, _, _, fs in forms.targets)["holders"]
    assert holders.forms[0].errors["satd_date"] == ["Cette date ne peut pas être dans le futur."]


@pytest.mark.django_db
def test_today_is_not_in_the_future(users):
    today = timezone.localdate().isoformat()
    data = _data(claim={"assessment_date": today, "last_interruptive_act": today})
    forms, valid, _ = _attempt(users["poste_agent"], data)
    assert valid, forms.claims.errors


# --- Département of a property ---------------------------------------------------------


def _properties_formset(forms):
    return dict((key, fs) for key, _, _, fs in forms.targets)["properties"]


@pytest.mark.django_db
@pytest.mark.parametrize("departement", ["99", "2C", "00", "96", "977", "A2", "1"])
def test_bad_departement_is_refused(users, departement):
    forms, valid, before = _attempt(users["poste_agent"], _data(prop={"departement": departement}))
    _assert_refused(forms, valid, before)
    errors = _properties_formset(forms).forms[0].errors["departement"]
    assert errors == ["Indiquez un numéro de département valide : 01 à 95, 2A, 2B ou 971 à 976."]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("typed", "stored"),
    [("2A", "2A"), ("2b", "2B"), ("974", "974"), ("67", "67"), ("01", "01"), ("95", "95")],
)
def test_good_departement_is_accepted(users, typed, stored):
    prop = {"departement": typed, **LAND_REGISTER}  # required in 57, 67, 68
    forms, valid, _ = _attempt(users["poste_agent"], _data(prop=prop))
    assert valid, _properties_formset(forms).errors
    assert PropertyTarget.objects.get().departement == stored


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("departement", "local_law"), [("67", True), ("57", True), ("68", True), ("02", False)]
)
def test_property_in_alsace_moselle_flags_the_local_law(users, departement, local_law):
    prop = {"departement": departement, **LAND_REGISTER}
    forms, valid, _ = _attempt(users["poste_agent"], _data(prop=prop))
    assert valid
    assert Case.objects.get().is_alsace_moselle is local_law


@pytest.mark.django_db
def test_old_corsica_code_20_is_refused(users):
    forms, valid, before = _attempt(users["poste_agent"], _data(prop={"departement": "20"}))
    _assert_refused(forms, valid, before)


# --- A valid bundle, and a valid bundle whose submission is refused ----------------------


@pytest.mark.django_db
def test_valid_bundle_is_saved_as_one_draft(users):
    forms, valid, _ = _attempt(users["poste_agent"], _data())
    assert valid
    case = Case.objects.get()
    assert _counts() == (1, 1, 1)
    assert case.status == "draft" and case.debtor.name == "SARL LES TANNEURS"
    assert list(case.events.values_list("kind", flat=True)) == ["created"]


@pytest.mark.django_db
def test_refused_submission_rolls_back_the_whole_save(users):
    """Valid forms, but no pieces yet: the submit is refused and nothing stays."""
    forms = ReferralForms(users["poste_agent"], _data())
    assert forms.is_valid()
    with pytest.raises(services.ReferralIncomplete) as refused:
        services.save_referral(users["poste_agent"], forms, submit=True)
    assert any(m.startswith("Pièce manquante") for m in refused.value.problems["pieces"])
    assert _counts() == (0, 0, 0)
    assert not PropertyTarget.objects.exists()


# --- The piece form ----------------------------------------------------------------------


def test_piece_form_refuses_a_disguised_file_on_the_file_field():
    upload = SimpleUploadedFile("kbis.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    form = PieceForm(data={"kind": "kbis"}, files={"file": upload})
    assert not form.is_valid()
    assert "ne correspond pas à son extension .pdf" in form.errors["file"][0]


def test_piece_form_refuses_an_unknown_kind_and_a_missing_file():
    form = PieceForm(data={"kind": "passeport"}, files={})
    assert not form.is_valid()
    assert "passeport" in form.errors["kind"][0]  # Django's French "Sélectionnez un choix…"
    assert form.errors["file"] == ["Choisissez le fichier à joindre."]


def test_piece_form_accepts_a_pdf_and_fingerprints_it():
    upload = SimpleUploadedFile("kbis.pdf", sample_pdf("Kbis"), "application/pdf")
    form = PieceForm(data={"kind": "kbis"}, files={"file": upload})
    assert form.is_valid(), form.errors
    assert form.checked.content_type == "application/pdf"
    assert len(form.checked.sha256) == 64


# --- Database constraints (whatever the path that writes) ------------------------------


def _claim_row(case, **overrides) -> Claim:
    values = {
        "case": case,
        "tax": "TVA",
        "nature": "impot_amr",
        "period": "2023",
        "assessment_date": datetime.date(2024, 3, 15),
        "principal": Decimal("100"),
        "penalties": Decimal("10"),
        "remaining": Decimal("110"),
        **overrides,
    }
    return Claim.objects.create(**values)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "overrides",
    [
        {"principal": Decimal("-1")},
        {"penalties": Decimal("-0.01")},
        {"remaining": Decimal("-1"), "principal": Decimal("100")},
        {"remaining": Decimal("110.01")},
        {"last_interruptive_act": datetime.date(2024, 3, 14)},
    ],
    ids=["negative-principal", "negative-penalties", "negative-remaining", "remaining>total",
         "interruption-before-assessment"],
)  # fmt: skip
def test_database_refuses_an_inconsistent_claim(overrides):
    case = CaseFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        _claim_row(case, **overrides)
    assert not Claim.objects.filter(case=case).exists()


@pytest.mark.django_db
def test_database_accepts_a_consistent_claim_and_computes_its_prescription():
    claim = _claim_row(CaseFactory(), remaining=Decimal("110"))
    claim.refresh_from_db()
    assert claim.prescription_date == add_years(datetime.date(2024, 3, 15), 4)


@pytest.mark.django_db
def test_database_refuses_a_siren_of_the_wrong_length():
    with pytest.raises(IntegrityError), transaction.atomic():
        DebtorFactory(siren="12345")
    assert not Debtor.objects.filter(siren="12345").exists()


@pytest.mark.django_db
def test_database_refuses_an_update_that_breaks_a_claim():
    case = CaseFactory()
    ClaimFactory(case=case)
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.filter(case=case).update(remaining=Decimal("1000000"))
    assert Claim.objects.get(case=case).remaining == Decimal("88000.00")


def test_using_the_referral_formsets_leaves_their_forms_unchanged():
    """An inline formset appends its foreign key to a form's Meta.fields when that is a
    list; the API builds its serializers from these forms, whenever its URLs load."""
    from cases.forms import (
        ClaimForm,
        ClaimFormSet,
        HolderForm,
        ManagerForm,
        PropertyForm,
        ReferralForms,
    )

    before = {f: tuple(f._meta.fields) for f in (ClaimForm, PropertyForm, ManagerForm, HolderForm)}
    ClaimFormSet(prefix="claims").forms  # noqa: B018 (builds the forms)
    ReferralForms  # noqa: B018
    after = {f: tuple(f._meta.fields) for f in before}
    assert after == before
    assert "case" not in ClaimForm._meta.fields


@pytest.mark.django_db
def test_a_million_characters_of_facts_are_refused_in_french(users):
    """A text no one writes and the PDF renderer would choke on (a worker held 35 s)."""
    data = _data()
    data["case-facts"] = "Faits. " * 150_000
    forms, valid, before = _attempt(users["poste_agent"], data)
    _assert_refused(forms, valid, before)
    [message] = forms.case_form.errors["facts"]
    assert message.startswith("Assurez-vous que cette valeur comporte au plus 20000 caractères")
