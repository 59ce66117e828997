"""Celery tasks of the accounts app: load ids, call a service."""

import smtplib

from celery import shared_task

from accounts import services


@shared_task(
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=2,
    retry_backoff_max=300,
    max_retries=8,
    acks_late=True,
)
def build_data_export(export_id: int) -> None:
    """Build a large data export and mail the member a link to it (once)."""
    services.build_data_export(export_id=export_id)


@shared_task(acks_late=True)
def sweep_data_exports() -> None:
    """Beat, every 5 minutes: expired archives go; a large export whose task was lost is published again."""
    services.sweep_data_exports()
