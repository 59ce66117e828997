"""Emails to editors and medical reviewers (built here, sent by articles.services)."""

from datetime import date

from django.urls import reverse
from django.utils.translation import ngettext

from portal.emails import absolute_url, build_email, send_all


def send_version_waiting(*, reviewers, version) -> int:
    """One message per medical reviewer: an edit to a reviewed article waits for their decision."""
    context = {
        "title": version.article.title,
        "editor": version.editor.display_name if version.editor else "a former member",
        "review_url": absolute_url(reverse("admin:articles_article_version", args=[version.article_id, version.pk])),
        "page_url": absolute_url(version.article.get_absolute_url()),
    }
    subject = f"A change to “{version.article.title}” waits for medical review"
    return send_all(
        [
            build_email(to=reviewer.email, subject=subject, template="articles/email/version_waiting", context=context)
            for reviewer in reviewers
        ]
    )


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
    subject = f"{len(rows)} {ngettext('article review', 'article reviews', len(rows))} due"
    context = {"rows": rows, "today": today}
    return send_all(
        [
            build_email(to=editor.email, subject=subject, template="articles/email/review_due", context=context)
            for editor in editors
        ]
    )
