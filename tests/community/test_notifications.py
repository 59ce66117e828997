"""Notifications of new replies: who is told, the emails (each reply, a daily digest, none), the
unread count and the notifications page."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from community import services
from community.models import MemberSettings, Notification
from portal import outbox
from portal.models import OutboundEmail
from portal.pagecache import is_invalidation
from tests.community import factories
from tests.factories import UserFactory
from tests.support.queries import count_queries

pytestmark = pytest.mark.django_db


def test_a_reply_notifies_followers_never_its_author(django_capture_on_commit_callbacks):
    author_a, author_b = UserFactory(), UserFactory()
    thread = factories.thread(author=author_a)
    with django_capture_on_commit_callbacks(execute=True):
        services.reply(author=author_b, thread=thread, body="Thinking of you")
    assert Notification.objects.filter(recipient=author_a).count() == 1
    assert not Notification.objects.filter(recipient=author_b).exists()
    assert [m.to for m in mail.outbox] == [[author_a.email]]
    assert MemberSettings.objects.get(user=author_a).unread_count == 1


def test_a_burst_of_replies_makes_one_email(django_capture_on_commit_callbacks):
    follower = UserFactory()
    thread = factories.thread(author=follower, title="Burst")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        factories.replies(thread, 3)
    assert len([callback for callback in callbacks if not is_invalidation(callback)]) == 3  # the others: page cache
    assert OutboundEmail.objects.filter(kind="community.replies", recipient=follower.email).count() == 3
    for callback in callbacks:  # the first queued task sends all three; the others find nothing left
        callback()
    (message,) = mail.outbox
    assert sorted(OutboundEmail.objects.values_list("status", flat=True)) == ["sent", "skipped", "skipped"]
    assert message.subject == "[PANDAS Parent Network] 3 new replies in “Burst”"
    assert message.body.count("replied:") == 3
    assert "/community/unfollow/" in message.body and message.extra_headers["List-Unsubscribe-Post"]
    html = message.alternatives[0][0]
    assert 'href="http://testserver/community/unfollow/' in html and "Stop following this thread" in html
    assert set(Notification.objects.values_list("email", flat=True)) == {Notification.Email.SENT}


def test_emails_off_keeps_the_notifications_page_only(django_capture_on_commit_callbacks):
    follower = UserFactory()
    services.set_email_preference(user=follower, emails=MemberSettings.Emails.OFF)
    thread = factories.thread(author=follower)
    with django_capture_on_commit_callbacks(execute=True):
        factories.replies(thread, 2)
    assert mail.outbox == []
    assert Notification.objects.filter(recipient=follower, email=Notification.Email.SKIPPED).count() == 2
    assert MemberSettings.objects.get(user=follower).unread_count == 2
    services.mark_notifications_read(user=follower)
    assert MemberSettings.objects.get(user=follower).unread_count == 0


def test_daily_digest_sends_one_email_for_the_day(django_capture_on_commit_callbacks):
    from community.tasks import send_daily_digests

    follower = UserFactory()
    services.set_email_preference(user=follower, emails=MemberSettings.Emails.DAILY)
    factories.replies(factories.thread(author=follower, title="One"), 2)
    factories.replies(factories.thread(author=follower, title="Two"), 1)
    assert mail.outbox == []  # nothing until the digest
    with django_capture_on_commit_callbacks(execute=True):
        assert send_daily_digests() == 1
    (message,) = mail.outbox
    assert "daily digest: 3 new replies" in message.subject
    with django_capture_on_commit_callbacks(execute=True):
        assert send_daily_digests() == 0
    assert len(mail.outbox) == 1


def test_a_reply_hidden_before_the_email_is_not_sent(django_capture_on_commit_callbacks):
    follower = UserFactory()
    thread = factories.thread(author=follower)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        (post,) = factories.replies(thread, 1)
    services.hide_post(moderator=None, post=post, reason="spam")
    for callback in callbacks:  # the reply's email task runs after the debounce
        callback()
    assert mail.outbox == []
    assert OutboundEmail.objects.get(recipient=follower.email).status == "skipped"


def test_the_outbox_sweeper_sends_what_a_lost_task_dropped(django_capture_on_commit_callbacks):
    follower = UserFactory()
    with django_capture_on_commit_callbacks(execute=False):  # the task is "lost"
        factories.replies(factories.thread(author=follower), 1)
    assert outbox.sweep_outbound_emails() == 0  # too recent: the task may still come
    OutboundEmail.objects.update(next_attempt_at=timezone.now() - timedelta(hours=1))
    assert outbox.sweep_outbound_emails() == 1
    assert len(mail.outbox) == 1
    assert Notification.objects.get().email == Notification.Email.SENT


def test_restoring_a_post_does_not_count_it_unread_twice():
    follower = UserFactory()
    thread = factories.thread(author=follower)
    (post,) = factories.replies(thread, 1)
    moderator = UserFactory(roles=[Role.MODERATOR])
    services.hide_post(moderator=moderator, post=post, reason="checking")
    services.restore_post(moderator=moderator, post=post)
    assert services.member_settings(follower).unread_count == 1
    assert Notification.objects.filter(recipient=follower).count() == 1


def test_notifications_page_costs_fixed_queries(client, django_capture_on_commit_callbacks):
    member = UserFactory()
    client.force_login(member)
    thread = factories.thread(author=member)
    factories.replies(thread, 2)
    small = count_queries(client, reverse("community:notifications"))
    factories.replies(thread, 20)
    # user with their roles and unread count, count, notifications
    assert count_queries(client, reverse("community:notifications")) == small == 3


def test_header_shows_the_unread_count_and_the_page_marks_read(client, django_capture_on_commit_callbacks):
    member = UserFactory()
    factories.replies(factories.thread(author=member, title="Counting"), 3)
    client.force_login(member)
    html = client.get("/").content.decode()
    assert re.search(r'data-testid="unread-count">3<', html)
    page = client.get(reverse("community:notifications")).content.decode()
    assert page.count("replied in “Counting”") == 3
    client.post(reverse("community:notifications"))
    assert 'data-testid="unread-count"' not in client.get("/").content.decode()
    assert not Notification.objects.unread().exists()


def test_email_setting_is_saved(client):
    member = UserFactory()
    client.force_login(member)
    assert client.post(reverse("community:settings"), {"emails": "daily"}).status_code == 302
    assert member.community_settings.emails == MemberSettings.Emails.DAILY
    assert client.post(reverse("community:settings"), {"emails": "weekly"}).status_code == 400
