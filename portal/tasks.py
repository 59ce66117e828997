"""Thin Celery wrappers of the portal's own services."""

from celery import shared_task

from portal import vocabulary


@shared_task
def rebuild_search_vocabulary() -> int:
    """Beat: the words behind search's "Did you mean ...?" follow what was published or withdrawn."""
    return vocabulary.rebuild()
