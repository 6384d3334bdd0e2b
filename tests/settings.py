"""Test settings: the real ones, with a fast password hasher and tasks run at once.

The immediate task backend runs the delivery task when it is enqueued (after commit), as
the worker would. Most tests run inside a transaction that never commits, so they deliver
explicitly (notifications.delivery.deliver_due or `send_notifications`); the database
backend is tested on its own (tests/notifications/test_worker.py)."""

import os

# One key for the whole run: without one, pnsr.settings creates var/secret_key on its first
# import, and the pytest-xdist workers of a fresh clone would race to write and read it.
os.environ.setdefault("SECRET_KEY", "tests-only-key-never-used-outside-the-test-suite")
# The test server and client speak plain HTTP, DEBUG off (pnsr.settings refuses it unless
# told); the subprocesses the tests start inherit it.
os.environ.setdefault("ALLOW_PLAIN_HTTP", "1")

from pnsr.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    # Documents are rendered by a real database worker (`run_worker --backend documents
    # --queue-name documents --batch`, see tests/documents), so that a test sees them
    # pending first, as users do.
    "documents": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["documents"]},
}
DOCUMENTS_TASKS_BACKEND = "documents"
# The second factor of a local sign-in, off for the tests that sign in the head or an
# administrator to try something else; tests/pnsr/test_mfa.py turns it on.
LOCAL_MFA = False


class UnknownVariables(str):
    """`string_if_invalid` that records every unknown variable met in one of our templates
    (templates/ or an app's templates/ in this repository), so that tests/conftest.py fails
    the test that rendered it. Third-party templates (django-dsfr, the admin, viewflow, DRF)
    rely on missing variables rendering empty: theirs are left alone.

    Django formats the value with the variable's name when it contains "%s"; `__mod__`
    records and renders the empty string, as without the setting. `{% if %}` and
    `{% for %}` tolerate a missing variable and never get here; `|default` does not
    rescue a missing one (Django returns `string_if_invalid` before applying filters)."""

    def __new__(cls):
        instance = super().__new__(cls, "%s")
        instance.found = []
        return instance

    def __mod__(self, variable):
        import sys

        context = sys._getframe(1).f_locals.get("context")
        template = getattr(getattr(context, "render_context", None), "template", None)
        origin = str(getattr(getattr(template, "origin", None), "name", ""))
        if origin.startswith(str(BASE_DIR)) and "site-packages" not in origin:  # noqa: F405
            self.found.append(f"{{{{ {variable} }}}} dans {origin[len(str(BASE_DIR)) + 1 :]}")  # noqa: F405
        return ""


UNKNOWN_VARIABLES = UnknownVariables()
TEMPLATES = [  # noqa: F405 (a copy: the real settings' dict is left as it is)
    {**engine, "OPTIONS": {**engine["OPTIONS"], "string_if_invalid": UNKNOWN_VARIABLES}}
    for engine in TEMPLATES  # noqa: F405
]
