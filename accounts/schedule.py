"""Periodic work of the accounts app, for the one celery beat (collected by portal/celery.py)."""

BEAT_SCHEDULE = {
    "accounts-purge-expired-exports": {"task": "accounts.tasks.purge_expired_exports", "schedule": 3600.0},
}
