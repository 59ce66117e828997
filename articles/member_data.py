"""An editor's or medical reviewer's part in the articles: exported; kept after deletion.

Articles, reviews and revisions are the network's published, medically reviewed work and its
editorial record: they stay, credited to "Former member N" once the account is deleted.
"""

from accounts.models import User
from articles.models import Article, Review, Revision

COVERS = {
    "articles.Article": "articles the member wrote exported; kept (published work) under “Former member N”",
    "articles.Review": "reviews the member made exported; kept as the editorial record",
    "articles.Revision": "revisions the member made exported by date; kept as the editorial record",
    "articles.Reference": "sources cited by articles; not about a member",
}


def export(user: User) -> dict:
    articles = Article.objects.filter(author=user).order_by("created_at", "id")
    reviews = Review.objects.filter(reviewer=user).select_related("article").order_by("id")
    revisions = Revision.objects.filter(editor=user).select_related("article").order_by("id")
    data = {
        "articles_written": [
            {"id": article.pk, "title": article.title, "status": article.status} for article in articles
        ],
        "reviews_made": [{"article": review.article.title, "notes": review.notes} for review in reviews],
        "article_revisions_made": [
            {"article": revision.article.title, "changed_fields": revision.changed_fields} for revision in revisions
        ],
    }
    return {"articles": data} if any(data.values()) else {}


def erase(user: User, *, delete_posts: bool) -> None:
    """Nothing to remove: see the module's docstring."""
