"""Posts: replying, editing and deleting (the services and the pages), with nothing typed lost."""

import pytest
from django.core import mail
from django.urls import reverse

from accounts.roles import Role
from community import permissions, services
from community.models import Follow, Post, Thread
from community.permissions import NotAllowed
from moderation.models import ModerationAction
from tests.community import factories
from tests.factories import UserFactory
from tests.support.xss import XSS_PAYLOADS, assert_no_executable_markup, user_content

pytestmark = pytest.mark.django_db
Action = ModerationAction.Action


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


@pytest.mark.parametrize("state", ["locked", "deleted"])
def test_a_closed_thread_refuses_replies(state):
    thread = factories.thread()
    Thread.objects.filter(pk=thread.pk).update(**{f"is_{state}": True})
    with pytest.raises(services.ThreadClosed, match=state):
        services.reply(author=UserFactory(), thread=thread, body="Still here?")
    assert thread.posts.count() == 1


def test_replying_to_a_locked_thread_says_so_and_keeps_the_text(client):
    thread = factories.thread()
    Thread.objects.filter(pk=thread.pk).update(is_locked=True)
    client.force_login(UserFactory())
    response = client.post(f"/community/t/{thread.pk}/reply/", {"body": "My carefully written reply"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "This thread is locked" in html and "My carefully written reply" in html


@pytest.mark.parametrize("gone", ["deleted", "opening post hidden"])
def test_replying_to_a_thread_gone_meanwhile_answers_404_and_keeps_the_text(client, gone):
    thread = factories.thread(title="About Lily at Maplewood")
    if gone == "deleted":
        Thread.objects.filter(pk=thread.pk).update(is_deleted=True)
    else:
        services.hide_post(moderator=None, post=thread.posts.get(), reason="names a child")
    client.force_login(UserFactory())
    response = client.post(f"/community/t/{thread.pk}/reply/", {"body": "My carefully written reply"})
    html = response.content.decode()
    assert response.status_code == 404
    assert "no longer public, so it takes no more replies" in html and "My carefully written reply" in html
    assert "Lily" not in html


def test_a_reply_lands_on_its_post_and_notifies_the_author(client, django_capture_on_commit_callbacks):
    author = UserFactory()
    thread = factories.thread(author=author)
    client.force_login(UserFactory())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/community/t/{thread.pk}/reply/", {"body": "We went through this too"})
    post = Post.objects.get(body="We went through this too")
    assert response["Location"] == post.get_absolute_url()
    assert [m.to for m in mail.outbox] == [[author.email]]


def test_the_privacy_check_warns_first_and_posts_on_post_anyway(client):
    thread = factories.thread()
    client.force_login(UserFactory())
    text = "Call me on 555-123-4567, our son Emma Johnson's school is at 12 Oak Street"
    response = client.post(f"/community/t/{thread.pk}/reply/", {"body": text})
    html = response.content.decode()
    assert response.status_code == 200 and "Post anyway" in html
    assert "phone number" in html and "street address" in html and "full name" in html
    assert text.replace("'", "&#x27;") in html
    assert thread.posts.count() == 1
    response = client.post(f"/community/t/{thread.pk}/reply/", {"body": text, "post_anyway": "1"})
    assert response.status_code == 302 and thread.posts.count() == 2


def test_an_expired_session_keeps_the_reply_for_after_login(client):
    thread = factories.thread()
    member = UserFactory()
    response = client.post(f"/community/t/{thread.pk}/reply/", {"body": "Typed while logged out"})
    assert response["Location"] == f"/accounts/login/?next=/community/t/{thread.pk}/reply/"
    client.force_login(member)  # keeps the session's data, like a real login
    html = client.get(f"/community/t/{thread.pk}/reply/").content.decode()
    assert "Typed while logged out" in html
    assert "Typed while logged out" not in client.get(f"/community/t/{thread.pk}/reply/").content.decode()


def test_a_refusal_from_the_pace_hook_keeps_the_text(client, monkeypatch):
    def too_fast(user, action):
        raise permissions.NotAllowed("You are posting faster than our limits allow. Your text is kept.")

    thread = factories.thread()
    monkeypatch.setattr(permissions, "check_pace", too_fast)
    client.force_login(UserFactory())
    html = client.post(f"/community/t/{thread.pk}/reply/", {"body": "Patient words"}).content.decode()
    assert "faster than our limits allow" in html and "Patient words" in html


def test_quote_starts_a_reply_with_the_attributed_text(client):
    author = UserFactory(display_name="Brave Otter")
    thread = factories.thread(author=author, body="Line one\nLine two")
    client.force_login(UserFactory())
    html = client.get(f"/community/t/{thread.pk}/reply/?quote={thread.posts.get().pk}").content.decode()
    assert "&gt; **Brave Otter** wrote:\n&gt;\n&gt; Line one\n&gt; Line two" in html


def test_the_xss_corpus_as_replies_never_reaches_the_page(client):
    thread = factories.thread()
    for payload in XSS_PAYLOADS:
        services.reply(author=UserFactory(), thread=thread, body=payload)
    for page in (1, 2):
        assert_no_executable_markup(
            user_content(client.get(f"{thread.get_absolute_url()}?page={page}").content.decode())
        )


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
    services.edit_post(editor=UserFactory(roles=[Role.MODERATOR]), post=post, body="Removed a surname")
    assert ModerationAction.objects.get().action == Action.POST_EDIT


def test_editing_shows_an_edited_mark_and_a_history(client):
    member = UserFactory()
    thread = factories.thread(author=member, body="Original words")
    post = thread.posts.get()
    client.force_login(member)
    assert client.post(f"/community/posts/{post.pk}/edit/", {"body": "Corrected words"}).status_code == 302
    html = client.get(thread.get_absolute_url()).content.decode()
    assert "Corrected words" in html and 'data-testid="edited-mark"' in html
    history = client.get(f"/community/posts/{post.pk}/history/").content.decode()
    assert "Original words" in history and "Corrected words" in history


def test_earlier_versions_are_shown_only_to_the_author_and_moderators(client):
    # A parent who edits out their child's name must not find it still online in the history.
    member = UserFactory()
    post = factories.thread(author=member, body="Our son Sam Jones has tics").posts.get()
    services.edit_post(editor=member, post=post, body="Our son has tics")
    url = f"/community/posts/{post.pk}/history/"
    for reader in (None, UserFactory()):
        client.logout()
        if reader:
            client.force_login(reader)
        html = client.get(url).content.decode()
        assert "Sam Jones" not in html and "Our son has tics" in html
    client.force_login(UserFactory(roles=[Role.MODERATOR]))
    assert "Sam Jones" in client.get(url).content.decode()


def test_editing_in_a_locked_thread_says_so_and_keeps_the_text(client):
    member = UserFactory()
    thread = factories.thread(author=member)
    Thread.objects.filter(pk=thread.pk).update(is_locked=True)
    client.force_login(member)
    response = client.post(f"/community/posts/{thread.posts.get().pk}/edit/", {"body": "My careful correction"})
    html = response.content.decode()
    assert response.status_code == 400 and "This thread is locked" in html and "My careful correction" in html


def test_an_edit_sent_after_the_session_expired_comes_back_after_login(client):
    member = UserFactory()
    post = factories.thread(author=member, body="First words").posts.get()
    url = f"/community/posts/{post.pk}/edit/"
    response = client.post(url, {"body": "My careful correction"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    client.force_login(member)
    html = client.get(url).content.decode()
    assert "My careful correction" in html


def test_a_deleted_post_cannot_be_edited(client):
    member = UserFactory()
    (post,) = factories.replies(factories.thread(), 1, author=member)
    services.delete_post(actor=member, post=post)
    client.force_login(member)
    response = client.get(f"/community/posts/{post.pk}/edit/", follow=True)
    assert "This post was deleted and can no longer be edited." in response.content.decode()


def test_deleting_leaves_a_tombstone_and_only_the_author_or_a_moderator_may():
    thread = factories.thread()
    (post,) = factories.replies(thread, 1)
    with pytest.raises(NotAllowed):
        services.delete_post(actor=UserFactory(), post=post)
    services.delete_post(actor=post.author, post=post)
    post.refresh_from_db()
    assert post.visibility == Post.Visibility.DELETED and Post.objects.filter(pk=post.pk).exists()
    assert not ModerationAction.objects.exists()  # an author deleting their own post is not moderation


def test_members_cannot_edit_or_delete_others_posts(client):
    post = factories.thread().posts.get()
    client.force_login(UserFactory())
    assert client.get(f"/community/posts/{post.pk}/edit/").status_code == 404
    assert client.post(f"/community/posts/{post.pk}/delete/").status_code == 404


def test_deleting_leaves_a_tombstone_that_keeps_the_thread_readable(client):
    member = UserFactory()
    thread = factories.thread()
    (post,) = factories.replies(thread, 1, author=member)
    client.force_login(member)
    assert "Delete my post" in client.get(f"/community/posts/{post.pk}/delete/").content.decode()
    client.post(f"/community/posts/{post.pk}/delete/")
    html = client.get(thread.get_absolute_url()).content.decode()
    assert "This post was deleted." in html and "Reply number 0" not in html and "Hello" in html
