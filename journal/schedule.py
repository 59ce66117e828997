"""Periodic work of the journal, for the one celery beat (collected by portal/celery.py)."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    "journal-sweep-exposures": {"task": "journal.tasks.sweep_exposures", "schedule": crontab(minute="*/5")},
    "journal-reminders": {"task": "journal.tasks.plan_reminders", "schedule": crontab(minute="*/15")},
    "journal-tidy-sharing": {"task": "journal.tasks.tidy_sharing", "schedule": crontab(minute=20, hour=3)},
}
