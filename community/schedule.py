from celery.schedules import crontab

BEAT_SCHEDULE = {
    "community-daily-digest": {"task": "community.tasks.send_daily_digests", "schedule": crontab(hour=7, minute=0)},
    "community-story-reminders": {
        "task": "community.tasks.send_story_reminders",
        "schedule": crontab(hour=8, minute=0),
    },
}
