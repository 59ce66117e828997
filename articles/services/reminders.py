"""Reminders by email: reviewers hear of a version waiting for them, editors of the reviews falling due."""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.roles import Role
from accounts.selectors import active_members_with_email
from articles import emails
from articles.models import REVIEW_DUE_WINDOW, Article, ArticleVersion, ReviewDigest

NOTICE_SWEEP_AFTER = timedelta(minutes=5)


def tell_reviewers_about_version(*, version_id: int) -> int:
    """Email every medical reviewer that a change waits for them. Once per version; returns messages sent."""
    with transaction.atomic():
        version = (
            ArticleVersion.objects.select_for_update(of=("self",))
            .select_related("article", "editor")
            .filter(pk=version_id, state=ArticleVersion.State.PENDING, reviewers_notified_at__isnull=True)
            .first()
        )
        if version is None:
            return 0
        reviewers = list(active_members_with_email(Role.MEDICAL_REVIEWER))
        # Sent inside the transaction: if the mail server fails, the marker stays empty and a retry
        # (or the sweeper) sends again.
        sent = emails.send_version_waiting(reviewers=reviewers, version=version)
        version.reviewers_notified_at = timezone.now()
        version.save(update_fields=["reviewers_notified_at"])
    return sent


def sweep_reviewer_notices(*, older_than: timedelta = NOTICE_SWEEP_AFTER) -> int:
    """Send the notices a lost task dropped: waiting versions nobody was told about."""
    stale = ArticleVersion.objects.filter(
        state=ArticleVersion.State.PENDING,
        reviewers_notified_at__isnull=True,
        created_at__lt=timezone.now() - older_than,
    ).values_list("pk", flat=True)
    return sum(tell_reviewers_about_version(version_id=pk) for pk in list(stale))


def send_review_due_digest(*, today: date | None = None) -> int:
    """Email every editor the published articles whose review is due (or overdue), once a week.

    Returns the number of messages sent; 0 when this week's digest already went out or nothing is due.
    """
    today = today or timezone.localdate()
    week_start = today - timedelta(days=today.weekday())
    articles = list(Article.objects.review_due_by(today + REVIEW_DUE_WINDOW))
    if not articles:
        return 0
    editors = list(active_members_with_email(Role.EDITOR))
    with transaction.atomic():
        _, created = ReviewDigest.objects.select_for_update().get_or_create(
            week_start=week_start, defaults={"article_count": len(articles)}
        )
        if not created:
            return 0
        # Sent inside the transaction: if the mail server fails, the row is rolled back and the
        # task's retry sends the digest again.
        return emails.send_review_due(editors=editors, articles=articles, today=today)
