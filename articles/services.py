"""Every write to articles: editing, review, publishing, revisions and the review-due email.

The admin site, `seed_demo` and the weekly task all come through here, so the rules hold
whichever door a change uses: only editors edit, only medical reviewers review, nothing is
published without a review, and every content change leaves a revision.
"""

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from articles import emails
from articles.models import (
    REFERENCE_FIELDS,
    REVIEW_DUE_WINDOW,
    REVIEW_INTERVAL,
    Article,
    Reference,
    Review,
    ReviewDigest,
    Revision,
    Tag,
)
from articles.rendering import render_article_body
from portal.pagecache import changes_public_pages

# What a revision keeps. Restoring brings back the content; workflow state (status, review date) stays as it is.
CONTENT_FIELDS = ["title", "slug", "summary", "body", "category_id", "audience"]
WORKFLOW_FIELDS = ["status", "review_due"]


class PublishingError(Exception):
    """A workflow step that the article's state does not allow (e.g. publishing without a review)."""


def _require_editor(user: User) -> None:
    if not (user and user.is_authenticated and user.is_editor):
        raise PermissionDenied("Only editors can change articles.")


def publishing_problem(article: Article) -> str:
    """Why `article` cannot be published now, or "" when it can."""
    if not article.last_review_id:
        return (
            "An article can be published only after a medical reviewer has reviewed it. "
            "Set it to “In review” and ask a reviewer."
        )
    return ""


@changes_public_pages
@transaction.atomic
def save_article(*, editor: User, article: Article) -> Article:
    """Save an editor's changes: render the body, apply the publishing rule, stamp the dates.

    Call `record_revision` once references and tags are saved too (the admin does, in save_related).
    """
    _require_editor(editor)
    previous_status = Article.objects.filter(pk=article.pk).values_list("status", flat=True).first()
    if article.status == Article.Status.PUBLISHED and previous_status != Article.Status.PUBLISHED:
        if problem := publishing_problem(article):
            raise PublishingError(problem)
        article.published_at = article.published_at or timezone.now()
    rendered = render_article_body(article.body)
    article.body_html, article.body_text = rendered.html, rendered.text
    article.toc, article.reading_minutes = rendered.toc, rendered.reading_minutes
    if not article.author_id:
        article.author = editor
    article.save()
    return article


@transaction.atomic
def create_article(
    *,
    editor: User,
    title: str,
    slug: str,
    summary: str,
    body: str,
    category,
    audience: str = Article.Audience.PARENTS,
    tags: list[str] = (),
    references: list[dict] = (),
) -> Article:
    """A new draft with its references and tags, and its first revision."""
    article = save_article(
        editor=editor,
        article=Article(title=title, slug=slug, summary=summary, body=body, category=category, audience=audience),
    )
    _set_tags(article, tags)
    Reference.objects.bulk_create(
        Reference(article=article, position=position, **{k: v for k, v in data.items() if k in REFERENCE_FIELDS})
        for position, data in enumerate(references, start=1)
    )
    record_revision(editor=editor, article=article, note="Created")
    return article


def _set_tags(article: Article, names: list[str]) -> None:
    from django.utils.text import slugify

    tags = []
    for name in names:
        tag, _ = Tag.objects.get_or_create(slug=slugify(name), defaults={"name": name.strip().lower()})
        tags.append(tag)
    article.tags.set(tags)


def snapshot_of(article: Article) -> dict:
    return {
        **{name: _jsonable(getattr(article, name)) for name in CONTENT_FIELDS + WORKFLOW_FIELDS},
        "tags": sorted(article.tags.values_list("name", flat=True)),
        "references": [ref.as_snapshot() for ref in article.references.order_by("position")],
    }


def _jsonable(value):
    return value.isoformat() if isinstance(value, date) else value


@transaction.atomic
def record_revision(*, editor: User, article: Article, note: str = "") -> Revision | None:
    """Keep a snapshot of the article if its content changed since the last revision."""
    snapshot = snapshot_of(article)
    previous = article.revisions.order_by("-created_at", "-id").first()
    changed = [name for name in snapshot if previous is None or previous.snapshot.get(name) != snapshot[name]]
    if previous is not None and not changed:
        return None
    return Revision.objects.create(article=article, editor=editor, snapshot=snapshot, changed_fields=changed, note=note)


@transaction.atomic
def restore_revision(*, editor: User, revision: Revision) -> Article:
    """Put an earlier version's content back; the restore is itself a new revision."""
    _require_editor(editor)
    article = Article.objects.select_for_update().get(pk=revision.article_id)
    snapshot = revision.snapshot
    for name in CONTENT_FIELDS:
        setattr(article, name, snapshot.get(name))
    save_article(editor=editor, article=article)
    _set_tags(article, snapshot.get("tags", []))
    article.references.all().delete()
    Reference.objects.bulk_create(Reference(article=article, **data) for data in snapshot.get("references", []))
    note = f"Restored the version of {revision.created_at:%Y-%m-%d %H:%M}"
    record_revision(editor=editor, article=article, note=note)
    return article


@changes_public_pages
@transaction.atomic
def record_review(*, reviewer: User, article: Article, notes: str = "") -> Review:
    """A medical reviewer signs off the article as it stands; the next review falls due in 12 months."""
    if not (reviewer and reviewer.is_authenticated and reviewer.is_medical_reviewer):
        raise PermissionDenied("Only a medical reviewer can record a review.")
    article = Article.objects.select_for_update().get(pk=article.pk)
    if article.status == Article.Status.ARCHIVED:
        raise PublishingError("An archived article is not reviewed. Set it back to draft first.")
    review = Review.objects.create(article=article, reviewer=reviewer, notes=notes)
    article.last_review = review
    article.review_due = (review.reviewed_at + REVIEW_INTERVAL).date()
    article.save(update_fields=["last_review", "review_due", "updated_at"])
    return review


@transaction.atomic
def change_status(*, editor: User, article: Article, status: str) -> Article:
    """Move an article through draft → in review → published → archived (publishing needs a review)."""
    _require_editor(editor)
    article = Article.objects.select_for_update().get(pk=article.pk)
    article.status = status
    save_article(editor=editor, article=article)
    record_revision(editor=editor, article=article, note=f"Status: {article.get_status_display()}")
    return article


def publish_article(*, editor: User, article: Article) -> Article:
    return change_status(editor=editor, article=article, status=Article.Status.PUBLISHED)


def send_review_due_digest(*, today: date | None = None) -> int:
    """Email every editor the published articles whose review is due (or overdue), once a week.

    Returns the number of messages sent; 0 when this week's digest already went out or nothing is due.
    """
    today = today or timezone.localdate()
    week_start = today - timedelta(days=today.weekday())
    articles = list(Article.objects.review_due_by(today + REVIEW_DUE_WINDOW))
    if not articles:
        return 0
    editors = list(
        User.objects.filter(groups__name="Editors", is_active=True).exclude(email="").order_by("id").distinct()
    )
    with transaction.atomic():
        _, created = ReviewDigest.objects.select_for_update().get_or_create(
            week_start=week_start, defaults={"article_count": len(articles)}
        )
        if not created:
            return 0
        # Sent inside the transaction: if the mail server fails, the row is rolled back and the
        # task's retry sends the digest again.
        return emails.send_review_due(editors=editors, articles=articles, today=today)
