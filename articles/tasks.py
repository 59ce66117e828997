from celery import shared_task

from articles import services


@shared_task(autoretry_for=(OSError,), retry_backoff=60, max_retries=5)
def send_review_due_digest() -> int:
    """Weekly: email editors the articles whose medical review is due. Safe to run twice."""
    return services.send_review_due_digest()
