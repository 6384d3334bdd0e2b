"""Who sees which case, decided by cases.access: the list's query (visible_cases) and the
per-case check (can_view) must agree, role by role."""

import pytest
from django.contrib.auth.models import AnonymousUser

from cases.access import can_edit_referral, can_view, visible_cases
from cases.enums import CaseStatus
from cases.models import Direction, PosteComptable
from tests.factories import CaseFactory

S = CaseStatus

# The cases of the scenario: a draft and a submitted case per poste comptable, plus cases
# assigned to the expert (of a helping direction).
CASES = {
    "laon_draft": {"poste": "SIE de Laon"},
    "laon_submitted": {"poste": "SIE de Laon", "to": S.SUBMITTED},
    "laon_closed": {"poste": "SIE de Laon", "to": S.CLOSED},
    "stq_draft": {"poste": "SGC de Saint-Quentin"},
    "stq_submitted": {"poste": "SGC de Saint-Quentin", "to": S.UNDER_EXAMINATION},
    "d67_draft": {"poste": "SIE de Strasbourg"},
    "d67_submitted": {"poste": "SIE de Strasbourg", "to": S.SUBMITTED},
    "expert_submitted": {"poste": "SIE de Laon", "to": S.UNDER_EXAMINATION, "expert": True},
    "expert_draft": {"poste": "SGC de Saint-Quentin", "expert": True},
}
D02 = {c for c, spec in CASES.items() if spec["poste"] != "SIE de Strasbourg"}
NON_DRAFTS = {c for c, spec in CASES.items() if "to" in spec}

EXPECTED = {
    "poste_agent": {"laon_draft", "laon_submitted", "laon_closed", "expert_submitted"},
    "other_poste_agent": {"stq_draft", "stq_submitted", "expert_draft"},
    "direction_agent": D02,
    "other_direction_agent": {"d67_draft", "d67_submitted"},
    "jurist": NON_DRAFTS,
    "other_jurist": NON_DRAFTS,
    "head": NON_DRAFTS,
    "admin": NON_DRAFTS,
    "management": NON_DRAFTS,
    "management_d02": NON_DRAFTS & D02,
    "management_d67": {"d67_submitted"},
    "expert": {"expert_submitted"},
}


@pytest.fixture
def cases(users) -> dict:
    built = {}
    for name, spec in CASES.items():
        poste = PosteComptable.objects.get(name=spec["poste"])
        case = CaseFactory(to=spec.get("to"), direction=poste.direction, poste_comptable=poste)
        if spec.get("expert"):
            case.assigned_expert = users["expert"]
            case.save()
        built[name] = case
    return built


def _seen(user, cases) -> tuple[set, set]:
    by_pk = {case.pk: name for name, case in cases.items()}
    listed = {by_pk[pk] for pk in visible_cases(user).values_list("pk", flat=True)}
    checked = {name for name, case in cases.items() if can_view(user, case)}
    return listed, checked


@pytest.mark.django_db
@pytest.mark.parametrize("key", list(EXPECTED))
def test_list_and_case_check_agree_for_every_role(users, cases, key):
    listed, checked = _seen(users[key], cases)
    assert listed == EXPECTED[key]
    assert checked == EXPECTED[key]


@pytest.mark.django_db
def test_every_role_of_the_users_fixture_is_covered(users):
    assert set(EXPECTED) == set(users)


@pytest.mark.django_db
def test_anonymous_sees_nothing(cases):
    anonymous = AnonymousUser()
    assert _seen(anonymous, cases) == (set(), set())


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["poste_agent", "direction_agent", "head", "admin", "expert"])
def test_inactive_user_sees_nothing(users, cases, key):
    user = users[key]
    user.is_active = False
    user.save()
    assert _seen(user, cases) == (set(), set())


@pytest.mark.django_db
def test_moving_a_poste_agent_changes_what_they_see(users, cases):
    agent = users["poste_agent"]
    agent.poste_comptable = PosteComptable.objects.get(name="SGC de Saint-Quentin")
    agent.save()
    assert _seen(agent, cases) == (EXPECTED["other_poste_agent"],) * 2


@pytest.mark.django_db
def test_expert_unassigned_sees_nothing_more(users, cases):
    case = cases["expert_submitted"]
    case.assigned_expert = None
    case.save()
    assert _seen(users["expert"], cases) == (set(), set())


@pytest.mark.django_db
def test_poste_agent_whose_direction_differs_sees_by_poste(users, cases):
    """The poste comptable decides, not the direction recorded on the account."""
    agent = users["poste_agent"]
    agent.direction = Direction.objects.get(code="DRFIP 67")
    agent.save()
    assert _seen(agent, cases)[0] == EXPECTED["poste_agent"]


@pytest.mark.django_db
def test_only_the_referring_side_edits_and_only_drafts_or_returned(users, cases):
    editable = {
        key: {name for name, case in cases.items() if can_edit_referral(users[key], case)}
        for key in users
    }
    assert editable["poste_agent"] == {"laon_draft"}
    assert editable["other_poste_agent"] == {"stq_draft", "expert_draft"}
    assert editable["direction_agent"] == {"laon_draft", "stq_draft", "expert_draft"}
    assert editable["other_direction_agent"] == {"d67_draft"}
    for key in set(users) - {
        "poste_agent",
        "other_poste_agent",
        "direction_agent",
        "other_direction_agent",
    }:
        assert editable[key] == set(), key
