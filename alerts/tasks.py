"""Celery tasks: load ids, call a service. Retries are declared here.

Backoff stays far below Redis' visibility timeout (3600 s), so a retried task is never also
redelivered by the broker.
"""

import smtplib

from celery import shared_task

from alerts import imports, services
from portal import outbox

RETRY = {
    "autoretry_for": (services.TemporaryDeliveryFailure, smtplib.SMTPException, OSError),
    "retry_backoff": 2,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": services.MAX_ATTEMPTS,
    "acks_late": True,
}


@shared_task(**RETRY)
def plan_alert(alert_id: int) -> None:
    """Create the alert's deliveries and publish them in batches of at most 100."""
    outbox.publish_many("alerts.tasks.send_deliveries", [(batch,) for batch in services.plan_alert(alert_id=alert_id)])


@shared_task(**RETRY)
def send_deliveries(delivery_ids: list[int]) -> None:
    result = services.send_deliveries(delivery_ids=delivery_ids)
    if result.to_retry:
        # The whole batch is retried: rows already sent are skipped by their status.
        raise services.TemporaryDeliveryFailure(f"{len(result.to_retry)} deliveries to retry")


@shared_task(**RETRY)
def send_daily_digests() -> None:
    outbox.publish_many("alerts.tasks.send_digests", [(batch,) for batch in services.plan_digests()])


@shared_task(**RETRY)
def send_digests(digest_ids: list[int]) -> None:
    result = services.send_digests(digest_ids=digest_ids)
    if result.to_retry:
        raise services.TemporaryDeliveryFailure(f"{len(result.to_retry)} digests to retry")


@shared_task(**RETRY)
def send_confirmation(subscription_id: int) -> None:
    services.send_confirmation(subscription_id=subscription_id)


@shared_task(**RETRY)
def send_already_subscribed(subscription_id: int) -> None:
    services.send_already_subscribed(subscription_id=subscription_id)


@shared_task(**RETRY)
def notify_contacts(report_id: int) -> None:
    services.notify_contacts(report_id=report_id)


@shared_task(acks_late=True)
def sweep_outbox() -> None:
    """Beat, every minute: publish whatever a lost task or a broker outage left behind."""
    services.sweep()


@shared_task(acks_late=True)
def run_school_import(import_id: int) -> None:
    """Check or write one chunk of a school import, then queue the next."""
    if imports.process_chunk(import_id=import_id):
        run_school_import.delay(import_id)


@shared_task(**RETRY)
def tell_moderators_about_contact_request(contact_id: int) -> None:
    services.tell_moderators_about_contact_request(contact_id=contact_id)


@shared_task(**RETRY)
def tell_contact_about_decision(contact_id: int) -> None:
    services.tell_contact_about_decision(contact_id=contact_id)
