"""Celery tasks of the journal: load ids, call a service."""

from celery import shared_task

from journal import reminders, services, sharing


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=2, max_retries=5)
def record_exposures(alert_id: int) -> None:
    """Published by alerts when an alert goes out: the journal adds it to the children at the school."""
    services.record_exposures(alert_id=alert_id)


@shared_task(acks_late=True)
def sweep_exposures() -> None:
    """Beat: publish what a lost task left behind."""
    services.sweep_exposures()


@shared_task(acks_late=True)
def send_caregiver_invite(invite_id: int) -> None:
    sharing.send_caregiver_invite(invite_id=invite_id)


@shared_task(acks_late=True)
def tidy_sharing() -> None:
    """Beat, daily: delete invitations and share links long ended."""
    sharing.tidy()


@shared_task(acks_late=True)
def plan_reminders() -> None:
    """Beat, every quarter of an hour: the reminders due this hour, as outbox rows (sent in batches)."""
    reminders.plan()


@shared_task(acks_late=True)
def send_reminders(reminder_ids: list[int]) -> None:
    """A batch published before the outbox: its reminders become outbox rows."""
    reminders.queue(reminder_ids=reminder_ids)
