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
