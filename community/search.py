"""Community posts and stories in the one search: PostgreSQL full text (stored tsvector, GIN), ranked,
highlighted. Only visible posts, in forums the searcher may read."""

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, Func, TextField, Value

from community.models import Post
from portal.search import HEADLINE_OPTIONS, SearchResult, SearchSection, safe_snippet

MAX_RESULTS = 20


class Headline(Func):
    """ts_headline(config, text, query, options): the stored body with matches marked (not escaped)."""

    function = "ts_headline"
    output_field = TextField()


def search(query: str, *, user) -> SearchSection:
    section = SearchSection(title="Community")
    posts = Post.objects.public().select_related("thread__forum", "author")
    if not user.is_authenticated:
        posts = posts.filter(thread__forum__members_only=False)
    if connection.vendor == "postgresql":
        ts_query = SearchQuery(query, search_type="websearch", config="english")
        posts = (
            posts.filter(search_vector=ts_query)
            .annotate(
                rank=SearchRank(F("search_vector"), ts_query),
                headline=Headline(Value("english"), F("body"), ts_query, Value(HEADLINE_OPTIONS)),
            )
            .order_by("-rank", "-created_at")
        )
    else:  # SQLite, the first-look database: plain substring match.
        posts = posts.filter(body__icontains=query).annotate(headline=F("body")).order_by("-created_at")
    for post in posts[:MAX_RESULTS]:
        kind = "Story" if post.is_opening and post.thread.forum.slug == "recovery-stories" else "Post"
        section.results.append(
            SearchResult(
                title=post.thread.title,
                url=post.get_absolute_url(),
                snippet=safe_snippet(post.headline if connection.vendor == "postgresql" else post.headline[:300]),
                meta=f"{kind} by {post.author.display_name} in {post.thread.forum.name}",
            )
        )
    return section
