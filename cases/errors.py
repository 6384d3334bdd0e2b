"""The lifecycle's refusals, each with a French message for the user. Apart from
`lifecycle.py` because `Case.save()` raises one too (a status written outside the
lifecycle), and the models sit below the lifecycle."""

from viewflow.fsm import TransitionNotAllowed


class LifecycleError(TransitionNotAllowed):
    """A transition refused, with a French message for the user."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)

    def __str__(self) -> str:
        return self.message


class IllegalTransition(LifecycleError):
    """The case is not in a state this transition leaves from, or a rule forbids it."""


class TransitionForbidden(LifecycleError):
    """The user may not fire this transition on this case."""


class ReasonRequired(LifecycleError):
    """The transition refuses or returns something and needs a reason."""
