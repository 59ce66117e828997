"""Thin Celery wrappers: load ids (community.selectors), call a service."""

from celery import shared_task

from community import selectors, services


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_reply_notifications(user_id: int) -> int:
    """Everything pending for one each-reply follower, as one email (idempotent)."""
    return services.send_pending_notifications(user_id=user_id)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_digest(user_id: int) -> int:
    return services.send_pending_notifications(user_id=user_id, digest=True)


@shared_task
def send_daily_digests() -> int:
    """Beat, once a day: one digest task per member who chose the daily digest and has news."""
    user_ids = selectors.members_due_a_digest()
    for user_id in user_ids:
        send_digest.delay(user_id)
    return len(user_ids)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_story_reminder(story_id: int) -> bool:
    return services.send_story_reminder(story_id=story_id)


@shared_task
def send_story_reminders() -> int:
    """Beat, once a day: remind authors to add their 3- and 6-month figures."""
    story_ids = selectors.stories_due_a_reminder()
    for story_id in story_ids:
        send_story_reminder.delay(story_id)
    return len(story_ids)


@shared_task
def sweep_notification_emails() -> int:
    """Beat: re-send what a lost task dropped (sending twice is harmless: the service checks)."""
    user_ids = selectors.members_with_stale_notifications()
    for user_id in user_ids:
        send_reply_notifications.delay(user_id)
    return len(user_ids)
