"""The one search page over the whole portal.

Each app contributes a section from `<app>/search.py: search(query, *, user) -> SearchSection`.
PostgreSQL's `ts_headline` returns the stored text around the matches *unescaped*; apps ask it to
mark matches with `HEADLINE_START`/`HEADLINE_STOP` and pass the result through `safe_snippet`,
which escapes everything and only then turns the markers into `<mark>`.
"""

from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

MAX_QUERY_LENGTH = 200
HEADLINE_START = "\x02"
HEADLINE_STOP = "\x03"
HEADLINE_OPTIONS = f"StartSel={HEADLINE_START}, StopSel={HEADLINE_STOP}, MaxWords=35, MinWords=15, MaxFragments=2"


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


def safe_snippet(text: str) -> SafeString:
    return mark_safe(  # noqa: S308 — escaped first; only our own markers become tags
        escape(text or "").replace(HEADLINE_START, "<mark>").replace(HEADLINE_STOP, "</mark>")
    )


def clean_query(raw: str) -> str:
    return " ".join(raw.split())[:MAX_QUERY_LENGTH]
