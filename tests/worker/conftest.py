# The workflow's fixtures (cases taken through real steps), and the notifications' (users
# with an address, a case to walk).
from tests.notifications.conftest import laon, mail_users, make_case  # noqa: F401
from tests.workflows.conftest import journey, submitted_case  # noqa: F401
