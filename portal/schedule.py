from celery.schedules import crontab

BEAT_SCHEDULE = {
    # Writes only what changed (a few rows); a suggestion is checked against a live search anyway.
    "portal-search-vocabulary": {"task": "portal.tasks.rebuild_search_vocabulary", "schedule": crontab(minute="*/10")},
}
