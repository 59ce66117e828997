"""Publishing: an editor moves an article through draft, in review, published and archived."""

from django.db import transaction

from accounts.models import User
from articles.models import Article
from articles.services.drafting import save_article
from articles.services.revisions import record_revision
from articles.services.rules import require_editor


@transaction.atomic
def change_status(*, editor: User, article: Article, status: str) -> Article:
    """Move an article through draft → in review → published → archived (publishing needs a review)."""
    require_editor(editor)
    article = Article.objects.select_for_update().get(pk=article.pk)
    article.status = status
    save_article(editor=editor, article=article)
    record_revision(editor=editor, article=article, note=f"Status: {article.get_status_display()}")
    return article


def publish_article(*, editor: User, article: Article) -> Article:
    return change_status(editor=editor, article=article, status=Article.Status.PUBLISHED)
