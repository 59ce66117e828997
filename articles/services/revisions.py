"""Revisions: a snapshot of an article's content each time it changes, to compare and restore."""

from datetime import date

from django.db import transaction

from accounts.models import User
from articles.models import Article, Revision
from articles.services.rules import CONTENT_FIELDS, WORKFLOW_FIELDS


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
