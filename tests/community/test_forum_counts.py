"""A forum's kept count of public threads (issue 18): a forum page reads its length from the forum row
instead of counting the forum's threads, so the count must follow every way a thread becomes public or
stops being public, and the page's length must still be what `access.threads` lists, to everyone."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from community import access, member_data, services
from community.models import Forum, Post, Thread
from tests.community import factories
from tests.factories import ModeratorFactory, UserFactory

pytestmark = pytest.mark.django_db


def counted(forum: Forum) -> int:
    forum.refresh_from_db()
    return forum.public_thread_count


def fresh_count(forum: Forum) -> int:
    return access.public_threads(Thread.objects.filter(forum=forum)).count()


def assert_kept(*forums: Forum) -> None:
    for forum in forums:
        assert counted(forum) == Thread.objects.filter(forum=forum, is_deleted=False, opening_visible=True).count()


def opening(thread: Thread) -> Post:
    return thread.posts.get(is_opening=True)


def test_the_count_follows_every_change_to_a_threads_public_state():
    moderator = ModeratorFactory()
    newly, school = factories.forum("newly-diagnosed"), factories.forum("school")
    threads = [factories.thread(title=f"Thread {n}") for n in range(4)]
    factories.replies(threads[0], 3)
    assert counted(newly) == 4 and counted(school) == 0

    services.hold_post(moderator=None, post=opening(threads[1]))
    assert counted(newly) == 3
    services.hold_post(moderator=moderator, post=opening(threads[1]))  # held again: no change, no double count
    assert counted(newly) == 3
    services.approve_post(moderator=moderator, post=opening(threads[1]))
    assert counted(newly) == 4
    services.hide_post(moderator=moderator, post=opening(threads[2]), reason="Names a child")
    assert counted(newly) == 3

    services.move_thread(moderator=moderator, thread=threads[0], forum=school)
    services.move_thread(moderator=moderator, thread=threads[2], forum=school)  # not public: moves uncounted
    assert (counted(newly), counted(school)) == (2, 1)
    services.restore_post(moderator=moderator, post=opening(threads[2]))
    assert (counted(newly), counted(school)) == (2, 2)

    split = services.split_thread(
        moderator=moderator, thread=threads[0], posts=list(threads[0].posts.filter(is_opening=False)), title="Split"
    )
    assert split.forum == school and counted(school) == 3

    services.delete_thread(moderator=moderator, thread=threads[3])
    services.delete_thread(moderator=moderator, thread=Thread.objects.get(pk=threads[3].pk))  # twice: once counted
    services.hide_post(moderator=moderator, post=opening(threads[1]), reason="Spam")
    services.delete_thread(moderator=moderator, thread=threads[1])  # not public when deleted
    services.restore_post(moderator=moderator, post=opening(threads[1]))  # a deleted thread stays uncounted
    assert (counted(newly), counted(school)) == (0, 3)
    assert_kept(newly, school)


def test_a_stale_thread_object_does_not_skew_the_count():
    """A moderator's page read the thread before another moderator deleted it: the database decides."""
    moderator = ModeratorFactory()
    thread = factories.thread()
    stale = Thread.objects.get(pk=thread.pk)
    services.delete_thread(moderator=moderator, thread=thread)
    services.delete_thread(moderator=moderator, thread=stale)
    services.move_thread(moderator=moderator, thread=stale, forum=factories.forum("school"))
    assert_kept(factories.forum("newly-diagnosed"), factories.forum("school"))


def test_a_rename_from_a_stale_thread_object_leaves_visibility_and_count_alone():
    """A rename saves the title and slug only: a full save would write back the public state the
    moderator's page read before the opening post was hidden."""
    moderator = ModeratorFactory()
    thread = factories.thread(title="Where do we start?")
    stale = Thread.objects.get(pk=thread.pk)
    services.hide_post(moderator=moderator, post=opening(thread), reason="Names a child")
    services.rename_thread(moderator=moderator, thread=stale, title="A new title")
    renamed = Thread.objects.get(pk=thread.pk)
    assert renamed.title == "A new title" and renamed.slug == "a-new-title" and not renamed.opening_visible
    assert counted(thread.forum) == 0
    assert_kept(thread.forum)


def test_a_new_members_first_thread_is_counted_once_approved(settings):
    settings.MODERATION_HOLD_FIRST_POSTS = 1
    forum = factories.forum()
    newcomer = UserFactory()
    held = factories.thread(author=newcomer, title="My first thread")
    assert opening(held).visibility == Post.Visibility.HELD and counted(forum) == 0
    services.approve_post(moderator=ModeratorFactory(), post=opening(held))
    assert counted(forum) == 1
    factories.thread(author=newcomer, title="My second thread")
    assert counted(forum) == 2 == fresh_count(forum)


def test_erasing_a_member_takes_their_threads_out_of_the_count():
    member = UserFactory()
    forum = factories.forum()
    factories.thread(author=member)
    factories.thread(author=member, title="Another")
    kept = factories.thread(title="Someone else's")
    factories.replies(kept, 2, author=member)
    assert counted(forum) == 3
    member_data.erase(member, delete_posts=True)
    assert counted(forum) == 1 == fresh_count(forum)


def test_the_page_length_is_what_each_reader_sees_listed(client):
    """Held threads count only for their author and the moderators, as `access.threads` lists them."""
    author, other, moderator = UserFactory(), UserFactory(), ModeratorFactory()
    forum = factories.forum()
    for n in range(26):
        factories.thread(title=f"Public {n}")
    held = factories.thread(author=author, title="Held for review")
    services.hold_post(moderator=None, post=opening(held))
    hidden = factories.thread(author=other, title="Hidden one")
    services.hide_post(moderator=moderator, post=opening(hidden), reason="Names a child")
    services.delete_thread(moderator=moderator, thread=factories.thread(title="Deleted"))
    for user, expected in ((None, 26), (other, 27), (author, 27), (moderator, 28)):
        reader = Client()
        if user is not None:
            reader.force_login(user)
        page = reader.get(forum.get_absolute_url() + "?page=2").context["page_obj"]
        listed = access.threads(user or AnonymousUser(), forum.threads.all())
        assert page.paginator.count == expected == listed.count()
        assert page.paginator.num_pages == 2 and len(page.object_list) == expected - 25


def test_every_page_shows_the_threads_the_list_order_puts_there(client):
    """Pages past the middle are read from the far end: the same threads, in the same order, as
    slicing the whole list from the front."""
    author, moderator = UserFactory(), ModeratorFactory()
    forum = factories.forum()
    threads = [factories.thread(title=f"Thread {n}") for n in range(58)]
    services.pin_thread(moderator=moderator, thread=threads[7])
    factories.replies(threads[3], 1)
    held = factories.thread(author=author, title="Held for review")
    services.hold_post(moderator=None, post=opening(held))
    for user in (None, author, moderator):
        reader = Client()
        if user is not None:
            reader.force_login(user)
        expected = list(access.threads(user or AnonymousUser(), forum.threads.all()).for_list())
        shown = []
        for number in (1, 2, 3):
            shown += list(reader.get(f"{forum.get_absolute_url()}?page={number}").context["threads"])
        assert shown == expected and len(expected) == (58 if user is None else 59)
    with CaptureQueriesContext(connection) as last_page:
        Client().get(f"{forum.get_absolute_url()}?page=3")
    # The last 8 of 58: read from the end, not by skipping the 50 before them.
    assert "LIMIT 8" in last_page.captured_queries[-1]["sql"] and "OFFSET" not in last_page.captured_queries[-1]["sql"]
