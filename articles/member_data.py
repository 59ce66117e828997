"""An editor's or medical reviewer's part in the articles: exported; kept after deletion.

Articles, reviews, revisions and waiting versions are the network's published, medically reviewed
work and its editorial record: they stay, credited to "Former member N" once the account is
deleted. A reviewer's public profile stays too: every badge they signed must keep naming who
reviewed the text shown.
"""

from accounts.models import User
from articles.models import Article, ArticleVersion, Review, ReviewerProfile, Revision

COVERS = {
    "articles.Article": "articles the member wrote exported; kept (published work) under “Former member N”",
    "articles.Review": "reviews the member made exported; kept as the editorial record",
    "articles.Revision": "revisions the member made exported by date; kept as the editorial record",
    "articles.Reference": "sources cited by articles; not about a member",
    "articles.ArticleVersion": "versions the member proposed or decided exported with their notes; kept as the record",
    "articles.ReviewerProfile": "the reviewer's public profile exported; kept, as the badges they signed name it",
}


def export(user: User) -> dict:
    articles = Article.objects.filter(author=user).order_by("created_at", "id")
    reviews = Review.objects.filter(reviewer=user).select_related("article").order_by("id")
    revisions = Revision.objects.filter(editor=user).select_related("article").order_by("id")
    versions = ArticleVersion.objects.filter(editor=user) | ArticleVersion.objects.filter(decided_by=user)
    profile = ReviewerProfile.objects.filter(user=user).first()
    data = {
        "articles_written": [
            {"id": article.pk, "title": article.title, "status": article.status} for article in articles
        ],
        "reviews_made": [{"article": review.article.title, "notes": review.notes} for review in reviews],
        "article_revisions_made": [
            {"article": revision.article.title, "changed_fields": revision.changed_fields} for revision in revisions
        ],
        "article_versions": [
            {
                "article": version.article.title,
                "state": version.state,
                "proposed_by_you": version.editor_id == user.pk,
                "decided_by_you": version.decided_by_id == user.pk,
                "review_note": version.review_note,
            }
            for version in versions.select_related("article").order_by("id")
        ],
        "reviewer_profile": (
            {
                "name": profile.name,
                "credentials": profile.credentials,
                "statement": profile.statement,
                "conflicts_of_interest": profile.conflicts_of_interest,
            }
            if profile
            else None
        ),
    }
    return {"articles": data} if any(data.values()) else {}


def erase(user: User, *, delete_posts: bool) -> None:
    """Nothing to remove: see the module's docstring."""
