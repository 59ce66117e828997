"""Threads: starting one (the service and the page), and the moderators' thread tools."""

import pytest

from accounts.roles import Role
from community import services
from community.models import Follow, Thread
from community.permissions import NotAllowed
from moderation.models import ModerationAction
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


def test_compose_pages_send_anonymous_visitors_to_log_in(client):
    thread = factories.thread()
    for url in ("/community/newly-diagnosed/new/", f"/community/t/{thread.pk}/reply/", "/community/stories/new/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == f"/accounts/login/?next={url}"


def test_starting_a_thread_shows_it(client):
    member = UserFactory()
    client.force_login(member)
    response = client.post(
        "/community/newly-diagnosed/new/", {"title": "Is this a flare?", "body": "Sudden tics since Monday"}
    )
    thread = Thread.objects.get(title="Is this a flare?")
    assert response.status_code == 302 and response["Location"] == thread.get_absolute_url()
    assert "Sudden tics since Monday" in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": "", "body": "Kept body"}, "Please give your thread a title."),
        ({"title": "Hi", "body": "Kept body"}, "Please make the title at least 5 characters long."),
        ({"title": "x" * 141, "body": "Kept body"}, "Please keep the title under 140 characters (it has 141)."),
        ({"title": "A fine title", "body": ""}, "Please write something before posting."),
        ({"title": "A fine title", "body": "y" * 20001}, "That is too long: please keep it under 20,000 characters"),
    ],
)
def test_bad_thread_input_is_a_clear_error_with_the_text_kept(client, data, message):
    client.force_login(UserFactory())
    response = client.post("/community/newly-diagnosed/new/", data)
    html = response.content.decode()
    assert response.status_code == 400 and message in html
    for value in data.values():
        if value and len(value) < 200:
            assert value in html
    assert not Thread.objects.exists()


def test_a_thread_title_with_a_line_break_is_refused_and_the_text_kept(client):
    factories.forum("school")
    client.force_login(UserFactory())
    response = client.post(
        "/community/school/new/", {"title": "Teacher meeting\r\nBcc: someone", "body": "What should I bring?"}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Please keep the title on one line." in html and "What should I bring?" in html
    assert not Thread.objects.exists()


def test_an_anonymous_new_thread_is_kept_through_login(client):
    response = client.post("/community/school/new/", {"title": "Teacher meeting", "body": "What should I bring?"})
    assert response["Location"] == "/accounts/login/?next=/community/school/new/"
    client.force_login(UserFactory())
    html = client.get("/community/school/new/").content.decode()
    assert 'value="Teacher meeting"' in html and "What should I bring?" in html


def test_moderator_state_changes_check_permission_and_write_the_audit_log():
    thread = factories.thread()
    (post,) = factories.replies(thread, 1)
    moderator = UserFactory(roles=[Role.MODERATOR])
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
