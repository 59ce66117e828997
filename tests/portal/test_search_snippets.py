"""Search snippets read as words, not Markdown, and stay escaped."""

import pytest

from articles.search import search as article_search
from community.search import search
from portal.search import HEADLINE_START, HEADLINE_STOP, excerpt, safe_snippet
from tests.articles.factories import make_article
from tests.community import factories
from tests.factories import UserFactory


def test_markdown_marks_leave_the_snippet_and_links_keep_their_words():
    text = (
        f"> **Night Owl Mum** wrote:\n> We tried [{HEADLINE_START}IVIG{HEADLINE_STOP}](https://x.example/a) and `ERP`"
    )
    snippet = safe_snippet(text)
    assert snippet == "Night Owl Mum wrote:\nWe tried <mark>IVIG</mark> and ERP"


def test_snippets_stay_escaped():
    assert safe_snippet("<script>alert(1)</script> **bold**") == "&lt;script&gt;alert(1)&lt;/script&gt; bold"


def test_a_fragment_cut_inside_a_link_shows_neither_the_address_nor_a_lone_bracket():
    text = f"guide on {HEADLINE_START}flares{HEADLINE_STOP}](https://x.example/guide?id=7) and [another ... ![a chart"
    assert safe_snippet(text) == "guide on <mark>flares</mark> and another ... a chart"


def test_brackets_of_plain_prose_stay():
    assert safe_snippet("He said [sic] it was fine") == "He said [sic] it was fine"


LONG_TEXT = (
    " ".join(f"word{n}" for n in range(100)) + " We tried **IVIG** at last. " + " ".join("more" for _ in range(100))
)


@pytest.mark.parametrize("chars", [40, 120, 240])
def test_an_excerpt_is_whole_words_around_the_match(chars):
    snippet = excerpt(LONG_TEXT, ["ivig"], chars=chars)
    assert f"{HEADLINE_START}IVIG{HEADLINE_STOP}" in snippet and "**" not in snippet
    assert snippet.startswith("… ") and snippet.endswith(" …")
    shown = snippet.removeprefix("… ").removesuffix(" …").replace(HEADLINE_START, "").replace(HEADLINE_STOP, "")
    whole_words = set(LONG_TEXT.replace("**", "").split())
    assert set(shown.split()) <= whole_words


def test_an_excerpt_of_a_short_text_is_all_of_it_and_of_one_long_word_is_that_word():
    assert excerpt("Short text about ivig", ["IVIG"]) == f"Short text about {HEADLINE_START}ivig{HEADLINE_STOP}"
    assert excerpt("x" * 300 + " tics " + "y" * 300, ["tics"], chars=50) == f"… {HEADLINE_START}tics{HEADLINE_STOP} …"


@pytest.mark.django_db
def test_a_post_snippet_cut_inside_a_link_on_postgresql_reads_as_words():
    # ts_headline starts this fragment inside the link's words and ends it inside the next link.
    link_words = " ".join(f"linkword{n}" for n in range(50))
    other_words = " ".join(f"w{n}" for n in range(50))
    body = f"Intro. We read [{link_words} flares](https://x.example/guide?id=7) and [another {other_words}](https://x.example/b)"
    factories.thread(title="Reading", body=body)
    (result,) = search("flares", user=UserFactory()).results
    assert "<mark>flares</mark> and another" in result.snippet
    assert "](" not in result.snippet and "x.example" not in result.snippet and "[" not in result.snippet


@pytest.mark.django_db
@pytest.mark.parametrize("position", [3, 25, 60])
def test_a_post_snippet_on_postgresql_is_whole_words(position):
    words = [f"{n}-day post-infectious follow-up" if n % 4 == 0 else f"word{n}" for n in range(80)]
    words[position] = "flares"
    body = " ".join(words)
    factories.thread(title="Long post", body=body)
    (result,) = search("flares", user=UserFactory()).results
    shown = result.snippet.replace("<mark>", "").replace("</mark>", "").replace("…", " ")
    assert "flares" in shown
    assert set(shown.split()) <= set(body.split())


@pytest.mark.django_db
def test_an_article_snippet_on_postgresql_is_whole_words():
    words = [f"{n}-day post-infectious follow-up" if n % 4 == 0 else f"word{n}" for n in range(80)]
    words[25] = "flares"
    article = make_article(title="Long article", body=" ".join(words) + "\n")
    (result,) = article_search("flares", user=None).results
    shown = result.snippet.replace("<mark>", "").replace("</mark>", "").replace("…", " ")
    assert "flares" in shown
    assert set(shown.split()) <= set(article.body_text.split())
