"""Reads about an article's review: the text readers see, the change waiting for a reviewer, and what it changes."""

from articles.diffs import content_diffs
from articles.models import REVIEWED_FIELDS, Article, ArticleVersion


def reviewed_content(article: Article) -> dict:
    """The article's text as the public reads it: what its latest review signed."""
    return {
        **{name: getattr(article, name) for name in REVIEWED_FIELDS},
        "references": [ref.as_snapshot() for ref in article.references.order_by("position")],
    }


def pending_version(article: Article) -> ArticleVersion | None:
    return article.versions.filter(state=ArticleVersion.State.PENDING).select_related("editor").first()


def version_diffs(version: ArticleVersion) -> list[dict]:
    """What the version changes, field by field, against the text the public reads now."""
    return content_diffs(reviewed_content(version.article), version.content)
