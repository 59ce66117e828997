"""What every article service shares: the fields a revision keeps, who may act, the publishing rule, the refusal."""

from django.core.exceptions import PermissionDenied

from accounts.models import User
from articles.models import Article
from articles.rendering import render_article_body

# What a revision keeps. Restoring brings back the content; workflow state (status, review date) stays as it is.
CONTENT_FIELDS = ["title", "slug", "summary", "key_points", "body", "category_id", "audience"]
WORKFLOW_FIELDS = ["status", "review_due"]


class PublishingError(Exception):
    """A workflow step that the article's state does not allow (e.g. publishing without a review)."""


def require_editor(user: User) -> None:
    if not (user and user.is_authenticated and user.is_editor):
        raise PermissionDenied("Only editors can change articles.")


def require_reviewer(user: User) -> None:
    if not (user and user.is_authenticated and user.is_medical_reviewer):
        raise PermissionDenied("Only a medical reviewer can review articles.")


def text_needs_review(article: Article) -> bool:
    """True once a reviewer has signed the article: from then on its text changes only by approval."""
    return article.last_review_id is not None


def publishing_problem(article: Article) -> str:
    """Why `article` cannot be published now, or "" when it can."""
    if not article.last_review_id:
        return (
            "An article can be published only after a medical reviewer has reviewed it. "
            "Set it to “In review” and ask a reviewer."
        )
    return ""


def render_body(article: Article) -> None:
    """Derive the HTML, plain text, table of contents and reading time from the Markdown body."""
    rendered = render_article_body(article.body)
    article.body_html, article.body_text = rendered.html, rendered.text
    article.toc, article.reading_minutes = rendered.toc, rendered.reading_minutes
