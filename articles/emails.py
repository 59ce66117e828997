"""The weekly review-due email to editors (built here, sent by services.send_review_due_digest)."""

from datetime import date

from django.core.mail import get_connection
from django.urls import reverse
from django.utils.translation import ngettext

from portal.emails import absolute_url, build_email


def send_version_waiting(*, reviewers, version) -> int:
    """One message per medical reviewer: an edit to a reviewed article waits for their decision."""
    context = {
        "title": version.article.title,
        "editor": version.editor.display_name if version.editor else "a former member",
        "review_url": absolute_url(reverse("admin:articles_article_version", args=[version.article_id, version.pk])),
        "page_url": absolute_url(version.article.get_absolute_url()),
    }
    subject = f"[PANDAS Parent Network] A change to “{version.article.title}” waits for medical review"
    messages = [
        build_email(to=reviewer.email, subject=subject, template="articles/email/version_waiting", context=context)
        for reviewer in reviewers
    ]
    if not messages:
        return 0
    with get_connection() as connection:
        return connection.send_messages(messages) or 0


def send_review_due(*, editors, articles, today: date) -> int:
    """One message per editor (no editor sees another's address). Returns how many were sent."""
    rows = [
        {
            "title": article.title,
            "review_due": article.review_due,
            "overdue": article.review_due < today,
            "edit_url": absolute_url(reverse("admin:articles_article_change", args=[article.pk])),
            "page_url": absolute_url(article.get_absolute_url()),
        }
        for article in articles
    ]
    subject = f"[PANDAS Parent Network] {len(rows)} {ngettext('article review', 'article reviews', len(rows))} due"
    messages = [
        build_email(
            to=editor.email,
            subject=subject,
            template="articles/email/review_due",
            context={"rows": rows, "today": today},
        )
        for editor in editors
    ]
    if not messages:
        return 0
    with get_connection() as connection:
        return connection.send_messages(messages) or 0
