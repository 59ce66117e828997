"""The one search page over the whole portal.

Each app contributes a section from `<app>/search.py: search(query, *, user) -> SearchSection`, and
may offer the texts of its public content to the vocabulary behind "Did you mean ...?"
(`vocabulary() -> Iterable[str]`, see portal.vocabulary).
PostgreSQL's `ts_headline` returns the stored text around the matches *unescaped*; apps ask it to
mark matches with `HEADLINE_START`/`HEADLINE_STOP` and pass the result through `safe_snippet`,
which escapes everything and only then turns the markers into `<mark>`.
"""

import re
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchHeadline, SearchQuery
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from portal import vocabulary
from portal.hooks import app_hooks

MAX_QUERY_LENGTH = 200
# Fewer exact results than this, and search looks for a better spelling of the query.
FEW_RESULTS = 3
MAX_WORDS_CORRECTED = 8
SNIPPET_CHARS = 240
HEADLINE_START = "\x02"
HEADLINE_STOP = "\x03"
FRAGMENT_BREAK = "\x04"
MAX_WORD_EXTENSION = 60


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
    # Results for words close to the query's rather than the query's own (articles' misspelling fallback).
    near_matches: bool = False


def search_everything(query: str, *, user) -> list[SearchSection]:
    return [search_app(query, user=user) for search_app in app_hooks("search", "search")]


def exact_results(sections: list[SearchSection]) -> int:
    return sum(len(section.results) for section in sections if not section.near_matches)


def did_you_mean(query: str, *, user, found: int) -> str | None:
    """The query with each word the portal's public vocabulary lacks replaced by the closest word it
    has, when the query found fewer than FEW_RESULTS (`found`). Offered only if searching it finds
    more: the vocabulary may lag behind a thread that was held since, and its words must not be
    suggested. One query when no word needs correcting; a searcher's words are never stored."""
    if found >= FEW_RESULTS:
        return None
    closest = vocabulary.corrections(vocabulary.words_in(query)[:MAX_WORDS_CORRECTED])
    if not closest:
        return None
    suggestion = vocabulary.TOKEN.sub(lambda match: closest.get(match.group(0).lower(), match.group(0)), query)
    if exact_results(search_everything(suggestion, user=user)) <= found:
        return None
    return suggestion


# Markdown's marks in a snippet of stored text: links and images keep their words, emphasis, code,
# quote and heading marks go. A fragment may start or end inside a link ("other treatment](https://...)"
# or "we tried [IVIG"): the address and the lone bracket go too. Each pattern is linear (no nested
# repetition; the lookahead of a lone "[" reads to the end of a snippet-sized text).
MARKDOWN_LINK = re.compile(r"!?\[([^\]\n]{0,200})\]\([^)\s]{0,500}\)")
LINK_TAIL = re.compile(r"\]\([^)\s]{0,500}\)?")
LONE_BRACKET = re.compile(r"!?\[(?=[^\]]*$)")
MARKDOWN_MARKS = re.compile(r"(?m)^[ \t]{0,3}(?:>[ \t]?)+|^[ \t]{0,3}#{1,6}[ \t]+|\*{1,3}|_{2,3}|~~|`+")


def plain_words(text: str) -> str:
    """A snippet of Markdown as the words a reader sees."""
    text = MARKDOWN_LINK.sub(r"\1", text or "")
    return MARKDOWN_MARKS.sub("", LONE_BRACKET.sub("", LINK_TAIL.sub("", text)))


def headline(field: str, query: SearchQuery) -> SearchHeadline:
    """The stored text around the matches of `query` (PostgreSQL's ts_headline), matches marked with
    HEADLINE_START/STOP, fragments parted by FRAGMENT_BREAK; unescaped until `headline_snippet`."""
    return SearchHeadline(
        field,
        query,
        config="english",
        start_sel=HEADLINE_START,
        stop_sel=HEADLINE_STOP,
        fragment_delimiter=FRAGMENT_BREAK,
        max_words=35,
        min_words=15,
        max_fragments=2,
    )


def whole_words(headline: str, source: str) -> str:
    """The fragments of a ts_headline of `source`, each widened to whole words and parted by an ellipsis.

    ts_headline counts the parts of a hyphenated word as words, so a fragment can end on "follow" of
    "follow-up"; the source says where the word really ends.
    """
    fragments = []
    for fragment in headline.split(FRAGMENT_BREAK):
        fragment = fragment.strip()
        plain = fragment.replace(HEADLINE_START, "").replace(HEADLINE_STOP, "")
        at = source.find(plain) if plain else -1
        if at >= 0:
            start, end = at, at + len(plain)
            while start > 0 and at - start < MAX_WORD_EXTENSION and not source[start - 1].isspace():
                start -= 1
            while end < len(source) and end - at - len(plain) < MAX_WORD_EXTENSION and not source[end].isspace():
                end += 1
            fragment = source[start:at] + fragment + source[at + len(plain) : end]
        fragments.append(fragment)
    return " … ".join(fragment for fragment in fragments if fragment)


def headline_snippet(headline: str, source: str) -> SafeString:
    return safe_snippet(whole_words(headline, source))


def safe_snippet(text: str) -> SafeString:
    return mark_safe(  # noqa: S308 — escaped first; only our own markers become tags
        escape(plain_words(text)).replace(HEADLINE_START, "<mark>").replace(HEADLINE_STOP, "</mark>")
    )


def query_words(query: str) -> list[str]:
    """The words of a query for a contains-search (SQLite): websearch's quotes and minus signs dropped."""
    return re.findall(r"\w[\w'-]*", query)[:10]


def excerpt(text: str, words: list[str], *, chars: int = SNIPPET_CHARS) -> str:
    """About `chars` characters of `text` (Markdown allowed) around the first of `words` it holds, cut
    between words, matches marked with HEADLINE_START/STOP: what ts_headline gives on PostgreSQL."""
    text = " ".join(plain_words(text).split())
    lowered = text.lower()
    first = min((at for word in words if (at := lowered.find(word.lower())) >= 0), default=0)
    first_word = text.rfind(" ", 0, first) + 1  # where the word holding the first match begins
    start = 0
    if first_word > chars // 3:
        start = text.find(" ", first_word - chars // 3) + 1  # a word's beginning, at most first_word
    end = len(text)
    if start + chars < len(text):
        end = text.rfind(" ", start, start + chars + 1)
        if end <= first:  # very long words: show up to the end of the match's word
            end = text.find(" ", first) if " " in text[first:] else len(text)
    shown = ("… " if start else "") + text[start:end] + (" …" if end < len(text) else "")
    if not words:
        return shown
    pattern = re.compile("|".join(re.escape(word) for word in words), re.IGNORECASE)
    return pattern.sub(lambda match: f"{HEADLINE_START}{match.group(0)}{HEADLINE_STOP}", shown)


def clean_query(raw: str) -> str:
    return " ".join(raw.split())[:MAX_QUERY_LENGTH]
