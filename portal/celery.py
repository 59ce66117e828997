"""The Celery application: `celery -A portal worker` and `celery -A portal beat`."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_configure.connect
def collect_beat_schedule(sender, **kwargs):
    """Each app lists its periodic tasks in `<app>/schedule.py: BEAT_SCHEDULE`, the portal its own in
    portal/schedule.py."""
    from portal.hooks import app_hooks
    from portal.schedule import BEAT_SCHEDULE

    sender.conf.beat_schedule.update(BEAT_SCHEDULE)
    for schedule in app_hooks("schedule", "BEAT_SCHEDULE"):
        sender.conf.beat_schedule.update(schedule)
