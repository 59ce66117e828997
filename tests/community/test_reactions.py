"""Reactions: one of each kind per member, only on posts one may see, with and without JavaScript."""

import re

import pytest

from community import services
from community.models import Reaction
from community.permissions import NotAllowed
from tests.community import factories
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_reactions_toggle_one_of_each_per_member():
    post = factories.thread().posts.get()
    member = UserFactory()
    assert services.toggle_reaction(user=member, post=post, kind=Reaction.Kind.HELPFUL) == (True, 1)
    assert services.toggle_reaction(user=UserFactory(), post=post, kind=Reaction.Kind.HELPFUL) == (True, 2)
    assert services.toggle_reaction(user=member, post=post, kind=Reaction.Kind.THINKING_OF_YOU) == (True, 1)
    assert services.toggle_reaction(user=member, post=post, kind=Reaction.Kind.HELPFUL) == (False, 1)
    post.refresh_from_db()
    assert (post.helpful_count, post.thinking_count) == (1, 1)


def test_reacting_to_a_hidden_post_is_refused():
    post = factories.thread().posts.get()
    services.hide_post(moderator=None, post=post, reason="flags")
    with pytest.raises(NotAllowed):
        services.toggle_reaction(user=UserFactory(), post=post, kind=Reaction.Kind.HELPFUL)


def test_reaction_without_javascript_posts_a_form_and_returns_to_the_post(client):
    post = factories.thread().posts.get()
    client.force_login(UserFactory())
    response = client.post(f"/community/posts/{post.pk}/react/", {"kind": "helpful"})
    assert response.status_code == 302 and response["Location"] == post.get_absolute_url()
    html = client.get(post.get_absolute_url()).content.decode()
    assert re.search(r'aria-pressed="true" data-testid="helpful-\d+">Helpful <span class="reaction-count">1<', html)


def test_reaction_with_javascript_answers_json(client):
    post = factories.thread().posts.get()
    client.force_login(UserFactory())
    url = f"/community/posts/{post.pk}/react/"
    answer = client.post(url, {"kind": "thinking"}, headers={"accept": "application/json"}).json()
    assert answer == {"reacted": True, "count": 1, "kind": "thinking"}
    assert client.post(url, {"kind": "nonsense"}).status_code == 400
    assert Reaction.objects.count() == 1


def test_reactions_need_csrf(client):
    from django.test import Client

    post = factories.thread().posts.get()
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(UserFactory())
    assert strict.post(f"/community/posts/{post.pk}/react/", {"kind": "helpful"}).status_code == 403
