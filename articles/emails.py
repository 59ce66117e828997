"""Emails to editors and medical reviewers: built here, when the outbox sends them (portal.outbox).

articles.services.reminders writes the rows; each builder below makes one recipient's message from
what is true at send time, or None when it no longer applies.
"""

from datetime import date

from django.core.mail import EmailMultiAlternatives
from django.urls import reverse
from django.utils.translation import ngettext

from accounts.roles import Role
from accounts.selectors import active_members_with_email
from articles.models import REVIEW_DUE_WINDOW, Article, ArticleVersion
from portal.emails import absolute_url, build_email
from portal.outbox import EmailKind

VERSION_WAITING = "articles.version_waiting"
REVIEW_DUE = "articles.review_due"


def version_waiting(*, to: str, version: ArticleVersion) -> EmailMultiAlternatives:
    """To a medical reviewer: an edit to a reviewed article waits for their decision."""
    context = {
        "title": version.article.title,
        "editor": version.editor.display_name if version.editor else "a former member",
        "review_url": absolute_url(reverse("admin:articles_article_version", args=[version.article_id, version.pk])),
        "page_url": absolute_url(version.article.get_absolute_url()),
    }
    subject = f"A change to “{version.article.title}” waits for medical review"
    return build_email(to=to, subject=subject, template="articles/email/version_waiting", context=context)


def review_due(*, to: str, articles: list[Article], today: date) -> EmailMultiAlternatives:
    """To one editor (no editor sees another's address): the published articles whose review is due."""
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
    return build_email(to=to, subject=subject, template="articles/email/review_due", context=context)


def articles_due_for_review(today: date) -> list[Article]:
    """The published articles whose review falls due within REVIEW_DUE_WINDOW of `today` (or is overdue)."""
    return list(Article.objects.review_due_by(today + REVIEW_DUE_WINDOW))


# --- The outbox's builders: the message for one row, or None when it no longer applies.


def _still_in_role(role: Role, address: str) -> bool:
    return active_members_with_email(role).filter(email__iexact=address).exists()


def _version_waiting_for_row(*, key: str, to: str, language: str):
    # Only while the version still waits (not approved, sent back or withdrawn) and `to` still reviews.
    version = (
        ArticleVersion.objects.select_related("article", "editor")
        .filter(pk=key, state=ArticleVersion.State.PENDING)
        .first()
    )
    if version is None or not _still_in_role(Role.MEDICAL_REVIEWER, to):
        return None
    return version_waiting(to=to, version=version)


def _review_due_for_row(*, key: str, to: str, language: str):
    today = date.fromisoformat(key)  # the day the week's digest was planned (articles.ReviewDigest)
    articles = articles_due_for_review(today)
    if not articles or not _still_in_role(Role.EDITOR, to):
        return None  # reviewed meanwhile, or no longer an editor
    return review_due(to=to, articles=articles, today=today)


OUTBOX_KINDS = {
    VERSION_WAITING: EmailKind(_version_waiting_for_row),
    REVIEW_DUE: EmailKind(_review_due_for_row),
}
