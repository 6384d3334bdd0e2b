"""What the demo walkers know of the pôle's process, in one place.

Both walkers take cases along `workflows.flows.CaseFlow`: `demo.walk` by completing its
steps through the workflow's services (the flow itself then opens the next step), and
`demo.bulk` by simulating them in memory and writing the rows the flow would have
written. The knowledge of the process they need beyond the operations they call sits
here and nowhere else in `demo/`, so that it can be swapped for the one description of
the process (`workflows.process`) when it exists:

- `TRANSITIONS`: each lifecycle transition's sources, target and history summary (read
  from the lifecycle's own table);
- `CLOSURE_BY_TRANSITION`: the closure reason the closing transitions set;
- `STEP_AFTER`: the step the flow opens after each transition (bulk);
- `STEPS_FOR`: the steps whose completion fires each transition of a scenario's path
  (walk);
- `open_task_holder`: who holds an open step (read from the flow's own nodes).
"""

from __future__ import annotations

from types import SimpleNamespace

from cases.enums import ClosureReason
from cases.lifecycle import transitions_table
from cases.models import Case, User
from workflows.flows import CaseFlow

# name -> (sources, target, history summary): the lifecycle's own table.
TRANSITIONS = {
    name: ({t.source for t in ts}, ts[0].target, ts[0].custom["done"])
    for name, ts in transitions_table().items()
}

# What the closing transitions decide (cases.lifecycle's bodies); `close` takes its reason.
CLOSURE_BY_TRANSITION = {
    "withdraw": ClosureReason.WITHDRAWN,
    "end_support": ClosureReason.SUPPORT_COMPLETED,
    "close_after_opinion": ClosureReason.OPINION_GIVEN,
}

# The step CaseFlow opens once a transition has fired (its gateways read the new status);
# None: the process ends. `accept` opens the assignment whatever the mode; the steps that
# do not change the status (assignment, write_opinion, validate_opinion returned,
# follow_up, mandate_lawyer) are followed in the simulation's own order.
STEP_AFTER: dict[str, str | None] = {
    "submit": "receivability",
    "resubmit": "receivability",
    "return_for_completion": "completion",
    "accept": "assignment",
    "decline": None,
    "withdraw": None,
    "give_opinion": "follow_up",
    "close_after_opinion": None,
    "start_support": "support",
    "end_support": None,
    "take_over": "mandate_lawyer",
    "take_over_after_opinion": "mandate_lawyer",
    "engage_action": "hearings",
    "await_decision": "decision",
    "reopen_hearings": "hearings",
    "record_decision": "appeal_decision",
    "appeal": "hearings",
    "start_execution": "execution",
    "close": None,
}

# A scenario's path names lifecycle transitions; these are the steps (completed in this
# order) whose forms fire each of them. `take_over` and `start_support` fire when the
# assignment of a takeover or support case is completed; `close` depends on the status.
STEPS_FOR: dict[str, tuple[str, ...]] = {
    "accept": ("receivability", "assignment"),
    "return_for_completion": ("receivability",),
    "decline": ("receivability",),
    "take_over": (),
    "start_support": (),
    "submit_opinion": ("write_opinion",),  # not a transition: the opinion awaits validation
    "give_opinion": ("write_opinion", "validate_opinion"),
    "engage_action": ("mandate_lawyer", "starting_act"),
    "await_decision": ("hearings",),
    "record_decision": ("decision",),
    "appeal": ("appeal_decision",),
    "start_execution": ("appeal_decision",),
}
CLOSING_STEP = {  # status -> the step whose completion closes the case
    "support_in_progress": "support",
    "opinion_given": "follow_up",
    "execution": "execution",
}


def open_task_holder(step: str, case: Case) -> tuple[User | None, str]:
    """(owner, permission) of an open `step` of `case`, as CaseFlow's node computes them
    when it creates the task (`.Assign(...)`, `.Permission(...)`): read from the flow, so
    that generated tasks sit in the same queues and inboxes as real ones."""
    node = getattr(CaseFlow, step)
    activation = SimpleNamespace(process=SimpleNamespace(case=case))
    return node.calc_owner(activation), node.calc_owner_permission(activation)
