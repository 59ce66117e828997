from types import SimpleNamespace

import pytest

from accounts.roles import Role
from community import search as community_search
from community import services
from community.models import Story
from community.search import search
from tests.community import factories
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def titles(section):
    return [result.title for result in section.results]


def test_posts_are_found_ranked_and_highlighted():
    factories.thread(title="Tics after strep", body="Our son had sudden tics after strep throat.")
    factories.thread(title="Insurance question", body="The letter mentioned tics once.")
    section = search("tics strep", user=UserFactory())
    assert titles(section) == ["Tics after strep"]
    assert "<mark>tics</mark>" in section.results[0].snippet
    ranked = search("tics", user=UserFactory())
    assert titles(ranked)[0] == "Tics after strep"  # title matches rank higher


def test_snippets_are_escaped():
    factories.thread(title="Escaping", body="flare <b>bold</b> & <script>alert(1)</script>")
    (result,) = search("flare", user=UserFactory()).results
    assert "<script>" not in result.snippet and "<b>" not in result.snippet and "<mark>flare</mark>" in result.snippet


def test_hidden_held_and_deleted_posts_never_appear():
    thread = factories.thread(title="Quiet", body="nothing here")
    hidden, held, deleted, shown = (
        services.reply(author=UserFactory(), thread=thread, body=f"zebra {n}") for n in range(4)
    )
    moderator = UserFactory(roles=[Role.MODERATOR])
    services.hide_post(moderator=moderator, post=hidden, reason="spam")
    services.hold_post(moderator=moderator, post=held)
    services.delete_post(actor=deleted.author, post=deleted)
    for user in (UserFactory(), moderator, held.author):
        assert [r.url for r in search("zebra", user=user).results] == [shown.get_absolute_url()]


def test_members_only_forums_are_searched_only_for_members():
    from django.contrib.auth.models import AnonymousUser

    factories.thread(forum_slug="parent-wellbeing", title="Exhausted", body="so exhausted tonight")
    assert search("exhausted", user=AnonymousUser()).results == []
    assert titles(search("exhausted", user=UserFactory())) == ["Exhausted"]


def test_stories_are_found_by_treatment_and_narrative():
    factories.story(narrative="The plasmapheresis sessions were long.")
    (result,) = search("plasmapheresis", user=UserFactory()).results
    assert result.meta.startswith("Story by")
    # The regimen is indexed with the story (it is in neither the title nor the narrative).
    factories.story(treatment=Story.Treatment.STEROIDS, regimen="prednisone taper", narrative="A hard month.")
    (found,) = search("prednisone", user=UserFactory()).results
    assert found.meta.startswith("Story by")


def test_the_site_search_page_shows_community_results(client):
    factories.thread(title="Tonsillectomy recovery", body="tonsillectomy went well")
    html = client.get("/search/?q=tonsillectomy").content.decode()
    assert "Community" in html and "Tonsillectomy recovery" in html


@pytest.fixture
def on_sqlite(monkeypatch):
    """`make run`'s SQLite path (a contains-search), run here on the suite's PostgreSQL."""
    monkeypatch.setattr(community_search, "connection", SimpleNamespace(vendor="sqlite"))


def test_sqlite_fallback_finds_a_thread_by_its_title(on_sqlite):
    thread = factories.thread(title="Tonsillectomy worries", body="Surgery is next week.")
    services.reply(author=UserFactory(), thread=thread, body="Good luck with it.")
    factories.thread(title="Insurance", body="Nothing about it here.")
    (found,) = search("tonsillectomy", user=UserFactory()).results
    assert found.title == "Tonsillectomy worries" and found.url == thread.opening.get_absolute_url()
    # Words of the title and of the opening post together, as PostgreSQL's vector holds them.
    assert titles(search("TONSILLECTOMY surgery", user=UserFactory())) == ["Tonsillectomy worries"]
    assert titles(search("tonsillectomy luck", user=UserFactory())) == []


def test_sqlite_fallback_keeps_held_and_members_only_threads_out(on_sqlite):
    from django.contrib.auth.models import AnonymousUser

    held = factories.thread(title="Quetiapine side effects", body="Held for now.")
    services.hold_post(moderator=None, post=held.opening)
    factories.thread(forum_slug="parent-wellbeing", title="Quetiapine and sleep", body="Members only.")
    assert search("quetiapine", user=AnonymousUser()).results == []
    assert titles(search("quetiapine", user=held.author)) == ["Quetiapine and sleep"]


def test_sqlite_fallback_snippets_are_whole_words_without_markdown(on_sqlite):
    words = " ".join(f"word{n}" for n in range(80))
    factories.thread(title="Flares", body=f"{words} we read [the **guide**](https://x.example/g) on flares. {words}")
    (result,) = search("flares", user=UserFactory()).results
    assert "we read the guide on <mark>flares</mark>." in result.snippet
    assert "x.example" not in result.snippet and "**" not in result.snippet
    shown = result.snippet.removeprefix("… ").removesuffix(" …").replace("<mark>", "").replace("</mark>", "")
    assert set(shown.split()) <= {*words.split(), "we", "read", "the", "guide", "on", "flares."}
