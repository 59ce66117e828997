"""Thin Celery wrappers: load ids (community.selectors), call a service."""

from celery import shared_task

from community import selectors, services


@shared_task
def send_reply_notifications(user_id: int) -> int:
    """A reply task published before the outbox: the member's pending replies become an outbox row."""
    return services.queue_pending_replies(user_id=user_id)


@shared_task
def send_daily_digests() -> int:
    """Beat, once a day: one outbox row per member who chose the daily digest and has news."""
    return services.plan_daily_digests()


@shared_task
def send_story_reminder(story_id: int) -> bool:
    return services.send_story_reminder(story_id=story_id)


@shared_task
def send_story_reminders() -> int:
    """Beat, once a day: remind authors to add their 3- and 6-month figures (an outbox row each, written
    here: no broker message per story)."""
    story_ids = selectors.stories_due_a_reminder()
    return sum(services.send_story_reminder(story_id=story_id) for story_id in story_ids)
