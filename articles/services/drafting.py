"""Drafting: an editor creates and saves articles, and restores an earlier revision."""

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import User
from articles.models import REFERENCE_FIELDS, REVIEWED_FIELDS, Article, Reference, Revision, Tag
from articles.services.revisions import record_revision
from articles.services.rules import (
    CONTENT_FIELDS,
    PublishingError,
    publishing_problem,
    render_body,
    require_editor,
    text_needs_review,
)
from articles.services.versions import propose_version
from portal import pagetopics
from portal.pagecache import changes_public_pages


@changes_public_pages(pages=pagetopics.ARTICLES)
@transaction.atomic
def save_article(*, editor: User, article: Article) -> Article:
    """Save an editor's changes: render the body, apply the publishing rule, stamp the dates.

    Call `record_revision` once references and tags are saved too (the admin does, in save_related).
    """
    require_editor(editor)
    previous = Article.objects.filter(pk=article.pk).values("status", *REVIEWED_FIELDS).first() or {}
    previous_status = previous.get("status")
    if text_needs_review(article) and any(previous[name] != getattr(article, name) for name in REVIEWED_FIELDS):
        raise PublishingError("A reviewed article's text changes only through a version a medical reviewer approves.")
    if article.status == Article.Status.PUBLISHED and previous_status != Article.Status.PUBLISHED:
        if problem := publishing_problem(article):
            raise PublishingError(problem)
        article.published_at = article.published_at or timezone.now()
    render_body(article)
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
    key_points: str = "",
    audience: str = Article.Audience.PARENTS,
    tags: list[str] = (),
    references: list[dict] = (),
) -> Article:
    """A new draft with its references and tags, and its first revision."""
    article = save_article(
        editor=editor,
        article=Article(
            title=title,
            slug=slug,
            summary=summary,
            key_points=key_points,
            body=body,
            category=category,
            audience=audience,
        ),
    )
    _set_tags(article, tags)
    Reference.objects.bulk_create(
        Reference(article=article, position=position, **{k: v for k, v in data.items() if k in REFERENCE_FIELDS})
        for position, data in enumerate(references, start=1)
    )
    record_revision(editor=editor, article=article, note="Created")
    return article


def _set_tags(article: Article, names: list[str]) -> None:
    tags = []
    for name in names:
        tag, _ = Tag.objects.get_or_create(slug=slugify(name), defaults={"name": name.strip().lower()})
        tags.append(tag)
    article.tags.set(tags)


@transaction.atomic
def restore_revision(*, editor: User, revision: Revision) -> Article:
    """Put an earlier version's content back; the restore is itself a new revision.

    A reviewed article's text comes back as a version waiting for review, like any other edit.
    """
    require_editor(editor)
    article = Article.objects.select_for_update().get(pk=revision.article_id)
    snapshot = revision.snapshot
    if text_needs_review(article):
        propose_version(
            editor=editor,
            article=article,
            content={
                **{name: snapshot[name] for name in REVIEWED_FIELDS if name in snapshot},
                "references": snapshot.get("references", []),
            },
        )
        return article
    for name in CONTENT_FIELDS:
        # A revision older than a field (key points) leaves that field as it is.
        setattr(article, name, snapshot.get(name, getattr(article, name)))
    save_article(editor=editor, article=article)
    _set_tags(article, snapshot.get("tags", []))
    article.references.all().delete()
    Reference.objects.bulk_create(Reference(article=article, **data) for data in snapshot.get("references", []))
    note = f"Restored the version of {revision.created_at:%Y-%m-%d %H:%M}"
    record_revision(editor=editor, article=article, note=note)
    return article
