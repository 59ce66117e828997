"""Every write to articles: editing, review, publishing, revisions and the review-due email.

The admin site, `seed_demo` and the weekly task all come through here, so the rules hold
whichever door a change uses: only editors edit, only medical reviewers review, nothing is
published without a review, and every content change leaves a revision.

Once an article has been reviewed, its text (title, summary, key points, body, references) changes only through
an `ArticleVersion`: the editor's change waits, the public keeps reading the reviewed text, and a
medical reviewer approves the version (which publishes it and signs the badge) or sends it back
with a note. So the badge always names the reviewer of the text shown.
"""

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from articles import emails
from articles.diffs import content_diffs
from articles.models import (
    REFERENCE_FIELDS,
    REVIEW_DUE_WINDOW,
    REVIEW_INTERVAL,
    Article,
    ArticleVersion,
    Reference,
    Review,
    ReviewDigest,
    Revision,
    Tag,
)
from articles.rendering import render_article_body
from portal import outbox
from portal.pagecache import changes_public_pages

# What a revision keeps. Restoring brings back the content; workflow state (status, review date) stays as it is.
CONTENT_FIELDS = ["title", "slug", "summary", "key_points", "body", "category_id", "audience"]
WORKFLOW_FIELDS = ["status", "review_due"]
# The text a medical reviewer signs: once reviewed, these change only through an approved version.
REVIEWED_FIELDS = ["title", "summary", "key_points", "body"]


class PublishingError(Exception):
    """A workflow step that the article's state does not allow (e.g. publishing without a review)."""


def _require_editor(user: User) -> None:
    if not (user and user.is_authenticated and user.is_editor):
        raise PermissionDenied("Only editors can change articles.")


def _require_reviewer(user: User) -> None:
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


@changes_public_pages
@transaction.atomic
def save_article(*, editor: User, article: Article) -> Article:
    """Save an editor's changes: render the body, apply the publishing rule, stamp the dates.

    Call `record_revision` once references and tags are saved too (the admin does, in save_related).
    """
    _require_editor(editor)
    previous = Article.objects.filter(pk=article.pk).values("status", *REVIEWED_FIELDS).first() or {}
    previous_status = previous.get("status")
    if text_needs_review(article) and any(previous[name] != getattr(article, name) for name in REVIEWED_FIELDS):
        raise PublishingError("A reviewed article's text changes only through a version a medical reviewer approves.")
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
    """Put an earlier version's content back; the restore is itself a new revision.

    A reviewed article's text comes back as a version waiting for review, like any other edit.
    """
    _require_editor(editor)
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


@changes_public_pages
@transaction.atomic
def record_review(*, reviewer: User, article: Article, notes: str = "") -> Review:
    """A medical reviewer signs off the article's text as the public reads it (a first review, or
    the yearly one); the next review falls due in 12 months. A waiting version is not part of it."""
    _require_reviewer(reviewer)
    article = Article.objects.select_for_update().get(pk=article.pk)
    if article.status == Article.Status.ARCHIVED:
        raise PublishingError("An archived article is not reviewed. Set it back to draft first.")
    return _sign(reviewer=reviewer, article=article, notes=notes)


def reviewed_content(article: Article) -> dict:
    """The article's text as the public reads it: what its latest review signed."""
    return {
        **{name: getattr(article, name) for name in REVIEWED_FIELDS},
        "references": [ref.as_snapshot() for ref in article.references.order_by("position")],
    }


def _clean_references(references: list[dict]) -> list[dict]:
    cleaned = [{name: ref.get(name) for name in REFERENCE_FIELDS} for ref in references]
    for ref in cleaned:
        for name in REFERENCE_FIELDS:
            if ref[name] is None and name not in ("year", "position"):
                ref[name] = ""
    return sorted(cleaned, key=lambda ref: ref["position"])


def _same_text(one: dict, other: dict) -> bool:
    """Equal but for line endings and surrounding blank space (forms strip what the seed keeps)."""

    def normal(content: dict) -> dict:
        return {
            **{name: content[name].replace("\r\n", "\n").strip() for name in REVIEWED_FIELDS},
            "references": content["references"],
        }

    return normal(one) == normal(other)


@transaction.atomic
def propose_version(*, editor: User, article: Article, content: dict) -> ArticleVersion | None:
    """An editor's change to a reviewed article's text: it waits for a medical reviewer.

    `content` holds title, summary, key points, body and references (a list of dicts); a text field
    it leaves out keeps its reviewed text. The article itself is not touched, so the public page
    stays exactly as it was. A second edit before the review
    updates the waiting version; an edit that brings the text back to the reviewed one withdraws it.
    Returns the waiting version, or None when nothing differs from the reviewed text.
    """
    _require_editor(editor)
    article = Article.objects.select_for_update().get(pk=article.pk)
    content = {
        **{name: content.get(name, getattr(article, name)) for name in REVIEWED_FIELDS},
        "references": _clean_references(content.get("references", [])),
    }
    pending = article.versions.filter(state=ArticleVersion.State.PENDING).first()
    if _same_text(content, reviewed_content(article)):
        if pending:
            pending.delete()
        return None
    if pending:
        pending.content, pending.editor = content, editor
        pending.save(update_fields=["content", "editor", "updated_at"])
        return pending
    version = ArticleVersion.objects.create(article=article, editor=editor, content=content)
    # A lost publish loses nothing: the sweeper sends the notice.
    outbox.on_commit("articles.tasks.tell_reviewers_about_version", version.pk)
    return version


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
        reviewers = list(
            User.objects.filter(groups__name=Role.MEDICAL_REVIEWER.value, is_active=True)
            .exclude(email="")
            .order_by("id")
            .distinct()
        )
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


def pending_version(article: Article) -> ArticleVersion | None:
    return article.versions.filter(state=ArticleVersion.State.PENDING).select_related("editor").first()


def version_diffs(version: ArticleVersion) -> list[dict]:
    """What the version changes, field by field, against the text the public reads now."""
    return content_diffs(reviewed_content(version.article), version.content)


@changes_public_pages
@transaction.atomic
def approve_version(*, reviewer: User, version: ArticleVersion, notes: str = "") -> Review:
    """A medical reviewer signs the waiting version: it becomes the public text, under their name."""
    _require_reviewer(reviewer)
    version = ArticleVersion.objects.select_for_update().get(pk=version.pk)
    if not version.is_pending:
        raise PublishingError("This version was already decided; open the article for its latest state.")
    article = Article.objects.select_for_update().get(pk=version.article_id)
    if article.status == Article.Status.ARCHIVED:
        raise PublishingError("An archived article is not reviewed. Set it back to draft first.")
    content = version.content
    for name in REVIEWED_FIELDS:
        # A version saved before key points existed leaves them as reviewed.
        setattr(article, name, content.get(name, getattr(article, name)))
    rendered = render_article_body(article.body)
    article.body_html, article.body_text = rendered.html, rendered.text
    article.toc, article.reading_minutes = rendered.toc, rendered.reading_minutes
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
    _require_reviewer(reviewer)
    if not note.strip():
        raise PublishingError("Say what needs to change: the note goes to the editors.")
    version = ArticleVersion.objects.select_for_update().get(pk=version.pk)
    if not version.is_pending:
        raise PublishingError("This version was already decided; open the article for its latest state.")
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
