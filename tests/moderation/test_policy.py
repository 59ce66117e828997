"""Pre-moderation, watched words, rate limits and suspensions, as members meet them."""

import pytest
from django.core import mail
from django.urls import reverse

from community.models import Post
from community.permissions import NotAllowed
from moderation import services
from moderation.models import WatchedWord
from portal.settings import MODERATION_RATE_LIMITS
from tests.community import factories as community
from tests.factories import ModeratorFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def holds_on(settings):
    settings.MODERATION_HOLD_FIRST_POSTS = 2


@pytest.fixture
def rate_limits_on(settings):
    settings.MODERATION_RATE_LIMITS = MODERATION_RATE_LIMITS


def test_a_new_members_first_two_posts_are_held_then_they_post_freely(holds_on, django_capture_on_commit_callbacks):
    member = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        thread = community.thread(author=member, title="First time here")
    opening = thread.posts.get()
    assert opening.visibility == Post.Visibility.HELD
    assert "first posts are checked by a moderator" in opening.hidden_reason
    assert mail.outbox[0].to == [member.email] and "waiting for a moderator" in mail.outbox[0].subject
    second, third = (community.replies(thread, 1, author=member)[0] for _ in range(2))
    assert second.visibility == Post.Visibility.HELD
    assert third.visibility == Post.Visibility.VISIBLE


def test_watched_words_hold_a_post_and_say_which():
    WatchedWord.objects.create(phrase="guaranteed")
    post = community.replies(community.thread(), 1, author=UserFactory())[0]
    held = community.services.reply(author=post.author, thread=post.thread, body="A GUARANTEED cure!")
    assert held.visibility == Post.Visibility.HELD
    assert held.hidden_reason == "Posts that mention “guaranteed” are checked by a moderator first."


def test_moderators_are_never_held(holds_on):
    thread = community.thread(author=ModeratorFactory(), title="Welcome, new families")
    assert thread.posts.get().is_visible


def test_posting_too_fast_says_when_and_keeps_the_text(client, rate_limits_on):
    member = UserFactory()
    thread = community.thread(title="Pace test")
    client.force_login(member)
    url = reverse("community:reply", args=[thread.pk])
    for n in range(2):  # a new member may post twice a minute
        assert client.post(url, {"body": f"Reply {n} with enough words"}).status_code == 302
    response = client.post(url, {"body": "My third reply, typed with care"})
    html = response.content.decode()
    assert "You are posting faster than our limits allow. You can post again in" in html
    assert "My third reply, typed with care" in html
    assert thread.posts.count() == 3


def test_a_suspended_member_reads_but_cannot_post_react_or_flag_and_sees_why(client):
    member = UserFactory()
    thread = community.thread(title="Suspension test")
    other_post = community.replies(thread, 1)[0]
    services.suspend(moderator=ModeratorFactory(), member=member, days=3, reason="Unkind replies")
    client.force_login(member)

    page = client.get(thread.get_absolute_url()).content.decode()
    assert "you can read but not post. Reason: Unkind replies" in page
    assert "Log in to reply" not in page

    refused = client.post(reverse("community:reply", args=[thread.pk]), {"body": "Kept words"})
    assert refused.status_code == 403
    assert "Unkind replies" in refused.content.decode() and "Kept words" in refused.content.decode()
    with pytest.raises(NotAllowed):
        community.services.toggle_reaction(user=member, post=other_post, kind="helpful")
    with pytest.raises(NotAllowed):
        services.flag_post(flagger=member, post=other_post, reason="spam")
    assert thread.posts.count() == 2


def test_a_suspended_member_cannot_report_an_exposure():
    from django.core.exceptions import PermissionDenied

    from alerts.services import submit_report
    from tests.alerts.factories import SchoolFactory, last_week

    member = UserFactory()
    services.suspend(moderator=ModeratorFactory(), member=member, days=1, reason="Spam")
    start, end = last_week()
    with pytest.raises(PermissionDenied, match="suspended"):
        submit_report(reporter=member, school=SchoolFactory(), kind="strep", window_start=start, window_end=end)


def test_an_edit_that_adds_a_watched_word_waits_for_a_moderator_again(django_capture_on_commit_callbacks):
    WatchedWord.objects.create(phrase="guaranteed")
    author = UserFactory()
    post = community.replies(community.thread(), 1, author=author)[0]
    with django_capture_on_commit_callbacks(execute=True):
        community.services.edit_post(editor=author, post=post, body="Now a GUARANTEED cure, buy here")
    post.refresh_from_db()
    assert post.visibility == Post.Visibility.HELD and "“guaranteed”" in post.hidden_reason
    assert mail.outbox[-1].to == [author.email]


def test_a_watched_word_in_a_thread_title_holds_the_thread():
    WatchedWord.objects.create(phrase="miracle")
    thread = community.thread(author=UserFactory(), title="A miracle protocol", body="Ask me how.")
    assert thread.posts.get().visibility == Post.Visibility.HELD
