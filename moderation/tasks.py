"""Moderation emails, sent out of the request. Each task loads ids and calls a service."""

from smtplib import SMTPException

from celery import shared_task

from moderation import services

RETRY = {"autoretry_for": (SMTPException, OSError), "retry_backoff": True, "retry_jitter": True, "max_retries": 6}


@shared_task(**RETRY)
def tell_moderators_about_crisis(flag_id: int) -> None:
    services.send_crisis_alert(flag_id=flag_id)


@shared_task(**RETRY)
def tell_author_about_post(post_id: int) -> None:
    services.send_post_decision(post_id=post_id)


@shared_task(**RETRY)
def tell_member_about_decision(action_id: int) -> None:
    services.send_member_decision(action_id=action_id)
