"""The page cache by topic: a write makes stale only the pages that show what it changed."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import services as accounts_services
from community import services as community_services
from portal import pagecache, pagetopics
from tests.articles import factories as article_factories
from tests.community import factories as community_factories
from tests.factories import ModeratorFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_ENABLED = True


def _cached(client, *urls) -> None:
    for url in urls:
        client.get(url)
        assert client.get(url)["X-Page-Cache"] == "hit", url


def _is_hit(client, url) -> bool:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    hit = response.get("X-Page-Cache") == "hit"
    assert not (hit and queries), url  # a hit runs no query
    return hit


def _pages_of(thread) -> dict[str, str]:
    return {
        "thread": thread.get_absolute_url(),
        "forum": reverse("community:forum", args=[thread.forum.slug]),
        "feed": reverse("community:forum_feed", args=[thread.forum.slug]),
    }


def test_a_reply_makes_stale_only_its_thread_its_forum_home_and_the_feed(client, django_capture_on_commit_callbacks):
    replied = community_factories.thread(title="Sudden tics after strep")
    other = community_factories.thread(forum_slug="treatments", title="IVIG side effects")
    article = article_factories.make_article(title="What PANS is")
    mine, theirs = _pages_of(replied), _pages_of(other)
    untouched = [*theirs.values(), article.get_absolute_url(), reverse("articles:list"), reverse("about")]
    touched = [*mine.values(), reverse("home"), reverse("community:index")]
    _cached(client, *touched, *untouched)
    member = Client()
    member.force_login(UserFactory())

    with django_capture_on_commit_callbacks(execute=True):
        response = member.post(reverse("community:reply", args=[replied.pk]), {"body": "Ours began the same way."})

    assert response.status_code == 302
    for url in untouched:
        assert _is_hit(client, url), url
    for url in touched:
        assert not _is_hit(client, url), url
    assert "Ours began the same way." in client.get(mine["thread"]).content.decode()
    for url in touched:  # stored again under the new generations
        assert _is_hit(client, url), url


def test_a_moderator_hiding_a_post_makes_its_thread_stale(client, django_capture_on_commit_callbacks):
    thread = community_factories.thread()
    post = community_services.reply(author=UserFactory(), thread=thread, body="Buy cheap pills here")
    other = community_factories.thread(forum_slug="treatments", title="Another question")
    _cached(client, thread.get_absolute_url(), other.get_absolute_url())
    assert "Buy cheap pills here" in client.get(thread.get_absolute_url()).content.decode()
    moderator = Client()
    moderator.force_login(ModeratorFactory())

    with django_capture_on_commit_callbacks(execute=True):
        response = moderator.post(
            reverse("moderation:decide_post", args=[post.pk]), {"decision": "hide", "reason": "Spam."}
        )

    assert response.status_code == 302
    assert not _is_hit(client, thread.get_absolute_url())
    assert "Buy cheap pills here" not in client.get(thread.get_absolute_url()).content.decode()
    assert _is_hit(client, other.get_absolute_url())


def test_a_reaction_makes_only_its_thread_stale(client, django_capture_on_commit_callbacks):
    thread = community_factories.thread()
    pages = _pages_of(thread)
    _cached(client, *pages.values(), reverse("home"))
    with django_capture_on_commit_callbacks(execute=True):
        community_services.toggle_reaction(user=UserFactory(), post=thread.posts.get(), kind="helpful")
    assert not _is_hit(client, pages["thread"])
    assert _is_hit(client, pages["forum"])
    assert _is_hit(client, reverse("home"))


def test_a_published_article_leaves_threads_cached(client, django_capture_on_commit_callbacks):
    thread = community_factories.thread()
    _cached(client, thread.get_absolute_url(), reverse("articles:list"), reverse("articles:feed"))
    with django_capture_on_commit_callbacks(execute=True):
        article_factories.make_article(title="Sleep and flares")
    assert _is_hit(client, thread.get_absolute_url())
    for url in (reverse("articles:list"), reverse("articles:feed")):
        response = client.get(url)
        assert "X-Page-Cache" not in response
        assert "Sleep and flares" in response.content.decode()


def test_a_write_that_names_no_pages_makes_every_page_stale(client, django_capture_on_commit_callbacks):
    author = UserFactory(display_name="Quiet Heron")
    thread = community_factories.thread(author=author)
    article = article_factories.make_article()
    _cached(client, thread.get_absolute_url(), article.get_absolute_url(), reverse("about"))
    with django_capture_on_commit_callbacks(execute=True):
        accounts_services.change_display_name(user=author, display_name="Brave Otter")
    for url in (thread.get_absolute_url(), article.get_absolute_url(), reverse("about")):
        assert not _is_hit(client, url), url


def test_a_page_not_in_the_registry_goes_stale_on_any_write(client, monkeypatch):
    thread = community_factories.thread()
    member_page = reverse("community:member", args=[thread.author.pk])
    monkeypatch.delitem(pagetopics.PAGE_TOPICS, "community:member")
    pagetopics.topics_of_path.cache_clear()
    try:
        assert pagetopics.topics_of_path(member_page) == (pagetopics.ANY_TOPIC,)
        _cached(client, member_page)
        pagecache.changed("article:unrelated")
        assert not _is_hit(client, member_page)
    finally:
        pagetopics.topics_of_path.cache_clear()


def test_a_lost_topic_generation_never_brings_back_an_old_page(client):
    """After a cache restart or eviction, a topic starts a new generation, never an old one."""
    thread = community_factories.thread()
    _cached(client, thread.get_absolute_url())
    cache.delete(pagecache.TOPIC_KEY + f"thread:{thread.pk}")
    assert not _is_hit(client, thread.get_absolute_url())
    assert _is_hit(client, thread.get_absolute_url())


def test_topics_come_from_the_url_name_and_its_arguments():
    assert pagetopics.topics_of_path("/community/t/12/a-title/") == ("thread:12",)
    assert pagetopics.topics_of_path("/community/newly-diagnosed/") == ("forum:newly-diagnosed",)
    assert pagetopics.topics_of_path("/about/") == ()
    assert pagetopics.topics_of_path("/no/such/page/") is None
