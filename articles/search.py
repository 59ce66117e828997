"""The articles' part of `/search/?q=`: PostgreSQL full-text search, or a contains-search on SQLite."""

import re
from collections.abc import Iterator

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, Q

from articles.models import Article
from portal.search import SearchResult, SearchSection, excerpt, headline, headline_snippet, query_words, safe_snippet

MAX_RESULTS = 20
MAX_CLOSEST = 5
MIN_LEXEME_SIMILARITY = 0.5
# Built from the model's own constants; the searcher's words are always passed as parameters.
PUBLISHED_VECTORS = (
    f"SELECT search_vector FROM {Article._meta.db_table} WHERE status = '{Article.Status.PUBLISHED.value}'"  # noqa: S608
)
CONFIG = "english"


def search(query: str, *, user) -> SearchSection:
    section = SearchSection(title="Articles")
    if not query:
        return section
    full_text = connection.vendor == "postgresql"
    if full_text:
        articles = _full_text(query)
        if not articles and (articles := _closest(query)):
            # Nothing matched word for word: likely a misspelling. Say these are near matches.
            section.title = "Articles with similar words"
            section.near_matches = True
    else:
        articles = _contains(query)
    for article in articles:
        # ts_headline's fragments are widened to whole words; the SQLite excerpt already is.
        snippet = headline_snippet(article.snippet, article.body_text) if full_text else safe_snippet(article.snippet)
        section.results.append(
            SearchResult(
                title=article.title,
                url=article.get_absolute_url(),
                snippet=snippet,
                meta=f"{article.category.name} · {article.reading_minutes} min read",
            )
        )
    return section


def _full_text(query: str) -> list[Article]:
    # websearch syntax: plain words are ANDed, "quoted phrases", -exclusions, "or"; English stemming.
    return _ranked(SearchQuery(query, config=CONFIG, search_type="websearch"))


def _ranked(ts_query: SearchQuery) -> list[Article]:
    return list(
        Article.objects.published()
        .filter(search_vector=ts_query)
        .select_related("category")
        .annotate(
            rank=SearchRank(F("search_vector"), ts_query),
            snippet=headline("body_text", ts_query),
        )
        .only("title", "slug", "reading_minutes", "body_text", "category__name")
        .order_by("-rank", "-published_at")[:MAX_RESULTS]
    )


def _closest(query: str) -> list[Article]:
    """Near matches for misspellings stemming cannot fix: each word is corrected to the closest word
    the published articles contain (their stored lexemes, pg_trgm similarity), then searched as usual.

    Every word must have a close match, as in the full-text search; stop words are skipped. Comparing
    with a few thousand distinct lexemes instead of every article's text keeps this at a few ms.
    """
    words = [word.lower() for word in re.findall(r"\w+", query)][:5]
    if not words:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "WITH lexemes AS (SELECT word FROM ts_stat(%s))"
            " SELECT numnode(plainto_tsquery('english', typed)) = 0,"
            "        (SELECT word FROM lexemes WHERE similarity(word, typed) >= %s"
            "         ORDER BY similarity(word, typed) DESC LIMIT 1)"
            " FROM unnest(%s::text[]) AS typed",
            [PUBLISHED_VECTORS, MIN_LEXEME_SIMILARITY, words],
        )
        corrections = cursor.fetchall()
    if any(closest is None and not stop_word for stop_word, closest in corrections):
        return []
    lexemes = [closest for stop_word, closest in corrections if closest]
    if not lexemes:
        return []
    # The lexemes are already stemmed: the "simple" configuration keeps them as they are. Passed as
    # plain text, never spliced into tsquery syntax: a link's lexeme can hold a quote.
    ts_query = SearchQuery(" ".join(lexemes), config="simple", search_type="plain")
    return _ranked(ts_query)[:MAX_CLOSEST]


def _contains(query: str) -> list[Article]:
    """SQLite's first look: every word must appear in the title, summary or text."""
    words = query_words(query)
    condition = Q()
    for word in words:
        condition &= Q(title__icontains=word) | Q(summary__icontains=word) | Q(body_text__icontains=word)
    articles = list(
        Article.objects.published().filter(condition).select_related("category").newest_first()[:MAX_RESULTS]
    )
    for article in articles:
        article.snippet = excerpt(article.body_text or article.summary, words)
    return articles


def vocabulary() -> Iterator[str]:
    """Every published article's words, for search's "Did you mean ...?" (portal.vocabulary)."""
    texts = Article.objects.published().values_list("title", "summary", "body_text").iterator(chunk_size=100)
    for title, summary, body_text in texts:
        yield f"{title}\n{summary}\n{body_text}"
