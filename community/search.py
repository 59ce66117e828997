"""Community posts and stories in the one search: PostgreSQL full text (stored tsvector, GIN), ranked,
highlighted. Only visible posts, in forums the searcher may read."""

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import F

from community import access
from community.models import Forum, Post
from portal.search import SearchResult, SearchSection, headline, safe_snippet

MAX_RESULTS = 20
# A common word ("ivig", "school") can match a third of all posts; ranking them all took ~100-300 ms
# over 100,000 posts. Ranking the newest matches keeps search fast and favours current threads.
CANDIDATES = 1000


def _best_matches(readable, query: str) -> list[Post]:
    """The best-ranked of the newest CANDIDATES matches, with their headlines: ranking and joins
    happen for at most CANDIDATES rows and MAX_RESULTS rows respectively."""
    ts_query = SearchQuery(query, search_type="websearch", config="english")
    newest = readable.filter(search_vector=ts_query).order_by("-created_at").values("pk")[:CANDIDATES]
    best = list(
        Post.objects.filter(pk__in=newest)
        .annotate(rank=SearchRank(F("search_vector"), ts_query))
        .order_by("-rank", "-created_at")
        .values_list("pk", flat=True)[:MAX_RESULTS]
    )
    found = (
        Post.objects.filter(pk__in=best)
        .select_related("thread__forum", "author")
        .annotate(headline=headline("body", ts_query))
    )
    return sorted(found, key=lambda post: best.index(post.pk))


def search(query: str, *, user) -> SearchSection:
    section = SearchSection(title="Community")
    readable = access.searchable_posts(user)
    if connection.vendor == "postgresql":
        posts = _best_matches(readable, query)
    else:  # SQLite, the first-look database: plain substring match.
        posts = (
            readable.filter(body__icontains=query)
            .select_related("thread__forum", "author")
            .annotate(headline=F("body"))
            .order_by("-created_at")[:MAX_RESULTS]
        )
    for post in posts:
        kind = "Story" if post.is_opening and post.thread.forum.slug == Forum.STORIES_SLUG else "Post"
        section.results.append(
            SearchResult(
                title=post.thread.title,
                url=post.get_absolute_url(),
                snippet=safe_snippet(post.headline if connection.vendor == "postgresql" else post.headline[:300]),
                meta=f"{kind} by {post.author.display_name} in {post.thread.forum.name}",
            )
        )
    return section
