from celery import shared_task

from articles import services


@shared_task(autoretry_for=(OSError,), retry_backoff=60, max_retries=5)
def tell_reviewers_about_version(version_id: int) -> int:
    """Tell the medical reviewers that an edit waits for them. Safe to run twice."""
    return services.tell_reviewers_about_version(version_id=version_id)


@shared_task(autoretry_for=(OSError,), retry_backoff=60, max_retries=5)
def sweep_reviewer_notices() -> int:
    """Every few minutes: notices a lost task dropped."""
    return services.sweep_reviewer_notices()


@shared_task(autoretry_for=(OSError,), retry_backoff=60, max_retries=5)
def send_review_due_digest() -> int:
    """Weekly: email editors the articles whose medical review is due. Safe to run twice."""
    return services.send_review_due_digest()
