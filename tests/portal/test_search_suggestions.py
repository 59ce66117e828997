"""Search's "Did you mean ...?": the closest words of the portal's public vocabulary (published articles,
public thread titles), offered when a search finds few or no results, and a helpful page when nothing matched."""

from types import SimpleNamespace

import pytest
from django.db import connection
from django.urls import reverse

from articles.models import Article
from community import services as community
from portal import vocabulary
from portal.celery import app as celery_app
from portal.models import SearchWord
from portal.tasks import rebuild_search_vocabulary
from tests.articles.factories import make_article
from tests.community import factories

pytestmark = pytest.mark.django_db

IVIG_TEXT = "Intravenous immunoglobulin (IVIG) gives antibodies from donors. Side effects include headache."
SUGGESTION = 'Did you mean <a href="/search/?q=immunoglobulin">immunoglobulin</a>?'


def search_page(client, query: str) -> str:
    return client.get(reverse("search"), {"q": query}).content.decode()


def suggestion_in(html: str) -> bool:
    return "Did you mean" in html


@pytest.fixture
def ivig_article():
    article = make_article(title="IVIG explained", body=IVIG_TEXT + "\n")
    vocabulary.rebuild()
    return article


def test_a_misspelling_suggests_the_closest_published_word_linking_to_its_search(client, ivig_article):
    html = search_page(client, "immunoglobin")
    assert SUGGESTION in html
    # The suggested search finds the article.
    assert f'href="{ivig_article.get_absolute_url()}"' in search_page(client, "immunoglobulin")


def test_only_unknown_words_are_corrected_and_the_rest_of_the_query_is_kept(client, ivig_article):
    html = search_page(client, "immunoglobin headache")
    assert 'Did you mean <a href="/search/?q=immunoglobulin%20headache">immunoglobulin headache</a>?' in html


def test_a_word_the_portal_knows_is_not_corrected(client, ivig_article):
    make_article(title="Immunoglobulin levels", body="Immunoglobulin levels in children.\n")
    vocabulary.rebuild()
    assert vocabulary.corrections(["immunoglobulin", "headache"]) == {}
    assert not suggestion_in(search_page(client, "immunoglobulin"))


def test_no_suggestion_when_nothing_is_close(client, ivig_article):
    html = search_page(client, "zzqx")
    assert not suggestion_in(html)
    assert "Nothing matched “zzqx”" in html


def test_a_search_with_enough_results_asks_for_no_suggestion(client, ivig_article, django_assert_num_queries):
    for n in range(3):
        make_article(title=f"Immunoglobin typo {n}", body="Immunoglobin, as typed in an old leaflet.\n")
    assert not suggestion_in(search_page(client, "immunoglobin"))


def test_few_results_still_get_a_suggestion_that_finds_more(client, ivig_article):
    # A member's typo: the misspelling matches one post, the right word finds the article and more.
    factories.thread(title="Insurance", body="They approved the immunoglobin at last.")
    make_article(title="Immunoglobulin and insurance", body="Immunoglobulin costs.\n")
    vocabulary.rebuild()
    html = search_page(client, "immunoglobin")
    assert "They approved the <mark>immunoglobin</mark>" in html
    assert SUGGESTION in html


def test_a_held_threads_title_never_enters_the_vocabulary_nor_a_suggestion(client, settings):
    settings.MODERATION_HOLD_FIRST_POSTS = 2
    held = factories.thread(title="Zanthoxylum tea for flares", body="Has anyone tried it?")
    assert held.opening.visibility == held.opening.Visibility.HELD
    vocabulary.rebuild()
    assert not SearchWord.objects.filter(word="zanthoxylum").exists()
    assert vocabulary.corrections(["zanthoxylim"]) == {}
    client.force_login(held.author)  # not even for its author
    assert "Zanthoxylum" not in search_page(client, "zanthoxylim")


def test_a_thread_held_after_the_vocabulary_was_built_is_not_suggested(client):
    thread = factories.thread(title="Zanthoxylum tea for flares", body="Has anyone tried it?")
    vocabulary.rebuild()
    assert vocabulary.corrections(["zanthoxylim"]) == {"zanthoxylim": "zanthoxylum"}
    assert "Did you mean" in search_page(client, "zanthoxylim")
    community.hold_post(moderator=None, post=thread.opening)
    # The vocabulary lags until the next rebuild; the suggestion is checked against a live search.
    assert SearchWord.objects.filter(word="zanthoxylum").exists()
    html = search_page(client, "zanthoxylim")
    assert not suggestion_in(html) and "zanthoxylum" not in html.lower()


