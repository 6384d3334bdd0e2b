# The workflow's fixtures, for documents produced by its steps.
from tests.workflows.conftest import journey, submitted_case  # noqa: F401
