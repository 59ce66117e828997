from celery.schedules import crontab

BEAT_SCHEDULE = {
    "articles-review-due-digest": {
        "task": "articles.tasks.send_review_due_digest",
        # Monday morning, so editors can plan the week's reviews.
        "schedule": crontab(day_of_week="mon", hour=7, minute=0),
    },
    "articles-reviewer-notice-sweep": {
        "task": "articles.tasks.sweep_reviewer_notices",
        "schedule": crontab(minute="*/10"),
    },
}
