import pytest
from django.core import mail

from community import services, tokens
from community.models import Follow, MemberSettings, Notification, Post, Thread
from community.permissions import NotAllowed
from moderation.models import ModerationAction
from portal.pagecache import invalidate
from tests.community import factories
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
Action = ModerationAction.Action


def test_create_thread_renders_the_opening_post_and_follows_it():
    author = UserFactory()
    thread = factories.thread(author=author, body="**Hello** <script>alert(1)</script>")
    post = thread.posts.get()
    assert post.is_opening and "<strong>Hello</strong>" in post.body_html and "<script>" not in post.body_html
    assert thread.reply_count == 0 and thread.last_post == post
    assert Follow.objects.filter(thread=thread, user=author).exists()


def test_replies_keep_the_thread_counters_right():
    thread = factories.thread()
    first, second = factories.replies(thread, 2)
    assert Follow.objects.filter(thread=thread, user=second.author).exists()  # posting follows
    thread.refresh_from_db()
    assert thread.reply_count == 2 and thread.last_post == second
    assert thread.last_activity_at == second.created_at
    services.delete_post(actor=second.author, post=second)
    thread.refresh_from_db()
    assert thread.reply_count == 1 and thread.last_post == first


def test_deleting_leaves_a_tombstone_and_only_the_author_or_a_moderator_may():
    thread = factories.thread()
    (post,) = factories.replies(thread, 1)
    with pytest.raises(NotAllowed):
        services.delete_post(actor=UserFactory(), post=post)
    services.delete_post(actor=post.author, post=post)
    post.refresh_from_db()
    assert post.visibility == Post.Visibility.DELETED and Post.objects.filter(pk=post.pk).exists()
    assert not ModerationAction.objects.exists()  # an author deleting their own post is not moderation


def test_moderator_state_changes_check_permission_and_write_the_audit_log():
    thread = factories.thread()
    (post,) = factories.replies(thread, 1)
    moderator = UserFactory(roles=[factories_role()])
    member = UserFactory()
    for change in (
        lambda user: services.hide_post(moderator=user, post=post, reason="names a child"),
        lambda user: services.restore_post(moderator=user, post=post),
        lambda user: services.lock_thread(moderator=user, thread=thread),
        lambda user: services.pin_thread(moderator=user, thread=thread),
        lambda user: services.move_thread(moderator=user, thread=thread, forum=factories.forum("school")),
        lambda user: services.hold_post(moderator=user, post=post),
        lambda user: services.approve_post(moderator=user, post=post),
        lambda user: services.delete_thread(moderator=user, thread=thread),
    ):
        with pytest.raises(NotAllowed):
            change(member)
        change(moderator)
    actions = list(ModerationAction.objects.order_by("id").values_list("action", flat=True))
    assert actions == [
        Action.POST_HIDE, Action.POST_RESTORE, Action.THREAD_LOCK, Action.THREAD_PIN, Action.THREAD_MOVE,
        Action.POST_HOLD, Action.POST_APPROVE, Action.THREAD_DELETE,
    ]  # fmt: skip
    assert ModerationAction.objects.get(action=Action.POST_HIDE).reason == "names a child"


def factories_role():
    from accounts.roles import Role

    return Role.MODERATOR


def test_hidden_post_leaves_the_counters_and_comes_back_on_restore():
    thread = factories.thread()
    (post,) = factories.replies(thread, 1)
    moderator = UserFactory(roles=[factories_role()])
    services.hide_post(moderator=moderator, post=post, reason="spam")
    thread.refresh_from_db()
    assert thread.reply_count == 0 and thread.last_post.is_opening
    services.restore_post(moderator=moderator, post=post)
    thread.refresh_from_db()
    assert thread.reply_count == 1 and thread.last_post == post


@pytest.mark.parametrize("state", ["locked", "deleted"])
def test_a_closed_thread_refuses_replies(state):
    thread = factories.thread()
    Thread.objects.filter(pk=thread.pk).update(**{f"is_{state}": True})
    with pytest.raises(services.ThreadClosed, match=state):
        services.reply(author=UserFactory(), thread=thread, body="Still here?")
    assert thread.posts.count() == 1


def test_editing_keeps_history_and_marks_the_post_edited():
    thread = factories.thread(body="First words")
    post = thread.posts.get()
    with pytest.raises(NotAllowed):
        services.edit_post(editor=UserFactory(), post=post, body="Not mine")
    services.edit_post(editor=post.author, post=post, body="Better *words*")
    post.refresh_from_db()
    assert post.edited_at and "<em>words</em>" in post.body_html
    assert list(post.revisions.values_list("body", flat=True)) == ["First words"]


def test_a_moderator_editing_someone_elses_post_is_audited():
    post = factories.thread().posts.get()
    services.edit_post(editor=UserFactory(roles=[factories_role()]), post=post, body="Removed a surname")
    assert ModerationAction.objects.get().action == Action.POST_EDIT


def test_reactions_toggle_one_of_each_per_member():
    post = factories.thread().posts.get()
    member = UserFactory()
    assert services.toggle_reaction(user=member, post=post, kind="helpful") == (True, 1)
    assert services.toggle_reaction(user=UserFactory(), post=post, kind="helpful") == (True, 2)
    assert services.toggle_reaction(user=member, post=post, kind="thinking") == (True, 1)
    assert services.toggle_reaction(user=member, post=post, kind="helpful") == (False, 1)
    post.refresh_from_db()
    assert (post.helpful_count, post.thinking_count) == (1, 1)


