"""Test settings: the real ones, with a fast password hasher and tasks run at once.

The immediate task backend runs the delivery task when it is enqueued (after commit), as
the worker would. Most tests run inside a transaction that never commits, so they deliver
explicitly (notifications.delivery.deliver_due or `send_notifications`); the database
backend is tested on its own (tests/notifications/test_worker.py)."""

from pnsr.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    # Documents are rendered by a real database worker (`db_worker --backend documents
    # --batch`, see tests/documents), so that a test sees them pending first, as users do.
    "documents": {"BACKEND": "django_tasks_db.DatabaseBackend"},
}
DOCUMENTS_TASKS_BACKEND = "documents"
