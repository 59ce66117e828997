"""Following a thread: the buttons, and the mailed unfollow link (signed, one click, no login)."""

import pytest
from django.urls import reverse

from community import tokens
from tests.community import factories
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_unfollow_tokens_are_signed():
    member = UserFactory()
    thread = factories.thread(author=member)
    token = tokens.unfollow_token(user=member, thread=thread)
    assert tokens.read_unfollow_token(token) == (member, thread)
    assert tokens.read_unfollow_token(token[:-2] + "xx") is None


def test_follow_and_unfollow_buttons(client):
    member = UserFactory()
    thread = factories.thread()
    client.force_login(member)
    client.post(f"/community/t/{thread.pk}/follow/", {"follow": "1"})
    assert "Unfollow this thread" in client.get(thread.get_absolute_url()).content.decode()
    client.post(f"/community/t/{thread.pk}/follow/", {"follow": "0"})
    assert "Follow this thread" in client.get(thread.get_absolute_url()).content.decode()


def test_unfollow_link_confirms_on_get_and_unfollows_on_post(client):
    member = UserFactory()
    thread = factories.thread(author=member, title="Unfollow me")
    url = reverse("community:unfollow", args=[tokens.unfollow_token(user=member, thread=thread)])
    page = client.get(url)
    assert "Stop following “Unfollow me”?" in page.content.decode() and not page.cookies
    assert thread.follows.filter(user=member).exists()
    done = client.post(url)  # one-click: no CSRF token, no login
    assert "You no longer follow this thread" in done.content.decode()
    assert not thread.follows.filter(user=member).exists()


def test_a_broken_unfollow_link_says_so(client):
    response = client.get(reverse("community:unfollow", args=["not-a-token"]))
    assert response.status_code == 404 and "This unfollow link does not work" in response.content.decode()