def test_reacting_to_a_hidden_post_is_refused():
    post = factories.thread().posts.get()
    services.hide_post(moderator=None, post=post, reason="flags")
    with pytest.raises(NotAllowed):
        services.toggle_reaction(user=UserFactory(), post=post, kind="helpful")


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
    assert len([callback for callback in callbacks if callback is not invalidate]) == 3  # the others: page cache
    assert services.send_pending_notifications(user_id=follower.pk) == 3
    for callback in callbacks:  # the three queued tasks run later and find nothing left to send
        callback()
    (message,) = mail.outbox
    assert message.subject == "[PANDAS Parent Network] 3 new replies in “Burst”"
    assert message.body.count("replied:") == 3
    assert "/community/unfollow/" in message.body and message.extra_headers["List-Unsubscribe-Post"]
    html = message.alternatives[0][0]
    assert 'href="http://testserver/community/unfollow/' in html and "Stop following this thread" in html
    assert set(Notification.objects.values_list("email", flat=True)) == {Notification.Email.SENT}


def test_emails_off_keeps_the_notifications_page_only(django_capture_on_commit_callbacks):
    follower = UserFactory()
    services.set_email_preference(user=follower, emails="off")
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
    services.set_email_preference(user=follower, emails="daily")
    factories.replies(factories.thread(author=follower, title="One"), 2)
    factories.replies(factories.thread(author=follower, title="Two"), 1)
    assert mail.outbox == []  # nothing until the digest
    assert send_daily_digests() == 1
    (message,) = mail.outbox
    assert "daily digest: 3 new replies" in message.subject
    assert send_daily_digests() == 0 and len(mail.outbox) == 1


def test_a_reply_hidden_before_the_email_is_not_sent(django_capture_on_commit_callbacks):
    follower = UserFactory()
    thread = factories.thread(author=follower)
    with django_capture_on_commit_callbacks(execute=False):
        (post,) = factories.replies(thread, 1)
    services.hide_post(moderator=None, post=post, reason="spam")
    assert services.send_pending_notifications(user_id=follower.pk) == 0
    assert mail.outbox == []


def test_the_sweeper_resends_what_a_lost_task_dropped(django_capture_on_commit_callbacks):
    from datetime import timedelta

    from community.tasks import sweep_notification_emails

    follower = UserFactory()
    with django_capture_on_commit_callbacks(execute=False):  # the task is "lost"
        factories.replies(factories.thread(author=follower), 1)
    assert sweep_notification_emails() == 0  # too recent: the task may still come
    Notification.objects.update(created_at=Notification.objects.get().created_at - timedelta(hours=1))
    assert sweep_notification_emails() == 1
    assert len(mail.outbox) == 1


def test_unfollow_tokens_are_signed():
    member = UserFactory()
    thread = factories.thread(author=member)
    token = tokens.unfollow_token(user=member, thread=thread)
    assert tokens.read_unfollow_token(token) == (member, thread)
    assert tokens.read_unfollow_token(token[:-2] + "xx") is None


def test_story_update_only_by_its_author():
    story = factories.story(m3=None)
    with pytest.raises(NotAllowed):
        services.update_story(author=UserFactory(), story=story, severity_3_months=4)
    services.update_story(author=story.post.author, story=story, severity_3_months=4, severity_6_months=2)
    story.refresh_from_db()
    assert (story.severity_3_months, story.severity_6_months) == (4, 2)
    assert story.post.thread.forum.slug == "recovery-stories"


def test_a_post_held_by_policy_notifies_nobody_until_approved(monkeypatch, django_capture_on_commit_callbacks):
    from community import permissions

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
        services.approve_post(moderator=UserFactory(roles=[factories_role()]), post=post)
    thread.refresh_from_db()
    assert thread.reply_count == 1 and [m.to for m in mail.outbox[1:]] == [[follower.email]]


def test_story_authors_are_reminded_once_at_3_and_at_6_months():
    from datetime import timedelta

    from django.utils import timezone

    from community.models import Story
    from community.tasks import send_story_reminders

    story = factories.story(m3=None, m6=None)
    assert send_story_reminders() == 0
    Story.objects.filter(pk=story.pk).update(created_at=timezone.now() - timedelta(days=91))
    assert send_story_reminders() == 1 and send_story_reminders() == 0
    (message,) = mail.outbox
    assert message.to == [story.post.author.email] and "3 months on" in message.subject
    assert f"/community/stories/{story.pk}/update/" in message.body
    Story.objects.filter(pk=story.pk).update(created_at=timezone.now() - timedelta(days=181), severity_6_months=2)
    assert send_story_reminders() == 0  # the 6-month figure is already there
    assert len(mail.outbox) == 1


def test_restoring_a_post_does_not_count_it_unread_twice():
    follower = UserFactory()
    thread = factories.thread(author=follower)
    (post,) = factories.replies(thread, 1)
    moderator = UserFactory(roles=[factories_role()])
    services.hide_post(moderator=moderator, post=post, reason="checking")
    services.restore_post(moderator=moderator, post=post)
    assert services.member_settings(follower).unread_count == 1
    assert Notification.objects.filter(recipient=follower).count() == 1
