"""Versions: an editor's change to a reviewed article's text waits, as an `ArticleVersion`, for a medical reviewer."""

from django.db import transaction

from accounts.models import User
from articles.models import REFERENCE_FIELDS, REVIEWED_FIELDS, Article, ArticleVersion
from articles.selectors import reviewed_content
from articles.services.reminders import tell_reviewers_about_version
from articles.services.rules import require_editor


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
    require_editor(editor)
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
    # The reviewers' emails are outbox rows committed with the version: a lost publish loses nothing.
    tell_reviewers_about_version(version_id=version.pk)
    return version
