"""Periodic work of the accounts app, for the one celery beat (collected by portal/celery.py)."""

BEAT_SCHEDULE = {
    "accounts-sweep-data-exports": {"task": "accounts.tasks.sweep_data_exports", "schedule": 300.0},
}
