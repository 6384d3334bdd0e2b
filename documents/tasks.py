"""Background generation: a django-tasks task, queued in the transaction that asks for the
document and run by `manage.py db_worker` (never in the request)."""

from django.conf import settings
from django_tasks import task

from .generation import generate


@task(backend=getattr(settings, "DOCUMENTS_TASKS_BACKEND", "default"))
def generate_document(document_id: int) -> str:
    return generate(document_id).status
