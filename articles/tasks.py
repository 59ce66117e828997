from celery import shared_task

from articles import services


@shared_task(autoretry_for=(OSError,), retry_backoff=60, max_retries=5)
def tell_reviewers_about_version(version_id: int) -> int:
    """Queue the medical reviewers' "an edit waits" emails, if propose_version did not. Safe to run twice."""
    return services.tell_reviewers_about_version(version_id=version_id)


@shared_task(autoretry_for=(OSError,), retry_backoff=60, max_retries=5)
def sweep_reviewer_notices() -> int:
    """Every few minutes: notices of versions nobody was told about."""
    return services.sweep_reviewer_notices()


@shared_task(autoretry_for=(OSError,), retry_backoff=60, max_retries=5)
def send_review_due_digest() -> int:
    """Weekly: queue the editors' email of the articles whose medical review is due. Safe to run twice."""
    return services.send_review_due_digest()
