"""Issue 17: the suspension of individual actions is enforced, not only told.

C. com. L.622-21: the opening judgment interrupts or forbids every action in justice of the
creditors for the payment of a sum of money and stops every procedure of execution, for a
claim born before it; the liquidateur subrogated pursues the saisie (L.642-18). What the
pôle may no longer record on a stopped case is refused with the reason; what records the
court's doing, the money and the closure stays open. An action against a manager (LPF
L.267) or against a holder (LPF L.262) is not an action against the debtor: not stopped."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cases.enums import CaseStatus, PartyRole, Residence
from cases.models import ActionType, StoppedAction
from deadlines.models import ProcedureAct
from tests.factories import CaseFactory, case_at_step, side_action, take_step

from .conftest import open_step_names, open_task

S = CaseStatus
pytestmark = pytest.mark.django_db


def stopped_by_liquidation(case):
    """The assignation to open proceedings against the same debtor, up to its opening
    judgment (a liquidation): the case is stopped."""
    case_at_step("declare_claim")
    assert StoppedAction.objects.filter(case=case).exists()
    return case


def post_side(client, case, step, action, data):
    client.force_login(case.assigned_jurist)
    task = open_task(case, step)
    return client.post(reverse("workflows:side_action", args=[task.pk, action]), data)


def test_a_stopped_saisie_records_no_act_of_procedure(client):
    saisie = stopped_by_liquidation(CaseFactory(to=S.ACTION_ENGAGED))
    before = ProcedureAct.objects.filter(case=saisie).count()
    day = timezone.localdate().isoformat()
    response = post_side(
        client,
        saisie,
        "hearings",
        "procedure_act",
        {"kind": "denonciation_creanciers", "date": day},
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "Impossible d&#x27;enregistrer un acte de procédure" in page
    assert "arrête les poursuites individuelles contre le débiteur (C. com. L.622-21)" in page
    assert "Déclarez la créance au passif." in page
    assert ProcedureAct.objects.filter(case=saisie).count() == before


def test_after_the_subrogation_the_liquidateur_pursues_the_saisie(client):
    saisie = stopped_by_liquidation(CaseFactory(to=S.ACTION_ENGAGED))
    side_action(saisie, "hearings", "subrogation", {"on": timezone.localdate().isoformat()})
    day = timezone.localdate().isoformat()
    response = post_side(
        client,
        saisie,
        "hearings",
        "procedure_act",
        {"kind": "denonciation_creanciers", "date": day},
    )
    assert response.status_code == 409
    assert "poursuit la saisie (C. com. L.642-18)" in response.content.decode()


def test_a_stopped_case_engages_no_action_but_records_its_parties(client):
    case = stopped_by_liquidation(case_at_step("starting_act"))
    with pytest.raises(ValidationError) as refused:
        take_step(case, "starting_act", "engage")
    assert "Impossible d'enregistrer l'acte introductif" in str(refused.value)
    assert open_step_names(case) == ["starting_act"] and case.status == S.TAKEN_OVER
    assert not case.starting_acts.exists()
    response = post_side(
        client,
        case,
        "starting_act",
        "party",
        {
            "role": PartyRole.REGISTERED_CREDITOR,
            "name": "Banque du Nord",
            "residence": Residence.METROPOLE,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]


def test_the_stop_lifted_the_acts_are_recorded_again(client):
    saisie = stopped_by_liquidation(CaseFactory(to=S.ACTION_ENGAGED))
    StoppedAction.objects.filter(case=saisie).update(resumed_on=timezone.localdate())
    day = timezone.localdate().isoformat()
    response = post_side(
        client,
        saisie,
        "hearings",
        "procedure_act",
        {"kind": "denonciation_creanciers", "date": day},
    )
    assert response.status_code == 302, response.content.decode()[:2000]


@pytest.mark.parametrize("code", ["solidarite_dirigeant", "tiers_detenteur"])
def test_an_action_against_a_manager_or_a_holder_is_not_stopped(code):
    """LPF L.267 aims at the manager personally, LPF L.262 at the holder's own debt: the
    debtor's liquidation does not stop them, and their starting act goes through."""
    case = case_at_step("starting_act", action_type=ActionType.objects.get(code=code))
    case_at_step("declare_claim")
    assert not StoppedAction.objects.filter(case=case).exists()
    take_step(case, "starting_act", "engage")
    assert case.status == S.ACTION_ENGAGED


def test_a_deadline_of_a_stopped_saisie_is_not_met_by_an_act_after_the_opening(client):
    """A deadline of the stopped action (the publicity of the sale, a dénonciation…) cannot
    be marked as met by an act done on or after the opening judgment: that act is forbidden
    (C. com. L.622-21). An act done before it, recorded late, is accepted; the deadlines of
    the collective proceeding itself (the declaration of claims, R.622-24) are its own."""
    import datetime

    from deadlines import rules
    from deadlines.models import Deadline
    from deadlines.services import add_manual_deadline

    saisie = stopped_by_liquidation(CaseFactory(to=S.ACTION_ENGAGED))
    jurist = saisie.assigned_jurist
    opened_on = StoppedAction.objects.get(case=saisie).proceeding.opened_on
    today = timezone.localdate()
    deadline = add_manual_deadline(
        saisie,
        jurist,
        label="Publicité de la vente",
        due_date=today + datetime.timedelta(days=20),
        basis="C. proc. civ. exéc. R.322-31",
    )
    client.force_login(jurist)
    url = reverse("deadlines:done", args=[deadline.pk])
    refused = client.post(url, {"act": "Affiches apposées", "done_on": today.isoformat()})
    assert refused.status_code == 422
    page = refused.content.decode()
    assert "arrête les poursuites individuelles contre le débiteur (C. com. L.622-21)" in page
    deadline.refresh_from_db()
    assert deadline.is_open
    # Done the day before the opening, recorded only now: met.
    before = (opened_on - datetime.timedelta(days=1)).isoformat()
    assert client.post(url, {"act": "Affiches apposées", "done_on": before}).status_code == 302
    deadline.refresh_from_db()
    assert not deadline.is_open and deadline.done_on == opened_on - datetime.timedelta(days=1)
    # The declaration of claims is the collective proceeding's own deadline.
    declaration = Deadline.objects.create(
        case=saisie,
        template=rules.DECLARATION,
        label="Déclaration de créance",
        basis="C. com. R.622-24",
        due_date=today + datetime.timedelta(days=30),
        created_by=jurist,
    )
    done = client.post(
        reverse("deadlines:done", args=[declaration.pk]),
        {"act": "Déclaration adressée au mandataire", "done_on": today.isoformat()},
    )
    assert done.status_code == 302
