from celery.schedules import crontab

BEAT_SCHEDULE = {
    # Writes only what changed (a few rows); a suggestion is checked against a live search anyway.
    "portal-search-vocabulary": {"task": "portal.tasks.rebuild_search_vocabulary", "schedule": crontab(minute="*/10")},
    # Automatic emails a lost task or a broker outage left waiting (portal.outbox), in batches.
    "portal-outbox-sweep": {"task": "portal.tasks.sweep_outbound_emails", "schedule": 60.0},
}
