"""The one search page over the whole portal.

Each app contributes a section from `<app>/search.py: search(query, *, user) -> SearchSection`.
PostgreSQL's `ts_headline` returns the stored text around the matches *unescaped*; apps ask it to
mark matches with `HEADLINE_START`/`HEADLINE_STOP` and pass the result through `safe_snippet`,
which escapes everything and only then turns the markers into `<mark>`.
"""

import re
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchHeadline, SearchQuery
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

MAX_QUERY_LENGTH = 200
HEADLINE_START = "\x02"
HEADLINE_STOP = "\x03"


@dataclass
class SearchResult:
    title: str
    url: str
    snippet: SafeString
    meta: str = ""


@dataclass
class SearchSection:
    title: str
    results: list[SearchResult] = field(default_factory=list)


# Markdown's marks in a snippet of stored text: links keep their words, emphasis, code, quote and
# heading marks go. Each pattern is linear (no nested repetition).
MARKDOWN_LINK = re.compile(r"\[([^\]\n]{0,200})\]\([^)\s]{0,500}\)")
MARKDOWN_MARKS = re.compile(r"(?m)^[ \t]{0,3}(?:>[ \t]?)+|^[ \t]{0,3}#{1,6}[ \t]+|\*{1,3}|_{2,3}|`+")


def plain_words(text: str) -> str:
    """A snippet of Markdown as the words a reader sees."""
    return MARKDOWN_MARKS.sub("", MARKDOWN_LINK.sub(r"\1", text or ""))


def headline(field: str, query: SearchQuery) -> SearchHeadline:
    """The stored text around the matches of `query` (PostgreSQL's ts_headline), matches marked with
    HEADLINE_START/STOP; the result is unescaped until `safe_snippet`."""
    return SearchHeadline(
        field,
        query,
        config="english",
        start_sel=HEADLINE_START,
        stop_sel=HEADLINE_STOP,
        max_words=35,
        min_words=15,
        max_fragments=2,
    )


def safe_snippet(text: str) -> SafeString:
    return mark_safe(  # noqa: S308 — escaped first; only our own markers become tags
        escape(plain_words(text)).replace(HEADLINE_START, "<mark>").replace(HEADLINE_STOP, "</mark>")
    )


def clean_query(raw: str) -> str:
    return " ".join(raw.split())[:MAX_QUERY_LENGTH]
