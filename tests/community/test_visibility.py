"""Who sees a post: hidden, held and restored posts, and the thread's counts that follow them."""

import pytest
from django.core import mail

from accounts.roles import Role
from community import permissions, services
from community.models import Notification, Post
from tests.community import factories
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_hidden_post_leaves_the_counters_and_comes_back_on_restore():
    thread = factories.thread()
    (post,) = factories.replies(thread, 1)
    moderator = UserFactory(roles=[Role.MODERATOR])
    services.hide_post(moderator=moderator, post=post, reason="spam")
    thread.refresh_from_db()
    assert thread.reply_count == 0 and thread.last_post.is_opening
    services.restore_post(moderator=moderator, post=post)
    thread.refresh_from_db()
    assert thread.reply_count == 1 and thread.last_post == post


def test_a_post_held_by_policy_notifies_nobody_until_approved(monkeypatch, django_capture_on_commit_callbacks):
    follower = UserFactory()
    thread = factories.thread(author=follower)
    monkeypatch.setattr(permissions, "hold_reason", lambda user, text: "First posts are checked by a moderator.")
    with django_capture_on_commit_callbacks(execute=True):
        (post,) = factories.replies(thread, 1)
    assert post.visibility == Post.Visibility.HELD and post.hidden_reason.startswith("First posts")
    thread.refresh_from_db()
    # Only the author hears about it (moderation tells them why); followers hear nothing yet.
    assert thread.reply_count == 0 and not Notification.objects.exists()
    assert [m.to for m in mail.outbox] == [[post.author.email]]
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_post(moderator=UserFactory(roles=[Role.MODERATOR]), post=post)
    thread.refresh_from_db()
    assert thread.reply_count == 1 and [m.to for m in mail.outbox[1:]] == [[follower.email]]


def test_a_held_post_is_seen_only_by_its_author_and_moderators(client):
    thread = factories.thread()
    (post,) = factories.replies(thread, 1)
    services.hold_post(moderator=None, post=post)
    assert "Reply number 0" not in client.get(thread.get_absolute_url()).content.decode()
    client.force_login(post.author)
    assert "Waiting for a moderator" in client.get(thread.get_absolute_url()).content.decode()
