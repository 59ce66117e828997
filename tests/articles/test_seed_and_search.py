import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from articles.models import Article
from articles.rendering import markdown_problems
from articles.search import _contains, search
from tests.articles.factories import make_article

pytestmark = pytest.mark.django_db
IVIG = "ivig-evidence-and-side-effects"


@pytest.fixture
def seeded():
    call_command("seed_demo", stdout=io.StringIO())


def result_urls(query):
    return [result.url for result in search(query, user=None).results]


def test_seed_loads_every_article_once_published_reviewed_and_cited(seeded):
    call_command("seed_demo", stdout=io.StringIO())
    articles = Article.objects.all()
    assert articles.count() >= 8
    for slug in ("what-are-pandas-and-pans", "strep-at-school-after-an-exposure", IVIG):
        assert articles.filter(slug=slug).exists()
    for article in articles:
        assert article.is_published and article.last_review is not None
        assert article.last_review.reviewer.is_medical_reviewer
        assert article.references.count() >= 3 and article.toc
        positions = set(article.references.values_list("position", flat=True))
        assert markdown_problems(article.body, reference_positions=positions) == []
    assert Article.objects.get(slug=IVIG).tags.filter(name="ivig").exists()


def test_seed_uses_the_demo_reviewer_when_demo_users_exist(settings):
    settings.DEBUG = True
    call_command("seed_demo", "--demo-users", stdout=io.StringIO())
    article = Article.objects.get(slug=IVIG)
    assert article.last_review.reviewer.email == "reviewer@example.org"
    assert article.author.email == "editor@example.org"


def test_ivig_lists_the_ivig_article_first(seeded):
    assert result_urls("IVIG")[0] == f"/articles/{IVIG}/"


def test_several_words_find_the_article_with_the_words_highlighted(seeded):
    (first, *_) = search("ivig side effects headache", user=None).results
    assert first.url == f"/articles/{IVIG}/"
    assert "<mark>" in first.snippet and "headache" in first.snippet.lower()


def test_word_forms_are_found_by_english_stemming(seeded):
    assert f"/articles/{IVIG}/" in result_urls("immunoglobulins")


def test_a_misspelling_finds_near_matches_and_says_so(seeded):
    section = search("imunoglobulin", user=None)
    assert section.title == "Articles with similar words"
    assert f"/articles/{IVIG}/" in [result.url for result in section.results]
    assert search("zzqx nothing", user=None).results == []


def test_search_page_shows_the_article_section(client, seeded):
    html = client.get(reverse("search"), {"q": "immunoglobulins"}).content.decode()
    assert "Articles" in html and f'href="/articles/{IVIG}/"' in html and "<mark>" in html


@pytest.mark.parametrize("size", [1, 8])
def test_search_costs_one_query(django_assert_num_queries, size):
    for _ in range(size):
        make_article(title="Tonsils and strep")
    with django_assert_num_queries(1):
        results = search("tonsils", user=None).results
    assert len(results) == size


def test_drafts_are_not_searchable():
    make_article(title="Plasmapheresis draft", status=Article.Status.DRAFT)
    published = make_article(title="Plasmapheresis explained")
    assert result_urls("plasmapheresis") == [published.get_absolute_url()]


def test_snippets_escape_what_the_article_says():
    make_article(title="Tics", body="Some text about tics & Tourette <script>alert(1)</script> tics.")
    (result,) = search("tics", user=None).results
    assert "<script" not in result.snippet and "&amp; Tourette" in result.snippet
    assert "<mark>tics</mark>" in result.snippet.lower()


def test_sqlite_fallback_finds_every_word_and_marks_it():
    article = make_article(title="Sore throat at school", body="A strep throat case was reported in class.")
    make_article(title="Unrelated", body="Nothing here.")
    (found,) = _contains("STREP class")
    assert found == article
    assert "\x02strep\x03" in found.snippet.lower()
