"""Reminders by email, through the outbox (portal.outbox): reviewers hear of a version waiting for
them, editors of the reviews falling due. The rows are written here; articles.emails builds each
message when it is sent."""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.roles import Role
from accounts.selectors import active_members_with_email
from articles import emails
from articles.models import ArticleVersion, ReviewDigest
from portal import outbox

NOTICE_SWEEP_AFTER = timedelta(minutes=5)


def tell_reviewers_about_version(*, version_id: int) -> int:
    """Queue the "a change waits" email to every medical reviewer, once per version. Returns the rows queued.

    propose_version calls it in the transaction that creates the version, so the rows commit with it.
    The version's marker makes a second call (the task of that name, the sweeper) queue nothing.
    """
    with transaction.atomic():
        claimed = ArticleVersion.objects.filter(
            pk=version_id, state=ArticleVersion.State.PENDING, reviewers_notified_at__isnull=True
        ).update(reviewers_notified_at=timezone.now())
        if not claimed:
            return 0
        reviewers = active_members_with_email(Role.MEDICAL_REVIEWER).values_list("email", flat=True)
        return len(outbox.enqueue_email(emails.VERSION_WAITING, version_id, list(reviewers)))


def sweep_reviewer_notices(*, older_than: timedelta = NOTICE_SWEEP_AFTER) -> int:
    """Waiting versions nobody was told about (saved before the notice was written with the version,
    their task lost): queue their notices now. The outbox's own sweeper resends lost messages."""
    stale = ArticleVersion.objects.filter(
        state=ArticleVersion.State.PENDING,
        reviewers_notified_at__isnull=True,
        created_at__lt=timezone.now() - older_than,
    ).values_list("pk", flat=True)
    return sum(tell_reviewers_about_version(version_id=pk) for pk in list(stale))


def send_review_due_digest(*, today: date | None = None) -> int:
    """Queue, once a week, one email per editor listing the published articles whose review is due (or overdue).

    Returns the rows queued; 0 when this week's digest was queued already or nothing is due. The
    week's ReviewDigest row and the emails' rows commit together.
    """
    today = today or timezone.localdate()
    week_start = today - timedelta(days=today.weekday())
    articles = emails.articles_due_for_review(today)
    if not articles:
        return 0
    with transaction.atomic():
        _, created = ReviewDigest.objects.select_for_update().get_or_create(
            week_start=week_start, defaults={"article_count": len(articles)}
        )
        if not created:
            return 0
        editors = active_members_with_email(Role.EDITOR).values_list("email", flat=True)
        # Keyed by the day it was planned: the builder lists what is due as of that day, at send time.
        return len(outbox.enqueue_email(emails.REVIEW_DUE, today.isoformat(), list(editors)))
