"""The kernel's background work, run by `manage.py db_worker`."""

from django_tasks import task


@task()
def extract_file_text(entry_id: int) -> str:
    """The text inside a stored PDF, for the search (cases/search.py)."""
    from .search import extract

    return extract(entry_id)


@task()
def process_claim_import(import_id: int) -> str:
    """Check a received extract of claims, or import a confirmed one (cases/claims_import.py)."""
    from .claims_import import process

    return process(import_id)
