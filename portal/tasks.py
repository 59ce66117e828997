"""Thin Celery wrappers of the portal's own services."""

from celery import shared_task

from portal import outbox, vocabulary


@shared_task
def rebuild_search_vocabulary() -> int:
    """Beat: the words behind search's "Did you mean ...?" follow what was published or withdrawn."""
    return vocabulary.rebuild()


@shared_task(acks_late=True)
def send_outbound_emails(ids: list[int]) -> None:
    """Send a batch of outbox rows; the rows to try again are published with their backoff."""
    outbox.publish_retries(outbox.send_outbound_emails(ids=ids))


@shared_task(acks_late=True)
def sweep_outbound_emails() -> int:
    """Beat, every minute: publish the outbox rows a lost task or a broker outage left waiting."""
    return outbox.sweep_outbound_emails()