def test_members_only_and_unpublished_words_stay_out_of_the_vocabulary():
    factories.thread(forum_slug="parent-wellbeing", title="Quetiapine worries", body="Members only.")
    make_article(title="Plasmapheresis draft", body="Plasmapheresis.\n", status=Article.Status.DRAFT)
    factories.thread(title="Tonsillectomy recovery", body="It went well.")
    vocabulary.rebuild()
    words = set(SearchWord.objects.values_list("word", flat=True))
    assert "tonsillectomy" in words
    assert not {"quetiapine", "plasmapheresis"} & words


def test_a_rebuild_forgets_withdrawn_words_and_counts_documents():
    article = make_article(title="Sydenham chorea", body="Chorea and strep.\n")
    factories.thread(title="Chorea at night", body="Help.")
    vocabulary.rebuild()
    assert SearchWord.objects.get(word="chorea").documents == 2
    Article.objects.filter(pk=article.pk).update(status=Article.Status.ARCHIVED)
    assert vocabulary.rebuild() == SearchWord.objects.count()
    assert SearchWord.objects.get(word="chorea").documents == 1
    assert not SearchWord.objects.filter(word="sydenham").exists()


@pytest.mark.parametrize(
    ("first", "second"),
    [("immunoglobin", "immunoglobulin"), ("tonsils", "toenails"), ("strep", "streptococcus"), ("pandas", "pans")],
)
def test_the_python_similarity_for_sqlite_is_pg_trgms(first, second):
    with connection.cursor() as cursor:
        cursor.execute("SELECT similarity(%s, %s)", [first, second])
        (expected,) = cursor.fetchone()
    assert vocabulary.similarity(first, second) == pytest.approx(expected, abs=1e-6)


def test_sqlite_corrects_words_as_postgresql_does(monkeypatch, ivig_article):
    make_article(title="Tonsillectomy", body="Tonsillectomy and tonsils; the tonsil.\n")
    vocabulary.rebuild()
    words = ["immunoglobin", "tonsilectomy", "headache", "zzqx"]
    on_postgresql = vocabulary.corrections(words)
    monkeypatch.setattr(vocabulary, "connection", SimpleNamespace(vendor="sqlite"))
    assert (
        vocabulary.corrections(words)
        == on_postgresql
        == {
            "immunoglobin": "immunoglobulin",
            "tonsilectomy": "tonsillectomy",
        }
    )


def test_nothing_found_says_what_was_searched_with_tips_and_where_to_browse(client):
    html = search_page(client, "zzqx nothing")
    assert "Nothing matched “zzqx nothing”" in html
    assert "Check the spelling" in html and "Use fewer words" in html
    assert f'href="{reverse("articles:list")}"' in html and f'href="{reverse("community:index")}"' in html


def test_the_vocabulary_is_rebuilt_by_beat():
    entry = celery_app.conf.beat_schedule["portal-search-vocabulary"]
    assert entry["task"] == rebuild_search_vocabulary.name
    make_article(title="Sydenham chorea", body="Chorea.\n")
    rebuild_search_vocabulary.delay()
    assert SearchWord.objects.filter(word="sydenham").exists()


@pytest.mark.parametrize("size", [3, 9])
def test_search_page_with_results_costs_the_same_at_two_sizes(client, django_assert_num_queries, size):
    for n in range(size):
        make_article(title=f"Tonsils {n}", body="Tonsils and strep.\n")
        factories.thread(title=f"Tonsils {n}", body="Tonsils again.")
    vocabulary.rebuild()
    # Articles 1, community 3 (candidates, posts), schools 1; no suggestion looked for.
    with django_assert_num_queries(4):
        html = search_page(client, "tonsils")
    assert html.count('class="result"') == 2 * size and not suggestion_in(html)


@pytest.mark.parametrize("size", [1, 8])
def test_search_page_with_a_suggestion_costs_the_same_at_two_sizes(client, django_assert_num_queries, size):
    for n in range(size):
        make_article(title=f"IVIG {n}", body=IVIG_TEXT + "\n")
        factories.thread(title=f"Immunoglobulin question {n}", body="Immunoglobulin doses?")
    vocabulary.rebuild()
    # The search (articles 1 and its near-match fallback 2, community 1, schools 1), the vocabulary 1,
    # and the suggestion's own search to check it finds something (articles 1, community 2, schools 1).
    with django_assert_num_queries(10):
        html = search_page(client, "immunoglobin")
    assert SUGGESTION in html
