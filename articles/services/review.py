"""Review: a medical reviewer signs an article's text (a first or yearly review), or approves a waiting
version (which publishes it under their name) or sends it back to the editors with a note."""

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from articles.models import REVIEW_INTERVAL, REVIEWED_FIELDS, Article, ArticleVersion, Reference, Review
from articles.services.revisions import record_revision
from articles.services.rules import PublishingError, render_body, require_reviewer
from portal import pagetopics
from portal.pagecache import changes_public_pages

ALREADY_DECIDED = "This version was already decided; open the article for its latest state."
ARCHIVED_NOT_REVIEWED = "An archived article is not reviewed. Set it back to draft first."


@changes_public_pages(pages=pagetopics.ARTICLES)
@transaction.atomic
def record_review(*, reviewer: User, article: Article, notes: str = "") -> Review:
    """A medical reviewer signs off the article's text as the public reads it (a first review, or
    the yearly one); the next review falls due in 12 months. A waiting version is not part of it."""
    require_reviewer(reviewer)
    article = Article.objects.select_for_update().get(pk=article.pk)
    if article.status == Article.Status.ARCHIVED:
        raise PublishingError(ARCHIVED_NOT_REVIEWED)
    return _sign(reviewer=reviewer, article=article, notes=notes)


@changes_public_pages(pages=pagetopics.ARTICLES)
@transaction.atomic
def approve_version(*, reviewer: User, version: ArticleVersion, notes: str = "") -> Review:
    """A medical reviewer signs the waiting version: it becomes the public text, under their name."""
    require_reviewer(reviewer)
    version = ArticleVersion.objects.select_for_update().get(pk=version.pk)
    if not version.is_pending:
        raise PublishingError(ALREADY_DECIDED)
    article = Article.objects.select_for_update().get(pk=version.article_id)
    if article.status == Article.Status.ARCHIVED:
        raise PublishingError(ARCHIVED_NOT_REVIEWED)
    content = version.content
    for name in REVIEWED_FIELDS:
        # A version saved before key points existed leaves them as reviewed.
        setattr(article, name, content.get(name, getattr(article, name)))
    render_body(article)
    article.save()
    article.references.all().delete()
    Reference.objects.bulk_create(Reference(article=article, **ref) for ref in content["references"])
    review = _sign(reviewer=reviewer, article=article, notes=notes)
    version.state, version.decided_by, version.decided_at = ArticleVersion.State.APPROVED, reviewer, timezone.now()
    version.review = review
    version.save(update_fields=["state", "decided_by", "decided_at", "review", "updated_at"])
    record_revision(editor=version.editor, article=article, note=f"Approved by {review.reviewer_name}")
    return review


@transaction.atomic
def send_back_version(*, reviewer: User, version: ArticleVersion, note: str) -> ArticleVersion:
    """A medical reviewer returns the version to the editors with a note; nothing is published."""
    require_reviewer(reviewer)
    if not note.strip():
        raise PublishingError("Say what needs to change: the note goes to the editors.")
    version = ArticleVersion.objects.select_for_update().get(pk=version.pk)
    if not version.is_pending:
        raise PublishingError(ALREADY_DECIDED)
    version.state, version.decided_by, version.decided_at = ArticleVersion.State.SENT_BACK, reviewer, timezone.now()
    version.review_note = note.strip()
    version.save(update_fields=["state", "decided_by", "decided_at", "review_note", "updated_at"])
    return version


def _sign(*, reviewer: User, article: Article, notes: str) -> Review:
    review = Review.objects.create(article=article, reviewer=reviewer, notes=notes)
    article.last_review = review
    article.review_due = (review.reviewed_at + REVIEW_INTERVAL).date()
    article.save(update_fields=["last_review", "review_due", "updated_at"])
    return review
