"""The articles' part of `/search/?q=`: PostgreSQL full-text search, or a contains-search on SQLite."""

import re

from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.db import connection
from django.db.models import F, Func, Q, TextField, Value
from django.db.models.functions import Greatest

from articles.models import Article
from portal.search import HEADLINE_OPTIONS, HEADLINE_START, HEADLINE_STOP, SearchResult, SearchSection, safe_snippet

MAX_RESULTS = 20
MAX_CLOSEST = 5
MIN_SIMILARITY = 0.6
CONFIG = "english"
SNIPPET_CHARS = 240


class Headline(Func):
    """ts_headline(config, document, query, options) — Django's SearchHeadline takes no options string."""

    function = "ts_headline"
    template = "%(function)s('english'::regconfig, %(expressions)s)"
    output_field = TextField()


def search(query: str, *, user) -> SearchSection:
    section = SearchSection(title="Articles")
    if not query:
        return section
    if connection.vendor == "postgresql":
        articles = _full_text(query)
        if not articles and (articles := _closest(query)):
            # Nothing matched word for word: likely a misspelling. Say these are near matches.
            section.title = "Articles with similar words"
    else:
        articles = _contains(query)
    section.results = [
        SearchResult(
            title=article.title,
            url=article.get_absolute_url(),
            snippet=safe_snippet(article.snippet),
            meta=f"{article.category.name} · {article.reading_minutes} min read",
        )
        for article in articles
    ]
    return section


def _full_text(query: str) -> list[Article]:
    # websearch syntax: plain words are ANDed, "quoted phrases", -exclusions, "or"; English stemming.
    ts_query = SearchQuery(query, config=CONFIG, search_type="websearch")
    return list(
        Article.objects.published()
        .filter(search_vector=ts_query)
        .select_related("category")
        .annotate(
            rank=SearchRank(F("search_vector"), ts_query),
            snippet=Headline(F("body_text"), ts_query, Value(HEADLINE_OPTIONS)),
        )
        .only("title", "slug", "reading_minutes", "category__name")
        .order_by("-rank", "-published_at")[:MAX_RESULTS]
    )


def _closest(query: str) -> list[Article]:
    """Near matches by trigram word similarity (pg_trgm), for misspellings stemming cannot fix.

    Every word of the query must be close to a word of the article, as in the full-text search.
    """
    words = query.split()[:5]
    similarities = {
        f"similarity_{index}": Greatest(TrigramWordSimilarity(word, "title"), TrigramWordSimilarity(word, "body_text"))
        for index, word in enumerate(words)
    }
    articles = list(
        Article.objects.published()
        .annotate(**similarities)
        .filter(**{f"{name}__gte": MIN_SIMILARITY for name in similarities})
        .annotate(similarity=sum((F(name) for name in similarities), Value(0.0)))
        .select_related("category")
        .only("title", "slug", "summary", "reading_minutes", "category__name")
        .order_by("-similarity", "-published_at")[:MAX_CLOSEST]
    )
    for article in articles:
        article.snippet = article.summary
    return articles


def _contains(query: str) -> list[Article]:
    """SQLite's first look: every word must appear in the title, summary or text."""
    words = query.split()[:10]
    condition = Q()
    for word in words:
        condition &= Q(title__icontains=word) | Q(summary__icontains=word) | Q(body_text__icontains=word)
    articles = list(
        Article.objects.published().filter(condition).select_related("category").newest_first()[:MAX_RESULTS]
    )
    for article in articles:
        article.snippet = _mark(_excerpt(article.body_text or article.summary, words[0]), words)
    return articles


def _excerpt(text: str, word: str) -> str:
    start = max(0, text.lower().find(word.lower()) - SNIPPET_CHARS // 3)
    return ("… " if start else "") + text[start : start + SNIPPET_CHARS] + " …"


def _mark(text: str, words: list[str]) -> str:
    pattern = re.compile("|".join(re.escape(word) for word in words), re.IGNORECASE)
    return pattern.sub(lambda match: f"{HEADLINE_START}{match.group(0)}{HEADLINE_STOP}", text)
