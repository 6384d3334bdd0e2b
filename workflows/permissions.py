"""Who may take which task: the permission strings the flow's steps require, and the
authentication backend that grants them from the user's role.

viewflow files a task in the queue of the users holding its `owner_permission`
(`Task.objects.queue`, through `user.get_all_permissions()`). The strings below are
computed from `cases.access`, so the task queues follow the same rules as the case pages:
the pôle's steps go to the head and the jurists, the referring side's steps to the agents
of the case's poste comptable and of its direction.
"""

from django.contrib.auth.backends import BaseBackend

from cases import access
from cases.enums import Role

APP = "workflows"
VIEW = f"{APP}.view_caseprocess"  # see the pôle's process (every account with a role)
MANAGE = f"{APP}.manage_caseprocess"  # cancel and undo steps: the head of the pôle
HEAD = f"{APP}.head"  # steps of the head of the pôle: assignment, validation
INTAKE = f"{APP}.intake"  # receivability: the head, and jurists given this permission
POLE = f"{APP}.pole"  # steps any jurist may take while nobody is assigned


def referrer_permission(case) -> str:
    """The referring side of a case: its poste's agents and its direction's agents."""
    return f"{APP}.refer_poste_{case.poste_comptable_id}"


def _role_permissions(user) -> set[str]:
    perms = {VIEW} if user.role else set()
    if user.role == Role.HEAD:
        perms |= {HEAD, INTAKE, POLE, MANAGE}
    elif user.role == Role.JURIST:
        perms.add(POLE)
    elif user.role in (Role.POSTE_AGENT, Role.DIRECTION_AGENT):
        perms |= {
            f"{APP}.refer_poste_{pk}" for pk in access.postes_for(user).values_list("pk", flat=True)
        }
    return perms


class WorkflowPermissionBackend(BaseBackend):
    """Grants the computed permissions above (alongside Django's ModelBackend, which
    grants `workflows.intake` to the jurists an administrator puts on intake duty)."""

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous:
            return set()
        if not hasattr(user_obj, "_workflow_perm_cache"):
            user_obj._workflow_perm_cache = _role_permissions(user_obj)
        return user_obj._workflow_perm_cache

    def has_perm(self, user_obj, perm, obj=None):
        return perm in self.get_all_permissions(user_obj, obj)
