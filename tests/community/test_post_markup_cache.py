"""The thread page's shared post markup (community.postmarkup): drawn once, served from the cache to
every reader, never carrying one reader's state to another, and never holding a post someone may not see."""

import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.test.signals import template_rendered

from accounts.services import change_display_name
from community import postmarkup, services
from community.models import Post, Reaction
from tests.community import factories
from tests.factories import ModeratorFactory, UserFactory

pytestmark = pytest.mark.django_db


def reader(user=None) -> Client:
    client = Client()
    client.force_login(user or UserFactory())
    return client


def page(client, thread) -> str:
    response = client.get(thread.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def stored_markup() -> list[str]:
    """Every post's markup the cache holds."""
    keys = cache.keys(f"{postmarkup.KEY_PREFIX}*")
    return list(cache.get_many(keys).values())


class PostRenders:
    """Counts renders of the post template while the block runs."""

    def __enter__(self):
        self.count = 0
        template_rendered.connect(self._seen)
        return self

    def __exit__(self, *exc):
        template_rendered.disconnect(self._seen)

    def _seen(self, sender, template, **kwargs):
        self.count += template.name == postmarkup.POST_TEMPLATE


def article_of(html: str, post) -> str:
    start = html.index(f'<article class="post post-{post.visibility}" id="post-{post.pk}"')
    return html[start : html.index("</article>", start)]


def test_a_page_of_posts_is_drawn_once_then_served_to_every_reader_from_the_cache():
    thread = factories.thread(body="The opening words")
    factories.replies(thread, 19)
    with PostRenders() as first:
        html = page(reader(), thread)
    with PostRenders() as second:
        again = page(reader(), thread)
    assert (first.count, second.count) == (20, 0)
    assert "The opening words" in again and "Reply number 18" in again
    assert html.count('class="reaction-form"') == again.count('class="reaction-form"') == 20


def test_the_stored_markup_carries_no_readers_state():
    author = UserFactory()
    thread = factories.thread(author=author)
    reply = factories.replies(thread, 1, author=author)[0]
    services.toggle_reaction(user=author, post=reply, kind=Reaction.Kind.HELPFUL)
    page(reader(author), thread)
    page(reader(ModeratorFactory()), thread)
    stored = stored_markup()
    assert len(stored) == 2
    for markup in stored:
        for per_reader in ("aria-pressed", "csrfmiddlewaretoken", ">Edit<", ">Delete<", ">Flag<", ">Quote<"):
            assert per_reader not in markup


def test_a_pressed_reaction_is_shown_to_its_member_only():
    post = factories.replies(factories.thread(), 1)[0]
    fan, other = UserFactory(), UserFactory()
    services.toggle_reaction(user=fan, post=post, kind=Reaction.Kind.HELPFUL)
    mine = article_of(page(reader(fan), post.thread), post)
    theirs = article_of(page(reader(other), post.thread), post)
    pressed = r'aria-pressed="{}" data-testid="helpful-\d+">Helpful <span class="reaction-count">1<'
    assert re.search(pressed.format("true"), mine)
    assert re.search(pressed.format("false"), theirs)


def test_own_post_links_and_the_flag_link_follow_the_reader():
    author = UserFactory()
    post = factories.replies(factories.thread(), 1, author=author)[0]
    own = article_of(page(reader(author), post.thread), post)
    other = article_of(page(reader(), post.thread), post)
    assert ">Edit</a>" in own and ">Delete</a>" in own and ">Flag<" not in own
    assert ">Edit</a>" not in other and ">Delete</a>" not in other and ">Flag<" in other


def test_one_reaction_form_per_post_and_one_csrf_token_per_page():
    thread = factories.thread()
    factories.replies(thread, 19)
    html = page(reader(), thread)
    forms = re.findall(r'<form method="post" action="/community/posts/\d+/react/" class="reaction-form">', html)
    tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html))
    assert len(forms) == 20
    assert len(tokens) == 1


def test_an_edit_shows_at_once():
    author = UserFactory()
    post = factories.replies(factories.thread(), 1, author=author)[0]
    other = reader()
    assert "Reply number 0" in page(other, post.thread)
    services.edit_post(editor=author, post=post, body="Corrected words")
    html = page(other, post.thread)
    assert "Corrected words" in html and "Reply number 0" not in html
    assert 'data-testid="edited-mark"' in html


def test_a_new_display_name_shows_at_once():
    author = UserFactory(display_name="Maple")
    post = factories.replies(factories.thread(), 1, author=author)[0]
    other = reader()
    assert ">Maple</a>" in article_of(page(other, post.thread), post)
    change_display_name(user=author, display_name="Birch")
    shown = article_of(page(other, post.thread), post)
    assert ">Birch</a>" in shown and "Maple" not in shown


def test_a_hidden_post_is_never_served_from_the_cache():
    post = factories.replies(factories.thread(), 1)[0]
    services.edit_post(editor=post.author, post=post, body="Our son Sam at Maplewood school")
    other = reader()
    assert "Our son Sam" in page(other, post.thread)  # its visible markup is now stored
    services.hide_post(moderator=ModeratorFactory(), post=post, reason="Names a child")
    post.refresh_from_db()
    html = page(other, post.thread)
    assert "Our son Sam" not in html and 'data-testid="hidden-notice"' in html
    assert "Our son Sam" in page(reader(post.author), post.thread)  # its author still reads it


def test_a_held_post_reaches_no_other_member_and_is_never_stored():
    author, moderator = UserFactory(), ModeratorFactory()
    post = factories.replies(factories.thread(), 1, author=author)[0]
    services.hold_post(moderator=moderator, post=post)
    services.edit_post(editor=author, post=Post.objects.get(pk=post.pk), body="Held words about Sam")
    assert "Held words about Sam" in page(reader(author), post.thread)
    assert "Held words about Sam" in page(reader(moderator), post.thread)
    assert "Held words about Sam" not in page(reader(), post.thread)
    assert not [markup for markup in stored_markup() if "Held words" in markup]


def test_a_story_authors_link_is_theirs_alone():
    story = factories.story(m3=None)
    author_view = page(reader(story.post.author), story.post.thread)
    other_view = page(reader(), story.post.thread)
    assert "Add your later figures" in author_view
    assert "Add your later figures" not in other_view and 'data-testid="story-summary"' in other_view
