from celery.schedules import crontab

BEAT_SCHEDULE = {
    "journal-sweep-exposures": {"task": "journal.tasks.sweep_exposures", "schedule": crontab(minute="*/5")},
}
