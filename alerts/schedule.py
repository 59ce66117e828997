"""Periodic work of the alerts app, for the one celery beat (collected by portal/celery.py)."""

from celery.schedules import crontab
from django.conf import settings

# The hour (UTC) at which daily digests go out; ALERTS_DIGEST_HOUR in settings overrides it.
DIGEST_HOUR = settings.ALERTS_DIGEST_HOUR

BEAT_SCHEDULE = {
    "alerts-sweep-outbox": {"task": "alerts.tasks.sweep_outbox", "schedule": 60.0},
    "alerts-daily-digests": {
        "task": "alerts.tasks.send_daily_digests",
        "schedule": crontab(minute=0, hour=DIGEST_HOUR),
    },
}
