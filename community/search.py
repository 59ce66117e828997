"""Community posts and stories in the one search: PostgreSQL full text (stored tsvector, GIN), ranked,
highlighted; a contains-search on SQLite. Only visible posts, in forums the searcher may read. A
thread's title is searched with its opening post (on PostgreSQL it is in that post's vector)."""

from collections.abc import Iterator

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, Q, QuerySet

from community import access
from community.models import Forum, Post
from portal.search import SearchResult, SearchSection, excerpt, headline, headline_snippet, query_words, safe_snippet

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


def _contains(readable: QuerySet, query: str) -> list[Post]:
    """SQLite's first look: every word in the post, or for an opening post in its thread's title or its
    story's regimen (what the PostgreSQL vector holds)."""
    words = query_words(query)
    if not words:
        return []
    condition = Q()
    for word in words:
        in_opening = Q(thread__title__icontains=word) | Q(story__regimen__icontains=word)
        condition &= Q(body__icontains=word) | (Q(is_opening=True) & in_opening)
    posts = list(
        readable.filter(condition).select_related("thread__forum", "author").order_by("-created_at")[:MAX_RESULTS]
    )
    for post in posts:
        post.headline = excerpt(post.body, words)
    return posts


def search(query: str, *, user) -> SearchSection:
    section = SearchSection(title="Community")
    readable = access.searchable_posts(user)
    full_text = connection.vendor == "postgresql"
    posts = _best_matches(readable, query) if full_text else _contains(readable, query)
    for post in posts:
        kind = "Story" if post.is_opening and post.thread.forum.slug == Forum.STORIES_SLUG else "Post"
        snippet = headline_snippet(post.headline, post.body) if full_text else safe_snippet(post.headline)
        section.results.append(
            SearchResult(
                title=post.thread.title,
                url=post.get_absolute_url(),
                snippet=snippet,
                meta=f"{kind} by {post.author.display_name} in {post.thread.forum.name}",
            )
        )
    return section


def vocabulary() -> Iterator[str]:
    """The titles of public threads, for search's "Did you mean ...?" (portal.vocabulary): never a held,
    deleted or members-only thread's."""
    yield from access.public_threads().values_list("title", flat=True).iterator(chunk_size=2000)
